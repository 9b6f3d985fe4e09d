/** The offline investigator's thresholds and weights, named and in one place (calibration may override weights). */
export const OFFLINE_DEFAULTS = {
  /** Changes are gathered from this long before the onset... */
  lookbackMs: 2 * 3_600_000,
  /** ...to this long after it (deploys finishing, clock skew). */
  lookaheadMs: 15 * 60_000,
  /** A change this far after the onset can still be the cause (clock skew, gradual rollout). */
  skewToleranceMs: 5 * 60_000,
  /** Time proximity decays with this half-life before the onset. */
  proximityHalfLifeMs: 30 * 60_000,
  /** Confidence thresholds on the top suspect's score and its margin over the next. */
  high: { score: 0.7, margin: 0.15 },
  medium: { score: 0.5, margin: 0.08 },
  low: { score: 0.33 },
  /** Request rate must rise this many times at the onset to call it a capacity problem. */
  capacityRatio: 1.8,
  /** Share of new error lines from one host that makes it an infrastructure suspect. */
  hostShare: 0.8,
  maxSuspects: 5,
} as const;

/** Feature weights for change suspects; the learning issue calibrates them from confirmed causes. */
export type Weights = { time: number; service: number; overlap: number };
export const DEFAULT_WEIGHTS: Weights = { time: 0.4, service: 0.25, overlap: 0.35 };
