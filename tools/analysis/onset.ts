import { ONSET_DEFAULTS, type OnsetOptions } from './defaults';
import {
  cleanPoints,
  type Departure,
  departures,
  inferNoise,
  type NoiseModel,
  type Point,
  stoppedReporting,
} from './departures';
import { clock, formatNumber, minutes } from './format';

/**
 * When did the problem start? The onset of a series is its first sustained departure from a
 * baseline long enough to trust, checked against the alert's time and the first new error
 * signature when those are known; when the series cannot say, those hints answer instead, and
 * the result says which did and how sure it is.
 */
export type OnsetHints = {
  /** When the alert fired (epoch ms). An onset well after it cannot be its cause. */
  alertAt?: number;
  /** When the first new error signature appeared (epoch ms). */
  firstNewErrorAt?: number;
  /** The end of the queried window: points that stop well before it mean the series stopped reporting. */
  windowEnd?: number;
  /** How the series' noise behaves; inferred from its values when absent. */
  noise?: NoiseModel;
};

export type OnsetMethod = 'change-point' | 'first-departure' | 'first-new-error' | 'alert-time' | 'none';
export type OnsetConfidence = 'high' | 'medium' | 'low' | 'none';

export type OnsetResult = {
  /** Epoch ms; null when nothing can date the problem. */
  onset: number | null;
  /**
   * change-point: a step, the onset is where the level changed; first-departure: a ramp, walked
   * back from its middle to its first departed point; first-new-error / alert-time: the series
   * could not say (not enough baseline, no change, or a change after the alert).
   */
  method: OnsetMethod;
  confidence: OnsetConfidence;
  baseline: {
    /** Whether the series had a baseline of at least minBaselinePoints before its change. */
    enough: boolean;
    points: number;
    level: number;
    scale: number;
    noise: NoiseModel;
  };
  /** The series' change, when it had one the onset was taken from. */
  change?: Departure;
  /** One or two sentences: how the onset was found and what agrees or disagrees with it. */
  detail: string;
};

export function detectOnset(
  points: readonly Point[],
  hints: OnsetHints = {},
  options: Partial<OnsetOptions> = {},
): OnsetResult {
  const o: OnsetOptions = { ...ONSET_DEFAULTS, ...options };
  const clean = cleanPoints(points);
  const noise = hints.noise ?? inferNoise(clean.map((p) => p[1]));
  const noBaseline = { enough: false, points: 0, level: Number.NaN, scale: Number.NaN, noise };
  if (clean.length < o.minBaselinePoints + o.sustainPoints)
    return fallback(
      hints,
      noBaseline,
      `not enough baseline: the series has ${clean.length} point${clean.length === 1 ? '' : 's'}, and an onset needs ${o.minBaselinePoints} of baseline plus ${o.sustainPoints} departed`,
      o,
    );
  const found = departures(clean, noise, o);
  const stopped =
    hints.windowEnd !== undefined ? stoppedReporting(clean, hints.windowEnd, noise, o) : undefined;
  if (stopped) found.push(stopped);
  const trusted = found.filter((d) => d.baseline.points >= o.minBaselinePoints);
  const early =
    found.find((d) => d.baseline.points < o.minBaselinePoints) ??
    (trusted.length === 0 ? earlyDeparture(clean, noise, o) : undefined);
  const episode = choose(trusted, hints, o);
  if (!episode) {
    const why =
      trusted.length > 0 && hints.alertAt !== undefined
        ? describeMisfit(trusted, hints.alertAt, o)
        : early
          ? `not enough baseline: the series departs at ${clock(early.startAt)}, ${early.baseline.points} point${early.baseline.points === 1 ? '' : 's'} after it starts (an onset needs ${o.minBaselinePoints})`
          : 'no sustained change in the series';
    return fallback(hints, noBaseline, why, o);
  }
  const pick = episode.first;
  const baseline = { enough: true, ...pick.baseline, noise };
  const ramp = pick.middleIndex - pick.startIndex > o.rampPoints;
  const method: OnsetMethod = ramp ? 'first-departure' : 'change-point';
  const checks = checkHints(pick.startAt, hints, o);
  let score = 3;
  if (episode.magnitude < o.strongZ) score -= 1;
  if (pick.gapBeforeMs > 0) score -= 1;
  score -= checks.disagreements;
  return {
    onset: pick.startAt,
    method,
    confidence: score >= 3 ? 'high' : score === 2 ? 'medium' : 'low',
    baseline,
    change: pick,
    detail: [describeChange(pick, ramp), ...checks.notes].join('; '),
  };
}

/**
 * A change in the first minBaselinePoints points cannot be measured against a baseline, but it
 * is worth saying that the series changed too early rather than that it did not change: probe
 * with the shortest baseline a run could be compared with. Only the explanation uses it.
 */
function earlyDeparture(clean: Point[], noise: NoiseModel, o: OnsetOptions): Departure | undefined {
  const probe = { ...o, minBaselinePoints: o.sustainPoints };
  return departures(clean, noise, probe).find((d) => d.startIndex < o.minBaselinePoints);
}

/** Departures close together, as one incident: dated by the first, as strong as the strongest. */
type Episode = { first: Departure; startAt: number; endAt: number; magnitude: number };

function episodes(found: readonly Departure[], o: OnsetOptions): Episode[] {
  const out: Episode[] = [];
  for (const d of [...found].sort((a, b) => a.startAt - b.startAt)) {
    const last = out.at(-1);
    if (last && d.startAt - last.endAt <= o.episodeGapMs) {
      last.endAt = Math.max(last.endAt, d.endAt);
      last.magnitude = Math.max(last.magnitude, d.magnitude);
    } else out.push({ first: d, startAt: d.startAt, endAt: d.endAt, magnitude: d.magnitude });
  }
  return out;
}

