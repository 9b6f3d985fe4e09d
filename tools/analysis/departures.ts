import type { OnsetOptions } from './defaults';
import { madSigma, mean, median, spreadSigma } from './stats';

/**
 * Finds the sustained departures of a series from its own recent baseline, each walked back to
 * its first departed point. Pure; works on points in time order (missing points are simply not
 * there, so a gap never counts as a value).
 */
export type Point = [timeMs: number, value: number];

/** How a series' noise behaves: counts are Poisson-like, ratios live in [0, 1], gauges are anything else. */
export type NoiseModel = 'count' | 'ratio' | 'gauge';

export type Baseline = { level: number; scale: number; points: number };

export type Departure = {
  /** The first departed point: the onset. */
  startAt: number;
  /** The first point past half way to the new level: the middle of a ramp, or the step itself. */
  middleAt: number;
  /** The last departed point. */
  endAt: number;
  /** The series came back to its baseline before its last point. */
  recovered: boolean;
  /** The series stopped reporting (no points for a while before the window's end). */
  stopped: boolean;
  direction: 'up' | 'down';
  before: number;
  after: number;
  /** Robust z-score of the sustained peak: the strongest run of sustainPoints consecutive points. */
  magnitude: number;
  baseline: Baseline;
  /** Points of the start and the middle: how far the onset was walked back through a ramp. */
  startIndex: number;
  middleIndex: number;
  /** No data for longer than gapSteps typical steps just before the onset. */
  gapBeforeMs: number;
};

/** Drops non-finite values and repeated timestamps (the last wins) and sorts by time. */
export function cleanPoints(points: readonly Point[]): Point[] {
  const byTime = new Map<number, number>();
  for (const p of points)
    if (Array.isArray(p) && Number.isFinite(p[0]) && Number.isFinite(p[1])) byTime.set(p[0], p[1]);
  return [...byTime.entries()].sort((a, b) => a[0] - b[0]);
}

export function inferNoise(values: readonly number[]): NoiseModel {
  if (values.length > 0 && values.every((v) => v >= 0 && Number.isInteger(v))) return 'count';
  if (values.length > 0 && values.every((v) => v >= 0 && v <= 1)) return 'ratio';
  return 'gauge';
}

/**
 * The baseline's level and its robust scale, floored by what the noise model says is the least
 * noise such data can have: sqrt(mean) for counts (Poisson), a tenth of a point for ratios, 1%
 * of the level for gauges. The MAD alone is 0 for flat or mostly-zero series.
 */
export function baselineOf(values: readonly number[], noise: NoiseModel, o: OnsetOptions): Baseline {
  const level = median(values);
  const floors = [madSigma(values), spreadSigma(values), 1e-9];
  if (noise === 'count') floors.push(Math.sqrt(Math.max(mean(values), 1)));
  else if (noise === 'ratio') floors.push(o.ratioFloor);
  else floors.push(Math.abs(level) * o.gaugeRelativeFloor);
  return { level, scale: Math.max(...floors), points: values.length };
}

export function typicalStep(points: readonly Point[]): number {
  const steps: number[] = [];
  for (let i = 1; i < points.length; i++) steps.push(points[i]![0] - points[i - 1]![0]);
  return steps.length ? median(steps) : 0;
}

export function departures(points: readonly Point[], noise: NoiseModel, o: OnsetOptions): Departure[] {
  const values = points.map((p) => p[1]);
  const n = values.length;
  const inEvent = new Array<boolean>(n).fill(false);
  const step = typicalStep(points);
  // The baseline before index i: up to maxBaselinePoints points, skipping earlier events.
  const baselineBefore = (i: number) => {
    const out: number[] = [];
    for (let k = i - 1; k >= 0 && out.length < o.maxBaselinePoints; k--)
      if (!inEvent[k]) out.push(values[k]!);
    return out;
  };
  const found: Departure[] = [];
  for (let i = o.minBaselinePoints; i <= n - o.sustainPoints; i++) {
    if (inEvent[i]) continue;
    const prior = baselineBefore(i);
    if (prior.length < o.minBaselinePoints) continue;
    let base = baselineOf(prior, noise, o);
    const z = (k: number, b: Baseline) => (values[k]! - b.level) / b.scale;
    const dir = Math.sign(z(i, base));
    const run = sustainedRun(values, i, base, dir, noise, o);
    if (!run || !largeEnough(base, median(run), o)) continue;
    // Walk back to the first departed point; the baseline before a ramp is re-measured without
    // the ramp's early points, which can move the start further back (a few rounds suffice).
    let start = i;
    for (let round = 0; round < 3; round++) {
      let s = start;
      while (s > 0 && !inEvent[s - 1] && dir * z(s - 1, base) >= o.walkBackZ) s -= 1;
      if (s === start) break;
      start = s;
      const cleaner = baselineBefore(start);
      if (cleaner.length < 2) break;
      base = baselineOf(cleaner, noise, o);
    }
    let end = i + o.sustainPoints - 1;
    let calm = 0;
    for (let k = end + 1; k < n; k++) {
      if (dir * z(k, base) >= o.walkBackZ) {
        end = k;
        calm = 0;
      } else if (++calm > o.calmPointsToEnd) break;
    }
    let magnitude = 0;
    let peakLevel = values[i]!;
    for (let k = start; k + o.sustainPoints - 1 <= end; k++) {
      const window = values.slice(k, k + o.sustainPoints);
      const weakest = Math.min(...window.map((_, j) => dir * z(k + j, base)));
      if (weakest > magnitude) {
        magnitude = weakest;
        peakLevel = median(window);
      }
    }
    const half = (base.level + peakLevel) / 2;
    let middle = start;
    while (middle < end && dir * (values[middle]! - half) < 0) middle += 1;
    for (let k = start; k <= end; k++) inEvent[k] = true;
    found.push({
      startAt: points[start]![0],
      middleAt: points[middle]![0],
      endAt: points[end]![0],
      recovered: n - 1 - end > o.calmPointsToEnd,
      stopped: false,
      direction: dir > 0 ? 'up' : 'down',
      before: base.level,
      after: median(values.slice(middle, end + 1)),
      magnitude,
      baseline: { ...base, points: baselineBefore(start).length },
      startIndex: start,
      middleIndex: middle,
      gapBeforeMs: start > 0 && step > 0 ? gapMs(points, start, step, o) : 0,
    });
    i = end;
  }
  return found;
}

