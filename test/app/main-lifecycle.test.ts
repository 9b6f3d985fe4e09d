import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openDatabase } from '../../data/db';
import { listLearningRuns } from '../../data/learning';
import { freePort } from '../../sandbox/net';
import { DEMO } from '../tools/helpers';

const root = join(import.meta.dirname, '..', '..');

function start(env: Record<string, string>): {
  child: ChildProcess;
  exited: Promise<number | null>;
  output: () => string;
} {
  const child = spawn(process.execPath, ['--import', 'tsx', 'app/main.ts'], {
    cwd: root,
    env: { PATH: process.env.PATH!, HOME: process.env.HOME!, ...env },
  });
  let out = '';
  child.stdout!.on('data', (d) => (out += d));
  child.stderr!.on('data', (d) => (out += d));
  return { child, exited: new Promise((r) => child.on('exit', (code) => r(code))), output: () => out };
}

describe('npm start', () => {
  it('without Slack credentials explains what to set, points to the demo, and exits 1', async () => {
    const { exited, output } = start({ SRE_DB_PATH: join(mkdtempSync(join(tmpdir(), 'main-')), 'sre.db') });
    expect(await exited).toBe(1);
    expect(output()).toMatch(/Set SLACK_BOT_TOKEN/);
    expect(output()).toMatch(/npm run demo/);
  });

  it('serves /healthz in HTTP mode, learns on its cron schedule, and exits cleanly on SIGTERM', async () => {
    const port = await freePort();
    const dir = mkdtempSync(join(tmpdir(), 'main-'));
    const { child, exited } = start({
      SLACK_BOT_TOKEN: 'xoxb-test',
      SLACK_SIGNING_SECRET: 'test-signing-secret-0123456789',
      SLACK_API_URL: 'http://127.0.0.1:9/api/',
      PORT: String(port),
      SRE_SCENARIO: DEMO,
      SRE_LOG_LEVEL: 'silent',
      SRE_DB_PATH: join(dir, 'sre.db'),
      // Every second (node-cron's optional seconds field), so the test sees a scheduled run.
      SRE_LEARN_CRON: '* * * * * *',
    });
    let health: unknown;
    for (let i = 0; i < 300 && health === undefined; i++) {
      health = await fetch(`http://127.0.0.1:${port}/healthz`).then(
        (r) => r.json(),
        () => undefined,
      );
      if (health === undefined) await new Promise((r) => setTimeout(r, 100));
    }
    expect(health).toMatchObject({ ok: true, queueDepth: 0, running: 0 });
    // SRE_DB_PATH is set, so the scenario's data lives in exactly that file.
    const db = openDatabase(join(dir, 'sre.db'));
    try {
      let runs = listLearningRuns(db);
      for (let i = 0; i < 100 && runs.length === 0; i++) {
        await new Promise((r) => setTimeout(r, 100));
        runs = listLearningRuns(db);
      }
      expect(runs.length).toBeGreaterThan(0);
      expect(runs.at(-1)!.active).toBe(true);
    } finally {
      db.close();
    }
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
  });
});
