import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { z } from 'zod';
import { parseFrontMatter } from '../indexer/front-matter';
import {
  type EventRecord,
  EventSchema,
  type FlagChange,
  FlagChangeSchema,
  type IncidentRecord,
  IncidentSchema,
  isoTime,
  type K8sObject,
  K8sObjectsFileSchema,
  type LogRecord,
  LogSchema,
  type MetricSeries,
  MetricSeriesSchema,
  type Monitor,
  MonitorSchema,
  RepoSchema,
  type RepoWorld,
  type ScenarioManifest,
  ScenarioManifestSchema,
  SlackMessageSchema,
  type SlackRecord,
  type SpanRecord,
  SpanSchema,
  type Truth,
  TruthSchema,
} from './scenario-schema';

export type ScenarioDoc = {
  /** Path relative to the scenario's docs/ folder: the document id (contract). */
  id: string;
  title: string;
  url?: string;
  source: 'confluence' | 'notion' | 'runbook';
  body: string;
  /** The page's last edit: its front matter's `updatedAt`, else the scenario's `now`. */
  updatedAt: string;
};

/**
 * The Kubernetes resources a world may hold under k8s/, one file per resource named by the API's
 * plural (`k8s/pods.json`); `namespaced` resources are listed per namespace and across all of them.
 */
export const K8S_RESOURCES = {
  pods: { namespaced: true },
  events: { namespaced: true },
  deployments: { namespaced: true },
  replicasets: { namespaced: true },
  statefulsets: { namespaced: true },
  controllerrevisions: { namespaced: true },
  horizontalpodautoscalers: { namespaced: true },
  nodes: { namespaced: false },
} as const;
export type K8sResource = keyof typeof K8S_RESOURCES;

/** A world's cluster: the objects of each resource (a missing file is none). */
export type K8sWorld = Record<K8sResource, K8sObject[]>;

/** A scenario file that did not follow the format, named relative to the scenario folder. */
export type ScenarioProblem = { file: string; message: string };

/** One incident's world, loaded and validated. A missing optional file is an empty source. */
export type Scenario = {
  dir: string;
  manifest: ScenarioManifest;
  monitors: Monitor[];
  metrics: MetricSeries[];
  logs: LogRecord[];
  spans: SpanRecord[];
  events: EventRecord[];
  /** Keyed by `owner/repo`. */
  repos: Record<string, RepoWorld>;
  incidents: IncidentRecord[];
  flags: FlagChange[];
  docs: ScenarioDoc[];
  /** Keyed by channel name (the file name without .json). */
  slack: Record<string, SlackRecord[]>;
  truth?: Truth;
  /** The world's Kubernetes cluster; undefined when it has no k8s/ folder (the world runs elsewhere). */
  k8s?: K8sWorld;
  /**
   * Files that could not be read: each loads as an empty source, and the sandbox routes that
   * answer from it reply with an error naming the file and field (sandbox/server.ts).
   */
  broken: ScenarioProblem[];
  /** Pages read leniently: front matter that is not valid YAML, or a field ignored. */
  warnings: ScenarioProblem[];
};

export class ScenarioError extends Error {
  constructor(
    readonly file: string,
    detail: string,
  ) {
    super(`${file}: ${detail}`);
    this.name = 'ScenarioError';
  }
}

/**
 * `throw` (the default): the first file that does not follow the format fails the load, for
 * checks of a world (the generator's verify, tests). `record`: a broken file is recorded in
 * `broken` and costs only its own source, so one bad file never stops a whole world.
 */
export type BrokenFilePolicy = 'throw' | 'record';

/** Reads a scenario's files under one policy, collecting what it could not read. */
class ScenarioReader {
  readonly broken: ScenarioProblem[] = [];
  readonly warnings: ScenarioProblem[] = [];

  constructor(
    readonly dir: string,
    private readonly policy: BrokenFilePolicy,
  ) {}

  private rel(file: string): string {
    return relative(this.dir, file).split('\\').join('/');
  }

  /** A file that cannot be used: thrown, or recorded so its source answers an error. */
  fail(file: string, detail: string): void {
    if (this.policy === 'throw') throw new ScenarioError(file, detail);
    this.broken.push({ file: this.rel(file), message: detail });
  }

