import { existsSync, readFileSync } from 'node:fs';
import cron from 'node-cron';
import { z } from 'zod';
import { AGENT_DEFAULTS } from '../agent/defaults';
import { LOCAL_EMBEDDING_DIMENSIONS } from '../indexer/embed/local';
import { type McpServersSetting, parseMcpServers } from './mcp-servers-config';
import { SLACK_DEFAULTS } from './slack/defaults';

/**
 * All configuration comes from the environment (and `.env` when present). One schema,
 * defaults in one place, one clear message per bad value. Optional integrations left
 * unset are disabled, never fatal.
 */
const int = (min: number, max: number) =>
  z
    .string()
    .regex(/^\d+$/, `expected a whole number between ${min} and ${max}`)
    .transform(Number)
    .pipe(z.number().int().min(min, `expected at least ${min}`).max(max, `expected at most ${max}`));
const num = (min: number) =>
  z
    .string()
    .refine((s) => s.trim() !== '' && Number.isFinite(Number(s)), 'expected a number')
    .transform(Number)
    .pipe(z.number().min(min, `expected at least ${min}`));
const url = z.url({ message: 'expected an absolute http(s) URL' }).refine((u) => /^https?:\/\//.test(u), {
  message: 'expected an absolute http(s) URL',
});
const csv = z.string().transform((s) =>
  s
    .split(',')
    .map((x) => x.trim())
    .filter(Boolean),
);
const channelIds = csv.pipe(
  z.array(z.string().regex(/^[CGD][A-Z0-9]+$/, 'expected Slack channel ids like C0123ABCD')),
);

/** Environment defaults, as the strings a variable would hold; the agent's and indexer's come from their own defaults. */
export const DEFAULTS = {
  PORT: '3000',
  SRE_DB_PATH: 'data/sre-assistant.db',
  SLACK_API_URL: 'https://slack.com/api/',
  SRE_LOG_LEVEL: 'info',
  SRE_LLM_TOOL_MODE: 'native',
  SRE_LLM_MODEL: 'gpt-4o-mini',
  SRE_LLM_MODE: 'hybrid',
  SRE_MAX_STEPS: String(AGENT_DEFAULTS.maxSteps),
  SRE_DEADLINE_MS: String(AGENT_DEFAULTS.deadlineMs),
  SRE_MAX_TOKENS: String(AGENT_DEFAULTS.maxTokens),
  SRE_MAX_COST_USD: String(AGENT_DEFAULTS.maxCostUsd),
  SRE_MAX_CONCURRENT: '4',
  SRE_MAX_QUEUED: String(SLACK_DEFAULTS.maxQueuedRuns),
  SRE_RUN_LEASE_MS: String(SLACK_DEFAULTS.runLeaseMs),
  SRE_INVESTIGATION_WORKERS: String(SLACK_DEFAULTS.investigationWorkers),
  SRE_EMBEDDINGS: 'local',
  SRE_EMBEDDING_MODEL: 'text-embedding-3-small',
  SRE_EMBEDDING_DIMENSIONS: String(LOCAL_EMBEDDING_DIMENSIONS),
  DD_SITE: 'datadoghq.com',
  ROOTLY_API_URL: 'https://api.rootly.com',
  LAUNCHDARKLY_API_URL: 'https://app.launchdarkly.com',
  NOTION_API_URL: 'https://api.notion.com',
  SRE_RETENTION_DAYS: '90',
  SRE_PROGRESS_UPDATE_MS: '1500',
  SRE_LEARNING: 'on',
  SRE_LEARN_CRON: '41 * * * *',
} as const;

