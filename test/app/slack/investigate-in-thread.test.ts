import { WebClient } from '@slack/web-api';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { InvestigationResult } from '../../../agent/result';
import { silentLogger } from '../../../app/logger';
import type { Runtime } from '../../../app/runtime';
import { investigateInThread, type ThreadDeps } from '../../../app/slack/investigate-in-thread';
import { JobRunner } from '../../../app/slack/job-runner';
import { WorkQueue } from '../../../app/slack/queue';
import { openDatabase } from '../../../data/db';
import { type Sandbox, startSandbox } from '../../../sandbox/server';
import { sampleAlert, sampleResult } from '../../fixtures/investigation';
import { DEMO } from '../../tools/helpers';

const result = (overrides: Partial<InvestigationResult['summary']> = {}) => sampleResult('inv_1', overrides);

/** The thread runner with the real Web API client against the sandbox; `calls()` is what Slack received. */
let sandbox: Sandbox;
beforeAll(async () => {
  sandbox = await startSandbox(DEMO);
});
afterAll(async () => {
  await sandbox.close();
});

function threadDeps(investigate: () => Promise<InvestigationResult> = async () => result()) {
  const seenBefore = sandbox.requests.length;
  const calls = () =>
    sandbox.requests
      .slice(seenBefore)
      .filter((r) => r.path.startsWith('/api/chat.'))
      .map((r) => ({ method: r.path.slice('/api/'.length), args: r.body as Record<string, unknown> }));
  const db = openDatabase(':memory:');
  const deps = {
    runtime: { db, now: () => new Date(), secrets: [] } as unknown as Runtime,
    client: new WebClient('xoxb-test', { slackApiUrl: `${sandbox.url}/api/`, retryConfig: { retries: 0 } }),
    queue: new WorkQueue(1),
    investigate,
    progressIntervalMs: 1500,
    logger: silentLogger,
  } as unknown as ThreadDeps;
  deps.jobs = new JobRunner(deps, { leaseMs: 30_000, maxQueued: 10 });
  deps.jobs.start();
  return { deps, calls, db };
}

describe('investigations in a thread', () => {
  const alert = sampleAlert({ id: 'a1' });

  it('says "queued" at once when the queue is full, then posts the summary in place', async () => {
    const { deps, calls } = threadDeps();
    let release: () => void = () => {};
    const blocker = deps.queue.run(() => new Promise<void>((r) => (release = r)));
    const run = investigateInThread(deps, alert, 'C1', '1.0');
    await vi.waitFor(() => expect(calls()[0]).toBeDefined(), { timeout: 10_000 });
    expect(String(calls()[0]!.args.text)).toMatch(/^:hourglass: Queued/);
    release();
    await blocker;
    await run;
    expect(calls().at(-1)).toMatchObject({
      method: 'chat.update',
      args: { channel: 'C1', text: 'h (confidence: high)' },
    });
  });

  it('posts a short warning in the thread when the investigation fails, without throwing', async () => {
    const { deps: failing, calls } = threadDeps(async () => Promise.reject(new Error('database is locked')));
    await expect(investigateInThread(failing, alert, 'C1', '1.0')).resolves.toBeUndefined();
    expect(String(calls().at(-1)!.args.text)).toMatch(
      /^:warning: The investigation failed: database is locked/,
    );
  });
});
