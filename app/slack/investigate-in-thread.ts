import type { Alert } from '../../agent/alert';
import type { FollowUp } from '../../agent/follow-up';
import { firstReplyText } from './job-policy';
import type { JobRunner } from './job-runner';
import { type ProgressReporter, streamingReporter, updatingReporter } from './progress';
import { type OpenedThread, placeOf, type RunDeps, warnThread } from './run-in-thread';

export type ThreadDeps = RunDeps & {
  /** The durable job queue (built by createSlackApp): every run goes through it. */
  jobs: JobRunner;
};

/**
 * Posts the thread's first reply (or opens a stream to the person who asked): once this resolves
 * the thread exists. Throws when Slack refuses.
 */
export async function openThread(
  deps: ThreadDeps,
  channel: string,
  threadTs: string,
  recipient?: { userId: string; teamId: string },
): Promise<OpenedThread> {
  const receivedAt = Date.now();
  const where = placeOf(deps, channel, threadTs);
  const ahead = deps.jobs.waitingAhead();
  let progress: ProgressReporter | undefined;
  if (recipient && ahead === 0) {
    progress = await streamingReporter(where, recipient).catch((err) => {
      deps.logger.warn({ err }, 'chat streaming unavailable; using message updates');
      return undefined;
    });
  }
  if (!progress) {
    const first = await deps.client.chat.postMessage({
      channel,
      thread_ts: threadTs,
      text: firstReplyText(ahead),
    });
    if (!first.ts) throw new Error('Slack did not return a ts for the first reply');
    progress = updatingReporter(where, first.ts);
  }
  return { channel, threadTs, progress, receivedAt };
}

/**
 * Runs one investigation in a Slack thread a person asked for: an immediate reply (or a "queued"
 * note), then a durable job that streams progress (to the person who asked, else one message
 * updated at most every interval) and puts the summary in its place. Resolves when the job ends
 * in this process; any failure becomes a short warning in the thread; nothing throws.
 */
export async function investigateInThread(
  deps: ThreadDeps,
  alert: Alert,
  channel: string,
  threadTs: string,
  recipient?: { userId: string; teamId: string },
  followUp?: FollowUp,
): Promise<void> {
  let thread: OpenedThread;
  try {
    thread = await openThread(deps, channel, threadTs, recipient);
  } catch (err) {
    return warnThread(deps, alert, channel, threadTs, err);
  }
  await deps.jobs.enqueueOpened(
    {
      alert,
      channelId: channel,
      threadTs,
      replyTs: thread.progress.ts(),
      recipient,
      followUp,
    },
    thread,
  );
}
