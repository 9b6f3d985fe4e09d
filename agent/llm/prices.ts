/** USD per million tokens (input, output). Unknown models cost 0 (self-hosted) unless a price is configured (SRE_LLM_PRICE). */
export const PRICES_PER_MILLION: Record<string, { input: number; output: number }> = {
  'gpt-4o': { input: 2.5, output: 10 },
  'gpt-4o-mini': { input: 0.15, output: 0.6 },
  'gpt-4.1': { input: 2, output: 8 },
  'gpt-4.1-mini': { input: 0.4, output: 1.6 },
  'gpt-4.1-nano': { input: 0.1, output: 0.4 },
  'o4-mini': { input: 1.1, output: 4.4 },
};

export type Price = { input: number; output: number };

export function costUsd(
  model: string,
  promptTokens: number,
  completionTokens: number,
  configured?: Price,
): number {
  const key = Object.keys(PRICES_PER_MILLION)
    .sort((a, b) => b.length - a.length)
    .find((k) => model === k || model.startsWith(`${k}-`));
  const p = configured ?? (key ? PRICES_PER_MILLION[key]! : { input: 0, output: 0 });
  return (promptTokens * p.input + completionTokens * p.output) / 1_000_000;
}
