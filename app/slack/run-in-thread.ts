import type { WebClient } from '@slack/web-api';
import type { Alert } from '../../agent/alert';
import type { FollowUp } from '../../agent/follow-up';
import { newInvestigationId } from '../../agent/ids';
import type { investigate as investigateFn } from '../../agent/investigate';
import { linkAlertInvestigation } from '../../data/alerts';
import { setSlackLocation } from '../../data/investigations';
import type { Runtime } from '../runtime';
import { RunInterrupted } from '../workers/run-interrupted';
import { untrustedMrkdwn } from './mrkdwn';
import type { ProgressReporter, Where } from './progress';
import type { WorkQueue } from './queue';

/** What running an investigation in a thread needs (the job runner runs its jobs with these). */
export type RunDeps = {
  runtime: Runtime;
  client: WebClient;
  queue: WorkQueue;
  investigate: typeof investigateFn;
  progressIntervalMs: number;
  logger: Runtime['logger'];
};

/** A thread's first reply, posted: where progress (and then the summary) goes. */
export type OpenedThread = {
  channel: string;
  threadTs: string;
  progress: ProgressReporter;
  receivedAt: number;
};

export function placeOf(deps: RunDeps, channel: string, threadTs: string): Where {
  return { client: deps.client, channel, threadTs, logger: deps.logger, intervalMs: deps.progressIntervalMs };
}

export async function warnThread(
  deps: RunDeps,
  alert: Alert,
  channel: string,
  threadTs: string,
  err: unknown,
): Promise<void> {
  deps.logger.error({ err, alert: alert.id }, 'investigation in thread failed');
  const message = `:warning: The investigation failed: ${err instanceof Error ? untrustedMrkdwn(err.message.slice(0, 300), deps.runtime.secrets) : 'unknown error'}. The bot is still running; try \`/investigate\` again.`;
  await deps.client.chat
    .postMessage({ channel, thread_ts: threadTs, text: message })
    .catch((e) => deps.logger.error({ err: e }, 'could not post the failure warning'));
}

/**
 * Runs one investigation into an opened thread (the caller holds a run slot): progress, then the
 * summary in its place. `started` hears the investigation's id before it runs, so a resume can
 * find it. Any failure becomes a short warning in the thread and resolves false; a run whose
 * worker died (RunInterrupted) is the job runner's to run again, so that alone is thrown.
 */
export async function runInThread(
  deps: RunDeps,
  alert: Alert,
  thread: OpenedThread,
  followUp?: FollowUp,
  started: (investigationId: string) => void = () => {},
): Promise<boolean> {
  const { channel, threadTs, progress } = thread;
  const id = newInvestigationId();
  try {
    started(id);
    // A follow-up is a turn: the alert's cycle stays linked to the investigation it follows.
    if (!followUp) linkAlertInvestigation(deps.runtime.db, alert.id, id);
    const result = await deps.investigate({
      alert,
      runtime: deps.runtime,
      onEvent: (e) => progress.onEvent(e),
      channelId: channel,
      threadTs,
      id,
      followUp,
    });
    const where = { channelId: channel, threadTs, firstReplyMs: Date.now() - thread.receivedAt };
    setSlackLocation(deps.runtime.db, result.id, { ...where, progressTs: progress.ts() });
    const landed = await progress.finish(result);
    // A summary that could not replace the progress message landed in a new reply: feedback goes there.
    if (landed !== progress.ts()) setSlackLocation(deps.runtime.db, result.id, { progressTs: landed });
    return true;
  } catch (err) {
    if (err instanceof RunInterrupted) throw err;
    await warnThread(deps, alert, channel, threadTs, err);
    return false;
  }
}
