import { redactText } from '../../agent/guard/redact';
import { markThreadOpened, releaseClaim, restoreCycle } from '../../data/alerts';
import { admitArrival, type DatadogReading, notificationOf } from '../gateway/admit-arrival';
import { clip } from './blocks';
import { cycleNoteText } from './cycle-notes';
import { escapeMrkdwn, untrustedMrkdwn } from './mrkdwn';
import { openThread, runInThread, type ThreadDeps } from './run-in-thread';

/**
 * One DataDog notification, from a Slack post or a webhook, through the shared alert-cycle table:
 * a new cycle (or one whose thread never got made) is investigated in a thread, a change of state
 * becomes a note in the cycle's thread, a repeat is only counted. A cycle is marked handled only
 * once its thread exists; when Slack refuses the root post or the first reply, the cycle stays
 * retryable and the caller hears `failed` (the webhook answers 5xx so DataDog retries).
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
  const alert = { ...reading.alert, id: cycle.id };
  try {
    const threadTs =
      place.threadTs ??
      (
        await deps.client.chat.postMessage({
          channel: place.channel,
          // The title is DataDog's (data): redacted before it is clipped (so no secret is cut
          // into an unmatchable prefix), then escaped.
          text: `:rotating_light: ${escapeMrkdwn(clip(redactText(alert.title, secrets), ROOT_TITLE_CHARS))}`,
        })
      ).ts;
    if (!threadTs) throw new Error('Slack did not return a ts for the root message');
    const thread = await openThread(deps, place.channel, threadTs);
    markThreadOpened(db, cycle.id, place.channel, threadTs);
    void runInThread(deps, alert, thread);
    return 'started';
  } catch (err) {
    releaseClaim(db, cycle.id);
    deps.logger.warn({ err, cycle: cycle.id }, 'could not open the alert thread; the cycle stays retryable');
    return 'failed';
  }
}
