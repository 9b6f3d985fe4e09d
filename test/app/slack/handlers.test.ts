import { WebClient } from '@slack/web-api';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { InvestigationResult } from '../../../agent/result';
import { parseEnv } from '../../../app/config';
import { silentLogger } from '../../../app/logger';
import type { Runtime } from '../../../app/runtime';
import { summaryBlocks } from '../../../app/slack/blocks';
import {
  onCommentButton,
  onCommentSubmission,
  onFeedbackButton,
  onMessage,
  parsePermalink,
  type SlackDeps,
} from '../../../app/slack/handlers';
import { JobRunner } from '../../../app/slack/job-runner';
import { WorkQueue } from '../../../app/slack/queue';
import { getCycle, latestCycleOf } from '../../../data/alerts';
import { openDatabase } from '../../../data/db';
import { listFeedback } from '../../../data/feedback';
import { createInvestigation, finishInvestigation, setSlackLocation } from '../../../data/investigations';
import { slackState } from '../../../sandbox/routes/slack';
import { type Sandbox, startSandbox } from '../../../sandbox/server';
import { DEMO } from '../../tools/helpers';
import { sampleResult } from './sample-result';

const result = (overrides: Partial<InvestigationResult['summary']> = {}) => sampleResult('inv_1', overrides);

/**
 * Handlers are plain functions: they get the real Web API client, pointed at the sandbox's Slack
 * routes, and `calls()` reads back what they sent (method and arguments, as Slack received them).
 */
let sandbox: Sandbox;
beforeAll(async () => {
  sandbox = await startSandbox(DEMO);
});
afterAll(async () => {
  await sandbox.close();
});

function fakeDeps(investigate: () => Promise<InvestigationResult> = async () => result()) {
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
    env: parseEnv({}),
    seen: new Set<string>(),
  } as unknown as SlackDeps;
  deps.jobs = new JobRunner(deps, { leaseMs: 30_000, maxQueued: 10 });
  deps.jobs.start();
  return { deps, calls, db };
}

