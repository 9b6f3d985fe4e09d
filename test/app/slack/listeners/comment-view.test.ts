import { describe, expect, it } from 'vitest';
import { type CommentViewArgs, commentSubmission } from '../../../../app/slack/listeners/comment-view';
import { listFeedback } from '../../../../data/feedback';
import { createInvestigation } from '../../../../data/investigations';
import { slackState } from '../../../../sandbox/routes/slack';
import { commentSubmission as submissionPayload } from '../harness';
import { sandboxSlack } from './slack-api';

const slack = sandboxSlack();

function session() {
  const s = slack.session();
  slackState(slack.sandbox.world).members = { C1: ['U1'] };
  createInvestigation(s.db, {
    id: 'inv_1',
    alertKey: 'k',
    alert: {},
    planner: 'offline',
    startedAt: 't',
    channelId: 'C1',
    threadTs: '100.1',
  });
  const acks: unknown[] = [];
  const submit = (metadata: string, comment: unknown, picked?: string) => {
    // Slack's payload as it arrives; its view is read defensively (metadata and values may be anything).
    const body = {
      ...submissionPayload('U1', metadata, comment, picked),
      api_app_id: 'A0SRE',
      token: 'verification-token',
      trigger_id: 'trig.1',
    } as unknown as CommentViewArgs['body'];
    return commentSubmission({ runtime: { db: s.db } })({
      view: body.view,
      body,
      ack: async (a) => void acks.push(a),
      client: s.client,
      logger: s.logger,
    });
  };
  return { ...s, acks, submit };
}

const META = JSON.stringify({ investigationId: 'inv_1', channelId: 'C1' });

describe('the Comment view listener', () => {
  it('records a comment (clipped to 2000 characters) and closes the modal, even when the thank-you fails', async () => {
    const s = session();
    slack.sandbox.faults.add('/api/chat.postEphemeral', { status: 500, times: 1 });
    await s.submit(META, 'x'.repeat(5_000));
    expect(s.acks).toEqual([undefined]);
    expect(listFeedback(s.db)).toMatchObject([{ kind: 'comment', value: 'text', text: 'x'.repeat(2_000) }]);
    expect(s.logger.lines.map((l) => l.args[1])).toEqual(['could not thank for a comment']);
  });

  it('answers an unreadable form with a field error and stores nothing', async () => {
    const s = session();
    await s.submit('{', 'hi');
    expect(s.acks).toEqual([
      { response_action: 'errors', errors: { comment: 'the form lost track of its investigation' } },
    ]);
    expect(listFeedback(s.db)).toEqual([]);
  });

  it("replaces a person's earlier pick of the cause with the new one", async () => {
    const s = session();
    await s.submit(META, 'first', 'actual:abc');
    await s.submit(META, 'second', 'actual:def');
    const picks = listFeedback(s.db).filter((f) => f.kind === 'root_cause');
    expect(picks.map((f) => f.value)).toEqual(['actual:def']);
  });
});
