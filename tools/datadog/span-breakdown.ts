import { maskMessage } from '../analysis/log-patterns';
import { EVIDENCE_LIMITS, SPAN_DEFAULTS } from '../defaults';
import { type Count, topCounts } from './attributes';

/** One span as the summaries need it: where it ran, what it called, and how it ended. */
export type SpanRow = {
  time: string;
  service: string;
  resource: string;
  durationMs: number;
  error: boolean;
  errorType?: string;
  errorMessage?: string;
  host?: string;
  version?: string;
  /** The component it called: `peer.service`, else `peer.hostname`. */
  peer?: string;
  tags?: string[];
  stack?: string;
};

export type ErrorGroup = {
  service: string;
  resource: string;
  errorType: string;
  message: string;
  count: number;
  baselineCount: number;
  firstSeen: string;
  /** Absent from the window before, or at least SPAN_DEFAULTS.newErrorRatio times as frequent. */
  isNew: boolean;
  /** Tags every span of the group shares (version, host, peer, status code…), bounded. */
  tags: string[];
  versions: Count[];
  hosts: Count[];
  peers: Count[];
  stack?: string;
};

export type SlowResource = {
  service: string;
  resource: string;
  p95Ms: number;
  baselineP95Ms: number;
  count: number;
};

/**
 * Spans sharing one value of a dimension (a resource, a peer, a version, a host), in the window
 * against the window before: how many, how many failed, how many failed with a NEW error, and p95.
 */
export type Breakdown = {
  value: string;
  service: string;
  count: number;
  errors: number;
  newErrors: number;
  baselineCount: number;
  baselineErrors: number;
  p95Ms: number;
  baselineP95Ms: number;
  /** The first and last span of it in the window: a version replaced by a rollout stops. */
  firstSeen?: string;
  lastSeen?: string;
};

export function p95(values: readonly number[]): number {
  if (values.length === 0) return 0;
  const s = [...values].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(s.length * 0.95))]!;
}

const groupKey = (s: SpanRow) =>
  `${s.service}|${s.resource}|${s.errorType ?? 'Error'}|${maskMessage(s.errorMessage ?? '')}`;

/** The tags every row carries, in the first row's order. */
function sharedTags(rows: readonly SpanRow[]): string[] {
  const [first, ...rest] = rows;
  const shared = (first?.tags ?? []).filter((t) => rest.every((r) => r.tags?.includes(t)));
  return shared.slice(0, EVIDENCE_LIMITS.groupTags);
}

/**
 * Pure: error spans grouped by service, resource, type and masked message, the groups that grew
 * most first; `newKeys` names the new groups for breakdownBy's new-error counts.
 */
export function groupErrors(
  window: readonly SpanRow[],
  baseline: readonly SpanRow[],
): { groups: ErrorGroup[]; newKeys: Set<string> } {
  const baseCounts = new Map<string, number>();
  for (const s of baseline) if (s.error) baseCounts.set(groupKey(s), (baseCounts.get(groupKey(s)) ?? 0) + 1);
  const members = new Map<string, SpanRow[]>();
  for (const s of window) {
    if (!s.error) continue;
    const k = groupKey(s);
    members.set(k, [...(members.get(k) ?? []), s]);
  }
  const newKeys = new Set<string>();
  const groups = [...members.entries()].map(([k, rows]): ErrorGroup => {
    const first = rows[0]!;
    const baselineCount = baseCounts.get(k) ?? 0;
    const stack = rows.find((r) => r.stack)?.stack;
    const isNew = rows.length >= baselineCount * SPAN_DEFAULTS.newErrorRatio && rows.length > baselineCount;
    if (isNew) newKeys.add(k);
    return {
      service: first.service,
      resource: first.resource,
      errorType: first.errorType ?? 'Error',
      message: (first.errorMessage ?? '').slice(0, 200),
      count: rows.length,
      baselineCount,
      firstSeen: rows.reduce((t, r) => (r.time < t ? r.time : t), first.time),
      isNew,
      tags: sharedTags(rows),
      versions: topCounts(rows.map((r) => r.version)),
      hosts: topCounts(rows.map((r) => r.host)),
      peers: topCounts(rows.map((r) => r.peer)),
      ...(stack ? { stack } : {}),
    };
  });
  groups.sort((a, b) => b.count - b.baselineCount - (a.count - a.baselineCount));
  return { groups, newKeys };
}

/**
 * Pure: spans split by one dimension (`keyOf` returns the value, or undefined to leave a span
 * out), each value with its error, new-error and p95 counts against the window before. Values
 * with the most new errors come first, then the most errors gained, then the largest p95 growth;
 * every value is returned, callers bound the list.
 */
export function breakdownBy(
  window: readonly SpanRow[],
  baseline: readonly SpanRow[],
  keyOf: (s: SpanRow) => string | undefined,
  newGroups: ReadonlySet<string>,
): Breakdown[] {
  type Acc = { value: string; service: string; now: SpanRow[]; before: SpanRow[] };
  const acc = new Map<string, Acc>();
  const add = (s: SpanRow, side: 'now' | 'before') => {
    const value = keyOf(s);
    if (value === undefined) return;
    const k = `${s.service}|${value}`;
    const a = acc.get(k) ?? { value, service: s.service, now: [], before: [] };
    a[side].push(s);
    acc.set(k, a);
  };
  for (const s of window) add(s, 'now');
  for (const s of baseline) add(s, 'before');
  const rows = [...acc.values()]
    .filter((a) => a.now.length > 0)
    .map(
      (a): Breakdown => ({
        value: a.value,
        service: a.service,
        count: a.now.length,
        errors: a.now.filter((s) => s.error).length,
        newErrors: a.now.filter((s) => s.error && newGroups.has(groupKey(s))).length,
        baselineCount: a.before.length,
        baselineErrors: a.before.filter((s) => s.error).length,
        p95Ms: p95(a.now.map((s) => s.durationMs)),
        baselineP95Ms: p95(a.before.map((s) => s.durationMs)),
        firstSeen: a.now.reduce((m, s) => (s.time < m ? s.time : m), a.now[0]!.time),
        lastSeen: a.now.reduce((m, s) => (s.time > m ? s.time : m), a.now[0]!.time),
      }),
    );
  const growth = (b: Breakdown) => b.p95Ms / Math.max(b.baselineP95Ms, 1);
  rows.sort(
    (a, b) =>
      b.newErrors - a.newErrors ||
      b.errors - b.baselineErrors - (a.errors - a.baselineErrors) ||
      growth(b) - growth(a) ||
      b.count - a.count,
  );
  return rows;
}
