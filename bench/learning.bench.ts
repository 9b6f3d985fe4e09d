import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { investigate } from '../agent/investigate';
import type { InvestigationResult } from '../agent/result';
import { parseEnv } from '../app/config';
import { runLearning } from '../app/learning/run-learning';
import { silentLogger } from '../app/logger';
import { createRuntime } from '../app/runtime';
import { recordFeedback } from '../data/feedback';
import { createInvestigation, finishInvestigation } from '../data/investigations';
import { type Benchmark, percentile, sample } from './contract';
import { DEMO_SCENARIO } from './slack-app';

/**
 * Learning at scale: one `learn` pass over 2,000 rated investigations (10 services x 2 alert
 * classes), and what learned priors do to an investigation of the demo world, offline, with the
 * resulting priors and with learning off, side by side: time (loading priors must cost little) and
 * tool calls (tools that never backed a confirmed answer keep one call per turn), same answer.
 */
const RATED = 2_000;

function syntheticResult(i: number, base: InvestigationResult): InvestigationResult {
  const service = i % 10 === 0 ? 'checkout' : `svc-${i % 10}`;
  const latency = i % 2 === 0;
  return {
    ...base,
    id: `inv_bench_${i}`,
    alert: {
      ...base.alert,
      id: `a${i}`,
      service,
      title: latency ? `${service} p95 latency high` : `${service} error rate high`,
      startedAt: new Date(Date.UTC(2026, 10, 1) + i * 60_000).toISOString(),
    },
  };
}

const bench: Benchmark = async () => {
  const dir = mkdtempSync(join(tmpdir(), 'learning-bench-'));
  const runtime = await createRuntime({
    env: parseEnv({}),
    logger: silentLogger,
    scenarioDir: DEMO_SCENARIO,
    dbPath: join(dir, 'sre.db'),
  });
  try {
    const alert = runtime.alertFromScenario!;
    const base = await investigate({ alert, runtime });
    const now = new Date().toISOString();
    runtime.db.transaction(() => {
      for (let i = 0; i < RATED; i++) {
        const result = syntheticResult(i, base);
        createInvestigation(runtime.db, {
          id: result.id,
          alertKey: result.alert.id,
          alert: result.alert,
          planner: 'offline',
          startedAt: now,
        });
        finishInvestigation(runtime.db, result.id, {
          status: 'completed',
          finishedAt: now,
          result,
          usage: result.usage,
        });
        const value = i % 3 === 0 ? 'wrong' : 'confirmed';
        recordFeedback(runtime.db, {
          investigationId: result.id,
          userId: 'U1',
          kind: 'root_cause',
          value,
          at: new Date(),
        });
        recordFeedback(runtime.db, {
          investigationId: result.id,
          userId: 'U2',
          kind: 'rating',
          value: i % 4 ? 'helpful' : 'not_helpful',
          at: new Date(),
        });
      }
    })();
    const t = performance.now();
    const report = await runLearning({ db: runtime.db, embedder: runtime.embedder, logger: silentLogger });
    const learnMs = performance.now() - t;

    const iterations = 15;
    runtime.learning = false;
    const off = await sample(() => investigate({ alert, runtime }), iterations);
    const plain = await investigate({ alert, runtime });
    runtime.learning = true;
    const on = await sample(() => investigate({ alert, runtime }), iterations);
    const learned = await investigate({ alert, runtime });
    if (learned.summary.suspects[0]?.ref !== plain.summary.suspects[0]?.ref)
      throw new Error('learning changed the demo answer: the benchmark would compare different work');
    return [
      {
        name: 'learning',
        metric: `learn pass over ${report.investigations} rated investigations (${report.priors} priors)`,
        value: learnMs,
        unit: 'ms',
      },
      {
        name: 'learning',
        metric: 'demo investigation p50 with learned priors (baseline: learning off)',
        value: percentile(on, 50),
        unit: 'ms',
        baseline: percentile(off, 50),
        ratio: percentile(on, 50) / percentile(off, 50),
      },
      {
        name: 'learning',
        metric: 'demo tool calls with learned budget, same answer (baseline: learning off)',
        value: learned.usage.toolCalls,
        unit: 'calls',
        baseline: plain.usage.toolCalls,
        ratio: learned.usage.toolCalls / plain.usage.toolCalls,
      },
    ];
  } finally {
    await runtime.close();
    rmSync(dir, { recursive: true, force: true });
  }
};
export default bench;
