/** Every behaviour-changing default of the tool layer, in one place. */
export const TOOL_DEFAULTS = {
  /** Token budget for an observation's summary (counted with gpt-tokenizer). */
  summaryTokenBudget: 1_500,
  /** Per-call timeout for one tool run, including the client's own retries. */
  callTimeoutMs: 10_000,
  /** Client retries on 429/5xx before giving up. */
  maxRetries: 3,
  /** Longest wait we accept from Retry-After / x-ratelimit-reset before giving up instead. */
  maxRetryWaitMs: 5_000,
} as const;

/** Base delay for retry backoff on 5xx where the server gives no Retry-After (ms). */
export const RETRY_BASE_MS = 400;

/**
 * Bounds on the decisive evidence tools keep in an Observation's `data` (the offline investigator
 * reads it; the summary shows less). Characters, not tokens: cheap, exact, and about four to a
 * token. Each bound keeps the part that decides a case (the error's kind, stack and attributes,
 * the version or host it is on, the lines a commit changed) and drops the long tail.
 */
export const EVIDENCE_LIMITS = {
  /** Log patterns and span error groups that carry attributes, stack and splits: the newest/biggest first. */
  detailedGroups: 20,
  /** Flattened attributes kept per log pattern or span error group, decisive keys first. */
  attributeChars: 800,
  /** One attribute value, so a single long value cannot take a whole group's budget. */
  attributeValueChars: 200,
  /** One stack trace: its head holds the throwing frame and the nearest callers. */
  stackChars: 1_500,
  /** Rows per count or breakdown (versions, hosts, peers, resources). */
  breakdownRows: 10,
  /** Tags kept per span error group (those every span of the group shares). */
  groupTags: 16,
  /** Patch text kept per commit, across its files. */
  commitPatchChars: 2_000,
  /** Patch text kept across all the commits of one github.changes answer (newest first). */
  changesPatchChars: 24_000,
  /** A pull request's body. */
  pullBodyChars: 2_000,
  /** Evidence detail shown per log pattern or error group in the summary text. */
  summaryDetailChars: 260,
} as const;

/**
 * Attribute namespaces that decide a case, kept before any other attribute: DataDog's standard
 * attributes for the error, the request, the peer called, the database and the network, and the
 * version the code ran. Everything else follows while the budget lasts.
 */
export const DECISIVE_ATTRIBUTE_PREFIXES = [
  'error.',
  'http.',
  'peer.',
  'db.',
  'network.',
  'version',
  'dd.version',
];

/** When a span error group counts as new (log lines: LOG_PATTERN_DEFAULTS in tools/analysis/defaults.ts). */
export const SPAN_DEFAULTS = {
  /**
   * A group also seen in the same-length window before is new again once it is this many times as
   * frequent: a jump that size is a new failure mode, not the everyday error rate drifting.
   */
  newErrorRatio: 5,
} as const;

/**
 * How companion metrics are proposed from an alert's query (tools/datadog/companions.ts).
 * Without a metric listing, the namespace's siblings follow DataDog APM's trace-metric naming
 * (`trace.<operation>.hits` / `.errors` / `.duration`: the same operation's traffic, failures and
 * latency), a convention of the vendor rather than of any one world. With a listing
 * (datadog.metrics_list), only the names the world really reports are proposed.
 */
export const COMPANION_METRICS = {
  conventionalSiblings: [
    { suffix: 'hits', aggregator: 'sum', asCount: true },
    { suffix: 'errors', aggregator: 'sum', asCount: true },
    { suffix: 'duration', aggregator: 'avg', asCount: false },
  ],
  /** Companions proposed at most: each one is a metric query an investigation may spend. */
  max: 8,
  /**
   * The shallowest namespace siblings are looked for in: two segments (`system.cpu`,
   * `trace.http`); one (`trace`, `system`) spans every operation and host metric there is.
   */
  minNamespaceSegments: 2,
} as const;

/**
 * How many requests the vendor tools may make for one call. LaunchDarkly's audit-log list carries
 * no change; each entry's detail (and, when the detail has no flag version, the flag) is one more
 * request, so only the newest entries in the window are read in detail. GitHub lists newest first
 * and stops paging once past the window.
 */
export const REQUEST_LIMITS = {
  /** Audit-log entries one flags.changes call lists (LaunchDarkly's own maximum is 20). */
  auditLogEntries: 20,
  /** Of those, how many get their detail (and at most one flag each) read. */
  auditLogDetails: 10,
  /** GitHub list pages one github.changes call reads per list and repository (100 items each). */
  githubPagesPerList: 3,
  /**
   * A deployment in the window ships the commits since the previous deployment to its
   * environment, which may have merged before the window: github.changes reads them (GitHub
   * compare) for at most this many deployments per repository, newest first...
   */
  githubRolloutsCompared: 4,
  /** Services one github.changes call may name (the alerting service and its dependencies). */
  githubServicesPerCall: 12,
  /** ...at most this many commits each (with their files), newest first... */
  githubCommitsPerRollout: 10,
  /** ...and looks this far before the window for the previous deployment (else reads the head commit only). */
  githubPreviousDeployLookbackMs: 14 * 24 * 3_600_000,
} as const;

/** How the Kubernetes tools (tools/k8s/) find a service and how much they keep. */
export const K8S_DEFAULTS = {
  /**
   * Labels that name the service a workload or pod belongs to, tried in order: Kubernetes'
   * recommended label, then DataDog's unified service tagging label.
   */
  serviceLabels: ['app.kubernetes.io/name', 'tags.datadoghq.com/service'],
  /** DataDog's unified service tagging label for the version a pod runs. */
  versionLabel: 'tags.datadoghq.com/version',
  /** DataDog's unified service tagging label for the environment a workload serves. */
  envLabel: 'tags.datadoghq.com/env',
  /** Objects one list call asks for (`limit`); a larger answer is reported as truncated. */
  listLimit: 500,
  /** Revisions kept per workload, newest first. */
  revisionsPerWorkload: 10,
  /** Rows shown in a summary (pods, events, nodes); `data` keeps every row read. */
  summaryRows: 20,
  /** Events are read from this long before now unless a window is given. */
  eventsSpanMs: 6 * 3_600_000,
  /** Characters kept of an event's or condition's message. */
  messageChars: 300,
} as const;

/**
 * Tools from other MCP servers (tools/mcp/). Their calls share TOOL_DEFAULTS.callTimeoutMs and
 * the summary budget with every other tool; these bound what is particular to MCP.
 */
export const MCP_DEFAULTS = {
  /** Spawning a server (or reaching one over HTTP), the initialize handshake and listing its tools. */
  connectTimeoutMs: 10_000,
  /** Pages of `tools/list` read per server: a server that keeps paging is cut off, not followed. */
  maxToolListPages: 5,
  /** A server's description of its tool reaches the model's prompt: untrusted, so kept short. */
  descriptionChars: 600,
  /** `structuredContent` kept as an observation's data; larger answers keep only their text. */
  structuredDataChars: 20_000,
  /** Lines of a stdio server's stderr kept for the log when it fails to start. */
  stderrLines: 20,
  /** The largest request body `sre mcp --http` reads (one JSON-RPC message or batch). */
  endpointBodyLimitBytes: 1024 * 1024,
} as const;
