import type { AllMiddlewareArgs, SlackEventMiddlewareArgs } from '@slack/bolt';
import type { Env } from '../../config';
import { readDatadogSlackPost, type SlackReading } from '../../gateway/datadog-slack';
import type { IntakeOutcome, ThreadPlace } from '../alert-intake';
import { firstSighting } from '../seen-events';

export type MessageDeps = {
  env: Pick<Env, 'SRE_ALERT_CHANNELS' | 'SRE_ALERT_BOT_IDS'>;
  seen: Set<string>;
  /** The alert-cycle intake (takeDatadogAlert). */
  takeAlert: (reading: SlackReading, place: ThreadPlace) => Promise<IntakeOutcome>;
};

export type MessageArgs = Pick<AllMiddlewareArgs & SlackEventMiddlewareArgs<'message'>, 'event' | 'context'>;

/** The fields of a message event that say who posted it and where (a DataDog post is a bot's). */
type Post = {
  channel?: string;
  ts?: string;
  thread_ts?: string;
  subtype?: string;
  user?: string;
  bot_id?: string;
  app_id?: string;
  bot_profile?: { app_id?: string; id?: string };
};

/**
 * A message in a watched channel: a DataDog alert posted by a bot (not this one) goes through the
 * alert-cycle intake, its thread under the post; everything else (people, edits, DataDog's own
 * threaded follow-ups, Slack's retries) is ignored.
 */
export function alertMessage(deps: MessageDeps) {
  return async ({ event, context }: MessageArgs): Promise<void> => {
    if (context.retryNum) return;
    // Bolt acknowledged the event already; taking it in waits for the next turn of the event loop,
    // so in a burst every event that arrived is acknowledged before any of them is taken in.
    await new Promise((r) => setImmediate(r));
    const post: Post = event;
    const channel = post.channel;
    const watched = deps.env.SRE_ALERT_CHANNELS;
    if (!channel || !post.ts || (watched.length > 0 && !watched.includes(channel))) return;
    if (post.subtype === 'message_changed' || post.subtype === 'message_deleted') return;
    const fromBot =
      post.subtype === 'bot_message' || post.bot_id !== undefined || post.bot_profile !== undefined;
    const fromSelf =
      (context.botId !== undefined && post.bot_id === context.botId) ||
      (context.botUserId !== undefined && post.user === context.botUserId);
    if (!fromBot || fromSelf) return;
    const ids = [post.bot_id, post.app_id, post.bot_profile?.app_id, post.bot_profile?.id].filter(
      (x): x is string => typeof x === 'string',
    );
    const allowed = deps.env.SRE_ALERT_BOT_IDS;
    if (allowed.length > 0 && !ids.some((id) => allowed.includes(id))) return;
    // DataDog's own threaded follow-ups are not new alerts or questions.
    if (post.thread_ts && post.thread_ts !== post.ts) return;
    const reading = readDatadogSlackPost(event);
    if (!reading) return;
    if (!firstSighting(deps.seen, `${channel}:${post.ts}`)) return;
    // The post is the alert's own message: a new cycle's thread goes under it.
    await deps.takeAlert(reading, { channel, threadTs: post.ts });
  };
}
