import { restoreCycle } from '../../data/alerts';
import { redactText } from '../../lib/redact';
import { admitArrival, type DatadogReading, notificationOf } from '../gateway/admit-arrival';
import { clip } from './blocks';
import { cycleNoteText } from './cycle-notes';
import { SLACK_DEFAULTS } from './defaults';
import type { ThreadDeps } from './investigate-in-thread';
import { escapeMrkdwn, untrustedMrkdwn } from './mrkdwn';

/**
 * One DataDog notification, from a Slack post or a webhook, through the shared alert-cycle table:
 * a new cycle (or one whose thread never got made) becomes a durable job investigated in a thread,
 * a change of state becomes a note in the cycle's thread, a repeat is only counted. A cycle is
 * marked handled only once its thread exists; when Slack refuses the root post or the first
 * reply, the job retries with back-off and, when it gives up, leaves the cycle retryable. A note
 * Slack refuses makes the caller hear `failed` (the webhook answers 5xx so DataDog retries).
 */
export type IntakeOutcome = 'started' | 'noted' | 'duplicate' | 'failed';

/** Where a new cycle's thread goes: under the DataDog post itself, or under a root post the bot writes. */
export type ThreadPlace = { channel: string; threadTs?: string };

const ROOT_TITLE_CHARS = 300;

export async function takeDatadogAlert(
  deps: ThreadDeps,
  reading: DatadogReading,
  place: ThreadPlace,
  now: Date = new Date(),
): Promise<IntakeOutcome> {
  const db = deps.runtime.db;
  const secrets = deps.runtime.secrets;
  // The group and the cycle key come from DataDog's data: the cycle table stores them redacted,
  // like every stored alert field (the same redaction gives the same row, so cycles still match).
  const n = notificationOf(reading);
  const { action, cycle, before } = admitArrival(
    db,
    {
      ...n,
      group: redactText(n.group, secrets),
      cycleKey: n.cycleKey === undefined ? undefined : redactText(n.cycleKey, secrets),
    },
    now,
  );
  if (action.kind === 'note' && cycle?.channelId && cycle.threadTs) {
    try {
      await deps.client.chat.postMessage({
        channel: cycle.channelId,
        thread_ts: cycle.threadTs,
        // Built from states only, but posted through the one escaping path like all data text.
        text: untrustedMrkdwn(cycleNoteText(action.from, action.to), secrets),
      });
      return 'noted';
    } catch (err) {
      // An unposted note is an unseen state change: it waits for a redelivery (DataDog retries the 5xx).
      if (before) restoreCycle(db, before);
      deps.logger.warn(
        { err, cycle: cycle.id },
        'could not post the alert-cycle note; it stays to be posted',
      );
      return 'failed';
    }
  }
  if (action.kind !== 'investigate' || !cycle) return 'duplicate';
  // The job row is the acknowledgement: from here the alert survives a crash or a restart. Its
  // thread is opened after (the webhook does not wait for Slack; a Slack post's reply is awaited).
  return deps.jobs.acceptAlert(
    {
      alert: { ...reading.alert, id: cycle.id },
      cycleId: cycle.id,
      channelId: place.channel,
      threadTs: place.threadTs,
      // The title is DataDog's (data): redacted before it is clipped (so no secret is cut
      // into an unmatchable prefix), then escaped.
      rootText: `:rotating_light: ${escapeMrkdwn(clip(redactText(reading.alert.title, secrets), ROOT_TITLE_CHARS))}`,
    },
    // A DataDog post's thread is awaited (Bolt acked the event already); the webhook answers in time.
    place.threadTs === undefined ? SLACK_DEFAULTS.webhookThreadWaitMs : Number.POSITIVE_INFINITY,
  );
}
