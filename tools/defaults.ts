/** Every behaviour-changing default of the tool layer, in one place. */
export const TOOL_DEFAULTS = {
  /** Token budget for an observation's summary (counted with gpt-tokenizer). */
  summaryTokenBudget: 1_500,
  /** Per-call timeout for one tool run, including the client's own retries. */
  callTimeoutMs: 10_000,
  /** Client retries on 429/5xx before giving up. */
  maxRetries: 3,
  /** Longest wait we accept from Retry-After / x-ratelimit-reset before giving up instead. */
  maxRetryWaitMs: 5_000,
} as const;

/** Base delay for retry backoff on 5xx where the server gives no Retry-After (ms). */
export const RETRY_BASE_MS = 400;