describe('Slack handlers', () => {
  it('keeps the summary within Slack limits however large the result', () => {
    const long = 'x'.repeat(10_000);
    const blocks = summaryBlocks(
      result({
        rootCause: long,
        nextSteps: Array(200).fill(long),
        suspects: Array(40).fill({
          kind: 'commit',
          ref: 'a'.repeat(40),
          title: long,
          score: 0.5,
          evidence: [],
        }),
      }),
    );
    expect(blocks.length).toBeLessThanOrEqual(50);
    for (const b of blocks) {
      const text = (b as { text?: { text?: string } }).text?.text;
      if (text) expect(text.length).toBeLessThanOrEqual(3000);
    }
    expect(JSON.stringify(blocks)).toContain('npm run sre -- show inv_1');
  });

  it('records a feedback button and acknowledges it ephemerally', async () => {
    const { deps, calls, db } = fakeDeps();
    slackState(sandbox.world).members = { C1: ['U1'] };
    createInvestigation(db, {
      id: 'inv_1',
      alertKey: 'k',
      alert: {},
      planner: 'offline',
      startedAt: '2026-01-01T00:00:00Z',
      channelId: 'C1',
      threadTs: '100.1',
    });
    setSlackLocation(db, 'inv_1', { channelId: 'C1', threadTs: '100.1', progressTs: '100.2' });
    await onFeedbackButton(deps, 'feedback_confirm_root_cause', 'inv_1', 'U1', {
      channel: 'C1',
      messageTs: '100.2',
    });
    expect(listFeedback(db)[0]).toMatchObject({ kind: 'root_cause', value: 'confirmed', userId: 'U1' });
    expect(calls()).toEqual([
      {
        method: 'chat.postEphemeral',
        args: { channel: 'C1', user: 'U1', text: 'Thanks: root cause confirmed.' },
      },
    ]);
  });

  it('investigates a new cycle under its post, then notes Recovered in that thread and starts nothing', async () => {
    const { deps, calls, db } = fakeDeps();
    const post = (title: string, ts: string) => ({
      type: 'message',
      subtype: 'bot_message',
      bot_id: 'B1',
      channel: 'C1',
      ts,
      attachments: [{ title, title_link: `https://app.datadoghq.com/monitors/7?from_ts=${ts}` }],
    });
    await onMessage(deps, post('[Triggered] Disk full', '100.1'));
    await deps.queue.drain(5_000);
    expect(calls()[0]).toMatchObject({
      method: 'chat.postMessage',
      args: { channel: 'C1', thread_ts: '100.1' },
    });
    const cycle = latestCycleOf(db, '7|')!;
    expect(cycle).toMatchObject({ channelId: 'C1', threadTs: '100.1', closedAt: null });
    const before = calls().length;
    await onMessage(deps, post('[Recovered] Disk full', '200.1'));
    expect(calls().slice(before)).toEqual([
      {
        method: 'chat.postMessage',
        args: {
          channel: 'C1',
          thread_ts: '100.1',
          text: ':white_check_mark: DataDog reports this alert as recovered.',
        },
      },
    ]);
    expect(getCycle(db, cycle.id)!.closedAt).not.toBeNull();
  });

  it("ignores DataDog's own threaded follow-ups, people, and unwatched channels", async () => {
    const { deps, calls } = fakeDeps();
    await onMessage(deps, {
      type: 'message',
      bot_id: 'B1',
      channel: 'C1',
      ts: '3.1',
      thread_ts: '1.1',
      attachments: [{ title: '[Triggered] x' }],
    });
    await onMessage(deps, {
      type: 'message',
      user: 'U1',
      channel: 'C1',
      ts: '3.2',
      text: '[Triggered] looks like an alert',
    });
    const watched = { ...deps, env: parseEnv({ SRE_ALERT_CHANNELS: 'C9' }) };
    await onMessage(watched, {
      type: 'message',
      bot_id: 'B1',
      channel: 'C1',
      ts: '3.3',
      attachments: [{ title: '[Triggered] x' }],
    });
    expect(calls()).toEqual([]);
  });

  it('refuses /investigate to users outside SRE_INVESTIGATE_ALLOWLIST, and posts nothing', async () => {
    const { deps, calls } = fakeDeps();
    const { onSlashCommand } = await import('../../../app/slack/handlers');
    const restricted = { ...deps, env: parseEnv({ SRE_INVESTIGATE_ALLOWLIST: 'U0OK' }) } as SlackDeps;
    const replies: string[] = [];
    await onSlashCommand(
      restricted,
      { text: 'checkout down', channel_id: 'C1', user_id: 'U0NOPE' },
      async (t) => replies.push(t),
    );
    expect(replies[0]).toMatch(/not on the allowlist/);
    expect(calls()).toEqual([]);
  });

  it('lets members of an allowlisted user group run /investigate', async () => {
    const { deps } = fakeDeps();
    const { mayInvestigate } = await import('../../../app/slack/handlers');
    const client = {
      usergroups: {
        users: {
          list: async ({ usergroup }: { usergroup: string }) => ({
            ok: true,
            users: usergroup === 'S0ONCALL' ? ['U0MEMBER'] : [],
          }),
        },
      },
    };
    const withGroups = {
      ...deps,
      client,
      env: parseEnv({ SRE_INVESTIGATE_ALLOWLIST: 'U0OK,S0ONCALL' }),
    } as unknown as SlackDeps;
    expect(await mayInvestigate(withGroups, 'U0OK')).toBe(true);
    expect(await mayInvestigate(withGroups, 'U0MEMBER')).toBe(true);
    expect(await mayInvestigate(withGroups, 'U0STRANGER')).toBe(false);
  });

  it('opens the Comment modal for a finished investigation only, and for its own thread only', async () => {
    const { deps, calls, db } = fakeDeps();
    slackState(sandbox.world).members = { C1: ['U1'] };
    const views = () => (slackState(sandbox.world).views ?? []).slice(before);
    const before = slackState(sandbox.world).views?.length ?? 0;
    createInvestigation(db, { id: 'inv_1', alertKey: 'k', alert: {}, planner: 'offline', startedAt: 't' });
    setSlackLocation(db, 'inv_1', { channelId: 'C1', threadTs: '100.1', progressTs: '100.2' });
    const summaryMessage = { channel: 'C1', messageTs: '100.2' };
    // Still running: no result, no modal.
    expect(await onCommentButton(deps, 'inv_1', 'trig.1', 'U1', summaryMessage)).toBe(false);
    const suspects = [
      { kind: 'commit' as const, ref: 'abc123', title: 'Bad commit', score: 0.9, evidence: [] },
    ];
    finishInvestigation(db, 'inv_1', {
      status: 'completed',
      finishedAt: 't',
      result: result({ suspects }),
      usage: {},
    });
    expect(await onCommentButton(deps, 'inv_1', 'trig.2', 'U1', summaryMessage)).toBe(true);
    expect(await onCommentButton(deps, 'inv_missing', 'trig.3', 'U1', summaryMessage)).toBe(false);
    expect(views()).toHaveLength(1);
    expect(views()[0]).toMatchObject({ type: 'modal', callback_id: 'feedback_comment' });
    expect(JSON.parse(String(views()[0]!.private_metadata))).toEqual({
      investigationId: 'inv_1',
      channelId: 'C1',
      messageTs: '100.2',
    });
    expect(JSON.stringify(views()[0])).toContain('actual:abc123');
    expect(calls()).toEqual([]);
  });

  it('records a Comment submission even when the thank-you cannot be posted, and never throws', async () => {
    const { deps, db } = fakeDeps();
    slackState(sandbox.world).members = { C1: ['U1'] };
    sandbox.faults.add('/api/chat.postEphemeral', { status: 500, times: 1 });
    createInvestigation(db, {
      id: 'inv_1',
      alertKey: 'k',
      alert: {},
      planner: 'offline',
      startedAt: 't',
      channelId: 'C1',
      threadTs: '100.1',
    });
    const acks: (Record<string, string> | undefined)[] = [];
    const ack = async (errors?: Record<string, string>) => {
      acks.push(errors);
    };
    const view = (metadata: string, comment: unknown) => ({
      private_metadata: metadata,
      state: { values: { comment: { value: { value: comment } } } },
    });
    const meta = JSON.stringify({ investigationId: 'inv_1', channelId: 'C1' });
    expect(await onCommentSubmission(deps, view(meta, 'x'.repeat(5_000)) as never, 'U1', ack)).toEqual({
      ok: true,
    });
    expect(acks).toEqual([undefined]);
    expect(listFeedback(db)).toMatchObject([{ kind: 'comment', value: 'text', text: 'x'.repeat(2_000) }]);
    expect(await onCommentSubmission(deps, view('{', 'hi') as never, 'U1', ack)).toEqual({
      ok: false,
      error: 'the form lost track of its investigation',
    });
    expect(acks[1]).toEqual({ comment: 'the form lost track of its investigation' });
    expect(listFeedback(db)).toHaveLength(1);
  });

  it('escapes a follow-up answer built from tool text: no broadcast, ping or disguised link', async () => {
    const { deps, calls, db } = fakeDeps();
    createInvestigation(db, { id: 'inv_1', alertKey: 'k', alert: {}, planner: 'offline', startedAt: 't' });
    setSlackLocation(db, 'inv_1', { channelId: 'C1', threadTs: '100.1', progressTs: '100.2' });
    finishInvestigation(db, 'inv_1', {
      status: 'completed',
      finishedAt: 't',
      result: result({
        nextSteps: [
          '<!channel> roll back now',
          'ask <@U0BOSS> or <!subteam^S0SRE>',
          'see <http://evil.example|the runbook>',
        ],
      }),
      usage: {},
    });
    const { onMention } = await import('../../../app/slack/handlers');
    await onMention(deps, {
      channel: 'C1',
      ts: '100.5',
      thread_ts: '100.1',
      text: '<@U0SREBOT> what next?',
      user: 'U1',
    });
    const text = String(calls().at(-1)!.args.text);
    expect(text).toContain('&lt;!channel&gt; roll back now');
    expect(text).not.toMatch(/<[!@#]|<https?:/);
  });

  it('parses Slack permalinks', () => {
    expect(parsePermalink('see https://acme.slack.com/archives/C0INCIDENT/p1773324300000200')).toEqual({
      channel: 'C0INCIDENT',
      ts: '1773324300.000200',
    });
    expect(parsePermalink('no link here')).toBeUndefined();
  });
});

describe('the investigation queue', () => {
  it('runs at most N at once, in FIFO order, and drains on shutdown', async () => {
    const q = new WorkQueue(2);
    const order: number[] = [];
    let running = 0;
    let peak = 0;
    const job = (i: number) => async () => {
      running += 1;
      peak = Math.max(peak, running);
      order.push(i);
      await new Promise((r) => setTimeout(r, 10));
      running -= 1;
    };
    const all = [0, 1, 2, 3, 4].map((i) => q.run(job(i)));
    expect(q.depth).toBe(3);
    await Promise.all(all);
    expect(peak).toBe(2);
    expect(order).toEqual([0, 1, 2, 3, 4]);
    expect(await q.drain(100)).toBe(true);
    await expect(q.run(job(5))).rejects.toThrow(/shutting down/);
  });
});

describe('investigations in a thread', () => {
  const alert = {
    id: 'a1',
    source: 'text' as const,
    title: 't',
    status: 'triggered' as const,
    tags: [],
    startedAt: '2026-01-01T00:00:00Z',
    text: 't',
  };

  it('says "queued" at once when the queue is full, then posts the summary in place', async () => {
    const { deps, calls } = fakeDeps();
    const { investigateInThread } = await import('../../../app/slack/run-in-thread');
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
    const { deps: failing, calls } = fakeDeps(async () => Promise.reject(new Error('database is locked')));
    const { investigateInThread } = await import('../../../app/slack/run-in-thread');
    await expect(investigateInThread(failing, alert, 'C1', '1.0')).resolves.toBeUndefined();
    expect(String(calls().at(-1)!.args.text)).toMatch(
      /^:warning: The investigation failed: database is locked/,
    );
  });
});
