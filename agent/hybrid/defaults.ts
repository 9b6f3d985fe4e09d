/** Every behaviour-changing default of hybrid runs (the evidence model first, refined by a model). */
export const HYBRID_DEFAULTS = {
  /** Tokens the briefing (first answer, suspects, evidence index) may take in the model's opening message. */
  briefingTokens: 3_000,
  /** Suspects of the first answer the model is briefed on. */
  briefedSuspects: 5,
  /** Characters of each evidence summary in the briefing's evidence index. */
  evidenceLineChars: 160,
  /** Tokens one analysis tool result may take. */
  analysisTokens: 800,
  /** Items (suspects, series, patterns, rollouts) one analysis tool result lists at most. */
  analysisItems: 8,
  /** Commits listed per rollout by analysis.rollout_commits. */
  commitsPerRollout: 6,
  /** Characters of an error pattern's text in analysis.log_patterns. */
  patternChars: 160,
} as const;
