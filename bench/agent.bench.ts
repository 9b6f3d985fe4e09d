import { z } from 'zod';
import { runInvestigation } from '../agent/controller';
import type { Planner } from '../agent/planner';
import { silentLogger } from '../app/logger';
import { sampleAlert, sampleSummary } from '../test/fixtures/investigation';
import { defineTool } from '../tools/contract';
import type { Benchmark } from './contract';

/**
 * Controller overhead per step with a zero-latency scripted planner, and 8 tools of 100 ms asked
 * for in one turn versus the same 8 run one per turn (the concurrency ratio, ideally ~1/8).
 */
const alert = sampleAlert({ id: 'b', title: 'bench', text: 'bench' });
const summary = sampleSummary({ confidence: 'none', impact: '' });

const instant = defineTool({
  name: 'bench.instant',
  integration: 'builtin',
  description: 'returns at once',
  input: z.object({ i: z.number() }),
  run: async ({ i }) => ({ ok: true, summary: `value ${i}`, citations: [], truncated: false }),
});
const hundred = defineTool({
  name: 'bench.sleep',
  integration: 'builtin',
  description: 'sleeps 100 ms',
  input: z.object({ i: z.number() }),
  run: async ({ i }) => {
    await new Promise((r) => setTimeout(r, 100));
    return { ok: true, summary: `slept ${i}`, citations: [], truncated: false };
  },
});

function planner(turns: number, callsPerTurn: number, tool: string): Planner {
  let n = 0;
  return {
    kind: 'llm',
    next: async () =>
      n >= turns
        ? { kind: 'answer', thought: 'done' }
        : {
            kind: 'act',
            thought: `step ${n}`,
            calls: Array.from({ length: callsPerTurn }, (_, j) => ({
              id: `c${n}_${j}`,
              tool,
              input: { i: n++ * 100 + j },
            })),
          },
    synthesize: async () => summary,
  };
}

async function timed(p: Planner, limits = { maxSteps: 10_000 }): Promise<number> {
  const t = performance.now();
  await runInvestigation({
    alert,
    planner: p,
    tools: [instant, hundred],
    now: new Date(),
    catalog: { services: {} },
    logger: silentLogger,
    limits: { ...limits, deadlineMs: 600_000 },
  });
  return performance.now() - t;
}

const bench: Benchmark = async () => {
  const steps = 2_000;
  await timed(planner(200, 1, 'bench.instant'));
  const overhead = (await timed(planner(steps, 1, 'bench.instant'))) / steps;
  const parallel = await timed(planner(1, 8, 'bench.sleep'));
  const sequential = await timed(planner(8, 1, 'bench.sleep'));
  return [
    {
      name: 'controller',
      metric: 'overhead per step, zero-latency planner (target < 2 ms)',
      value: overhead,
      unit: 'ms',
    },
    {
      name: 'controller',
      metric: '8 x 100 ms tools in one turn vs one per turn (target ~0.125)',
      value: parallel,
      unit: 'ms',
      baseline: sequential,
      ratio: parallel / sequential,
    },
  ];
};

export default bench;
