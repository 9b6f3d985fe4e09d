import type { z } from 'zod';
import type {
  EventSchema,
  FlagChangeSchema,
  IncidentSchema,
  LogSchema,
  MetricSeriesSchema,
  MonitorSchema,
  RepoSchema,
  ScenarioManifestSchema,
  SlackMessageSchema,
  SpanSchema,
  TruthSchema,
} from '../scenario-schema';
import {
  everydayNoise,
  type LogTemplate,
  logs,
  type ServiceShape,
  type SpanTemplate,
  serviceMetrics,
  spans,
} from './background';
import { at, hex, type Rng } from './lib';

/**
 * A bundled world as its builder writes it: each file typed by the scenario schema's input
 * (what the loader reads back), so a builder that drifts from the format fails to compile.
 */
export type BundledWorld = {
  id: string;
  files: {
    'scenario.json': z.input<typeof ScenarioManifestSchema>;
    'datadog/monitors.json'?: z.input<typeof MonitorSchema>[];
    'datadog/metrics.json'?: z.input<typeof MetricSeriesSchema>[];
    'datadog/logs.json'?: z.input<typeof LogSchema>[];
    'datadog/spans.json'?: z.input<typeof SpanSchema>[];
    'datadog/events.json'?: z.input<typeof EventSchema>[];
    'rootly/incidents.json'?: z.input<typeof IncidentSchema>[];
    'flags.json'?: z.input<typeof FlagChangeSchema>[];
    'truth.json'?: z.input<typeof TruthSchema>;
  } & { [repo: `github/${string}/${string}.json`]: z.input<typeof RepoSchema> } & {
    [page: `docs/${string}.md`]: string;
  } & { [channel: `slack/${string}.json`]: z.input<typeof SlackMessageSchema>[] };
};

/** Compact helpers for the bundled scenarios: the window, repos, runbooks. */
export const WINDOW_MINUTES = 360;

export function telemetry(
  r: Rng,
  now: string,
  services: ServiceShape[],
  extraLogs: LogTemplate[],
  spanTemplates: SpanTemplate[],
) {
  const start = at(now, -WINDOW_MINUTES);
  return {
    'datadog/metrics.json': services.flatMap((s) => serviceMetrics(r, s, start, WINDOW_MINUTES)),
    'datadog/logs.json': logs(
      r,
      [...services.flatMap((s) => everydayNoise(s.name)), ...extraLogs],
      start,
      WINDOW_MINUTES,
    ),
    'datadog/spans.json': spans(r, spanTemplates, start, WINDOW_MINUTES),
  };
}

export function sha(r: Rng, prefix: string): string {
  return `${prefix}${hex(r, 40 - prefix.length)}`;
}

type ChangeSpec = {
  sha: string;
  message: string;
  author: string;
  minutes: number;
  /** filename, additions, deletions and, when the diff matters to the story, its patch. */
  files: [string, number, number, string?][];
  /** Merged `mergedMinutes` after the commit (2 unless given). */
  pr?: { number: number; title: string; body: string; labels?: string[]; mergedMinutes?: number };
  /** Rolled out by `creator` (the author unless given: a deploy bot ships a dependabot bump). */
  deploy?: { id: number; minutes: number; status?: 'success' | 'failure'; creator?: string };
};

/** One repo's commits, PRs and deployments from short change specs (minutes relative to now). */
export function repo(now: string, changes: ChangeSpec[]) {
  return {
    commits: changes.map((c) => ({
      sha: c.sha,
      message: c.message,
      author: c.author,
      date: at(now, c.minutes),
      files: c.files.map(([filename, additions, deletions, patch]) =>
        patch === undefined ? { filename, additions, deletions } : { filename, additions, deletions, patch },
      ),
    })),
    pulls: changes
      .filter((c) => c.pr)
      .map((c) => ({
        number: c.pr!.number,
        title: c.pr!.title,
        body: c.pr!.body,
        user: c.author,
        mergedAt: at(now, c.minutes + (c.pr!.mergedMinutes ?? 2)),
        mergeCommitSha: c.sha,
        labels: c.pr!.labels ?? [],
      })),
    deployments: changes
      .filter((c) => c.deploy)
      .map((c) => ({
        id: c.deploy!.id,
        sha: c.sha,
        environment: 'production',
        createdAt: at(now, c.deploy!.minutes),
        status: c.deploy!.status ?? 'success',
        creator: c.deploy!.creator ?? c.author,
      })),
  };
}

export function doc(
  title: string,
  url: string,
  source: 'runbook' | 'confluence' | 'notion',
  body: string,
): string {
  return `---\ntitle: ${title}\nurl: ${url}\nsource: ${source}\n---\n# ${title}\n\n${body.trim()}\n`;
}

export function monitor(
  id: number,
  name: string,
  query: string,
  service: string,
  state = 'Alert',
  priority = 2,
) {
  return {
    id,
    name,
    type: 'query alert',
    query,
    message: `${name}. Notify @slack-incidents`,
    tags: [`service:${service}`, 'env:prod'],
    overall_state: state,
    priority,
    options: { thresholds: { critical: 1 } },
  };
}