/**
 * The run starting at i if it is a sustained departure in direction dir: sustainPoints points
 * each at least walkBackZ out averaging departureZ, or (counts only) longRunPoints points whose
 * mean is as unlikely by chance. A short run later inside the long one takes precedence, so a
 * long run never starts on baseline points that merely lean the same way.
 */
function sustainedRun(
  values: readonly number[],
  i: number,
  base: Baseline,
  dir: number,
  noise: NoiseModel,
  o: OnsetOptions,
): number[] | undefined {
  if (dir === 0) return undefined;
  const zs = (from: number, k: number) =>
    values.slice(from, from + k).map((v) => (dir * (v - base.level)) / base.scale);
  const meanOf = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
  const shortAt = (j: number) => {
    const run = zs(j, o.sustainPoints);
    return (
      run.length === o.sustainPoints && run.every((v) => v >= o.walkBackZ) && meanOf(run) >= o.departureZ
    );
  };
  if (shortAt(i)) return values.slice(i, i + o.sustainPoints);
  const long = zs(i, o.longRunPoints);
  if (noise !== 'count' || base.level < o.longRunMinLevel) return undefined;
  if (long.length < o.longRunPoints || long[0]! < o.walkBackZ) return undefined;
  if (meanOf(long) < o.departureZ * Math.sqrt(o.sustainPoints / o.longRunPoints)) return undefined;
  for (let j = i + 1; j <= i + o.longRunPoints - o.sustainPoints; j++) if (shortAt(j)) return undefined;
  return values.slice(i, i + o.longRunPoints);
}

/** How long the data was missing just before index i, when that is more than gapSteps steps. */
function gapMs(points: readonly Point[], i: number, step: number, o: OnsetOptions): number {
  const gap = points[i]![0] - points[i - 1]![0];
  return gap > step * o.gapSteps ? gap - step : 0;
}

function largeEnough(base: Baseline, level: number, o: OnsetOptions): boolean {
  return Math.abs(level - base.level) / Math.max(Math.abs(base.level), base.scale) >= o.minRelativeChange;
}

/**
 * A series that stops reporting well before the window's end departed too: a count that
 * vanishes has dropped to nothing (DataDog returns no points, not zeros, for silence).
 */
export function stoppedReporting(
  points: readonly Point[],
  windowEnd: number,
  noise: NoiseModel,
  o: OnsetOptions,
): Departure | undefined {
  const step = typicalStep(points);
  const last = points.at(-1);
  if (!last || step <= 0 || points.length < o.minBaselinePoints) return undefined;
  if (windowEnd - last[0] <= step * o.stoppedSteps) return undefined;
  const base = baselineOf(
    points.slice(-o.maxBaselinePoints).map((p) => p[1]),
    noise,
    o,
  );
  // A count that was already near zero going quiet says nothing.
  if (noise === 'count' && base.level / base.scale < o.departureZ) return undefined;
  const silentAt = last[0] + step;
  return {
    startAt: silentAt,
    middleAt: silentAt,
    endAt: windowEnd,
    recovered: false,
    stopped: true,
    direction: 'down',
    before: base.level,
    after: noise === 'count' ? 0 : Number.NaN,
    magnitude: noise === 'count' ? base.level / base.scale : o.strongZ,
    baseline: base,
    startIndex: points.length,
    middleIndex: points.length,
    gapBeforeMs: 0,
  };
}
