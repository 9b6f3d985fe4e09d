import type { LearnedPrior } from '../../agent/learning/context';

/** One learned number that a learn run added, changed or dropped. */
export type PriorChange = {
  kind: LearnedPrior['kind'];
  scope: string;
  key: string;
  before: number | null;
  after: number | null;
  reason: string;
};

/** Pure: what changed between two runs' priors (unchanged values are left out). */
export function diffPriors(before: readonly LearnedPrior[], after: readonly LearnedPrior[]): PriorChange[] {
  const id = (p: LearnedPrior) => `${p.kind}\u0000${p.scope}\u0000${p.key}`;
  const old = new Map(before.map((p) => [id(p), p]));
  const now = new Map(after.map((p) => [id(p), p]));
  const out: PriorChange[] = [];
  for (const [k, p] of now) {
    const was = old.get(k);
    if (!was || was.value !== p.value)
      out.push({
        kind: p.kind,
        scope: p.scope,
        key: p.key,
        before: was?.value ?? null,
        after: p.value,
        reason: p.reason,
      });
  }
  for (const [k, p] of old)
    if (!now.has(k))
      out.push({ kind: p.kind, scope: p.scope, key: p.key, before: p.value, after: null, reason: p.reason });
  return out.sort(
    (a, b) => a.scope.localeCompare(b.scope) || a.kind.localeCompare(b.kind) || a.key.localeCompare(b.key),
  );
}

/** Pure: the change list as lines a person reads after `learn`. */
export function describeChanges(changes: readonly PriorChange[]): string[] {
  const fmt = (kind: PriorChange['kind'], v: number | null) =>
    v === null
      ? '—'
      : kind === 'suspect_kind'
        ? `×${v}`
        : kind === 'document'
          ? `${v > 0 ? '+' : ''}${Math.round(v * 100)}%`
          : v.toFixed(2);
  return changes.map(
    (c) =>
      `${c.scope.padEnd(28)} ${c.kind.padEnd(12)} ${c.key.slice(0, 48).padEnd(48)} ${fmt(c.kind, c.before)} → ${fmt(c.kind, c.after)}  (${c.reason})`,
  );
}
