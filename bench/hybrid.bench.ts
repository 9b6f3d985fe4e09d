import { join } from 'node:path';
import type { InvestigationEvent } from '../agent/events';
import { investigate } from '../agent/investigate';
import type { LlmMode } from '../agent/llm/client';
import { parseEnv } from '../app/config';
import { silentLogger } from '../app/logger';
import { createRuntime } from '../app/runtime';
import { setModelLatency, setModelPolicy } from '../sandbox/routes/openai';
import { confirmingRefiner, rawInvestigator } from '../sandbox/scripted-model';
import type { Benchmark, BenchResult } from './contract';

/**
 * Hybrid versus LLM-only with a scripted model of realistic speed (1.5 s per call, completions
 * streamed at 300 tokens/s) against three bundled worlds: time from the alert to the first answer
 * (hybrid: the evidence model's; LLM-only: its only one) and to the refined answer, and prompt
 * tokens per investigation. Targets: the first answer at least 20x sooner than LLM-only; prompt
 * tokens at most 40k and no more than LLM-only. The LLM-only model reads raw tools over four
 * turns, as a model without the evidence model does; the hybrid one re-ranks with the analysis
 * tools and confirms.
 */
const WORLDS = ['checkout-bad-commit', 'search-flag-flip', 'orders-db-pool-config'];
const LATENCY = { perCallMs: 1_500, tokensPerSecond: 300 };
const TOKEN_TARGET = 40_000;

type Timing = { firstMs: number; refinedMs: number; promptTokens: number };

async function timed(world: string, mode: LlmMode): Promise<Timing> {
  const runtime = await createRuntime({
    env: parseEnv({ SRE_LEARNING: 'off' }),
    logger: silentLogger,
    scenarioDir: join(import.meta.dirname, '..', 'sandbox', 'scenarios', world),
    dbPath: ':memory:',
  });
  try {
    const sandbox = runtime.sandbox!;
    setModelLatency(sandbox.world, LATENCY);
    setModelPolicy(sandbox.world, mode === 'hybrid' ? confirmingRefiner() : rawInvestigator());
    runtime.llm = {
      apiKey: 'sk-bench-0123456789',
      baseURL: `${sandbox.url}/v1`,
      model: 'scripted',
      toolMode: 'native',
      mode,
    };
    let first: number | undefined;
    const started = performance.now();
    const result = await investigate({
      alert: runtime.alertFromScenario!,
      runtime,
      onEvent: (e: InvestigationEvent) => {
        if (e.type === 'first_answer') first = performance.now() - started;
      },
    });
    const refinedMs = performance.now() - started;
    return { firstMs: first ?? refinedMs, refinedMs, promptTokens: result.usage.promptTokens };
  } finally {
    await runtime.close();
  }
}

const mean = (xs: readonly number[]) => xs.reduce((a, b) => a + b, 0) / Math.max(1, xs.length);

const bench: Benchmark = async () => {
  const hybrid: Timing[] = [];
  const llm: Timing[] = [];
  for (const world of WORLDS) {
    hybrid.push(await timed(world, 'hybrid'));
    llm.push(await timed(world, 'llm'));
  }
  const of = (xs: Timing[], k: keyof Timing) => mean(xs.map((x) => x[k]));
  const row = (metric: string, k: keyof Timing, unit: string): BenchResult => ({
    name: 'hybrid vs LLM-only',
    metric,
    value: of(hybrid, k),
    unit,
    baseline: of(llm, k),
    ratio: of(hybrid, k) / of(llm, k),
  });
  return [
    row(`alert to first answer, ${WORLDS.length} worlds (target ratio <= 0.05)`, 'firstMs', 'ms'),
    row('alert to refined answer', 'refinedMs', 'ms'),
    row(
      `prompt tokens per investigation (target <= ${TOKEN_TARGET / 1000}k, ratio <= 1)`,
      'promptTokens',
      'tokens',
    ),
  ];
};

export default bench;
