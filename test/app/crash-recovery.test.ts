import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../../data/db';
import { listInvestigations } from '../../data/investigations';
import { listJobs, type ThreadJob } from '../../data/thread-jobs';
import { freePort } from '../../sandbox/net';
import { setScript } from '../../sandbox/routes/openai';
import { type PostedMessage, slackState } from '../../sandbox/routes/slack';
import { type Sandbox, startSandbox } from '../../sandbox/server';
import { signedSlackHeaders } from '../../sandbox/slack-signature';
import { DEMO } from '../tools/helpers';
import { webhookBody } from './gateway/notifications';

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
      // A short lease: the restart resumes the killed process's run soon.
      SRE_RUN_LEASE_MS: '2000',
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
      // The first reply is in the thread and the run has begun (in a worker thread, once one is up);
      // the model call that follows hangs until we kill the process.
      await until(() => slackState(slackAndModel.world).messages.find((m) => m.threadTs === event.ts));
      await until(() => {
        const db = openDatabase(dbPath);
        try {
          return listInvestigations(db)[0]?.status === 'running' ? true : undefined;
        } finally {
          db.close();
        }
      });
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
      // The finished summary (a first answer shown mid-run has no feedback buttons yet).
      const summary = await until(() =>
        messages().find((m) => JSON.stringify(m.blocks ?? []).includes('feedback_helpful')),
      );
      expect(JSON.stringify(summary.blocks)).toContain('Commit 7c1e9a4');
      const db = openDatabase(dbPath);
      const all = listInvestigations(db);
      expect(all.find((i) => i.id === before!.id)?.status).toBe('resumed');
      expect(all.filter((i) => i.status === 'resumed')).toHaveLength(1);
      expect(messages().filter((m) => m.text.includes('I was restarted'))).toHaveLength(1);
      // The killed run's progress message was taken over: no stale "Investigating…" is left behind.
      expect(messages().filter((m) => m.text.startsWith(':mag:'))).toEqual([]);
      expect(messages().filter((m) => m.blocks)).toHaveLength(1);
      db.close();
    } finally {
      await slackAndModel.close();
    }
  });
});

/** The app as `npm start` runs it over the demo world, its Slack API and (optionally) model in `slack`. */
function appEnv(slack: Sandbox, dbPath: string, port: number, extra: Record<string, string> = {}) {
  return {
    PATH: process.env.PATH!,
    HOME: process.env.HOME!,
    SLACK_BOT_TOKEN: 'xoxb-test',
    SLACK_SIGNING_SECRET: SECRET,
    SLACK_API_URL: `${slack.url}/api/`,
    SRE_WEBHOOK_SECRET: HOOK_SECRET,
    SRE_WEBHOOK_CHANNEL: 'C0WEBHOOK',
    PORT: String(port),
    SRE_SCENARIO: DEMO,
    SRE_DB_PATH: dbPath,
    SRE_LOG_LEVEL: 'silent',
    SRE_RUN_LEASE_MS: '1500',
    // Only the final chat.update of a run: each run's length is then what the test makes it.
    SRE_PROGRESS_UPDATE_MS: '60000',
    ...extra,
  };
}

const HOOK_SECRET = 'crash-webhook-secret-0123456789';
const isSummary = (m: PostedMessage) => JSON.stringify(m.blocks ?? []).includes('feedback_helpful');

