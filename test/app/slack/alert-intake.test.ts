import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { latestCycleOf } from '../../../data/alerts';
import { listJobs } from '../../../data/thread-jobs';
import type { PostedMessage } from '../../../sandbox/routes/slack';
import { type Monitor, slackPost, webhookBody } from '../gateway/notifications';
import { type Harness, startSlackHarness, until, WEBHOOK_SECRET } from './harness';

/**
 * Alert cycles end to end: DataDog posts reach the real Bolt app as signed Slack events, webhook
 * bodies reach the real /webhooks/datadog route, and everything the bot says lands in the
 * sandbox Slack API through the real WebClient. Each test uses its own monitor.
 */
let h: Harness;
beforeAll(async () => {
  // Failed thread openings are retried after 100 ms, then 200 ms, then given up.
  h = await startSlackHarness({}, { jobOptions: { openBackoffMs: [100, 200] } });
}, 60_000);
afterAll(async () => {
  await h.close();
});

const SECOND = 1_800_000_000;
const monitor = (id: string): Monitor => ({ id, name: `Checkout errors (monitor ${id})` });

const isSummary = (m: PostedMessage) => JSON.stringify(m.blocks ?? []).includes('feedback_helpful');
const isNote = (m: PostedMessage) => /^:(arrow_up|arrow_down|white_check_mark|grey_question):/.test(m.text);

/** Investigations run for a monitor (rows in the store, whatever their thread). */
function investigationsOf(m: Monitor): { alertKey: string }[] {
  return h.runtime.db
    .prepare(
      `SELECT alert_key AS alertKey FROM investigations WHERE json_extract(alert, '$.monitorId') = ? ORDER BY started_at`,
    )
    .all(m.id) as { alertKey: string }[];
}

function inThreads(roots: string[]): PostedMessage[] {
  return h.messages().filter((x) => x.threadTs !== undefined && roots.includes(x.threadTs));
}

/** Waits until the thread under `ts` has its first reply: the cycle is then handled. */
const threadOpened = (ts: string) => until(() => h.messages().find((x) => x.threadTs === ts));

/** The root post the bot wrote for a webhook alert of monitor `m`. */
const rootOf = (m: Monitor) =>
  h.messages().find((x) => x.channel === 'C0WEBHOOK' && !x.threadTs && x.text.includes(m.name));

