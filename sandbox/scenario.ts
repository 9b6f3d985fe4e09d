import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import {
  type EventRecord,
  EventSchema,
  type FlagChange,
  FlagChangeSchema,
  type IncidentRecord,
  IncidentSchema,
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
  /** File modification time, ISO. */
  updatedAt: string;
};

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

function readJson(file: string): unknown {
  try {
    return JSON.parse(readFileSync(file, 'utf8'));
  } catch (err) {
    throw new ScenarioError(file, `not valid JSON (${(err as Error).message})`);
  }
}

function validate<T>(file: string, schema: z.ZodType<T>, value: unknown): T {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const issue = result.error.issues[0]!;
  const path = issue.path.length > 0 ? issue.path.map(String).join('.') : '(root)';
  throw new ScenarioError(file, `field ${path}: ${issue.message}`);
}

function optionalFile<T>(dir: string, rel: string, schema: z.ZodType<T>, empty: T): T {
  const file = join(dir, rel);
  if (!existsSync(file)) return empty;
  return validate(file, schema, readJson(file));
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
      .refine(
        (s) => /(Z|[+-]\d\d:?\d\d)$/.test(s) && !Number.isNaN(Date.parse(s)),
        'expected an ISO 8601 time with a zone',
      )
      .optional(),
  })
  .loose();

/** Splits optional YAML front matter from a Markdown page. */
export function parseFrontMatter(text: string): { meta: Record<string, unknown>; body: string } {
  const match = /^---\r?\n([\s\S]*?)\r?\n---\r?\n?/.exec(text);
  if (!match) return { meta: {}, body: text };
  const meta = parseYaml(match[1]!) ?? {};
  return {
    meta: typeof meta === 'object' ? (meta as Record<string, unknown>) : {},
    body: text.slice(match[0].length),
  };
}

/**
 * A page's `updatedAt` comes from the world (its front matter, else the scenario clock), never
 * from the file's modification time: that differs on every checkout and made sync tests
 * depend on the calendar.
 */
function loadDocs(dir: string, now: string): ScenarioDoc[] {
  const root = join(dir, 'docs');
  return listFiles(root, '.md').map((file) => {
    const { meta, body } = parseFrontMatter(readFileSync(file, 'utf8'));
    const fm = validate(file, FrontMatterSchema, meta);
    const heading = /^#\s+(.+)$/m.exec(body)?.[1]?.trim();
    const id = relative(root, file).split('\\').join('/');
    return {
      id,
      title: fm.title ?? heading ?? id,
      url: fm.url,
      source: fm.source ?? 'runbook',
      body,
      updatedAt: fm.updatedAt ?? new Date(Date.parse(now)).toISOString(),
    };
  });
}

function loadRepos(dir: string): Record<string, RepoWorld> {
  const root = join(dir, 'github');
  const repos: Record<string, RepoWorld> = {};
  for (const file of listFiles(root, '.json')) {
    const parts = relative(root, file).split(/[\\/]/);
    if (parts.length !== 2) throw new ScenarioError(file, 'expected github/<owner>/<repo>.json');
    repos[`${parts[0]}/${parts[1]!.replace(/\.json$/, '')}`] = validate(file, RepoSchema, readJson(file));
  }
  return repos;
}

function loadSlack(dir: string): Record<string, SlackRecord[]> {
  const root = join(dir, 'slack');
  const channels: Record<string, SlackRecord[]> = {};
  for (const file of listFiles(root, '.json')) {
    const name = relative(root, file).replace(/\.json$/, '');
    channels[name] = validate(file, z.array(SlackMessageSchema), readJson(file));
  }
  return channels;
}

/** Loads and validates a scenario folder; a malformed file fails with its path and field. */
export function loadScenario(dirInput: string): Scenario {
  const dir = resolve(dirInput);
  const manifestFile = join(dir, 'scenario.json');
  if (!existsSync(manifestFile))
    throw new ScenarioError(manifestFile, 'missing (every scenario needs scenario.json)');
  const manifest = validate(manifestFile, ScenarioManifestSchema, readJson(manifestFile));
  return {
    dir,
    manifest,
    monitors: optionalFile(dir, 'datadog/monitors.json', z.array(MonitorSchema), []),
    metrics: optionalFile(dir, 'datadog/metrics.json', z.array(MetricSeriesSchema), []),
    logs: optionalFile(dir, 'datadog/logs.json', z.array(LogSchema), []),
    spans: optionalFile(dir, 'datadog/spans.json', z.array(SpanSchema), []),
    events: optionalFile(dir, 'datadog/events.json', z.array(EventSchema), []),
    repos: loadRepos(dir),
    incidents: optionalFile(dir, 'rootly/incidents.json', z.array(IncidentSchema), []),
    flags: optionalFile(dir, 'flags.json', z.array(FlagChangeSchema), []),
    docs: loadDocs(dir, manifest.now),
    slack: loadSlack(dir),
    truth: existsSync(join(dir, 'truth.json'))
      ? validate(join(dir, 'truth.json'), TruthSchema, readJson(join(dir, 'truth.json')))
      : undefined,
  };
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
