import { describe, expect, it } from 'vitest';
import {
  type ButtonArgs,
  commentButton,
  feedbackButton,
} from '../../../../app/slack/listeners/feedback-actions';
import { listFeedback } from '../../../../data/feedback';
import { createInvestigation, finishInvestigation, setSlackLocation } from '../../../../data/investigations';
import { slackState } from '../../../../sandbox/routes/slack';
import { sampleResult } from '../../../fixtures/investigation';
import { sandboxSlack } from './slack-api';

const slack = sandboxSlack();

/** A block_actions payload for one button on the message `messageTs` of channel C1. */
function click(actionId: string, value: string, messageTs: string, triggerId = 'trig.1') {
  const action: ButtonArgs['action'] = {
    type: 'button',
    action_id: actionId,
    block_id: `feedback:${value}`,
    value,
    action_ts: '1.1',
    text: { type: 'plain_text', text: 'Feedback' },
  };
  return {
    action,
    body: {
      type: 'block_actions',
      actions: [action],
      team: { id: 'T0ACME', domain: 'acme' },
      token: 'verification-token',
      response_url: 'http://127.0.0.1/response',
      api_app_id: 'A0SRE',
      user: { id: 'U1', username: 'u1' },
      channel: { id: 'C1', name: 'alerts' },
      container: { type: 'message', message_ts: messageTs, channel_id: 'C1' },
      trigger_id: triggerId,
    },
  } satisfies Pick<ButtonArgs, 'action' | 'body'>;
}

function session() {
  const s = slack.session(/^(chat|views)\./);
  slackState(slack.sandbox.world).members = { C1: ['U1'] };
  createInvestigation(s.db, { id: 'inv_1', alertKey: 'k', alert: {}, planner: 'offline', startedAt: 't' });
  setSlackLocation(s.db, 'inv_1', { channelId: 'C1', threadTs: '100.1', progressTs: '100.2' });
  let acks = 0;
  const args = (c: Pick<ButtonArgs, 'action' | 'body'>): ButtonArgs => ({
    ...c,
    ack: async () => {
      acks += 1;
    },
    client: s.client,
    logger: s.logger,
  });
  return { ...s, args, acks: () => acks };
}

describe('the feedback button listener', () => {
  it('records a feedback button on the summary and acknowledges it ephemerally', async () => {
    const s = session();
    await feedbackButton({ runtime: { db: s.db } })(
      s.args(click('feedback_confirm_root_cause', 'inv_1', '100.2')),
    );
    expect(s.acks()).toBe(1);
    expect(listFeedback(s.db)).toMatchObject([{ kind: 'root_cause', value: 'confirmed', userId: 'U1' }]);
    expect(s.calls()).toEqual([
      {
        method: 'chat.postEphemeral',
        args: { channel: 'C1', user: 'U1', text: 'Thanks: root cause confirmed.' },
      },
    ]);
  });

  it('stores nothing for a button outside the investigation thread, and says why', async () => {
    const s = session();
    await feedbackButton({ runtime: { db: s.db } })(s.args(click('feedback_helpful', 'inv_1', '555.5')));
    expect(listFeedback(s.db)).toEqual([]);
    expect(String(s.calls()[0]!.args.text)).toMatch(/^:no_entry: Not recorded: /);
  });
});

describe('the Comment button listener', () => {
  it('opens the modal for a finished investigation only, and for its own thread only', async () => {
    const s = session();
    const views = () => (slackState(slack.sandbox.world).views ?? []).slice(before);
    const before = slackState(slack.sandbox.world).views?.length ?? 0;
    const open = commentButton({ runtime: { db: s.db } });
    // Still running: no result, no modal.
    await open(s.args(click('feedback_comment', 'inv_1', '100.2')));
    expect(views()).toEqual([]);
    const suspects = [
      { kind: 'commit' as const, ref: 'abc123', title: 'Bad commit', score: 0.9, evidence: [] },
    ];
    finishInvestigation(s.db, 'inv_1', {
      status: 'completed',
      finishedAt: 't',
      result: sampleResult('inv_1', { suspects }),
      usage: {},
    });
    await open(s.args(click('feedback_comment', 'inv_1', '100.2', 'trig.2')));
    await open(s.args(click('feedback_comment', 'inv_missing', '100.2', 'trig.3')));
    await open(s.args(click('feedback_comment', 'inv_1', '555.5', 'trig.4')));
    expect(views()).toHaveLength(1);
    expect(views()[0]).toMatchObject({ type: 'modal', callback_id: 'feedback_comment' });
    expect(JSON.parse(String(views()[0]!.private_metadata))).toEqual({
      investigationId: 'inv_1',
      channelId: 'C1',
      messageTs: '100.2',
    });
    expect(JSON.stringify(views()[0])).toContain('actual:abc123');
    expect(s.calls().map((c) => c.method)).toEqual(['views.open', 'chat.postEphemeral']);
    expect(s.acks()).toBe(4);
  });
});