describe('durable intake through the real process', () => {
  const children: ChildProcess[] = [];
  afterAll(() => {
    for (const c of children) c.kill('SIGKILL');
  });
  const start = (env: Record<string, string>) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'app/main.ts'], {
      cwd: root,
      env,
      stdio: 'ignore',
    });
    children.push(child);
    return child;
  };
  const healthy = (port: number) =>
    until(() =>
      fetch(`http://127.0.0.1:${port}/healthz`, { signal: AbortSignal.timeout(2_000) }).then(
        (r) => (r.ok ? (r.json() as Promise<Record<string, number>>) : undefined),
        () => undefined,
      ),
    );
  const hook = (port: number, body: unknown) =>
    fetch(`http://127.0.0.1:${port}/webhooks/datadog`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-sre-webhook-secret': HOOK_SECRET },
      body: JSON.stringify(body),
      signal: AbortSignal.timeout(10_000),
    });
  const monitors = Array.from({ length: 10 }, (_, i) => ({ id: `8100${i}`, name: `Durable monitor ${i}` }));
  const rootsOf = (slack: Sandbox) =>
    slackState(slack.world).messages.filter((m) => m.channel === 'C0WEBHOOK' && !m.threadTs);

  /** Ten alerts accepted with one run slot and slow Slack updates: one runs, nine wait in the DB. */
  async function tenQueued(slack: Sandbox, env: Record<string, string>, port: number) {
    slack.faults.add('/api/chat.update', { latencyMs: 3_000 });
    const first = start(env);
    await healthy(port);
    for (const [i, m] of monitors.entries()) {
      const res = await hook(port, webhookBody(m, 'Triggered', 1_800_000_000 + i));
      expect(res.status).toBe(202);
    }
    await until(() => (rootsOf(slack).length === 10 ? true : undefined));
    return first;
  }

  /** After the restart: every alert's thread ends with exactly one summary, and every job is answered. */
  async function tenAnswered(slack: Sandbox, dbPath: string) {
    const summaries = () => slackState(slack.world).messages.filter((m) => m.threadTs && isSummary(m));
    await until(() => (summaries().length >= 10 ? true : undefined), 90_000);
    await new Promise((r) => setTimeout(r, 1_000));
    const roots = rootsOf(slack);
    expect(roots).toHaveLength(10);
    for (const r of roots) expect(summaries().filter((m) => m.threadTs === r.ts)).toHaveLength(1);
    const db = openDatabase(dbPath);
    expect(listJobs(db).map((j) => [j.state, j.verdict])).toEqual(Array(10).fill(['done', 'answered']));
    db.close();
  }

  /**
   * Ten alerts accepted, the process stopped by `signal`, `stopped` shown the jobs it left, then a
   * restart that must answer all ten, each once. Returns everything posted in Slack.
   */
  async function tenAcrossARestart(
    signal: NodeJS.Signals,
    stopped: (jobs: ThreadJob[], exitCode: number | null) => void,
  ): Promise<PostedMessage[]> {
    const slack = await startSandbox(DEMO);
    const dbPath = join(mkdtempSync(join(tmpdir(), 'durable-')), 'sre.db');
    const port = await freePort();
    const env = appEnv(slack, dbPath, port, { SRE_MAX_CONCURRENT: '1' });
    try {
      const first = await tenQueued(slack, env, port);
      first.kill(signal);
      const code = await new Promise<number | null>((r) => first.once('exit', (c) => r(c)));
      const db = openDatabase(dbPath);
      stopped(listJobs(db), code);
      db.close();
      slack.faults.clear();
      start(env);
      await tenAnswered(slack, dbPath);
      return slackState(slack.world).messages;
    } finally {
      await slack.close();
    }
  }

  it('10 alerts accepted, then kill -9: the restart answers all 10, each once', {
    timeout: 180_000,
  }, async () => {
    await tenAcrossARestart('SIGKILL', (jobs) => {
      expect(jobs.filter((j) => j.state !== 'done').length).toBeGreaterThanOrEqual(8);
    });
  });

  it('10 alerts accepted, then SIGTERM: the running one finishes, the rest stay queued and the restart answers them, each once', {
    timeout: 180_000,
  }, async () => {
    const messages = await tenAcrossARestart('SIGTERM', (jobs, code) => {
      expect(code).toBe(0);
      // Nothing was cut off: what had started finished in the grace period; the rest wait, unowned.
      expect(jobs.filter((j) => j.state === 'running')).toEqual([]);
      expect(jobs.filter((j) => j.state === 'done').length).toBeGreaterThanOrEqual(1);
      expect(jobs.filter((j) => j.state === 'queued').length).toBeGreaterThanOrEqual(5);
      expect(jobs.filter((j) => j.state !== 'done').every((j) => j.owner === null)).toBe(true);
    });
    expect(messages.filter((m) => m.text.includes('I was restarted'))).toEqual([]);
  });

  it("two processes on one DB: the second leaves the first's live run alone, and resumes it once when the first stops heartbeating", {
    timeout: 180_000,
  }, async () => {
    const slack = await startSandbox(DEMO);
    const dbPath = join(mkdtempSync(join(tmpdir(), 'durable-two-')), 'sre.db');
    const [portA, portB] = [await freePort(), await freePort()];
    const model = { OPENAI_API_KEY: 'sk-test-two-0123456789', OPENAI_BASE_URL: `${slack.url}/v1` };
    try {
      // The model hangs: A's run is live (and heartbeating) for as long as the test wants.
      slack.faults.add('/v1/chat/completions', { latencyMs: 60_000 });
      const a = start(appEnv(slack, dbPath, portA, model));
      await healthy(portA);
      expect((await hook(portA, webhookBody(monitors[0]!, 'Triggered', 1_800_000_000))).status).toBe(202);
      const root = await until(() => rootsOf(slack)[0]);
      const thread = () => slackState(slack.world).messages.filter((m) => m.threadTs === root.ts);
      const db = openDatabase(dbPath);
      const held = await until(() => listJobs(db).find((j) => j.state === 'running'));
      start(appEnv(slack, dbPath, portB, model));
      await healthy(portB);
      // Several of B's heartbeats (a lease is 1.5 s) go by: A's run stays A's.
      await new Promise((r) => setTimeout(r, 5_000));
      expect(listJobs(db)[0]).toMatchObject({ state: 'running', owner: held.owner, runs: 1 });
      expect(thread().filter((m) => m.text.includes('I was restarted'))).toEqual([]);
      // A freezes (SIGSTOP): its lease runs out, and B takes the run over, once.
      slack.faults.clear();
      setScript(
        slack.world,
        Array.from({ length: 40 }, () => ({ status: 500 })),
      );
      a.kill('SIGSTOP');
      const summary = await until(() => thread().find(isSummary), 90_000);
      expect(JSON.stringify(summary.blocks)).toContain('Commit 7c1e9a4');
      await new Promise((r) => setTimeout(r, 2_000));
      expect(thread().filter((m) => m.text.includes('I was restarted'))).toHaveLength(1);
      expect(thread().filter(isSummary)).toHaveLength(1);
      const [job] = listJobs(db);
      expect(job).toMatchObject({ state: 'done', verdict: 'answered', runs: 2 });
      expect(job!.owner).toBeNull();
      const statuses = listInvestigations(db)
        .map((i) => i.status)
        .sort();
      expect(statuses).toEqual(['completed', 'resumed']);
      db.close();
      a.kill('SIGKILL');
    } finally {
      await slack.close();
    }
  });
});
