import { AGENT_DEFAULTS } from './defaults';
import type { StepRecord } from './state';

/** A call's identity for loop detection: tool + input with keys sorted and strings normalized. */
export function callSignature(tool: string, input: unknown): string {
  const norm = (v: unknown): unknown => {
    if (typeof v === 'string') return v.trim().toLowerCase().replace(/\s+/g, ' ');
    if (Array.isArray(v)) return v.map(norm);
    if (v && typeof v === 'object') {
      return Object.fromEntries(
        Object.keys(v as object)
          .sort()
          .map((k) => [k, norm((v as Record<string, unknown>)[k])]),
      );
    }
    return v;
  };
  return `${tool}:${JSON.stringify(norm(input))}`;
}

/**
 * Detects a run going in circles: the same (or near-same) call made more than `repeatLimit`
 * times, or the last four steps alternating between two call sets (A/B/A/B). Incremental: it
 * remembers what it has counted, so each check only looks at new steps.
 */
export function createLoopDetector(
  repeatLimit = AGENT_DEFAULTS.repeatLimit,
): (steps: readonly StepRecord[]) => boolean {
  const counts = new Map<string, number>();
  const sets: string[] = [];
  let seen = 0;
  let looped = false;
  return (steps) => {
    for (; seen < steps.length; seen++) {
      const sigs = steps[seen]!.outcomes.map((o) => callSignature(o.call.tool, o.call.input));
      for (const sig of sigs) {
        const n = (counts.get(sig) ?? 0) + 1;
        if (n > repeatLimit) looped = true;
        counts.set(sig, n);
      }
      sets.push([...sigs].sort().join('|'));
    }
    const n = sets.length;
    const alternating =
      n >= 4 &&
      sets[n - 1] !== '' &&
      sets[n - 1] === sets[n - 3] &&
      sets[n - 2] === sets[n - 4] &&
      sets[n - 1] !== sets[n - 2];
    return looped || alternating;
  };
}
