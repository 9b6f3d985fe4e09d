import type { AllMiddlewareArgs, BlockAction, ButtonAction, SlackActionMiddlewareArgs } from '@slack/bolt';
import type { InvestigationResult } from '../../../agent/result';
import { recordFeedback } from '../../../data/feedback';
import { getInvestigation } from '../../../data/investigations';
import type { Runtime } from '../../runtime';
import { type ActionPlace, checkInvestigationAction } from '../access';
import { commentModalView } from '../blocks';

export type FeedbackActionDeps = { runtime: Pick<Runtime, 'db'> };

export type ButtonArgs = Pick<
  AllMiddlewareArgs & SlackActionMiddlewareArgs<BlockAction<ButtonAction>>,
  'action' | 'ack' | 'body' | 'client' | 'logger'
>;

/** The channel, message and thread a button sat on (checked against the investigation it names). */
export function actionPlace(body: ButtonArgs['body']): ActionPlace | undefined {
  if (!body.channel?.id) return undefined;
  const container = body.container as { message_ts?: string; thread_ts?: string };
  const messageTs = container.message_ts ?? body.message?.ts;
  const threadTs = container.thread_ts ?? (body.message?.thread_ts as string | undefined);
  return {
    channel: body.channel.id,
    ...(messageTs ? { messageTs } : {}),
    ...(threadTs ? { threadTs } : {}),
  };
}

const ACTIONS: Record<string, { kind: string; value: string; ack: string }> = {
  feedback_helpful: { kind: 'rating', value: 'helpful', ack: 'Thanks: marked helpful.' },
  feedback_not_helpful: {
    kind: 'rating',
    value: 'not_helpful',
    ack: 'Thanks: marked not helpful. A comment in the thread helps us learn.',
  },
  feedback_confirm_root_cause: {
    kind: 'root_cause',
    value: 'confirmed',
    ack: 'Thanks: root cause confirmed.',
  },
};

/**
 * A feedback button (helpful, not helpful, confirm root cause): recorded and acknowledged
 * ephemerally once the button is known to sit in that investigation's thread and the person is
 * in its channel (a forged value stores nothing).
 */
export function feedbackButton(deps: FeedbackActionDeps) {
  return async ({ action, ack, body, client }: ButtonArgs): Promise<void> => {
    await ack();
    const a = ACTIONS[action.action_id];
    const place = actionPlace(body);
    const investigationId = action.value;
    const inv = a && investigationId ? getInvestigation(deps.runtime.db, investigationId) : undefined;
    if (!a || !inv || !place) return;
    const user = body.user.id;
    const access = await checkInvestigationAction(client, inv, user, place);
    if (!access.ok) {
      await client.chat.postEphemeral({
        channel: place.channel,
        user,
        text: `:no_entry: Not recorded: ${access.reason}`,
      });
      return;
    }
    recordFeedback(deps.runtime.db, {
      investigationId: inv.id,
      userId: user,
      kind: a.kind,
      value: a.value,
      at: new Date(),
    });
    await client.chat.postEphemeral({ channel: place.channel, user, text: a.ack });
  };
}

/**
 * The Comment button opens the modal (a trigger id is valid for 3 seconds, so only the access
 * check, one quick call, comes before it). A button naming another channel's or thread's
 * investigation, or a person outside its channel, gets an ephemeral refusal and no modal; a
 * running investigation (no result yet) opens nothing.
 */
export function commentButton(deps: FeedbackActionDeps) {
  return async ({ action, ack, body, client, logger }: ButtonArgs): Promise<void> => {
    await ack();
    const place = actionPlace(body);
    const inv = action.value ? getInvestigation(deps.runtime.db, action.value) : undefined;
    if (!place || !inv?.result) return;
    const user = body.user.id;
    try {
      const access = await checkInvestigationAction(client, inv, user, place);
      if (!access.ok) {
        await client.chat.postEphemeral({
          channel: place.channel,
          user,
          text: `:no_entry: Cannot comment: ${access.reason}`,
        });
        return;
      }
      await client.views.open({
        trigger_id: body.trigger_id,
        view: commentModalView(inv.result as InvestigationResult, place),
      });
    } catch (err) {
      logger.error({ err }, 'could not open the comment modal');
    }
  };
}
