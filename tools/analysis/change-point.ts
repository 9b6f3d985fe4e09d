/**
 * Finds where a series changed: a sustained level shift (the onset of an incident) or, failing
 * that, a lone spike. Robust statistics (median / MAD) so noise and pre-existing blips do not win.
 */
export type Point = [timeMs: number, value: number];

export type ChangePoint = {
  kind: 'shift' | 'spike';
  index: number;
  time: number;
  before: number;
  after: number;
  direction: 'up' | 'down';
  /** |after - before| in robust standard deviations of the baseline. */
  magnitude: number;
};

export const CHANGE_POINT_DEFAULTS = {
  /** A shift must persist this many points to count (one bad minute is a spike, not an onset). */
  minSegment: 3,
  /** Robust z-score a shift or spike must reach. */
  minMagnitude: 4,
  /** Relative change required too, so tiny absolute wiggles on flat series are ignored. */
  minRelativeChange: 0.2,
} as const;

export function median(values: readonly number[]): number {
  if (values.length === 0) return Number.NaN;
  const s = [...values].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

/** Median absolute deviation scaled to a standard deviation; floored so flat series stay finite. */
export function robustSigma(values: readonly number[]): number {
  const m = median(values);
  const mad = median(values.map((v) => Math.abs(v - m))) * 1.4826;
  return Math.max(mad, Math.abs(m) * 0.02, 1e-9);
}

export function detectChangePoint(
  points: readonly Point[],
  options = CHANGE_POINT_DEFAULTS,
): ChangePoint | null {
  const values = points.map((p) => p[1]).filter((v) => Number.isFinite(v));
  if (values.length < options.minSegment * 2) return spikeOnly(points, options);
  let best: ChangePoint | null = null;
  let bestScore = 0;
  for (let i = options.minSegment; i <= points.length - options.minSegment; i++) {
    const left = points.slice(0, i).map((p) => p[1]);
    const right = points.slice(i).map((p) => p[1]);
    const before = median(left);
    const after = median(right);
    const sigma = robustSigma(left);
    const magnitude = Math.abs(after - before) / sigma;
    const relative = Math.abs(after - before) / Math.max(Math.abs(before), 1e-9);
    // Prefer the split that explains the most: magnitude weighted by how balanced the evidence is.
    const score = magnitude * Math.sqrt(Math.min(left.length, right.length));
    if (magnitude >= options.minMagnitude && relative >= options.minRelativeChange && score > bestScore) {
      bestScore = score;
      best = {
        kind: 'shift',
        index: i,
        time: points[i]![0],
        before,
        after,
        direction: after > before ? 'up' : 'down',
        magnitude,
      };
    }
  }
  if (!best) return spikeOnly(points, options);
  return refineOnset(points, best);
}

/** Walks back from the best split to the first point that already sits at the new level. */
function refineOnset(points: readonly Point[], cp: ChangePoint): ChangePoint {
  const threshold = (cp.before + cp.after) / 2;
  const crossed = (v: number) => (cp.direction === 'up' ? v >= threshold : v <= threshold);
  let i = cp.index;
  while (i > 1 && crossed(points[i - 1]![1]) && crossed(points[i - 2]![1])) i -= 1;
  while (i < points.length - 1 && !crossed(points[i]![1])) i += 1;
  return { ...cp, index: i, time: points[i]![0] };
}

function spikeOnly(points: readonly Point[], options: typeof CHANGE_POINT_DEFAULTS): ChangePoint | null {
  if (points.length < 3) return null;
  const values = points.map((p) => p[1]);
  const base = median(values);
  const sigma = robustSigma(values);
  let idx = -1;
  let mag = 0;
  values.forEach((v, i) => {
    const m = Math.abs(v - base) / sigma;
    if (m > mag) {
      mag = m;
      idx = i;
    }
  });
  const relative = Math.abs(values[idx]! - base) / Math.max(Math.abs(base), 1e-9);
  if (idx < 0 || mag < options.minMagnitude * 2 || relative < options.minRelativeChange) return null;
  return {
    kind: 'spike',
    index: idx,
    time: points[idx]![0],
    before: base,
    after: values[idx]!,
    direction: values[idx]! > base ? 'up' : 'down',
    magnitude: mag,
  };
}
