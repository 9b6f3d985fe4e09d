/** Every behaviour-changing default of the investigator, in one place. */
export const AGENT_DEFAULTS = {
  maxSteps: 12,
  deadlineMs: 120_000,
  maxTokens: 200_000,
  maxCostUsd: 1,
  /** The same call (tool + normalized input) this many times means the run is looping. */
  repeatLimit: 2,
  /** Evidence summaries shown per item (characters). */
  evidenceSummaryChars: 240,
  /** How much of an observation's structured data is scanned for prompt injection (characters). */
  injectionScanChars: 20_000,
} as const;

export type Limits = { maxSteps: number; deadlineMs: number; maxTokens: number; maxCostUsd: number };

export function defaultLimits(): Limits {
  return {
    maxSteps: AGENT_DEFAULTS.maxSteps,
    deadlineMs: AGENT_DEFAULTS.deadlineMs,
    maxTokens: AGENT_DEFAULTS.maxTokens,
    maxCostUsd: AGENT_DEFAULTS.maxCostUsd,
  };
}
