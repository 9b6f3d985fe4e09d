import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Alert } from '../../../agent/alert';
import type { Runtime } from '../../../app/runtime';
import type { SlackAppDeps } from '../../../app/slack/app';
import { listFeedback } from '../../../data/feedback';
import { findInvestigationByThread, getSteps, listTurns } from '../../../data/investigations';
import { getDeadLetter } from '../../../data/webhook-dead-letters';
import { setScript } from '../../../sandbox/routes/openai';
import { type PostedMessage, slackState } from '../../../sandbox/routes/slack';
import { signedSlackHeaders } from '../../../sandbox/slack-signature';
import {
  commentSubmission,
  type Harness,
  SIGNING_SECRET,
  startSlackHarness,
  until,
  WEBHOOK_SECRET,
} from './harness';

function sign(body: string, ts?: number): Record<string, string> {
  return signedSlackHeaders(SIGNING_SECRET, body, ts);
}

describe('the Slack app end to end (real Bolt, HTTP mode, sandbox Slack API)', () => {
  let h: Harness;
  let runtime: Runtime;
  let deps: SlackAppDeps;
  let base: string;
  let messages: () => PostedMessage[];
  const alertEvent = () =>
    JSON.parse(JSON.stringify(runtime.sandbox!.scenario.manifest.alert)).slackMessage as Record<
      string,
      unknown
    >;

  const postEvent = (event: Record<string, unknown>, extraHeaders: Record<string, string> = {}) =>
    h.postEvent(event, extraHeaders);

  /** A signed /investigate from a user of team T0ACME in `channel`, as Slack sends it. */
  const slash = (text: string, channel: string, user: string) => {
    const body = new URLSearchParams({
      command: '/investigate',
      text,
      channel_id: channel,
      user_id: user,
      team_id: 'T0ACME',
      response_url: `${runtime.sandbox!.url}/response`,
      trigger_id: '1',
    }).toString();
    return fetch(`${base}/slack/events`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', ...sign(body) },
      body,
    });
  };

  /** A signed interactivity payload (button click, modal submission), form-encoded as Slack sends it. */
  const interact = (payload: Record<string, unknown>) => {
    const body = new URLSearchParams({ payload: JSON.stringify(payload) }).toString();
    return fetch(`${base}/slack/events`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', ...sign(body) },
      body,
    });
  };

  beforeAll(async () => {
    h = await startSlackHarness();
    ({ runtime, deps, base, messages } = h);
    // Who is in the alert's channel (conversations.members): feedback and permalinks are checked against it.
    slackState(runtime.sandbox!.world).members = { C0INCIDENT: ['U0ALICE', 'U0BOB', 'U0ERIN', 'U0EVE'] };
  });
  afterAll(async () => {
    await h.close();
  });

  it('answers a DataDog alert in its thread at once, then replaces progress with the summary', async () => {
    const event = alertEvent();
    expect((await postEvent(event)).status).toBe(200);
    const summary = await until(() => messages().find((m) => m.threadTs === event.ts && m.blocks));
    const blocksText = JSON.stringify(summary.blocks);
    expect(blocksText).toContain('Commit 7c1e9a4');
    expect(blocksText).toContain('feedback_helpful');
    expect(blocksText).toContain('Checkout 5xx errors runbook');
    expect(summary.updates).toBeGreaterThanOrEqual(1);
    // A Slack retry of the same event and a re-post of the same alert cycle start nothing new.
    await postEvent(event, { 'x-slack-retry-num': '1', 'x-slack-retry-reason': 'http_timeout' });
    await postEvent({ ...event, ts: '1773324999.000100' });
    await new Promise((r) => setTimeout(r, 300));
    expect(
      messages().filter((m) => m.threadTs === event.ts || m.threadTs === '1773324999.000100'),
    ).toHaveLength(1);
  });

  it('records a reaction on the summary as feedback and retracts it when removed', async () => {
    const event = alertEvent();
    const summary = await until(() => messages().find((m) => m.threadTs === event.ts && m.blocks));
    const reaction = (type: string) => ({
      type,
      user: 'U0ALICE',
      reaction: '+1',
      item: { type: 'message', channel: summary.channel, ts: summary.ts },
      event_ts: '1.1',
    });
    await postEvent(reaction('reaction_added'));
    const row = await until(() => listFeedback(runtime.db)[0]);
    expect(row).toMatchObject({ userId: 'U0ALICE', kind: 'rating', value: 'helpful' });
    await postEvent(reaction('reaction_removed'));
    await until(() => (listFeedback(runtime.db).length === 0 ? true : undefined));
  });

  it('Comment opens a modal with the suspects; a submission stores the comment and the named cause', async () => {
    const summary = await until(() =>
      messages().find((m) => JSON.stringify(m.blocks ?? []).includes('feedback_comment')),
    );
    const actions = (
      summary.blocks as { type: string; elements?: { action_id: string; value: string }[] }[]
    ).find((b) => b.type === 'actions')!;
    const investigationId = actions.elements!.find((e) => e.action_id === 'feedback_comment')!.value;
    const user = { id: 'U0ERIN', team_id: 'T0ACME' };
    const click = await interact({
      type: 'block_actions',
      user,
      team: { id: 'T0ACME' },
      trigger_id: '123.456.abc',
      channel: { id: summary.channel },
      container: { type: 'message', message_ts: summary.ts, channel_id: summary.channel },
      actions: [
        {
          type: 'button',
          action_id: 'feedback_comment',
          block_id: `feedback:${investigationId}`,
          value: investigationId,
        },
      ],
    });
    expect(click.status).toBe(200);
    const view = (await until(() => slackState(runtime.sandbox!.world).views?.[0])) as {
      private_metadata: string;
      blocks: { block_id: string; element: { options?: { value: string }[] } }[];
    };
    const options = view.blocks
      .find((b) => b.block_id === 'actual_cause')!
      .element.options!.map((o) => o.value);
    expect(options[0]).toMatch(/^actual:7c1e9a4/);
    expect(options.at(-1)).toBe('actual:other');

    const submit = (comment: string, metadata = view.private_metadata) =>
      interact(commentSubmission(user.id, metadata, comment, options[0]));
    // An empty comment is answered with a field error, and nothing is stored.
    const empty = await submit('   ');
    expect(await empty.json()).toEqual({
      response_action: 'errors',
      errors: { comment: 'Please write a few words.' },
    });
    // A forged form (no investigation) is refused the same way, without a crash.
    expect(await (await submit('hello', '{not json')).json()).toMatchObject({ response_action: 'errors' });
    expect(listFeedback(runtime.db, investigationId).filter((f) => f.userId === 'U0ERIN')).toEqual([]);

    expect((await submit('Rolled back 7c1e9a4 and checkout recovered.')).status).toBe(200);
    const stored = await until(() => {
      const rows = listFeedback(runtime.db, investigationId).filter((f) => f.userId === 'U0ERIN');
      return rows.length === 2 ? rows : undefined;
    });
    expect(stored.map((f) => [f.kind, f.value, f.text ?? null])).toEqual([
      ['comment', 'text', 'Rolled back 7c1e9a4 and checkout recovered.'],
      ['root_cause', options[0], null],
    ]);
    expect(await until(() => messages().find((m) => m.ephemeralTo === 'U0ERIN'))).toMatchObject({
      text: expect.stringContaining('your comment is saved'),
    });
  });

  it('answers a follow-up mention in the investigation thread', async () => {
    const event = alertEvent();
    await until(() => messages().find((m) => m.threadTs === event.ts && m.blocks));
    await postEvent({
      type: 'app_mention',
      user: 'U0BOB',
      channel: event.channel,
      ts: '1773325100.000100',
      thread_ts: event.ts,
      text: '<@U0SREBOT> what should we do next?',
    });
    const answer = await until(() =>
      messages().find((m) => m.threadTs === event.ts && m.text.startsWith('Next steps')),
    );
    expect(answer.text).toMatch(/Roll back checkout/);
  });

  it('with a model configured, answers a follow-up with the investigation as context and tools as needed', async () => {
    const event = alertEvent();
    await until(() => messages().find((m) => m.threadTs === event.ts && m.blocks));
    runtime.llm = {
      apiKey: 'sk-test',
      baseURL: `${runtime.sandbox!.url}/v1`,
      model: 'gpt-4o-mini',
      toolMode: 'native',
    };
    const answer = {
      headline: 'Yes: deployment 9101 shipped the bad commit',
      rootCause: 'Deployment 9101 carried 7c1e9a4',
      confidence: 'high',
      suspects: [],
      impact: 'same as before',
      nextSteps: ['Roll back deployment 9101'],
      similarIncidents: [],
      runbooks: [],
    };
    setScript(runtime.sandbox!.world, [
      { toolCalls: [{ name: 'github_changes', arguments: { service: 'checkout' } }] },
      { content: 'Deployment 9101 carried it.' },
      { content: JSON.stringify(answer) },
    ]);
    try {
      await postEvent({
        type: 'app_mention',
        user: 'U0BOB',
        team: 'T0ACME',
        channel: event.channel,
        ts: '1773325200.000100',
        thread_ts: event.ts,
        text: '<@U0SREBOT> which deployment shipped it?',
      });
      const reply = await until(() =>
        messages().find(
          (m) =>
            m.threadTs === event.ts && JSON.stringify(m.blocks ?? []).includes('deployment 9101 shipped'),
        ),
      );
      expect(reply.chunks?.length).toBeGreaterThan(0);
      // The run investigates the thread's alert, asked the question (not the question posing as an alert).
      const root = findInvestigationByThread(runtime.db, String(event.channel), String(event.ts))!;
      const firstChat = JSON.parse(
        runtime.sandbox!.requests.find((r) => r.path === '/v1/chat/completions')!.rawBody,
      ) as { messages: { role: string; content: string }[] };
      const prompt = firstChat.messages.find((m) => m.role === 'user')!.content;
      expect(prompt).toContain(`Alert: ${(root.alert as Alert).title}`);
      expect(prompt).toContain('Question: which deployment shipped it?');
      expect(prompt).toContain('Previous root cause');
      // The agent's answer is a turn of the thread's investigation (its own steps and tools), not a new one.
      expect(root.parentId).toBeNull();
      const turn = listTurns(runtime.db, root.id).at(-1)!;
      expect(turn).toMatchObject({
        question: 'which deployment shipped it?',
        planner: 'llm',
        alertKey: root.alertKey,
      });
      expect(getSteps(runtime.db, turn.id).flatMap((st) => st.calls.map((c) => c.tool))).toContain(
        'github.changes',
      );
    } finally {
      runtime.llm = undefined;
    }
  });

  it('runs /investigate: ephemeral help without text, a root message and thread with text', async () => {
    expect((await slash('', 'C0OPS', 'U0CAROL')).status).toBe(200);
    const help = await until(() => slackState(runtime.sandbox!.world).responses?.[0]);
    expect(help).toMatchObject({ response_type: 'ephemeral' });
    expect(String(help.text)).toMatch(/^Usage: `\/investigate/);
    expect((await slash('checkout errors are up', 'C0OPS', 'U0CAROL')).status).toBe(200);
    const root = await until(() => messages().find((m) => m.channel === 'C0OPS' && !m.threadTs));
    expect(root.text).toContain('checkout errors are up');
    const summary = await until(() => messages().find((m) => m.threadTs === root.ts && m.blocks));
    expect(JSON.stringify(summary.blocks)).toContain('checkout');
    // A person asked, so progress was streamed as plan and task updates, then the stream was stopped.
    expect(summary.streaming).toBe(false);
    expect(JSON.stringify(summary.chunks)).toContain('"type":"task_update"');
    expect(JSON.stringify(summary.chunks)).toContain('datadog.logs');
  });

  it('/investigate with a permalink investigates the DataDog alert that message holds', async () => {
    await slash('https://acme.slack.com/archives/C0INCIDENT/p1773324300000200', 'C0LINK', 'U0EVE');
    const root = await until(() => messages().find((m) => m.channel === 'C0LINK' && !m.threadTs));
    const summary = await until(() => messages().find((m) => m.threadTs === root.ts && m.blocks));
    expect(JSON.stringify(summary.blocks)).toContain('Commit 7c1e9a4');
  });

  it('falls back to chat.update when a stream expires mid-run', async () => {
    slackState(runtime.sandbox!.world).expireStreamsAfter = 3;
    await slash('orders are slow', 'C0EXPIRE', 'U0DAN');
    const root = await until(() => messages().find((m) => m.channel === 'C0EXPIRE' && !m.threadTs));
    const summary = await until(() => messages().find((m) => m.threadTs === root.ts && m.blocks));
    slackState(runtime.sandbox!.world).expireStreamsAfter = undefined;
    expect(summary.chunks).toHaveLength(3);
    expect(JSON.stringify(summary.blocks)).toContain('feedback_helpful');
    expect(
      runtime.sandbox!.requests.some(
        (r) => r.path === '/api/chat.update' && (r.body as { ts?: string }).ts === summary.ts,
      ),
    ).toBe(true);
  });

  it('rejects forged and stale signatures with 401', async () => {
    const body = JSON.stringify({ type: 'event_callback', event_id: 'EvX', event: alertEvent() });
    const forged = await fetch(`${base}/slack/events`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'x-slack-signature': 'v0=deadbeef',
        'x-slack-request-timestamp': String(Math.floor(Date.now() / 1000)),
      },
      body,
    });
    expect(forged.status).toBe(401);
    const stale = await fetch(`${base}/slack/events`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...sign(body, Math.floor(Date.now() / 1000) - 3600) },
      body,
    });
    expect(stale.status).toBe(401);
  });

  it('serves /healthz and the DataDog webhook: 401, 422 (kept), 413, 202, and 202 without a second run', async () => {
    const health = (await (await fetch(`${base}/healthz`)).json()) as Record<string, number>;
    expect(health).toMatchObject({ ok: true, queueDepth: 0 });
    expect(health.runP95Ms).toBeGreaterThan(0);
    expect(health.started).toBeGreaterThan(0);
    const hook = (body: string, secret?: string) =>
      fetch(`${base}/webhooks/datadog`, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          ...(secret ? { 'x-sre-webhook-secret': secret } : {}),
        },
        body,
      });
    expect((await hook('{}')).status).toBe(401);
    expect((await hook('{}', 'wrong-secret-0123456789abcdef00')).status).toBe(401);
    const notJson = await hook('{not json', WEBHOOK_SECRET);
    expect(notJson.status).toBe(422);
    expect(await notJson.json()).toMatchObject({ error: expect.stringMatching(/^body is not valid JSON/) });
    // A body that cannot be understood names what was missing and is kept, secrets redacted.
    const untitled = await hook(
      JSON.stringify({
        no: 'title',
        note: `token ${WEBHOOK_SECRET}`,
        key: 'ghp_0123456789abcdefghijklmnopqrstuvwxyz',
      }),
      WEBHOOK_SECRET,
    );
    expect(untitled.status).toBe(422);
    const refused = (await untitled.json()) as { error: string; deadLetter: number };
    expect(refused.error).toMatch(/^missing "title"/);
    const kept = getDeadLetter(runtime.db, refused.deadLetter)!;
    expect(kept.error).toBe(refused.error);
    expect(kept.body).toContain('"no":"title"');
    expect(kept.body).not.toContain(WEBHOOK_SECRET);
    expect(kept.body).not.toContain('ghp_0123456789');
    expect(
      (await hook(JSON.stringify({ title: 'x', pad: 'a'.repeat(1_100_000) }), WEBHOOK_SECRET)).status,
    ).toBe(413);
    const payload = JSON.stringify({
      title: '[Triggered] Checkout errors',
      // Not the demo's monitor: its Slack post already opened that cycle, and one cycle is one run.
      alert_id: '41299',
      alert_transition: 'Triggered',
      tags: 'service:checkout,env:prod',
      date: '1773324000000',
    });
    const first = await hook(payload, WEBHOOK_SECRET);
    expect(first.status).toBe(202);
    expect(await first.json()).toMatchObject({ accepted: true, duplicate: false });
    const again = await hook(payload, WEBHOOK_SECRET);
    expect(await again.json()).toMatchObject({ accepted: true, duplicate: true });
    const root = await until(() => messages().find((m) => m.channel === 'C0WEBHOOK' && !m.threadTs));
    await until(() => messages().find((m) => m.threadTs === root.ts && m.blocks));
    expect(messages().filter((m) => m.channel === 'C0WEBHOOK' && !m.threadTs)).toHaveLength(1);
  });

  it('never answers 5xx to random webhook bodies or malformed signed Slack events', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(
          fc.jsonValue({ maxDepth: 8 }).map((v) => JSON.stringify(v)),
          fc.string(),
        ),
        async (body) => {
          const res = await fetch(`${base}/webhooks/datadog`, {
            method: 'POST',
            headers: { 'content-type': 'application/json', 'x-sre-webhook-secret': WEBHOOK_SECRET },
            body,
          });
          expect([202, 413, 422]).toContain(res.status);
        },
      ),
      { numRuns: 60 },
    );
    for (const event of [null, 42, 'text', { type: 'message' }, { type: 'reaction_added', item: null }]) {
      const body = JSON.stringify({ type: 'event_callback', event_id: `EvBad${Math.random()}`, event });
      const res = await fetch(`${base}/slack/events`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...sign(body) },
        body,
      });
      expect(res.status).toBeLessThan(500);
    }
    expect((await fetch(`${base}/healthz`)).status).toBe(200);
  });

  it('honours Slack 429 Retry-After and loses no message', async () => {
    runtime.sandbox!.faults.add('/api/chat.postMessage', { status: 429, retryAfter: 1, times: 1 });
    const event = {
      ...alertEvent(),
      ts: '1773329999.000100',
      attachments: [
        {
          title: '[Triggered] [P3] Inventory sync lag',
          title_link: 'https://app.datadoghq.com/monitors/39001?from_ts=1',
        },
      ],
    };
    await postEvent(event);
    const summary = await until(() => messages().find((m) => m.threadTs === event.ts && m.blocks));
    // One reply, posted once Slack let it through, then replaced in place by the summary.
    expect(
      messages()
        .filter((m) => m.threadTs === event.ts)
        .map((m) => m.ts),
    ).toEqual([summary.ts]);
    const posts = runtime.sandbox!.requests.filter(
      (r) => r.path === '/api/chat.postMessage' && (r.body as { thread_ts?: string }).thread_ts === event.ts,
    );
    expect(posts.map((r) => r.status)).toEqual([429, 200]);
  });

  /** The investigation a summary's buttons name. */
  const investigationOf = (m: PostedMessage) =>
    (m.blocks as { type: string; elements?: { value: string }[] }[]).find((b) => b.type === 'actions')!
      .elements![0]!.value;
  const count = (table: string) =>
    (runtime.db.prepare(`SELECT COUNT(*) AS n FROM ${table}`).get() as { n: number }).n;
  const historyReads = () =>
    runtime.sandbox!.requests.filter((r) => r.path === '/api/conversations.history').length;
  const responseTo = async (before: number) =>
    String((await until(() => slackState(runtime.sandbox!.world).responses?.[before])).text);

  it('refuses /investigate of a permalink to a channel the requester is not in, and stores nothing', async () => {
    const before = {
      responses: slackState(runtime.sandbox!.world).responses?.length ?? 0,
      investigations: count('investigations'),
      alerts: count('alerts'),
      history: historyReads(),
    };
    await slash('https://acme.slack.com/archives/C0INCIDENT/p1773324300000200', 'C0ELSEWHERE', 'U0MALLORY');
    expect(await responseTo(before.responses)).toMatch(
      /cannot investigate that link here: you are not a member of <#C0INCIDENT>/,
    );
    expect(messages().filter((m) => m.channel === 'C0ELSEWHERE')).toEqual([]);
    // Refused before the message was read: nothing of it was fetched or stored.
    expect(historyReads()).toBe(before.history);
    expect(count('investigations')).toBe(before.investigations);
    expect(count('alerts')).toBe(before.alerts);
  });

  it("keeps a private channel's message in that channel, even for its members", async () => {
    const before = slackState(runtime.sandbox!.world).responses?.length ?? 0;
    const history = historyReads();
    // U0PRIYA posted in the private #payments-oncall (G0PAYONCALL), so she is a member.
    await slash('https://acme.slack.com/archives/G0PAYONCALL/p1773290000000100', 'C0OPS', 'U0PRIYA');
    expect(await responseTo(before)).toMatch(
      /<#G0PAYONCALL> is private: run `\/investigate` with this link in that channel/,
    );
    expect(historyReads()).toBe(history);
  });

  it('refuses a button or a Comment form whose value names an investigation of another channel or thread', async () => {
    const event = alertEvent();
    const own = await until(() => messages().find((m) => m.threadTs === event.ts && m.blocks));
    // Another investigation in the same channel (the 429 test's alert) and one in another channel.
    const sameChannel = await until(() =>
      messages().find((m) => m.threadTs === '1773329999.000100' && m.blocks),
    );
    const otherChannel = await until(() =>
      messages().find((m) => m.channel === 'C0OPS' && m.threadTs && m.blocks),
    );
    const press = (actionId: string, value: string, user = 'U0ERIN') =>
      interact({
        type: 'block_actions',
        user: { id: user, team_id: 'T0ACME' },
        team: { id: 'T0ACME' },
        trigger_id: `trigger.${Math.random()}`,
        channel: { id: own.channel },
        container: { type: 'message', message_ts: own.ts, channel_id: own.channel },
        message: { ts: own.ts, thread_ts: own.threadTs },
        actions: [{ type: 'button', action_id: actionId, block_id: `feedback:${value}`, value }],
      });
    const viewsBefore = slackState(runtime.sandbox!.world).views?.length ?? 0;
    for (const forged of [investigationOf(sameChannel), investigationOf(otherChannel)]) {
      await press('feedback_helpful', forged);
      await press('feedback_comment', forged);
    }
    // A real member on the real message, but not in the channel: refused too.
    await press('feedback_helpful', investigationOf(own), 'U0MALLORY');
    const refusals = await until(() => {
      const r = messages().filter((m) => m.ephemeralTo && m.text.startsWith(':no_entry:'));
      return r.length >= 5 ? r : undefined;
    });
    expect(refusals.map((m) => m.text.replace(/^:no_entry: (Not recorded|Cannot comment): /, ''))).toEqual([
      'that investigation belongs to another thread; nothing was saved.',
      'that investigation belongs to another thread; nothing was saved.',
      'that investigation belongs to another channel; nothing was saved.',
      'that investigation belongs to another channel; nothing was saved.',
      'you are not a member of the channel this investigation ran in; nothing was saved.',
    ]);
    expect(slackState(runtime.sandbox!.world).views?.length ?? 0).toBe(viewsBefore);

    // A Comment form naming another investigation than where it was opened is refused at submission.
    const submit = (metadata: Record<string, unknown>, user = 'U0ERIN') =>
      interact(commentSubmission(user, JSON.stringify(metadata), 'forged'));
    const answers = await Promise.all([
      submit({ investigationId: investigationOf(sameChannel), channelId: own.channel, messageTs: own.ts }),
      submit({ investigationId: investigationOf(otherChannel), channelId: own.channel, messageTs: own.ts }),
      submit(
        { investigationId: investigationOf(own), channelId: own.channel, messageTs: own.ts },
        'U0MALLORY',
      ),
    ]);
    for (const a of answers) expect(await a.json()).toMatchObject({ response_action: 'errors' });
    const forgedIds = [investigationOf(sameChannel), investigationOf(otherChannel), investigationOf(own)];
    expect(
      listFeedback(runtime.db).filter(
        (f) => forgedIds.includes(f.investigationId) && (f.text === 'forged' || f.userId === 'U0MALLORY'),
      ),
    ).toEqual([]);
    expect(
      listFeedback(runtime.db).filter(
        (f) => f.userId === 'U0ERIN' && f.investigationId !== investigationOf(own),
      ),
    ).toEqual([]);
  });

  it('applies SRE_INVESTIGATE_ALLOWLIST to @mentions that would start an investigation', async () => {
    const env = deps.env;
    deps.env = { ...env, SRE_INVESTIGATE_ALLOWLIST: ['U0OK'] };
    // Root investigations: a follow-up answered from the stored result is a turn, not one of these.
    const roots = runtime.db.prepare('SELECT COUNT(*) AS n FROM investigations WHERE parent_id IS NULL');
    const rootCount = () => (roots.get() as { n: number }).n;
    try {
      const investigations = rootCount();
      await postEvent({
        type: 'app_mention',
        user: 'U0NOPE',
        channel: 'C0MENTION',
        ts: '1773326000.000100',
        text: '<@U0SREBOT> why is checkout failing?',
      });
      const reply = await until(() => messages().find((m) => m.threadTs === '1773326000.000100'));
      expect(reply.text).toMatch(/not on the allowlist/);
      await new Promise((r) => setTimeout(r, 300));
      expect(rootCount()).toBe(investigations);
      // In an investigation thread without a model, the stored answer is only read: still given.
      const event = alertEvent();
      const answers = () =>
        messages().filter((m) => m.threadTs === event.ts && m.text.startsWith('Next steps'));
      const answered = answers().length;
      await postEvent({
        type: 'app_mention',
        user: 'U0NOPE',
        channel: event.channel,
        ts: '1773326000.000200',
        thread_ts: event.ts,
        text: '<@U0SREBOT> what should we do next?',
      });
      await until(() => (answers().length > answered ? true : undefined));
      // Nothing new was investigated: the answer is recorded as a turn of the thread's investigation.
      expect(rootCount()).toBe(investigations);
      const root = findInvestigationByThread(runtime.db, String(event.channel), String(event.ts))!;
      expect(listTurns(runtime.db, root.id).at(-1)).toMatchObject({ question: 'what should we do next?' });
    } finally {
      deps.env = env;
    }
  });

  it('escapes mentions and disguised links from a webhook alert in the root post and its thread', async () => {
    const res = await fetch(`${base}/webhooks/datadog`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-sre-webhook-secret': WEBHOOK_SECRET },
      body: JSON.stringify({
        title: '[Triggered] <!here> checkout <@U0BOB> <!subteam^S0SRE> <http://evil.example|trusted runbook>',
        // A monitor of its own: 41299's cycle is already open (the webhook test), and a repeat posts nothing.
        alert_id: '41377',
        alert_transition: 'Triggered',
        tags: 'service:checkout,env:prod',
        date: '1773324000000',
      }),
    });
    expect(res.status).toBe(202);
    const root = await until(() =>
      messages().find((m) => m.channel === 'C0WEBHOOK' && m.text.includes('checkout &lt;@U0BOB&gt;')),
    );
    expect(root.text).toContain('&lt;!here&gt;');
    expect(root.text).toContain('&lt;http://evil.example|trusted runbook&gt;');
    await until(() => messages().find((m) => m.threadTs === root.ts && m.blocks));
    for (const m of messages().filter((x) => x.ts === root.ts || x.threadTs === root.ts)) {
      const posted = `${m.text}${JSON.stringify(m.blocks ?? [])}`;
      expect(posted).not.toMatch(/<!here>|<!subteam|<@U0BOB>|<http:\/\/evil/);
    }
  });
});
