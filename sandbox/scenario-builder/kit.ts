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

/** Compact helpers for the smaller bundled scenarios: the window, repos, runbooks. */
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
  files: [string, number, number][];
  pr?: { number: number; title: string; body: string; labels?: string[] };
  deploy?: { id: number; minutes: number; status?: 'success' | 'failure' };
};

/** One repo's commits, PRs and deployments from short change specs (minutes relative to now). */
export function repo(now: string, changes: ChangeSpec[]) {
  return {
    commits: changes.map((c) => ({
      sha: c.sha,
      message: c.message,
      author: c.author,
      date: at(now, c.minutes),
      files: c.files.map(([filename, additions, deletions]) => ({ filename, additions, deletions })),
    })),
    pulls: changes
      .filter((c) => c.pr)
      .map((c) => ({
        number: c.pr!.number,
        title: c.pr!.title,
        body: c.pr!.body,
        user: c.author,
        mergedAt: at(now, c.minutes + 2),
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
        creator: c.author,
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
