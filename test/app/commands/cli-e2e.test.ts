import { execFile } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { InvestigationResultSchema } from '../../../agent/result';
import { DEMO } from '../../tools/helpers';

const exec = promisify(execFile);
const root = join(import.meta.dirname, '..', '..', '..');

/** Runs the real CLI in a child process with a private DB and no credentials. */
async function sre(
  args: string[],
  dbPath = join(mkdtempSync(join(tmpdir(), 'cli-')), 'sre.db'),
): Promise<{ code: number; stdout: string; stderr: string }> {
  const env = {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    SRE_DB_PATH: dbPath,
    NO_COLOR: '1',
  };
  try {
    const { stdout, stderr } = await exec(process.execPath, ['--import', 'tsx', 'app/cli.ts', ...args], {
      cwd: root,
      env,
      maxBuffer: 20 * 1024 * 1024,
    });
    return { code: 0, stdout, stderr };
  } catch (err) {
    const e = err as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

// Each case spawns tsx processes: on a loaded two-core machine one start takes several seconds, so
// the margin is wide; the assertions are about outputs and exit codes, never about speed.
describe('sre command line, end to end', { timeout: 180_000 }, () => {
  it('show, learn and its rollback work on the investigations of one database', async () => {
    const db = join(mkdtempSync(join(tmpdir(), 'cli-')), 'sre.db');
    const run = InvestigationResultSchema.parse(
      JSON.parse((await sre(['investigate', '--scenario', DEMO, '--json'], db)).stdout),
    );
    const shown = await sre(['show', run.id, '--json'], db);
    expect(shown.code).toBe(0);
    expect(JSON.parse(shown.stdout)).toMatchObject({ id: run.id, status: 'completed' });
    expect((await sre(['show', 'inv_missing'], db)).code).toBe(1);

    const learned = await sre(['learn', '--scenario', DEMO, '--json'], db);
    expect(learned.code).toBe(0);
    expect(JSON.parse(learned.stdout)).toMatchObject({ runId: 1, investigations: 1, rated: 0 });
    const status = JSON.parse((await sre(['learn', '--scenario', DEMO, '--status', '--json'], db)).stdout);
    expect(status.runs).toHaveLength(1);
    expect(status.runs[0].active).toBe(true);
    expect(JSON.parse((await sre(['learn', '--scenario', DEMO, '--rollback', '--json'], db)).stdout)).toEqual(
      {
        active: null,
      },
    );
    const both = await sre(['learn', '--rollback', '--off'], db);
    expect(both.code).toBe(2);
    expect(both.stderr).toContain('choose one of --rollback, --off and --status');
  }, 180_000);

  it('investigate --scenario --json prints exactly one InvestigationResult on stdout, progress on stderr', async () => {
    const { code, stdout, stderr } = await sre(['investigate', '--scenario', DEMO, '--json']);
    expect(code).toBe(0);
    const result = InvestigationResultSchema.parse(JSON.parse(stdout));
    expect(result.summary.suspects[0]!.ref).toMatch(/^7c1e9a4/);
    expect(stderr).toContain('datadog.metrics');
  });

  it('search --json prints the hits contract with doc ids relative to docs/', async () => {
    const { code, stdout } = await sre([
      'search',
      'how do I roll back a deploy',
      '--scenario',
      DEMO,
      '--json',
    ]);
    expect(code).toBe(0);
    const { hits } = JSON.parse(stdout) as { hits: Record<string, unknown>[] };
    expect(Object.keys(hits[0]!).sort()).toEqual(['id', 'score', 'snippet', 'source', 'title', 'url']);
    expect(hits.map((h) => h.id)).toContain('runbooks/rollback.md');
  });

  it('tool runs one tool and prints its Observation; bad input or names exit 2', async () => {
    const ok = await sre([
      'tool',
      'datadog.monitor',
      '--input',
      '{"id":41235}',
      '--scenario',
      DEMO,
      '--json',
    ]);
    expect(JSON.parse(ok.stdout)).toMatchObject({ ok: true, data: { id: 41235 } });
    const unknown = await sre(['tool', 'nope.tool', '--scenario', DEMO]);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/unknown tool "nope.tool". Available: datadog.monitor/);
    const badJson = await sre(['tool', 'datadog.monitor', '--input', '{nope', '--scenario', DEMO]);
    expect(badJson.code).toBe(2);
  });

  it('unknown flags and missing arguments exit 2 with a message', async () => {
    const flag = await sre(['investigate', '--scenari', DEMO]);
    expect(flag.code).toBe(2);
    expect(flag.stderr).toMatch(/unknown option '--scenari'/);
    expect((await sre(['investigate'])).code).toBe(2);
  });
});