export const EnvSchema = z.object({
  // Slack
  SLACK_BOT_TOKEN: z.string().startsWith('xoxb-', 'expected a bot token starting with xoxb-').optional(),
  SLACK_SIGNING_SECRET: z.string().min(8, 'expected the signing secret from the app settings').optional(),
  SLACK_APP_TOKEN: z
    .string()
    .startsWith('xapp-', 'expected an app-level token starting with xapp-')
    .optional(),
  SLACK_API_URL: url.default(DEFAULTS.SLACK_API_URL),
  PORT: int(1, 65535).default(Number(DEFAULTS.PORT)),
  SRE_ALERT_CHANNELS: channelIds.default([]),
  SRE_ALERT_BOT_IDS: csv.default([]),
  SRE_INVESTIGATE_ALLOWLIST: csv.default([]),
  SRE_WEBHOOK_SECRET: z.string().min(16, 'expected a shared secret of at least 16 characters').optional(),
  SRE_WEBHOOK_CHANNEL: z
    .string()
    .regex(/^[CG][A-Z0-9]+$/, 'expected a Slack channel id like C0123ABCD')
    .optional(),
  SRE_PROGRESS_UPDATE_MS: int(250, 60_000).default(Number(DEFAULTS.SRE_PROGRESS_UPDATE_MS)),
  // Storage and runtime
  SRE_DB_PATH: z.string().min(1).default(DEFAULTS.SRE_DB_PATH),
  SRE_LOG_LEVEL: z
    .enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'], {
      message: 'expected one of fatal, error, warn, info, debug, trace, silent',
    })
    .default(DEFAULTS.SRE_LOG_LEVEL),
  SRE_SCENARIO: z.string().min(1).optional(),
  SRE_RETENTION_DAYS: int(1, 3650).default(Number(DEFAULTS.SRE_RETENTION_DAYS)),
  // LLM
  OPENAI_API_KEY: z.string().min(1).optional(),
  OPENAI_BASE_URL: url.optional(),
  SRE_LLM_MODEL: z.string().min(1).default(DEFAULTS.SRE_LLM_MODEL),
  SRE_LLM_TOOL_MODE: z
    .enum(['native', 'react'], { message: 'expected native or react' })
    .default(DEFAULTS.SRE_LLM_TOOL_MODE),
  // hybrid: the offline answer first, refined by the model; llm: the model from the start; offline: no model.
  SRE_LLM_MODE: z
    .enum(['hybrid', 'llm', 'offline'], { message: 'expected hybrid, llm or offline' })
    .default(DEFAULTS.SRE_LLM_MODE),
  // USD per million tokens "input,output", for models the built-in price table does not know.
  SRE_LLM_PRICE: z
    .string()
    .regex(
      /^\s*\d+(\.\d+)?\s*,\s*\d+(\.\d+)?\s*$/,
      'expected "input,output" USD per million tokens, e.g. 0.15,0.6',
    )
    .transform((s) => {
      const [input, output] = s.split(',').map(Number);
      return { input: input!, output: output! };
    })
    .optional(),
  SRE_MAX_STEPS: int(1, 100).default(Number(DEFAULTS.SRE_MAX_STEPS)),
  SRE_DEADLINE_MS: int(1_000, 3_600_000).default(Number(DEFAULTS.SRE_DEADLINE_MS)),
  SRE_MAX_TOKENS: int(1_000, 10_000_000).default(Number(DEFAULTS.SRE_MAX_TOKENS)),
  SRE_MAX_COST_USD: num(0).default(Number(DEFAULTS.SRE_MAX_COST_USD)),
  SRE_MAX_CONCURRENT: int(1, 64).default(Number(DEFAULTS.SRE_MAX_CONCURRENT)),
  SRE_MAX_QUEUED: int(1, 100_000).default(Number(DEFAULTS.SRE_MAX_QUEUED)),
  SRE_RUN_LEASE_MS: int(1_000, 3_600_000).default(Number(DEFAULTS.SRE_RUN_LEASE_MS)),
  SRE_INVESTIGATION_WORKERS: int(0, 64).default(Number(DEFAULTS.SRE_INVESTIGATION_WORKERS)),
  // Embeddings
  SRE_EMBEDDINGS: z
    .enum(['local', 'openai'], { message: 'expected local or openai' })
    .default(DEFAULTS.SRE_EMBEDDINGS),
  SRE_EMBEDDING_MODEL: z.string().min(1).default(DEFAULTS.SRE_EMBEDDING_MODEL),
  SRE_EMBEDDING_DIMENSIONS: int(8, 4096).default(Number(DEFAULTS.SRE_EMBEDDING_DIMENSIONS)),
  // DataDog
  DD_API_KEY: z.string().min(1).optional(),
  DD_APP_KEY: z.string().min(1).optional(),
  DD_SITE: z
    .string()
    .regex(/^[a-z0-9.-]+$/, 'expected a DataDog site such as datadoghq.com or datadoghq.eu')
    .default(DEFAULTS.DD_SITE),
  DATADOG_API_URL: url.optional(),
  // GitHub
  GITHUB_TOKEN: z.string().min(1).optional(),
  GITHUB_API_URL: url.optional(),
  // Rootly
  ROOTLY_API_TOKEN: z.string().min(1).optional(),
  ROOTLY_API_URL: url.default(DEFAULTS.ROOTLY_API_URL),
  // LaunchDarkly (feature flag changes)
  LAUNCHDARKLY_API_TOKEN: z.string().min(1).optional(),
  LAUNCHDARKLY_API_URL: url.default(DEFAULTS.LAUNCHDARKLY_API_URL),
  // Kubernetes (read-only): the usual kubeconfig, or the in-cluster service account
  KUBECONFIG: z.string().min(1).optional(),
  KUBERNETES_SERVICE_HOST: z.string().min(1).optional(),
  SRE_K8S_CONTEXT: z.string().min(1).optional(),
  // Knowledge sources
  CONFLUENCE_BASE_URL: url.optional(),
  CONFLUENCE_EMAIL: z.string().min(1).optional(),
  CONFLUENCE_API_TOKEN: z.string().min(1).optional(),
  CONFLUENCE_SPACES: csv.default([]),
  NOTION_TOKEN: z.string().min(1).optional(),
  NOTION_API_URL: url.default(DEFAULTS.NOTION_API_URL),
  SRE_RUNBOOK_DIRS: csv.default([]),
  SRE_SLACK_INDEX_CHANNELS: channelIds.default([]),
  SRE_INDEX_CRON: z.string().min(1).optional(),
  // Learning from feedback (agent/learning): priors used by investigations, and when `learn` runs.
  SRE_LEARNING: z.enum(['on', 'off'], 'expected on or off').default(DEFAULTS.SRE_LEARNING),
  SRE_LEARN_CRON: z
    .string()
    .refine((v) => cron.validate(v), 'expected a cron expression, e.g. "41 * * * *"')
    .default(DEFAULTS.SRE_LEARN_CRON),
  // MCP servers whose allowlisted tools join investigations: a JSON file path, or the JSON itself.
  SRE_MCP_SERVERS: z.string().min(1).optional(),
  // Bearer token `sre mcp --http` requires of every request.
  SRE_MCP_TOKEN: z.string().min(16, 'expected a token of at least 16 characters').optional(),
});

