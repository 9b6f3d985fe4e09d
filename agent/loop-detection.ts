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
 * True when the run is going in circles: the same (or near-same) call made more than
 * `repeatLimit` times, or the last four steps alternate between two identical call sets (A/B/A/B).
 */
export function detectLoop(steps: readonly StepRecord[], repeatLimit = AGENT_DEFAULTS.repeatLimit): boolean {
  const counts = new Map<string, number>();
  for (const s of steps) {
    for (const o of s.outcomes) {
      const sig = callSignature(o.call.tool, o.call.input);
      const n = (counts.get(sig) ?? 0) + 1;
      if (n > repeatLimit) return true;
      counts.set(sig, n);
    }
  }
  const sets = steps.map((s) =>
    s.outcomes
      .map((o) => callSignature(o.call.tool, o.call.input))
      .sort()
      .join('|'),
  );
  const n = sets.length;
  return (
    n >= 4 &&
    sets[n - 1] !== '' &&
    sets[n - 1] === sets[n - 3] &&
    sets[n - 2] === sets[n - 4] &&
    sets[n - 1] !== sets[n - 2]
  );
}