  /** A page read leniently: thrown like a broken file under `throw`, else only recorded. */
  warn(file: string, detail: string): void {
    if (this.policy === 'throw') throw new ScenarioError(file, detail);
    this.warnings.push({ file: this.rel(file), message: detail });
  }

  /** The file's validated content, or undefined when it is broken (recorded). */
  json<T>(file: string, schema: z.ZodType<T>): T | undefined {
    let raw: unknown;
    try {
      raw = JSON.parse(readFileSync(file, 'utf8'));
    } catch (err) {
      this.fail(file, `not valid JSON (${(err as Error).message})`);
      return undefined;
    }
    const result = schema.safeParse(raw);
    if (result.success) return result.data;
    this.fail(file, describeIssue(result.error.issues[0]!));
    return undefined;
  }

  optional<T>(rel: string, schema: z.ZodType<T>, empty: T): T {
    const file = join(this.dir, rel);
    if (!existsSync(file)) return empty;
    return this.json(file, schema) ?? empty;
  }
}

function describeIssue(issue: z.core.$ZodIssue): string {
  const path = issue.path.length > 0 ? issue.path.map(String).join('.') : '(root)';
  return `field ${path}: ${issue.message}`;
}

function listFiles(root: string, ext: string): string[] {
  if (!existsSync(root)) return [];
  const out: string[] = [];
  for (const name of readdirSync(root).sort()) {
    const full = join(root, name);
    if (statSync(full).isDirectory()) out.push(...listFiles(full, ext));
    else if (name.endsWith(ext)) out.push(full);
  }
  return out;
}

const FrontMatterSchema = z
  .object({
    title: z.string().optional(),
    url: z.string().optional(),
    source: z.enum(['confluence', 'notion', 'runbook']).optional(),
    // A page's last edit, when the world states one; YAML may hand back a Date for a bare timestamp.
    updatedAt: z
      .union([z.string(), z.date()])
      .transform((v) => (v instanceof Date ? v.toISOString() : v))
      .pipe(isoTime)
      .optional(),
  })
  .loose();
type FrontMatterFields = z.infer<typeof FrontMatterSchema>;

/** The front matter's known fields; one that does not fit is dropped with a warning, not the page. */
function frontMatterFields(meta: Record<string, unknown>, warn: (detail: string) => void): FrontMatterFields {
  const result = FrontMatterSchema.safeParse(meta);
  if (result.success) return result.data;
  const bad = new Set(result.error.issues.map((i) => String(i.path[0])));
  for (const issue of result.error.issues)
    warn(`front matter ${describeIssue(issue)}; the field was ignored`);
  return FrontMatterSchema.parse(Object.fromEntries(Object.entries(meta).filter(([k]) => !bad.has(k))));
}

/**
 * A page's `updatedAt` comes from the world (its front matter, else the scenario clock), never
 * from the file's modification time: that differs on every checkout and made sync tests
 * depend on the calendar.
 */
function loadDocs(reader: ScenarioReader, now: string): ScenarioDoc[] {
  const root = join(reader.dir, 'docs');
  const docs: ScenarioDoc[] = [];
  for (const file of listFiles(root, '.md')) {
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch (err) {
      reader.fail(file, `cannot be read (${(err as Error).message})`);
      continue;
    }
    const { meta, body, warning } = parseFrontMatter(text);
    if (warning) reader.warn(file, warning);
    const fm = frontMatterFields(meta, (detail) => reader.warn(file, detail));
    const heading = /^#\s+(.+)$/m.exec(body)?.[1]?.trim();
    const id = relative(root, file).split('\\').join('/');
    docs.push({
      id,
      title: fm.title ?? heading ?? id,
      url: fm.url,
      source: fm.source ?? 'runbook',
      body,
      updatedAt: fm.updatedAt ?? new Date(Date.parse(now)).toISOString(),
    });
  }
  return docs;
}

