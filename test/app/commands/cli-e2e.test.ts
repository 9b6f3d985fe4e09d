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
async function sre(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const env = {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    SRE_DB_PATH: join(mkdtempSync(join(tmpdir(), 'cli-')), 'sre.db'),
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

describe('sre command line, end to end', () => {
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
