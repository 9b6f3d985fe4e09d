import type { WebClient } from '@slack/web-api';
import type { Alert } from '../../agent/alert';
import { newInvestigationId } from '../../agent/controller';
import type { InvestigationEvent } from '../../agent/events';
import type { investigate as investigateFn } from '../../agent/investigate';
import { linkAlertInvestigation } from '../../data/alerts';
import { setSlackLocation } from '../../data/investigations';
import type { Runtime } from '../runtime';
import { progressText, summaryBlocks, summaryText } from './blocks';
import type { WorkQueue } from './queue';

/** Our builders return plain JSON blocks; Slack's typings want its own union. */
type SlackBlocks = import('@slack/types').KnownBlock[];

export type ThreadDeps = {
  runtime: Runtime;
  client: WebClient;
  queue: WorkQueue;
  investigate: typeof investigateFn;
  progressIntervalMs: number;
  logger: Runtime['logger'];
};

/**
 * Runs one investigation in a Slack thread: an immediate reply (or a "queued" note), one progress
 * message updated at most every `progressIntervalMs`, then the summary in its place. Any failure
 * becomes a short warning in the thread; nothing throws out of here.
 */
export async function investigateInThread(
  deps: ThreadDeps,
  alert: Alert,
  channel: string,
  threadTs: string,
): Promise<void> {
  const received = Date.now();
  const id = newInvestigationId();
  let progressTs: string | undefined;
  try {
    const first = await deps.client.chat.postMessage({
      channel,
      thread_ts: threadTs,
      text: deps.queue.saturated
        ? `:hourglass: Queued: ${deps.queue.depth + 1} investigation(s) ahead. I will start as soon as one finishes.`
        : progressText(['Looking at the alert…']),
    });
    progressTs = first.ts;
    linkAlertInvestigation(deps.runtime.db, alert.id, id);
    await deps.queue.run(async () => {
      const lines: string[] = [];
      let dirty = false;
      let lastFlush = 0;
      let flushing: Promise<unknown> = Promise.resolve();
      const flush = (force = false) => {
        if (!progressTs || (!dirty && !force)) return;
        if (!force && Date.now() - lastFlush < deps.progressIntervalMs) return;
        dirty = false;
        lastFlush = Date.now();
        const text = progressText(lines);
        flushing = flushing.then(() =>
          deps.client.chat
            .update({ channel, ts: progressTs!, text })
            .catch((err) => deps.logger.warn({ err }, 'progress update failed')),
        );
      };
      const timer = setInterval(() => flush(), deps.progressIntervalMs);
      timer.unref();
      const onEvent = (e: InvestigationEvent) => {
        if (e.type === 'thought' && e.text) lines.push(`*${e.n}.* ${e.text.slice(0, 200)}`);
        else if (e.type === 'tool_finished')
          lines.push(`    ${e.ok ? ':white_check_mark:' : ':x:'} \`${e.tool}\` ${Math.round(e.ms)} ms`);
        else return;
        dirty = true;
        flush();
      };
      try {
        const result = await deps.investigate({
          alert,
          runtime: deps.runtime,
          onEvent,
          channelId: channel,
          threadTs,
          id,
        });
        clearInterval(timer);
        await flushing;
        setSlackLocation(deps.runtime.db, result.id, {
          channelId: channel,
          threadTs,
          progressTs,
          firstReplyMs: Date.now() - received,
        });
        await deps.client.chat.update({
          channel,
          ts: progressTs!,
          text: summaryText(result),
          blocks: summaryBlocks(result) as unknown as SlackBlocks,
        });
      } finally {
        clearInterval(timer);
      }
    });
  } catch (err) {
    deps.logger.error({ err, alert: alert.id }, 'investigation in thread failed');
    const message = `:warning: The investigation failed: ${err instanceof Error ? err.message.slice(0, 300) : 'unknown error'}. The bot is still running; try \`/investigate\` again.`;
    await deps.client.chat
      .postMessage({ channel, thread_ts: threadTs, text: message })
      .catch((e) => deps.logger.error({ err: e }, 'could not post the failure warning'));
  }
}
