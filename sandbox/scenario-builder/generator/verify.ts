import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseMetricQuery } from '../../query/metric-query';
import { loadScenario, ScenarioError } from '../../scenario';
import { writeScenario } from '../lib';
import { serializeGenerated } from './index';

/**
 * What every generated world must satisfy, as a list of problems (empty when sound): it loads
 * through the scenario schema, it stays under the size limit, every accepted truth ref exists
 * in the world, and the alert's own metric departs from its baseline at the onset.
 */
export const MAX_WORLD_BYTES = 2 * 1024 * 1024;
/** A departure is visible when the post-onset mean is this many baseline deviations away. */
const VISIBLE_SIGMAS = 3;

export const INCONCLUSIVE = 'inconclusive';

type Files = Record<string, unknown>;
type K8sMeta = {
  metadata: {
    namespace?: string;
    annotations?: Record<string, string>;
    ownerReferences?: { kind: string; name: string }[];
  };
};

export function worldBytes(files: Files): number {
  return Object.values(files).reduce<number>((a, v) => a + Buffer.byteLength(serializeGenerated(v)), 0);
}

export function verifyWorld(id: string, files: Files): string[] {
  const problems: string[] = [];
  const bytes = worldBytes(files);
  if (bytes > MAX_WORLD_BYTES) problems.push(`world is ${bytes} bytes, above ${MAX_WORLD_BYTES}`);
  const dir = mkdtempSync(join(tmpdir(), 'gen-verify-'));
  try {
    writeScenarioCompact(dir, id, files);
    loadScenario(join(dir, id));
  } catch (err) {
    problems.push(err instanceof ScenarioError || err instanceof Error ? err.message : String(err));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  const truth = files['truth.json'] as
    | { kind: string; accept: string[]; runbook?: string; similarIncident?: string }
    | undefined;
  if (!truth) return [...problems, 'no truth.json'];
  for (const ref of truth.accept)
    if (!refExists(ref, truth.kind, files)) problems.push(`truth ref "${ref}" is not in the world`);
  if (truth.runbook && !(`docs/${truth.runbook}` in files))
    problems.push(`truth runbook ${truth.runbook} is not in docs/`);
  if (
    truth.similarIncident &&
    !(files['rootly/incidents.json'] as { id: string }[]).some((i) => i.id === truth.similarIncident)
  )
    problems.push(`truth similar incident ${truth.similarIncident} is not in rootly/incidents.json`);
  const onset = onsetVisible(files);
  if (onset) problems.push(onset);
  return problems;
}

export function writeScenarioCompact(root: string, id: string, files: Files): void {
  writeScenario(
    root,
    id,
    Object.fromEntries(Object.entries(files).map(([k, v]) => [k, serializeGenerated(v)])),
  );
}

function refExists(ref: string, kind: string, files: Files): boolean {
  if (kind === INCONCLUSIVE) return ref === INCONCLUSIVE;
  const repos = Object.entries(files).filter(([k]) => k.startsWith('github/')) as [
    string,
    { commits: { sha: string }[]; pulls: { number: number }[]; deployments: { id: number | string }[] },
  ][];
  const pr = /^([^/\s]+\/[^#\s]+)#(\d+)$/.exec(ref);
  if (pr)
    return repos.some(
      ([k, r]) => k === `github/${pr[1]}.json` && r.pulls.some((p) => p.number === Number(pr[2])),
    );
  if (/^[0-9a-f]{40}$/.test(ref)) return repos.some(([, r]) => r.commits.some((c) => c.sha === ref));
  if (/^\d+$/.test(ref))
    return (
      repos.some(([, r]) => r.deployments.some((x) => String(x.id) === ref)) ||
      (files['datadog/events.json'] as { tags: string[] }[]).some((e) =>
        e.tags.includes(`deployment_id:${ref}`),
      )
    );
  // A workload revision (`ns/Deployment/name@3`): a ReplicaSet of that Deployment at that revision.
  const revision = /^([^/\s]+)\/Deployment\/([^@\s]+)@(\d+)$/.exec(ref);
  if (revision)
    return ((files['k8s/replicasets.json'] ?? []) as K8sMeta[]).some(
      ({ metadata: m }) =>
        m.namespace === revision[1] &&
        m.annotations?.['deployment.kubernetes.io/revision'] === revision[3] &&
        (m.ownerReferences ?? []).some((o) => o.kind === 'Deployment' && o.name === revision[2]),
    );
  // A component (flag key, host, zone, pool, queue, dependency, config target) must be named by the evidence.
  const needle = ref.toLowerCase();
  const haystacks = [
    'flags.json',
    'datadog/events.json',
    'datadog/metrics.json',
    'datadog/logs.json',
    'datadog/spans.json',
    'scenario.json',
  ];
  return haystacks.some(
    (h) => files[h] !== undefined && serializeGenerated(files[h]).toLowerCase().includes(needle),
  );
}

type Series = { metric: string; tags: string[]; points: [string, number][] };

/** The alert's own metric (the numerator of a ratio) summed over matching series, by minute. */
export function alertSeries(files: Files): { minute: string; value: number }[] {
  const monitors = files['datadog/monitors.json'] as { query: string; overall_state: string }[];
  const scenario = files['scenario.json'] as { now: string };
  const query = alertQuery(files) ?? monitors[0]?.query;
  if (!query) return [];
  const q = parseMetricQuery(query);
  const byMinute = new Map<string, number>();
  for (const s of files['datadog/metrics.json'] as Series[]) {
    if (s.metric !== q.metric || !q.filters.every((f) => s.tags.includes(f))) continue;
    for (const [t, v] of s.points) if (t <= scenario.now) byMinute.set(t, (byMinute.get(t) ?? 0) + v);
  }
  return [...byMinute.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([minute, value]) => ({ minute, value }));
}

function alertQuery(files: Files): string | undefined {
  const alert = JSON.stringify((files['scenario.json'] as { alert: unknown }).alert);
  const ids = /monitors\/(\d+)/.exec(alert)?.[1] ?? /"alert_id":"(\d+)"/.exec(alert)?.[1];
  const monitors = files['datadog/monitors.json'] as { id: number; query: string }[];
  return monitors.find((m) => String(m.id) === ids)?.query;
}

function onsetVisible(files: Files): string | undefined {
  const onset = (files['truth.json'] as { onset?: string }).onset;
  const series = alertSeries(files);
  if (!onset) return 'truth has no onset';
  const before = series
    .filter((p) => p.minute < onset)
    .slice(0, -10)
    .map((p) => p.value);
  const after = series
    .filter((p) => p.minute >= onset)
    .slice(1, 8)
    .map((p) => p.value);
  if (before.length < 30 || after.length < 3) return `too few points around the onset ${onset}`;
  const mean = before.reduce((a, b) => a + b, 0) / before.length;
  const sd = Math.sqrt(before.reduce((a, b) => a + (b - mean) ** 2, 0) / before.length) || 1;
  const post = after.reduce((a, b) => a + b, 0) / after.length;
  return Math.abs(post - mean) / sd >= VISIBLE_SIGMAS
    ? undefined
    : `alert metric does not depart at the onset ${onset}: baseline ${mean.toFixed(2)}±${sd.toFixed(2)}, after ${post.toFixed(2)}`;
}
