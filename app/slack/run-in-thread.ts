import type { WebClient } from '@slack/web-api';
import type { Alert } from '../../agent/alert';
import { newInvestigationId } from '../../agent/ids';
import type { investigate as investigateFn } from '../../agent/investigate';
import type { LearnedHints } from '../../agent/prompts';
import { linkAlertInvestigation } from '../../data/alerts';
import { setSlackLocation } from '../../data/investigations';
import type { Runtime } from '../runtime';
import { RunInterrupted } from '../workers/run-interrupted';
import { firstReplyText } from './job-policy';
import type { JobRunner } from './job-runner';
import { untrustedMrkdwn } from './mrkdwn';
import { type ProgressReporter, streamingReporter, updatingReporter, type Where } from './progress';
import type { WorkQueue } from './queue';

export type ThreadDeps = {
  runtime: Runtime;
  client: WebClient;
  queue: WorkQueue;
  /** The durable job queue (built by createSlackApp): every run goes through it. */
  jobs: JobRunner;
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

export function placeOf(deps: ThreadDeps, channel: string, threadTs: string): Where {
  return { client: deps.client, channel, threadTs, logger: deps.logger, intervalMs: deps.progressIntervalMs };
}

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

export async function warnThread(
  deps: ThreadDeps,
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
  deps: ThreadDeps,
  alert: Alert,
  thread: OpenedThread,
  hints?: LearnedHints,
  started: (investigationId: string) => void = () => {},
): Promise<boolean> {
  const { channel, threadTs, progress } = thread;
  const id = newInvestigationId();
  try {
    started(id);
    linkAlertInvestigation(deps.runtime.db, alert.id, id);
    const result = await deps.investigate({
      alert,
      runtime: deps.runtime,
      onEvent: (e) => progress.onEvent(e),
      channelId: channel,
      threadTs,
      id,
      hints,
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
  hints?: LearnedHints,
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
      hints: hints?.text === undefined ? undefined : { text: hints.text },
    },
    thread,
  );
}