/**
 * The episode that explains the alert: among those under way when it fired (begun by
 * alertAt + skew, not over long before it), the strongest; with no alert time, the strongest.
 */
function choose(found: readonly Departure[], hints: OnsetHints, o: OnsetOptions): Episode | undefined {
  const { alertAt } = hints;
  const candidates = episodes(found, o).filter(
    (e) =>
      alertAt === undefined || (e.startAt <= alertAt + o.alertSkewMs && e.endAt >= alertAt - o.alertLeadMs),
  );
  return candidates.reduce<Episode | undefined>(
    (best, e) =>
      !best || e.magnitude > best.magnitude || (e.magnitude === best.magnitude && e.startAt > best.startAt)
        ? e
        : best,
    undefined,
  );
}

function describeMisfit(found: Departure[], alertAt: number, o: OnsetOptions): string {
  const after = found.filter((d) => d.startAt > alertAt + o.alertSkewMs);
  if (after.length > 0)
    return `the series changed only after the alert (at ${clock(after[0]!.startAt)}, ${minutes(after[0]!.startAt - alertAt)} min after it), so it cannot date its cause`;
  const last = found.at(-1)!;
  return `the series' last change (${clock(last.startAt)} to ${clock(last.endAt)}) was over ${minutes(alertAt - last.endAt)} min before the alert`;
}

function describeChange(d: Departure, ramp: boolean): string {
  const levels = `${d.direction} ${formatNumber(d.before)} -> ${formatNumber(d.after)} (${d.magnitude.toFixed(1)} sigma over a ${d.baseline.points}-point baseline)`;
  const parts = [
    d.stopped
      ? `stopped reporting at ${clock(d.startAt)} (no points since; level before ${formatNumber(d.before)})`
      : ramp
        ? `first sustained departure at ${clock(d.startAt)}, walked back ${minutes(d.middleAt - d.startAt)} min from the middle of the change at ${clock(d.middleAt)}: ${levels}`
        : `level ${levels} at ${clock(d.startAt)}`,
  ];
  if (d.recovered) parts.push(`back to baseline after ${clock(d.endAt)}`);
  if (d.gapBeforeMs > 0)
    parts.push(`no data for ${minutes(d.gapBeforeMs)} min before it, so it may have begun earlier`);
  return parts.join('; ');
}

/** What the alert time and the first new error say about an onset taken from the series. */
function checkHints(
  onset: number,
  hints: OnsetHints,
  o: OnsetOptions,
): { disagreements: number; notes: string[] } {
  const notes: string[] = [];
  let disagreements = 0;
  if (hints.alertAt !== undefined) {
    const lead = hints.alertAt - onset;
    if (lead > o.alertLeadMs) {
      disagreements += 1;
      notes.push(`${minutes(lead)} min before the alert: a slow burn, or an earlier unrelated change`);
    } else if (lead >= 0) notes.push(`the alert fired ${minutes(lead)} min later`);
    else notes.push(`${minutes(-lead)} min after the alert's time (within clock skew)`);
  }
  if (hints.firstNewErrorAt !== undefined && Number.isFinite(hints.firstNewErrorAt)) {
    const gap = hints.firstNewErrorAt - onset;
    if (Math.abs(gap) <= o.newErrorAgreementMs)
      notes.push(`agrees with the first new error signature at ${clock(hints.firstNewErrorAt)}`);
    else {
      disagreements += 1;
      notes.push(
        `the first new error signature came ${minutes(Math.abs(gap))} min ${gap > 0 ? 'later' : 'earlier'}, at ${clock(hints.firstNewErrorAt)}`,
      );
    }
  }
  return { disagreements, notes };
}

/** When the series cannot date the problem: the first new error signature, else the alert's time. */
function fallback(
  hints: OnsetHints,
  baseline: OnsetResult['baseline'],
  why: string,
  o: OnsetOptions,
): OnsetResult {
  const { alertAt, firstNewErrorAt } = hints;
  const errorFits =
    firstNewErrorAt !== undefined &&
    Number.isFinite(firstNewErrorAt) &&
    (alertAt === undefined ||
      (firstNewErrorAt <= alertAt + o.alertSkewMs && alertAt - firstNewErrorAt <= o.alertLeadMs));
  if (errorFits)
    return {
      onset: firstNewErrorAt,
      method: 'first-new-error',
      confidence: alertAt !== undefined ? 'medium' : 'low',
      baseline,
      detail: `${why}; onset from the first new error signature at ${clock(firstNewErrorAt)}${alertAt !== undefined ? `, ${minutes(alertAt - firstNewErrorAt)} min before the alert` : ''}`,
    };
  if (alertAt !== undefined && Number.isFinite(alertAt)) {
    const ignored =
      firstNewErrorAt !== undefined && Number.isFinite(firstNewErrorAt)
        ? ` (the first new error signature, at ${clock(firstNewErrorAt)}, is too far from it to date it)`
        : '';
    return {
      onset: alertAt,
      method: 'alert-time',
      confidence: 'low',
      baseline,
      detail: `${why}; onset taken from the alert's time, ${clock(alertAt)}${ignored}`,
    };
  }
  return {
    onset: null,
    method: 'none',
    confidence: 'none',
    baseline,
    detail: `${why}; nothing else dates it`,
  };
}
