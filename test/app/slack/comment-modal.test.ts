import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { App } from '@slack/bolt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { InvestigationResult, Suspect } from '../../../agent/result';
import { parseEnv } from '../../../app/config';
import { silentLogger } from '../../../app/logger';
import { createRuntime, type Runtime } from '../../../app/runtime';
import { clip, commentModalView, summaryBlocks } from '../../../app/slack/blocks';
import { listFeedback } from '../../../data/feedback';
import { getInvestigation } from '../../../data/investigations';
import { type PostedMessage, slackState } from '../../../sandbox/routes/slack';
import { signedSlackHeaders } from '../../../sandbox/slack-signature';
import { sampleResult } from '../../fixtures/investigation';
import { DEMO } from '../../tools/helpers';
import { commentSubmission, startSlackApp } from './harness';

const SIGNING_SECRET = 'comment-signing-secret-0123456789';

type Option = { text: { type: string; text: string }; value: string };
type ModalBlock = {
  type: string;
  block_id: string;
  optional?: boolean;
  label: { text: string };
  element: { type: string; action_id: string; options?: Option[]; multiline?: boolean; max_length?: number };
};
type Modal = {
  type: string;
  callback_id: string;
  title: { text: string };
  submit: { text: string };
  private_metadata: string;
  blocks: ModalBlock[];
};

async function until<T>(what: () => T | undefined, ms = 15_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = what();
    if (v !== undefined) return v;
    if (Date.now() > end) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 25));
  }
}

const suspect = (over: Partial<Suspect>): Suspect =>
  ({ kind: 'commit', ref: 'abc', title: 't', score: 0.5, evidence: [], ...over }) as Suspect;

const result = (suspects: Suspect[]) => sampleResult('inv_unit', { suspects });

describe('the Comment modal view (pure)', () => {
  it('is a modal that carries the investigation and channel back, with one option per suspect and "other"', () => {
    const view = commentModalView(
      result([
        suspect({ kind: 'commit', ref: '7c1e9a4d2b0f11aa', title: 'Remove retry on payment call' }),
        suspect({ kind: 'feature_flag', ref: 'checkout-v2', title: 'Flag turned on' }),
      ]),
      { channel: 'C0ALERTS' },
    ) as Modal;
    expect(view).toMatchObject({
      type: 'modal',
      callback_id: 'feedback_comment',
      title: { type: 'plain_text', text: 'Feedback' },
      submit: { type: 'plain_text', text: 'Send' },
    });
    expect(JSON.parse(view.private_metadata)).toEqual({ investigationId: 'inv_unit', channelId: 'C0ALERTS' });
    const [select, comment] = view.blocks;
    expect(select).toMatchObject({
      type: 'input',
      block_id: 'actual_cause',
      optional: true,
      label: { text: 'What was the root cause?' },
      element: { type: 'static_select', action_id: 'value' },
    });
    expect(select!.element.options).toEqual([
      {
        text: { type: 'plain_text', text: 'commit 7c1e9a4d2b: Remove retry on payment call' },
        value: 'actual:7c1e9a4d2b0f11aa',
      },
      {
        text: { type: 'plain_text', text: 'feature flag checkout-v2: Flag turned on' },
        value: 'actual:checkout-v2',
      },
      { text: { type: 'plain_text', text: 'Something else / not in this list' }, value: 'actual:other' },
    ]);
    expect(comment).toMatchObject({
      type: 'input',
      block_id: 'comment',
      optional: false,
      label: { text: 'What happened? What would have helped?' },
      element: { type: 'plain_text_input', action_id: 'value', multiline: true, max_length: 2000 },
    });
  });

  it("clips option texts to 75 and values to 150 characters (Slack's limits), never halving an emoji", () => {
    const longRef = `r${'x'.repeat(300)}`;
    const view = commentModalView(
      result([
        suspect({ kind: 'deployment', ref: longRef, title: 'y'.repeat(500) }),
        suspect({ kind: 'pull_request', ref: '42', title: `${'z'.repeat(56)}😀😀😀😀` }),
      ]),
      { channel: 'C1' },
    ) as Modal;
    const options = view.blocks[0]!.element.options!;
    for (const o of options) {
      expect(o.text.text.length).toBeLessThanOrEqual(75);
      expect(o.value.length).toBeLessThanOrEqual(150);
      // No lone surrogate: the text survives a UTF-8 round trip unchanged.
      expect(new TextDecoder().decode(new TextEncoder().encode(o.text.text))).toBe(o.text.text);
    }
    expect(options[0]!.text.text).toMatch(/^deployment rx+…$/);
    expect(options[0]!.value).toBe(`actual:${longRef}`.slice(0, 150));
    expect(options[1]!.text.text).toBe(`pull request 42: ${'z'.repeat(56)}…`);
    expect(clip('a😀b', 3)).toBe('a…');
  });

  it('offers each distinct value once and at most 10 suspects, and omits the select without suspects', () => {
    const many = Array.from({ length: 14 }, (_, i) => suspect({ ref: `ref${i}` }));
    const twice = [
      suspect({ kind: 'commit', ref: 'same' }),
      suspect({ kind: 'deployment', ref: 'same' }),
      ...many,
    ];
    const values = (
      commentModalView(result(twice), { channel: 'C1' }) as Modal
    ).blocks[0]!.element.options!.map((o) => o.value);
    expect(values).toHaveLength(11);
    expect(new Set(values).size).toBe(values.length);
    expect(values[0]).toBe('actual:same');
    expect(values.at(-1)).toBe('actual:other');

    const none = commentModalView(result([]), { channel: 'C1' }) as Modal;
    expect(none.blocks.map((b) => b.block_id)).toEqual(['comment']);
  });

  it('puts the Comment button in the summary, next to the other feedback buttons', () => {
    const actions = summaryBlocks(result([])).find((b) => b.type === 'actions') as {
      block_id: string;
      elements: { action_id: string; value: string; text: { text: string } }[];
    };
    expect(actions.block_id).toBe('feedback:inv_unit');
    expect(actions.elements.map((e) => [e.action_id, e.text.text, e.value])).toEqual([
      ['feedback_helpful', 'Helpful', 'inv_unit'],
      ['feedback_not_helpful', 'Not helpful', 'inv_unit'],
      ['feedback_confirm_root_cause', 'Confirm root cause', 'inv_unit'],
      ['feedback_comment', 'Comment', 'inv_unit'],
    ]);
  });
});

