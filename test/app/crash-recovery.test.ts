import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../../data/db';
import { listInvestigations } from '../../data/investigations';
import { freePort } from '../../sandbox/net';
import { setScript } from '../../sandbox/routes/openai';
import { slackState } from '../../sandbox/routes/slack';
import { startSandbox } from '../../sandbox/server';
import { signedSlackHeaders } from '../../sandbox/slack-signature';
import { DEMO } from '../tools/helpers';

const root = join(import.meta.dirname, '..', '..');
const SECRET = 'crash-signing-secret-0123456789';

async function until<T>(what: () => T | undefined | Promise<T | undefined>, ms = 30_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await what();
    if (v !== undefined) return v;
    if (Date.now() > end) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('crash recovery', () => {
  const children: ChildProcess[] = [];
  afterAll(() => {
    for (const c of children) c.kill('SIGKILL');
  });

  it('after kill -9 mid-investigation, a restart tells the thread and re-runs it once; old rows are kept', {
    timeout: 120_000,
  }, async () => {
    const slackAndModel = await startSandbox(DEMO);
    const dir = mkdtempSync(join(tmpdir(), 'crash-'));
    // SRE_DB_PATH is set, so the scenario's data lives in exactly that file.
    const dbPath = join(dir, 'sre.db');
    const port = await freePort();
    const env = {
      PATH: process.env.PATH!,
      HOME: process.env.HOME!,
      SLACK_BOT_TOKEN: 'xoxb-test',
      SLACK_SIGNING_SECRET: SECRET,
      SLACK_API_URL: `${slackAndModel.url}/api/`,
      OPENAI_API_KEY: 'sk-test-crash-0123456789',
      OPENAI_BASE_URL: `${slackAndModel.url}/v1`,
      PORT: String(port),
      SRE_SCENARIO: DEMO,
      SRE_DB_PATH: dbPath,
      SRE_LOG_LEVEL: 'silent',
    };
    const start = () => {
      const child = spawn(process.execPath, ['--import', 'tsx', 'app/main.ts'], {
        cwd: root,
        env,
        stdio: 'ignore',
      });
      children.push(child);
      return child;
    };
    try {
      // The model hangs, so the investigation is surely mid-flight when the process dies.
      slackAndModel.faults.add('/v1/chat/completions', { latencyMs: 60_000 });
      const first = start();
      await until(() =>
        fetch(`http://127.0.0.1:${port}/healthz`).then(
          (r) => (r.ok ? true : undefined),
          () => undefined,
        ),
      );
      const event = (slackAndModel.scenario.manifest.alert as { slackMessage: Record<string, unknown> })
        .slackMessage;
      const body = JSON.stringify({ type: 'event_callback', event_id: 'EvCrash1', event });
      await fetch(`http://127.0.0.1:${port}/slack/events`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...signedSlackHeaders(SECRET, body) },
        body,
      });
      // The first reply is in the thread; the model call that follows hangs until we kill the process.
      await until(() => slackState(slackAndModel.world).messages.find((m) => m.threadTs === event.ts));
      await new Promise((r) => setTimeout(r, 1_000));
      first.kill('SIGKILL');
      await new Promise((r) => first.once('exit', r));
      const crashed = openDatabase(dbPath);
      const [before] = listInvestigations(crashed);
      expect(before?.status).toBe('running');
      crashed.close();

      // Restart: the model now fails fast, so the re-run finishes with the offline investigator.
      slackAndModel.faults.clear();
      setScript(
        slackAndModel.world,
        Array.from({ length: 20 }, () => ({ status: 500 })),
      );
      start();
      const messages = () => slackState(slackAndModel.world).messages.filter((m) => m.threadTs === event.ts);
      await until(() => messages().find((m) => m.text.includes('I was restarted')));
      const summary = await until(() => messages().find((m) => m.blocks));
      expect(JSON.stringify(summary.blocks)).toContain('Commit 7c1e9a4');
      const db = openDatabase(dbPath);
      const all = listInvestigations(db);
      expect(all.find((i) => i.id === before!.id)?.status).toBe('resumed');
      expect(all.filter((i) => i.status === 'resumed')).toHaveLength(1);
      expect(messages().filter((m) => m.text.includes('I was restarted'))).toHaveLength(1);
      db.close();
    } finally {
      await slackAndModel.close();
    }
  });
});