export type Env = z.infer<typeof EnvSchema> & {
  /** SRE_DB_PATH was set rather than defaulted: with a scenario it is then the database used. */
  dbPathSet: boolean;
  /** SRE_MCP_SERVERS read and checked (app/mcp-servers-config.ts); unset means no MCP servers. */
  mcpServers?: McpServersSetting;
};

export class ConfigError extends Error {
  constructor(
    readonly variable: string,
    readonly expected: string,
  ) {
    super(`Invalid configuration: ${variable} — ${expected}`);
    this.name = 'ConfigError';
  }
}

/** Variables whose values must never be logged or echoed. */
export const SECRET_VARIABLES = [
  'SLACK_BOT_TOKEN',
  'SLACK_SIGNING_SECRET',
  'SLACK_APP_TOKEN',
  'SRE_WEBHOOK_SECRET',
  'OPENAI_API_KEY',
  'DD_API_KEY',
  'DD_APP_KEY',
  'GITHUB_TOKEN',
  'ROOTLY_API_TOKEN',
  'LAUNCHDARKLY_API_TOKEN',
  'CONFLUENCE_API_TOKEN',
  'NOTION_TOKEN',
  'SRE_MCP_TOKEN',
] as const;

/** The configured values of the secret variables: redacted verbatim wherever they appear (redact.ts). */
export function secretValues(
  env: Partial<Record<(typeof SECRET_VARIABLES)[number], unknown>> & { mcpServers?: { secrets: string[] } },
): string[] {
  const values = SECRET_VARIABLES.map((k) => env[k]).filter(
    (v): v is string => typeof v === 'string' && v !== '',
  );
  return [...values, ...(env.mcpServers?.secrets ?? [])];
}

/** Reads `.env` (when present) into process.env without overriding what is already set. */
export function loadDotEnv(path = '.env'): void {
  if (existsSync(path)) process.loadEnvFile(path);
}

