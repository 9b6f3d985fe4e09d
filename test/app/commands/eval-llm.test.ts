import { execFile } from 'node:child_process';
import { cpSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { setModelPolicy } from '../../../sandbox/routes/openai';
import { confirmingRefiner } from '../../../sandbox/scripted-model';
import { type Sandbox, startSandbox } from '../../../sandbox/server';
import { DEMO } from '../../tools/helpers';

const exec = promisify(execFile);
const root = join(import.meta.dirname, '..', '..', '..');
const SCENARIOS = join(root, 'sandbox', 'scenarios');

/** The real CLI in a child process, its model the scripted one this test serves on loopback. */
async function sre(args: string[], env: Record<string, string>) {
  try {
    const { stdout, stderr } = await exec(process.execPath, ['--import', 'tsx', 'app/cli.ts', ...args], {
      cwd: root,
      env: { PATH: process.env.PATH!, HOME: process.env.HOME!, NO_COLOR: '1', ...env },
      maxBuffer: 20 * 1024 * 1024,
    });
    return { code: 0, stdout, stderr };
  } catch (err) {
    const e = err as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

describe('eval --llm: the configured model beside the offline column, on the same worlds', {
  timeout: 240_000,
}, () => {
  let model: Sandbox;
  let worlds: string;
  beforeAll(async () => {
    model = await startSandbox(DEMO);
    setModelPolicy(model.world, confirmingRefiner());
    worlds = mkdtempSync(join(tmpdir(), 'eval-llm-'));
    for (const id of ['checkout-bad-commit', 'search-flag-flip'])
      cpSync(join(SCENARIOS, id), join(worlds, id), { recursive: true });
  });
  afterAll(() => model.close());

  it('scores both columns: hit@1 and hit@3, calibration, tokens, cost and wall time', async () => {
    const db = join(mkdtempSync(join(tmpdir(), 'eval-llm-db-')), 'sre.db');
    const out = await sre(['eval', '--scenarios', worlds, '--llm', '--json'], {
      SRE_DB_PATH: db,
      OPENAI_API_KEY: 'sk-test-eval-0123456789',
      OPENAI_BASE_URL: `${model.url}/v1`,
      SRE_LLM_MODEL: 'gpt-4o-mini',
    });
    expect(out.code).toBe(0);
    const report = JSON.parse(out.stdout) as {
      rows: { scenario: string; planner: string; refinement?: string; hit1: boolean }[];
      offlineRows: { planner: string; tokens: number }[];
      columns: { label: string; totals: Record<string, unknown> & { calibration: unknown[] } }[];
    };
    expect(report.columns.map((c) => c.label)).toEqual(['offline', 'hybrid gpt-4o-mini']);
    const [offline, hybrid] = report.columns.map((c) => c.totals);
    expect(offline).toMatchObject({
      scenarios: 2,
      hit1: 1,
      hit3: 1,
      meanTokens: 0,
      costUsd: 0,
      meanFirstAnswerMs: null,
    });
    expect(hybrid).toMatchObject({
      scenarios: 2,
      hit1: 1,
      hit3: 1,
      refinements: { confirmed: 2, failed: 0 },
    });
    expect(hybrid!.meanPromptTokens as number).toBeGreaterThan(0);
    expect(hybrid!.costUsd as number).toBeGreaterThan(0);
    expect(hybrid!.meanFirstAnswerMs as number).toBeLessThanOrEqual(hybrid!.meanWallMs as number);
    expect(hybrid!.calibration).toHaveLength(4);
    expect(report.rows.map((r) => [r.scenario, r.planner, r.refinement])).toEqual([
      ['checkout-bad-commit', 'hybrid', 'confirmed'],
      ['search-flag-flip', 'hybrid', 'confirmed'],
    ]);
    expect(report.offlineRows.every((r) => r.planner === 'offline' && r.tokens === 0)).toBe(true);
  });

  it('without a model configured, --llm is a usage error', async () => {
    const out = await sre(['eval', '--scenarios', worlds, '--llm'], {
      SRE_DB_PATH: join(mkdtempSync(join(tmpdir(), 'eval-llm-db-')), 'sre.db'),
    });
    expect(out.code).toBe(2);
    expect(out.stderr).toContain('--llm needs a model');
  });
});
