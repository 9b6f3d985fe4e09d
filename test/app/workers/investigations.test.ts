import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { investigate } from '../../../agent/investigate';
import { parseEnv } from '../../../app/config';
import { silentLogger } from '../../../app/logger';
import { createRuntime } from '../../../app/runtime';
import { type Investigations, startInvestigations } from '../../../app/workers/investigations';
import { listJobs } from '../../../data/thread-jobs';
import type { PostedMessage } from '../../../sandbox/routes/slack';
import { DEMO } from '../../tools/helpers';
import { type Harness, startSlackHarness, until } from '../slack/harness';

/**
 * The Slack app as `npm start` runs it with investigation workers: the alert's post arrives as a
 * signed event, the run happens in a worker thread (the dying-worker fixture dies first when told
 * to), and the thread is read back from the sandbox Slack API.
 */
const dying = new URL('./fixtures/dying-worker.mjs', import.meta.url);
const isSummary = (m: PostedMessage) => JSON.stringify(m.blocks ?? []).includes('feedback_helpful');

let h: Harness | undefined;
let investigations: Investigations | undefined;
afterEach(async () => {
  await h?.close();
  await investigations?.close();
  h = undefined;
  investigations = undefined;
});

/** The harness, its runs in one worker; the worker dies at its first `deaths` runs. */
async function withWorkers(deaths: number, maxRunsAfterWorkerCrash?: number): Promise<Harness> {
  const dbPath = join(mkdtempSync(join(tmpdir(), 'workers-')), 'sre.db');
  writeFileSync(`${dbPath}.deaths`, String(deaths));
  h = await startSlackHarness(
    { SRE_DB_PATH: dbPath },
    // The pool is built from the harness's runtime, before any event arrives.
    { jobOptions: { maxRunsAfterWorkerCrash }, investigate: (o) => investigations!.investigate(o) },
  );
  investigations = startInvestigations(h.runtime, { workers: 1, inProcess: investigate, entry: dying });
  return h;
}

async function postAlert(harness: Harness): Promise<string> {
  const post = (harness.runtime.sandbox!.scenario.manifest.alert as { slackMessage: Record<string, unknown> })
    .slackMessage;
  const res = await harness.postEvent(post);
  expect(res.status).toBe(200);
  return post.ts as string;
}

describe('investigations in worker threads, through the Slack app', () => {
  it('a worker that dies mid-run: the thread is told once, the job runs again and one summary lands', {
    timeout: 120_000,
  }, async () => {
    const app = await withWorkers(1);
    const ts = await postAlert(app);
    const thread = () => app.messages().filter((m) => m.threadTs === ts);
    await until(() => (thread().some(isSummary) ? true : undefined), 90_000);
    const told = thread().filter((m) =>
      m.text.includes('The worker investigating this stopped unexpectedly'),
    );
    expect(told).toHaveLength(1);
    expect(thread().filter((m) => m.text.includes('I was restarted'))).toEqual([]);
    // One summary, in the first reply (the progress message), not a second one.
    await until(() => (listJobs(app.runtime.db)[0]?.state === 'done' ? true : undefined));
    expect(thread().filter(isSummary)).toHaveLength(1);
    expect(listJobs(app.runtime.db)).toMatchObject([{ verdict: 'answered', runs: 2 }]);
  });

  it('a job that kills its worker every time is given up with a warning, and the bot keeps serving', {
    timeout: 120_000,
  }, async () => {
    const app = await withWorkers(99, 2);
    const ts = await postAlert(app);
    const thread = () => app.messages().filter((m) => m.threadTs === ts);
    await until(() => (listJobs(app.runtime.db)[0]?.state === 'done' ? true : undefined), 60_000);
    expect(listJobs(app.runtime.db)).toMatchObject([{ verdict: 'failed', runs: 2 }]);
    expect(thread().filter((m) => m.text.includes(':warning: The investigation failed'))).toHaveLength(1);
    expect(thread().some(isSummary)).toBe(false);
    const health = await fetch(`${app.base}/healthz`);
    expect(health.status).toBe(200);
  });
});

describe('startInvestigations', () => {
  it('with 0 workers, or a database in memory no worker can open, investigates on the event loop', async () => {
    const env = parseEnv({ SRE_DB_PATH: ':memory:' });
    const runtime = await createRuntime({ env, logger: silentLogger, scenarioDir: DEMO });
    try {
      for (const workers of [0, 2]) {
        const chosen = startInvestigations(runtime, { workers, inProcess: investigate });
        expect(chosen.investigate).toBe(investigate);
        expect(chosen.workers).toBe(0);
        expect(await chosen.ready).toBe(0);
      }
    } finally {
      await runtime.close();
    }
  });
});
