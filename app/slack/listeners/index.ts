import type { App, BlockAction, ButtonAction, ViewSubmitAction } from '@slack/bolt';
import { COMMENT_ACTION } from '../blocks';
import { type AppMentionDeps, appMention } from './app-mention';
import { type CommentViewDeps, commentSubmission } from './comment-view';
import { commentButton, type FeedbackActionDeps, feedbackButton } from './feedback-actions';
import { type InvestigateCommandDeps, investigateCommand } from './investigate-command';
import { alertMessage, type MessageDeps } from './message';
import { type ReactionDeps, reactionFeedback } from './reactions';

/** What the listeners together need; each one reads only its part. */
export type ListenerDeps = MessageDeps &
  AppMentionDeps &
  InvestigateCommandDeps &
  ReactionDeps &
  FeedbackActionDeps &
  CommentViewDeps;

/** Wiring only: which listener answers which event, command, action and view. */
export function registerListeners(app: App, deps: ListenerDeps): void {
  app.event('message', alertMessage(deps));
  app.event('app_mention', appMention(deps));
  const reaction = reactionFeedback(deps);
  app.event('reaction_added', async (args) => void (await reaction(args)));
  app.event('reaction_removed', async (args) => void (await reaction(args)));
  app.command('/investigate', investigateCommand(deps));
  app.action<BlockAction<ButtonAction>>(COMMENT_ACTION, commentButton(deps));
  app.action<BlockAction<ButtonAction>>(/^feedback_(?!comment$)/, feedbackButton(deps));
  app.view<ViewSubmitAction>(COMMENT_ACTION, commentSubmission(deps));
}
