import type { AllMiddlewareArgs, SlackEventMiddlewareArgs } from '@slack/bolt';
import { recordFeedback, retractFeedback } from '../../../data/feedback';
import { findInvestigationByThread } from '../../../data/investigations';
import type { Runtime } from '../../runtime';
import { SLACK_DEFAULTS } from '../defaults';

export type ReactionDeps = { runtime: Pick<Runtime, 'db'> };

export type ReactionArgs = Pick<
  AllMiddlewareArgs & SlackEventMiddlewareArgs<'reaction_added' | 'reaction_removed'>,
  'event'
>;

/**
 * A mapped emoji (SLACK_DEFAULTS.reactionFeedback) on a message in an investigation's thread
 * becomes feedback on that investigation; removing it retracts the feedback. Resolves whether
 * anything changed.
 */
export function reactionFeedback(deps: ReactionDeps) {
  return async ({ event }: ReactionArgs): Promise<boolean> => {
    const mapped = SLACK_DEFAULTS.reactionFeedback[event.reaction];
    if (!mapped || event.item?.type !== 'message') return false;
    const inv = findInvestigationByThread(deps.runtime.db, event.item.channel, event.item.ts);
    if (!inv) return false;
    const f = {
      investigationId: inv.id,
      userId: event.user,
      kind: mapped.kind,
      value: mapped.value,
      at: new Date(),
    };
    return event.type === 'reaction_added'
      ? recordFeedback(deps.runtime.db, f)
      : retractFeedback(deps.runtime.db, f);
  };
}