/** Parses the environment; throws ConfigError naming the first bad variable. Empty strings count as unset. */
export function parseEnv(source: NodeJS.ProcessEnv = process.env): Env {
  const cleaned = Object.fromEntries(
    Object.keys(EnvSchema.shape)
      .map((k) => [k, source[k]?.trim()] as const)
      .filter(([, v]) => v !== undefined && v !== ''),
  );
  const result = EnvSchema.safeParse(cleaned);
  if (!result.success) {
    const issue = result.error.issues[0]!;
    throw new ConfigError(String(issue.path[0] ?? 'environment'), issue.message);
  }
  const mcpServers =
    result.data.SRE_MCP_SERVERS === undefined
      ? undefined
      : readMcpServers(result.data.SRE_MCP_SERVERS, source);
  return {
    ...result.data,
    dbPathSet: cleaned.SRE_DB_PATH !== undefined,
    ...(mcpServers ? { mcpServers } : {}),
  };
}

/** SRE_MCP_SERVERS holds the JSON itself (it starts with `{`) or the path of a file holding it. */
function readMcpServers(value: string, vars: NodeJS.ProcessEnv): McpServersSetting {
  const inline = value.startsWith('{');
  if (!inline && !existsSync(value))
    throw new ConfigError(
      'SRE_MCP_SERVERS',
      `no such file "${value}" (give a JSON file path or inline JSON)`,
    );
  try {
    return parseMcpServers(inline ? value : readFileSync(value, 'utf8'), vars);
  } catch (err) {
    throw new ConfigError('SRE_MCP_SERVERS', (err as Error).message);
  }
}

export type Integrations = {
  slack: boolean;
  llm: boolean;
  datadog: boolean;
  github: boolean;
  rootly: boolean;
  launchdarkly: boolean;
  kubernetes: boolean;
  confluence: boolean;
  notion: boolean;
  webhook: boolean;
};

/** Which integrations are usable with this environment (a scenario enables every data source). */
export function integrationsOf(env: Env): Integrations {
  const scenario = env.SRE_SCENARIO !== undefined;
  return {
    slack:
      env.SLACK_BOT_TOKEN !== undefined &&
      (env.SLACK_APP_TOKEN !== undefined || env.SLACK_SIGNING_SECRET !== undefined),
    llm: env.OPENAI_API_KEY !== undefined || env.OPENAI_BASE_URL !== undefined,
    datadog: scenario || (env.DD_API_KEY !== undefined && env.DD_APP_KEY !== undefined),
    github: scenario || env.GITHUB_TOKEN !== undefined,
    rootly: scenario || env.ROOTLY_API_TOKEN !== undefined,
    launchdarkly: scenario || env.LAUNCHDARKLY_API_TOKEN !== undefined,
    // A scenario serves a cluster only when it has a k8s/ folder, which the environment cannot tell.
    kubernetes: env.KUBECONFIG !== undefined || env.KUBERNETES_SERVICE_HOST !== undefined,
    confluence:
      env.CONFLUENCE_BASE_URL !== undefined &&
      env.CONFLUENCE_EMAIL !== undefined &&
      env.CONFLUENCE_API_TOKEN !== undefined,
    notion: env.NOTION_TOKEN !== undefined,
    webhook: env.SRE_WEBHOOK_SECRET !== undefined,
  };
}

/** One line per disabled integration, for the start-up log. */
export function describeDisabled(env: Env): string[] {
  const on = integrationsOf(env);
  const hints: Record<keyof Integrations, string> = {
    slack:
      'Slack disabled: set SLACK_BOT_TOKEN and SLACK_APP_TOKEN (Socket Mode) or SLACK_SIGNING_SECRET (HTTP)',
    llm: 'LLM disabled (offline investigator only): set OPENAI_API_KEY and/or OPENAI_BASE_URL',
    datadog: 'DataDog tools disabled: set DD_API_KEY and DD_APP_KEY',
    github: 'GitHub tools disabled: set GITHUB_TOKEN',
    rootly: 'Rootly tools disabled: set ROOTLY_API_TOKEN',
    launchdarkly: 'Feature flag tools disabled: set LAUNCHDARKLY_API_TOKEN',
    kubernetes:
      'Kubernetes tools disabled: set KUBECONFIG or run in a cluster with a service account (a scenario with a k8s/ folder has them)',
    confluence:
      'Confluence indexing disabled: set CONFLUENCE_BASE_URL, CONFLUENCE_EMAIL and CONFLUENCE_API_TOKEN',
    notion: 'Notion indexing disabled: set NOTION_TOKEN',
    webhook: 'DataDog webhook disabled: set SRE_WEBHOOK_SECRET',
  };
  return (Object.keys(on) as (keyof Integrations)[]).filter((k) => !on[k]).map((k) => hints[k]);
}
