/**
 * Learning bounds in one place. Every learned effect is a bounded nudge on top of the
 * deterministic defaults, so one bad week of feedback cannot take the investigator over.
 */
export const LEARNING_DEFAULTS = {
  /** Feedback weights for an investigation's net rating. */
  weights: { helpful: 1, notHelpful: -1, confirmed: 2, wrong: -2 },
  /** Laplace-style smoothing: a prior needs this much support to move halfway to its bound. */
  smoothing: 2,
  /** Suspect-kind multipliers stay within 1 ± this. */
  kindMultiplierBound: 0.25,
  /** Calibrated scoring weights stay within this fraction of their defaults. */
  weightBound: 0.3,
  /** Document boosts (multiplying the retrieval score) stay within ± this. */
  documentBoostBound: 0.3,
  /** A tool prior below this, with at least `minSupport` observations, caps the tool to one call per turn. */
  lowToolPrior: 0.25,
  minSupport: 3,
  /** A resolved incident links to an investigation of the same service started within this window. */
  linkWindowMs: 2 * 3_600_000,
  /** Worked examples: how many, how similar (cosine distance), how long each, all together. */
  examples: { max: 2, maxDistance: 0.6, maxChars: 700, totalChars: 1_400, minRating: 1 },
  /** How far back `learn` reads investigations and Rootly incidents. */
  lookbackDays: 180,
  /** Learning runs kept for `learn --rollback`; older ones are deleted with their priors and examples. */
  keepRuns: 10,
} as const;
