import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseEnv } from '../app/config';
import { silentLogger } from '../app/logger';
import { evaluateScenarioDirs } from '../app/scenario/eval-run';
import { aggregateScores } from '../app/scenario/eval-score';
import { listScenarioDirs } from '../sandbox/scenario';
import { generateWorlds } from '../sandbox/scenario-builder/generator/cli';
import type { Benchmark } from './contract';

/**
 * The offline evidence model on 30 generated tuning worlds (two of each class): investigation
 * wall time and tool calls per world, against the previous release's numbers recorded on the
 * validation range at 65f24a6 (the commit before the evidence model: 0.27 s and 16.9 tool calls
 * per investigation). Target: under 1 s per investigation on two cores, tool calls about the same.
 */
const PREVIOUS_RELEASE = { commit: '65f24a6', wallMs: 270, toolCalls: 16.9 };
const SEEDS = Array.from({ length: 30 }, (_, i) => 1 + i);

const bench: Benchmark = async () => {
  const root = mkdtempSync(join(tmpdir(), 'bench-offline-'));
  try {
    generateWorlds(SEEDS, root);
    const rows = await evaluateScenarioDirs(listScenarioDirs(root), {
      env: parseEnv({}),
      logger: silentLogger,
      dbPathFor: () => ':memory:',
    });
    const totals = aggregateScores(rows);
    const wall = rows.map((r) => r.wallMs).sort((a, b) => a - b);
    const meanWall = wall.reduce((a, b) => a + b, 0) / Math.max(wall.length, 1);
    return [
      {
        name: 'offline investigator',
        metric: `mean wall time per investigation (30 tuning worlds; baseline: ${PREVIOUS_RELEASE.commit})`,
        value: meanWall,
        unit: 'ms',
        baseline: PREVIOUS_RELEASE.wallMs,
        ratio: meanWall / PREVIOUS_RELEASE.wallMs,
      },
      {
        name: 'offline investigator',
        metric: 'slowest investigation (target < 1000)',
        value: wall.at(-1) ?? 0,
        unit: 'ms',
      },
      {
        name: 'offline investigator',
        metric: `tool calls per investigation (baseline: ${PREVIOUS_RELEASE.commit})`,
        value: totals.meanToolCalls,
        unit: 'calls',
        baseline: PREVIOUS_RELEASE.toolCalls,
        ratio: totals.meanToolCalls / PREVIOUS_RELEASE.toolCalls,
      },
      {
        name: 'offline investigator',
        metric: 'hit@1 on these tuning worlds',
        value: (totals.hit1 ?? 0) * 100,
        unit: '%',
      },
    ];
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
};

export default bench;
