import OpenAI from 'openai';

/** An OpenAI-compatible client (OpenAI, Azure, Ollama, vLLM, llama.cpp, LiteLLM) with bounded retries and timeout. */
export const LLM_DEFAULTS = { maxRetries: 2, timeoutMs: 60_000 } as const;

export type LlmConfig = { apiKey?: string; baseURL?: string; model: string; toolMode: 'native' | 'react' };

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