describe('the Comment modal end to end (real Bolt, HTTP mode, sandbox Slack API)', () => {
  let runtime: Runtime;
  let app: App;
  let base: string;
  let messages: () => PostedMessage[];
  let summary: PostedMessage;
  let investigationId: string;
  const views = () => (slackState(runtime.sandbox!.world).views ?? []) as Modal[];

  const signedPost = (body: string, contentType: string) =>
    fetch(`${base}/slack/events`, {
      method: 'POST',
      headers: { 'content-type': contentType, ...signedSlackHeaders(SIGNING_SECRET, body) },
      body,
    });
  /** A signed interactivity payload (button click, modal submission), form-encoded as Slack sends it. */
  const interact = (payload: Record<string, unknown>) =>
    signedPost(
      new URLSearchParams({ payload: JSON.stringify(payload) }).toString(),
      'application/x-www-form-urlencoded',
    );

  const click = (user: string, value = investigationId, actionId = 'feedback_comment') =>
    interact({
      type: 'block_actions',
      user: { id: user, team_id: 'T0ACME' },
      team: { id: 'T0ACME' },
      trigger_id: `trigger.${user}.${Math.random()}`,
      channel: { id: summary.channel },
      container: { type: 'message', message_ts: summary.ts, channel_id: summary.channel },
      actions: [{ type: 'button', action_id: actionId, block_id: `feedback:${value}`, value }],
    });

  const submit = (user: string, metadata: unknown, comment: unknown, picked?: string) =>
    interact(commentSubmission(user, metadata, comment, picked));

  const feedbackOf = (user: string) =>
    listFeedback(runtime.db)
      .filter((f) => f.userId === user)
      .map((f) => [f.investigationId, f.kind, f.value, f.text ?? null]);

  beforeAll(async () => {
    const env = parseEnv({
      SRE_DB_PATH: join(mkdtempSync(join(tmpdir(), 'slack-comment-')), 'sre.db'),
      SLACK_BOT_TOKEN: 'xoxb-test',
      SLACK_SIGNING_SECRET: SIGNING_SECRET,
      SRE_PROGRESS_UPDATE_MS: '250',
    });
    runtime = await createRuntime({ env, logger: silentLogger, scenarioDir: DEMO });
    // The people who give feedback here are in the alert's channel (conversations.members).
    slackState(runtime.sandbox!.world).members = {
      C0INCIDENT: ['U0ERIN', 'U0FRANK', 'U0GINA', 'U0HANK', 'U0MALLORY'],
    };
    ({ app, base } = await startSlackApp(runtime, env, SIGNING_SECRET));
    messages = () => slackState(runtime.sandbox!.world).messages;

    // The scenario's DataDog alert, posted in its channel: the bot answers with a summary in the thread.
    const event = JSON.parse(JSON.stringify(runtime.sandbox!.scenario.manifest.alert)).slackMessage as {
      ts: string;
    };
    const body = JSON.stringify({
      type: 'event_callback',
      team_id: 'T0ACME',
      api_app_id: 'A0SRE',
      event_id: 'EvCommentModal1',
      event_time: 1,
      event,
    });
    expect((await signedPost(body, 'application/json')).status).toBe(200);
    summary = await until(() => messages().find((m) => m.threadTs === event.ts && m.blocks));
    const actions = (
      summary.blocks as { type: string; elements?: { action_id: string; value: string }[] }[]
    ).find((b) => b.type === 'actions')!;
    investigationId = actions.elements!.find((e) => e.action_id === 'feedback_comment')!.value;
  });
  afterAll(async () => {
    await app.stop();
    await runtime.close();
  });

  it("posts a summary whose Comment button names the thread's investigation", () => {
    const inv = getInvestigation(runtime.db, investigationId)!;
    expect(inv).toMatchObject({ channelId: summary.channel, threadTs: summary.threadTs });
    const buttons = (
      summary.blocks as { type: string; elements?: { action_id: string; text: { text: string } }[] }[]
    )
      .find((b) => b.type === 'actions')!
      .elements!.map((e) => [e.action_id, e.text.text]);
    expect(buttons).toContainEqual(['feedback_comment', 'Comment']);
  });

  it('opens the modal with views.open, listing the investigation suspects, and records no other feedback', async () => {
    const before = views().length;
    expect((await click('U0ERIN')).status).toBe(200);
    const view = await until(() => views()[before]);
    const suspects = (getInvestigation(runtime.db, investigationId)!.result as InvestigationResult).summary
      .suspects;
    expect(suspects.length).toBeGreaterThan(0);
    expect(view).toMatchObject({
      type: 'modal',
      callback_id: 'feedback_comment',
      title: { text: 'Feedback' },
    });
    expect(JSON.parse(view.private_metadata)).toEqual({
      investigationId,
      channelId: summary.channel,
      messageTs: summary.ts,
    });
    const options = view.blocks.find((b) => b.block_id === 'actual_cause')!.element.options!;
    expect(options.map((o) => o.value)).toEqual([
      ...[...new Set(suspects.map((s) => `actual:${s.ref}`))].slice(0, 10),
      'actual:other',
    ]);
    expect(options[0]!.value).toMatch(/^actual:7c1e9a4/);
    // Only the modal: the generic feedback handler did not also take the click as a rating.
    await new Promise((r) => setTimeout(r, 200));
    expect(feedbackOf('U0ERIN')).toEqual([]);
    expect(messages().filter((m) => m.ephemeralTo === 'U0ERIN')).toEqual([]);
  });

  it("the sandbox views.open wants a bot token, a trigger id and a modal within Slack's limits", async () => {
    const call = (args: Record<string, unknown>, token = 'xoxb-test') =>
      fetch(`${runtime.sandbox!.url}/api/views.open`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
        body: JSON.stringify(args),
      }).then((r) => r.json() as Promise<{ ok: boolean; error?: string; view?: { id: string } }>);
    const ok = commentModalView(result([suspect({})]), { channel: 'C1' });
    const before = views().length;
    expect(await call({ trigger_id: 't', view: ok }, 'xoxp-user')).toEqual({
      ok: false,
      error: 'not_authed',
    });
    expect(await call({ view: ok })).toMatchObject({ ok: false, error: 'invalid_arguments' });
    expect(await call({ trigger_id: 't', view: { ...ok, type: 'home' } })).toMatchObject({
      ok: false,
      error: 'invalid_arguments',
    });
    const tooLong = JSON.parse(JSON.stringify(ok).replace('"actual:other"', `"${'v'.repeat(151)}"`));
    expect(await call({ trigger_id: 't', view: tooLong })).toMatchObject({
      ok: false,
      error: 'invalid_arguments',
    });
    expect(views()).toHaveLength(before);
    const opened = await call({ trigger_id: 't', view: ok });
    expect(opened).toMatchObject({
      ok: true,
      view: { id: expect.stringMatching(/^V/), callback_id: 'feedback_comment' },
    });
    expect(views()).toHaveLength(before + 1);
  });

  it('opens nothing for an investigation it does not know', async () => {
    const before = views().length;
    expect((await click('U0ERIN', 'inv_does_not_exist')).status).toBe(200);
    await new Promise((r) => setTimeout(r, 200));
    expect(views()).toHaveLength(before);
  });

  it('stores the comment and the named cause, thanks in the thread, and a second submission replaces both', async () => {
    const view = views()[0]!;
    const options = view.blocks
      .find((b) => b.block_id === 'actual_cause')!
      .element.options!.map((o) => o.value);
    const first = await submit(
      'U0FRANK',
      view.private_metadata,
      '  Rolled back 7c1e9a4 and checkout recovered.  ',
      options[0],
    );
    expect(first.status).toBe(200);
    expect(await first.text()).toBe('');
    await until(() => (feedbackOf('U0FRANK').length === 2 ? true : undefined));
    expect(feedbackOf('U0FRANK')).toEqual([
      [investigationId, 'comment', 'text', 'Rolled back 7c1e9a4 and checkout recovered.'],
      [investigationId, 'root_cause', options[0], null],
    ]);
    const thanks = await until(() => messages().find((m) => m.ephemeralTo === 'U0FRANK'));
    expect(thanks).toMatchObject({
      channel: summary.channel,
      threadTs: summary.threadTs,
      text: expect.stringContaining('your comment is saved'),
    });

    // Changing one's mind: the text is replaced, and the new pick replaces the old one.
    expect(
      (await submit('U0FRANK', view.private_metadata, 'It was something else.', 'actual:other')).status,
    ).toBe(200);
    await until(() =>
      feedbackOf('U0FRANK').some((f) => f[2] === 'actual:other') &&
      !feedbackOf('U0FRANK').some((f) => f[2] === options[0])
        ? true
        : undefined,
    );
    expect(feedbackOf('U0FRANK')).toEqual([
      [investigationId, 'comment', 'text', 'It was something else.'],
      [investigationId, 'root_cause', 'actual:other', null],
    ]);
    // A comment without a pick keeps the earlier pick.
    await submit('U0FRANK', view.private_metadata, 'Third thoughts, same cause.');
    await until(() => (feedbackOf('U0FRANK')[0]?.[3] === 'Third thoughts, same cause.' ? true : undefined));
    expect(feedbackOf('U0FRANK').map((f) => f[2])).toEqual(['text', 'actual:other']);
  });

  it('answers an empty comment with a field error and stores nothing', async () => {
    const res = await submit('U0GINA', views()[0]!.private_metadata, ' \n  ', 'actual:other');
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({
      response_action: 'errors',
      errors: { comment: 'Please write a few words.' },
    });
    await new Promise((r) => setTimeout(r, 100));
    expect(feedbackOf('U0GINA')).toEqual([]);
  });

  it('refuses forged or malformed forms with a field error, stores nothing and keeps serving', async () => {
    const lost = 'the form lost track of its investigation';
    const forged: [unknown, string][] = [
      ['{not json', lost],
      [
        JSON.stringify({ investigationId: 'inv_forged', channelId: summary.channel }),
        'This investigation is no longer known; nothing was saved.',
      ],
      [JSON.stringify({ investigationId: 42, channelId: summary.channel }), lost],
      ['null', lost],
      ['[]', lost],
      [undefined, lost],
    ];
    for (const [metadata, error] of forged) {
      const res = await submit('U0MALLORY', metadata, 'let me in', 'actual:other');
      expect(res.status).toBe(200);
      expect(await res.json()).toEqual({ response_action: 'errors', errors: { comment: error } });
    }
    // A comment that is not text at all.
    const res = await submit('U0MALLORY', views()[0]!.private_metadata, { nested: true });
    expect(await res.json()).toMatchObject({ response_action: 'errors' });
    await new Promise((r) => setTimeout(r, 100));
    expect(feedbackOf('U0MALLORY')).toEqual([]);
    expect(messages().filter((m) => m.ephemeralTo === 'U0MALLORY')).toEqual([]);
    // Still serving: a real submission goes through.
    await submit('U0HANK', views()[0]!.private_metadata, 'Works for me.');
    await until(() => (feedbackOf('U0HANK').length === 1 ? true : undefined));
    await until(() => messages().find((m) => m.ephemeralTo === 'U0HANK'));
  });
});