describe('alert cycles through the Slack app', () => {
  it('Slack posts: a Warn, a Re-Triggered, a Recovered and a second cycle give exactly two investigations and two notes', async () => {
    const m = monitor('70001');
    const warn = slackPost(m, 'Warn', SECOND);
    await h.postEvent(warn);
    await threadOpened(warn.ts);
    await h.postEvent(slackPost(m, 'Re-Triggered', SECOND + 600));
    await h.postEvent(slackPost(m, 'Recovered', SECOND + 1200));
    const second = slackPost(m, 'Triggered', SECOND + 3600);
    await h.postEvent(second);
    const roots = [warn.ts, second.ts];
    await until(() => (inThreads(roots).filter(isSummary).length === 2 ? true : undefined));
    await until(() => (inThreads(roots).filter(isNote).length === 2 ? true : undefined));
    // Let anything that should not happen have its chance to.
    await new Promise((r) => setTimeout(r, 300));
    const notes = inThreads(roots).filter(isNote);
    expect(notes.map((n) => [n.threadTs, n.text.split(' ')[0]])).toEqual([
      [warn.ts, ':arrow_up:'],
      [warn.ts, ':white_check_mark:'],
    ]);
    const investigations = investigationsOf(m);
    expect(investigations).toHaveLength(2);
    expect(new Set(investigations.map((i) => i.alertKey)).size).toBe(2);
    // Nothing was posted under the re-notification or the Recovered post.
    expect(
      h.messages().filter((x) => x.threadTs && !roots.includes(x.threadTs) && x.text.includes(m.id)),
    ).toEqual([]);
  });

  it('webhooks: the same sequence through the real route gives two threads, two investigations and two notes', async () => {
    const m = monitor('70002');
    const answers = [];
    for (const [t, at] of [
      ['Warn', SECOND],
      ['Re-Triggered', SECOND + 600],
      ['Recovered', SECOND + 1200],
      ['Triggered', SECOND + 3600],
    ] as const) {
      const res = await h.hook(webhookBody(m, t, at));
      answers.push([res.status, ((await res.json()) as { duplicate: boolean }).duplicate]);
    }
    expect(answers).toEqual([
      [202, false],
      [202, true],
      [202, true],
      [202, false],
    ]);
    const roots = h
      .messages()
      .filter((x) => x.channel === 'C0WEBHOOK' && !x.threadTs && x.text.includes(m.name));
    expect(roots).toHaveLength(2);
    const rootTs = roots.map((r) => r.ts);
    await until(() => (inThreads(rootTs).filter(isSummary).length === 2 ? true : undefined));
    expect(
      inThreads(rootTs)
        .filter(isNote)
        .map((n) => n.threadTs),
    ).toEqual([rootTs[0], rootTs[0]]);
    expect(investigationsOf(m)).toHaveLength(2);
  });

  it('investigates once an alert that arrives both as a Slack post and as a webhook', async () => {
    const m = monitor('70003');
    const post = slackPost(m, 'Triggered', SECOND);
    await h.postEvent(post);
    await threadOpened(post.ts);
    const res = await h.hook(webhookBody(m, 'Triggered', SECOND + 5));
    expect(await res.json()).toMatchObject({ accepted: true, duplicate: true });
    await until(() => (inThreads([post.ts]).some(isSummary) ? true : undefined));
    await new Promise((r) => setTimeout(r, 300));
    expect(investigationsOf(m)).toHaveLength(1);
    expect(h.messages().filter((x) => x.channel === 'C0WEBHOOK' && x.text.includes(m.name))).toEqual([]);
  });

  it("answers 202 when Slack refuses the root post; the job retries and opens the thread once, and DataDog's resend is a duplicate", async () => {
    const m = monitor('70004');
    h.runtime.sandbox!.faults.add('/api/chat.postMessage', { slackError: 'internal_error', times: 1 });
    const body = webhookBody(m, 'Triggered', SECOND);
    const first = await h.hook(body);
    expect(first.status).toBe(202);
    expect(await first.json()).toMatchObject({ duplicate: false });
    expect(await (await h.hook(body)).json()).toMatchObject({ duplicate: true });
    const root = await until(() => rootOf(m));
    await until(() => (inThreads([root.ts]).some(isSummary) ? true : undefined));
    expect(
      h.messages().filter((x) => x.channel === 'C0WEBHOOK' && !x.threadTs && x.text.includes(m.name)),
    ).toHaveLength(1);
    expect(investigationsOf(m)).toHaveLength(1);
  });

  it('retries a failed first reply under the DataDog post: the thread opens there once, and a re-notification meanwhile adds nothing', async () => {
    const m = monitor('70005');
    h.runtime.sandbox!.faults.add('/api/chat.postMessage', { slackError: 'internal_error', times: 1 });
    const failed = slackPost(m, 'Triggered', SECOND);
    await h.postEvent(failed);
    const renotify = slackPost(m, 'Renotify', SECOND + 600);
    await h.postEvent(renotify);
    await until(() => (inThreads([failed.ts]).some(isSummary) ? true : undefined));
    expect(investigationsOf(m)).toHaveLength(1);
    expect(inThreads([renotify.ts])).toEqual([]);
    expect(latestCycleOf(h.runtime.db, `${m.id}|`)).toMatchObject({ threadTs: failed.ts, claimedAt: null });
  });

  it('gives up after its retries and leaves the cycle retryable: the next re-notification opens the thread', async () => {
    const m = monitor('70008');
    // One attempt and each retry (the harness allows two) fail.
    h.runtime.sandbox!.faults.add('/api/chat.postMessage', { slackError: 'internal_error', times: 3 });
    const failed = slackPost(m, 'Triggered', SECOND);
    await h.postEvent(failed);
    await until(() => {
      const cycle = latestCycleOf(h.runtime.db, `${m.id}|`);
      return cycle && cycle.claimedAt === null && cycle.threadTs === null ? cycle : undefined;
    });
    expect(
      listJobs(h.runtime.db).filter((j) => (j.alert as { monitorId?: string }).monitorId === m.id),
    ).toMatchObject([{ state: 'done', verdict: 'failed' }]);
    const renotify = slackPost(m, 'Renotify', SECOND + 600);
    await h.postEvent(renotify);
    await until(() => (inThreads([renotify.ts]).some(isSummary) ? true : undefined));
    expect(investigationsOf(m)).toHaveLength(1);
    expect(inThreads([failed.ts])).toEqual([]);
  });

  it('answers the webhook before Slack answers: a 429 on the root post is waited out after the 202', async () => {
    const m = monitor('70009');
    // Slack rate-limits the root post for 3 s; the WebClient waits it out and posts again.
    h.runtime.sandbox!.faults.add('/api/chat.postMessage', { status: 429, retryAfter: 3, times: 1 });
    const res = await h.hook(webhookBody(m, 'Triggered', SECOND));
    expect(res.status).toBe(202);
    // The answer came first: Slack had not yet taken the root post.
    expect(rootOf(m)).toBeUndefined();
    expect(
      h.runtime.sandbox!.requests.some(
        (r) => r.path === '/api/chat.postMessage' && JSON.stringify(r.body).includes(m.name),
      ),
    ).toBe(true);
    const root = await until(() => rootOf(m));
    await until(() => (inThreads([root.ts]).some(isSummary) ? true : undefined));
    expect(investigationsOf(m)).toHaveLength(1);
  });

  it('answers 503 when the Recovered note cannot be posted, and the retry posts it once', async () => {
    const m = monitor('70006');
    expect((await h.hook(webhookBody(m, 'Triggered', SECOND))).status).toBe(202);
    h.runtime.sandbox!.faults.add('/api/chat.postMessage', { slackError: 'internal_error', times: 1 });
    const recovered = webhookBody(m, 'Recovered', SECOND + 600);
    expect((await h.hook(recovered)).status).toBe(503);
    expect(await (await h.hook(recovered)).json()).toMatchObject({ noted: true });
    expect(await (await h.hook(recovered)).json()).toMatchObject({ noted: false, duplicate: true });
    const root = h
      .messages()
      .find((x) => x.channel === 'C0WEBHOOK' && !x.threadTs && x.text.includes(m.name))!;
    expect(
      inThreads([root.ts])
        .filter(isNote)
        .map((n) => n.text),
    ).toEqual([':white_check_mark: DataDog reports this alert as recovered.']);
  });

  it('keeps a configured secret in a webhook scope, cycle key and title out of Slack and the cycle table, and the cycle still matches', async () => {
    const MARK = '[REDACTED:configured-secret]';
    const m: Monitor = { ...monitor('70007'), scope: `env:prod,note:${WEBHOOK_SECRET}` };
    const key = `cycle-${WEBHOOK_SECRET}`;
    const first = await h.hook(webhookBody(m, 'Warn', SECOND, key));
    expect(await first.json()).toMatchObject({ accepted: true, duplicate: false });
    const root = await until(() =>
      h.messages().find((x) => x.channel === 'C0WEBHOOK' && !x.threadTs && x.text.includes(m.name)),
    );
    expect(root.text).toContain(MARK);
    await until(() => (inThreads([root.ts]).some(isSummary) ? true : undefined));
    // The same (redacted) group and key find the same cycle: the escalation is a note, not a run.
    const again = await h.hook(webhookBody(m, 'Triggered', SECOND + 600, key));
    expect(await again.json()).toMatchObject({ accepted: true, noted: true });
    expect(
      inThreads([root.ts])
        .filter(isNote)
        .map((n) => n.text.split(' ')[0]),
    ).toEqual([':arrow_up:']);
    expect(investigationsOf(m)).toHaveLength(1);
    const rows = JSON.stringify(h.runtime.db.prepare('SELECT * FROM alerts').all());
    expect(rows).toContain(`note:${MARK}`);
    expect(rows).toContain(`cycle-${MARK}`);
    const posted = h.messages().filter((x) => x.ts === root.ts || x.threadTs === root.ts);
    for (const text of [rows, ...posted.map((x) => `${x.text}${JSON.stringify(x.blocks ?? [])}`)])
      expect(text).not.toContain(WEBHOOK_SECRET);
  });
});
