import OpenAI from 'openai';

/** An OpenAI-compatible client (OpenAI, Azure, Ollama, vLLM, llama.cpp, LiteLLM) with bounded retries and timeout. */
export const LLM_DEFAULTS = { maxRetries: 2, timeoutMs: 60_000, mode: 'hybrid' as LlmMode } as const;

/**
 * How a configured model takes part: `hybrid` (the default) refines the evidence model's first
 * answer; `llm` investigates from nothing, with the offline investigator as its fallback.
 */
export type LlmMode = 'hybrid' | 'llm';

export type LlmConfig = {
  apiKey?: string;
  baseURL?: string;
  model: string;
  toolMode: 'native' | 'react';
  /** Default `hybrid` (LLM_DEFAULTS.mode). */
  mode?: LlmMode;
  /** USD per million tokens, for a model the price table does not know (SRE_LLM_PRICE). */
  price?: { input: number; output: number };
};

export function createLlmClient(
  cfg: LlmConfig,
  overrides: { maxRetries?: number; timeoutMs?: number } = {},
): OpenAI {
  return new OpenAI({
    // Local servers often need no key; the client insists on one, so send a placeholder.
    apiKey: cfg.apiKey ?? 'not-needed',
    baseURL: cfg.baseURL,
    maxRetries: overrides.maxRetries ?? LLM_DEFAULTS.maxRetries,
    timeout: overrides.timeoutMs ?? LLM_DEFAULTS.timeoutMs,
  });
}