function loadRepos(reader: ScenarioReader): Record<string, RepoWorld> {
  const root = join(reader.dir, 'github');
  const repos: Record<string, RepoWorld> = {};
  for (const file of listFiles(root, '.json')) {
    const parts = relative(root, file).split(/[\\/]/);
    if (parts.length !== 2) {
      reader.fail(file, 'expected github/<owner>/<repo>.json');
      continue;
    }
    const repo = reader.json(file, RepoSchema);
    if (repo) repos[`${parts[0]}/${parts[1]!.replace(/\.json$/, '')}`] = repo;
  }
  return repos;
}

function loadSlack(reader: ScenarioReader): Record<string, SlackRecord[]> {
  const root = join(reader.dir, 'slack');
  const channels: Record<string, SlackRecord[]> = {};
  for (const file of listFiles(root, '.json')) {
    const messages = reader.json(file, z.array(SlackMessageSchema));
    if (messages) channels[relative(root, file).replace(/\.json$/, '')] = messages;
  }
  return channels;
}

/**
 * A namespaced object without a namespace is in `default`, as `kubectl apply` would put it; each
 * object is served as written otherwise.
 */
function loadK8s(reader: ScenarioReader): K8sWorld | undefined {
  if (!existsSync(join(reader.dir, 'k8s'))) return undefined;
  const world = {} as K8sWorld;
  for (const [resource, { namespaced }] of Object.entries(K8S_RESOURCES) as [
    K8sResource,
    { namespaced: boolean },
  ][]) {
    const objects = reader.optional(`k8s/${resource}.json`, K8sObjectsFileSchema, []);
    world[resource] = namespaced
      ? objects.map((o) => ({
          ...o,
          metadata: { ...o.metadata, namespace: o.metadata.namespace ?? 'default' },
        }))
      : objects;
  }
  return world;
}

/**
 * Loads and validates a scenario folder; a malformed file is named with its field. scenario.json
 * itself must always read (without it there is no world); for the others see BrokenFilePolicy.
 */
export function loadScenario(dirInput: string, options: { brokenFiles?: BrokenFilePolicy } = {}): Scenario {
  const dir = resolve(dirInput);
  const manifestFile = join(dir, 'scenario.json');
  if (!existsSync(manifestFile))
    throw new ScenarioError(manifestFile, 'missing (every scenario needs scenario.json)');
  const manifest = new ScenarioReader(dir, 'throw').json(manifestFile, ScenarioManifestSchema)!;
  const reader = new ScenarioReader(dir, options.brokenFiles ?? 'throw');
  const scenario: Omit<Scenario, 'broken' | 'warnings'> = {
    dir,
    manifest,
    monitors: reader.optional('datadog/monitors.json', z.array(MonitorSchema), []),
    metrics: reader.optional('datadog/metrics.json', z.array(MetricSeriesSchema), []),
    logs: reader.optional('datadog/logs.json', z.array(LogSchema), []),
    spans: reader.optional('datadog/spans.json', z.array(SpanSchema), []),
    events: reader.optional('datadog/events.json', z.array(EventSchema), []),
    repos: loadRepos(reader),
    incidents: reader.optional('rootly/incidents.json', z.array(IncidentSchema), []),
    flags: reader.optional('flags.json', z.array(FlagChangeSchema), []),
    docs: loadDocs(reader, manifest.now),
    slack: loadSlack(reader),
    truth: reader.optional('truth.json', TruthSchema, undefined),
    k8s: loadK8s(reader),
  };
  return { ...scenario, broken: reader.broken, warnings: reader.warnings };
}

/** Lists scenario folders (those holding a scenario.json) directly under `root`. */
export function listScenarioDirs(root: string): string[] {
  if (!existsSync(root)) return [];
  return readdirSync(root)
    .map((name) => join(root, name))
    .filter((d) => existsSync(join(d, 'scenario.json')))
    .sort();
}

/** A scenario channel's id and privacy: as declared in scenario.json, else a stable id from its name. */
export function channelOf(manifest: ScenarioManifest, name: string): { id: string; private: boolean } {
  const declared = manifest.slackChannels?.[name];
  if (declared) return { id: declared.id, private: declared.private };
  let h = 0;
  for (const c of name) h = (h * 31 + c.charCodeAt(0)) >>> 0;
  return { id: `C${h.toString(36).toUpperCase().padStart(8, '0')}`, private: false };
}
