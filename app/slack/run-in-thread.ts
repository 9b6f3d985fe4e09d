import type { WebClient } from '@slack/web-api';
import type { Alert } from '../../agent/alert';
import { newInvestigationId } from '../../agent/ids';
import type { investigate as investigateFn } from '../../agent/investigate';
import type { LearnedHints } from '../../agent/prompts';
import { linkAlertInvestigation } from '../../data/alerts';
import { setSlackLocation } from '../../data/investigations';
import type { Runtime } from '../runtime';
import { progressText } from './blocks';
import { untrustedMrkdwn } from './mrkdwn';
import { type ProgressReporter, streamingReporter, updatingReporter } from './progress';
import type { WorkQueue } from './queue';

export type ThreadDeps = {
  runtime: Runtime;
  client: WebClient;
  queue: WorkQueue;
  investigate: typeof investigateFn;
  progressIntervalMs: number;
  logger: Runtime['logger'];
};

/**
 * Runs one investigation in a Slack thread: an immediate reply (or a "queued" note), progress
 * (streamed to the person who asked, else one message updated at most every interval), then the
 * summary in its place. Any failure becomes a short warning in the thread; nothing throws.
 */
export async function investigateInThread(
  deps: ThreadDeps,
  alert: Alert,
  channel: string,
  threadTs: string,
  recipient?: { userId: string; teamId: string },
  hints?: LearnedHints,
): Promise<void> {
  const received = Date.now();
  const id = newInvestigationId();
  const where = {
    client: deps.client,
    channel,
    threadTs,
    logger: deps.logger,
    intervalMs: deps.progressIntervalMs,
  };
  try {
    let reporter: ProgressReporter | undefined;
    if (recipient && !deps.queue.saturated) {
      reporter = await streamingReporter(where, recipient).catch((err) => {
        deps.logger.warn({ err }, 'chat streaming unavailable; using message updates');
        return undefined;
      });
    }
    if (!reporter) {
      const first = await deps.client.chat.postMessage({
        channel,
        thread_ts: threadTs,
        text: deps.queue.saturated
          ? `:hourglass: Queued: ${deps.queue.depth + 1} investigation(s) ahead. I will start as soon as one finishes.`
          : progressText(['Looking at the alert…']),
      });
      reporter = updatingReporter(where, first.ts as string);
    }
    const progress = reporter;
    linkAlertInvestigation(deps.runtime.db, alert.id, id);
    await deps.queue.run(async () => {
      const result = await deps.investigate({
        alert,
        runtime: deps.runtime,
        onEvent: (e) => progress.onEvent(e),
        channelId: channel,
        threadTs,
        id,
        hints,
      });
      setSlackLocation(deps.runtime.db, result.id, {
        channelId: channel,
        threadTs,
        progressTs: progress.ts(),
        firstReplyMs: Date.now() - received,
      });
      await progress.finish(result);
    });
  } catch (err) {
    deps.logger.error({ err, alert: alert.id }, 'investigation in thread failed');
    const message = `:warning: The investigation failed: ${err instanceof Error ? untrustedMrkdwn(err.message.slice(0, 300), deps.runtime.secrets) : 'unknown error'}. The bot is still running; try \`/investigate\` again.`;
    await deps.client.chat
      .postMessage({ channel, thread_ts: threadTs, text: message })
      .catch((e) => deps.logger.error({ err: e }, 'could not post the failure warning'));
  }
}
