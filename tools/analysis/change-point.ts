import { ONSET_DEFAULTS, type OnsetOptions } from './defaults';
import { baselineOf, cleanPoints, inferNoise, type Point } from './departures';
import { detectOnset } from './onset';

export type { Point } from './departures';
export { median } from './stats';

/**
 * The one change a series shows, for a summary line: its sustained departure (an onset, see
 * onset.ts) or, failing that, a lone spike. Indexes count the series' finite points in time order.
 */
export type ChangePoint = {
  kind: 'shift' | 'spike';
  index: number;
  time: number;
  before: number;
  after: number;
  direction: 'up' | 'down';
  /** |after - before| in robust standard deviations of the baseline (noise-floored, see departures.ts). */
  magnitude: number;
};

export function detectChangePoint(
  points: readonly Point[],
  options: Partial<OnsetOptions> = {},
): ChangePoint | null {
  const found = detectOnset(points, {}, options).change;
  if (found && !found.stopped)
    return {
      kind: 'shift',
      index: found.startIndex,
      time: found.startAt,
      before: found.before,
      after: found.after,
      direction: found.direction,
      magnitude: found.magnitude,
    };
  return detectSpike(points, { ...ONSET_DEFAULTS, ...options });
}

/** The largest single-point excursion from the whole series' level, if it is far beyond its noise. */
function detectSpike(points: readonly Point[], o: OnsetOptions): ChangePoint | null {
  const clean = cleanPoints(points);
  if (clean.length < o.minBaselinePoints) return null;
  const values = clean.map((p) => p[1]);
  const base = baselineOf(values, inferNoise(values), o);
  let idx = 0;
  values.forEach((v, i) => {
    if (Math.abs(v - base.level) > Math.abs(values[idx]! - base.level)) idx = i;
  });
  const peak = values[idx]!;
  const magnitude = Math.abs(peak - base.level) / base.scale;
  const relative = Math.abs(peak - base.level) / Math.max(Math.abs(base.level), base.scale);
  if (magnitude < o.spikeZ || relative < o.minRelativeChange) return null;
  return {
    kind: 'spike',
    index: idx,
    time: clean[idx]![0],
    before: base.level,
    after: peak,
    direction: peak > base.level ? 'up' : 'down',
    magnitude,
  };
}
