import type { WebClient } from '@slack/web-api';
import type { Logger } from 'pino';
import type { InvestigationEvent } from '../../agent/events';
import type { InvestigationResult } from '../../agent/result';
import { progressText, summaryBlocks, summaryText } from './blocks';
import { SLACK_DEFAULTS } from './defaults';
import { escapeMrkdwn } from './mrkdwn';

/** Our builders return plain JSON blocks; Slack's typings want its own union. */
type SlackBlocks = import('@slack/types').KnownBlock[];
type Chunks = NonNullable<Parameters<WebClient['chat']['appendStream']>[0]['chunks']>;

/** Shows an investigation's progress in one message, then turns it into the summary. */
export interface ProgressReporter {
  onEvent(e: InvestigationEvent): void;
  /** Shows the summary; resolves with the ts of the message it landed in. */
  finish(result: InvestigationResult): Promise<string>;
  /** The message the summary lands in (for feedback reactions and follow-ups). */
  ts(): string | undefined;
}

/** Where progress goes: the thread, and how often a message may be updated. */
export type Where = {
  client: WebClient;
  channel: string;
  threadTs: string;
  logger: Logger;
  intervalMs: number;
};

/**
 * Turns the progress message `ts` into the summary. chat.update is tried again a few times (a
 * Slack error is not retried by the WebClient); when it still fails the summary is posted as a
 * new reply and the stale progress message is deleted, so the thread never ends on "Investigating…".
 */
export async function landSummary(
  where: Where,
  ts: string,
  result: InvestigationResult,
  retries: number = SLACK_DEFAULTS.summaryUpdateRetries,
  retryDelayMs: number = SLACK_DEFAULTS.summaryRetryDelayMs,
): Promise<string> {
  const text = summaryText(result);
  const blocks = summaryBlocks(result) as unknown as SlackBlocks;
  for (let attempt = 0; attempt <= retries; attempt += 1) {
    try {
      await where.client.chat.update({ channel: where.channel, ts, text, blocks });
      return ts;
    } catch (err) {
      where.logger.warn({ err, attempt }, 'could not turn the progress message into the summary');
      if (attempt < retries) await new Promise((r) => setTimeout(r, retryDelayMs));
    }
  }
  const posted = await where.client.chat.postMessage({
    channel: where.channel,
    thread_ts: where.threadTs,
    text,
    blocks,
  });
  await where.client.chat
    .delete({ channel: where.channel, ts })
    .catch((err) => where.logger.warn({ err }, 'could not remove the stale progress message'));
  if (!posted.ts) throw new Error('Slack did not return a ts for the summary');
  return posted.ts;
}

/**
 * For bot-triggered runs (no recipient user): one message, updated with chat.update at most every
 * `intervalMs` (chat.update is Tier 3), coalescing the steps in between.
 */
export function updatingReporter(where: Where, ts: string): ProgressReporter {
  const lines: string[] = [];
  // A hybrid run's first answer, once shown: the message is that summary from then on.
  let first: { result: InvestigationResult; model: string } | undefined;
  let dirty = false;
  let lastFlush = 0;
  let chain: Promise<unknown> = Promise.resolve();
  const render = () =>
    first
      ? {
          text: summaryText(first.result),
          blocks: summaryBlocks(first.result, {
            model: first.model,
            latest: lines.at(-1)?.trim(),
          }) as unknown as SlackBlocks,
        }
      : { text: progressText(lines) };
  const flush = (force = false) => {
    if (!dirty && !force) return;
    if (!force && Date.now() - lastFlush < where.intervalMs) return;
    dirty = false;
    lastFlush = Date.now();
    const message = render();
    chain = chain.then(() =>
      where.client.chat
        .update({ channel: where.channel, ts, ...message })
        .catch((err) => where.logger.warn({ err }, 'progress update failed')),
    );
  };
  const timer = setInterval(() => flush(), where.intervalMs);
  timer.unref();
  return {
    ts: () => ts,
    onEvent(e) {
      if (e.type === 'first_answer') {
        // Shown at once, whatever the throttle: this is the answer the thread waits for.
        first = { result: e.result, model: e.refiningWith };
        return flush(true);
      }
      if (e.type === 'thought' && e.text) lines.push(`*${e.n}.* ${escapeMrkdwn(e.text.slice(0, 200))}`);
      else if (e.type === 'tool_finished')
        lines.push(`    ${e.ok ? ':white_check_mark:' : ':x:'} \`${e.tool}\` ${Math.round(e.ms)} ms`);
      else return;
      dirty = true;
      flush();
    },
    async finish(result) {
      clearInterval(timer);
      await chain;
      return landSummary(where, ts, result);
    },
  };
}

/**
 * For runs a person started: Slack's chat streaming with plan and task_update chunks (each step
 * and its short thought, each tool). A stream that expires (message_not_in_streaming_state) falls
 * back to chat.update on the same message.
 */
export async function streamingReporter(
  where: Where,
  recipient: { userId: string; teamId: string },
): Promise<ProgressReporter> {
  const start = await where.client.chat.startStream({
    channel: where.channel,
    thread_ts: where.threadTs,
    recipient_user_id: recipient.userId,
    recipient_team_id: recipient.teamId,
    chunks: [{ type: 'plan_update', title: 'Investigating…' }] as Chunks,
  });
  const ts = start.ts as string;
  let fallback: ProgressReporter | undefined;
  let chain: Promise<unknown> = Promise.resolve();
  let openStep: string | undefined;
  const expired = (err: unknown) =>
    String((err as { data?: { error?: string } }).data?.error ?? (err as Error).message).includes(
      'message_not_in_streaming_state',
    );
  const send = (chunks: Chunks, replay: InvestigationEvent) => {
    chain = chain.then(async () => {
      if (fallback) return fallback.onEvent(replay);
      try {
        await where.client.chat.appendStream({ channel: where.channel, ts, chunks });
      } catch (err) {
        if (!expired(err)) return where.logger.warn({ err }, 'stream append failed');
        fallback = updatingReporter(where, ts);
        fallback.onEvent(replay);
      }
    });
  };
  return {
    ts: () => ts,
    onEvent(e) {
      if (e.type === 'first_answer') {
        // The stream ends with the first answer; the model's refinement then updates that message.
        chain = chain.then(async () => {
          if (!fallback)
            await where.client.chat
              .stopStream({
                channel: where.channel,
                ts,
                blocks: summaryBlocks(e.result, { model: e.refiningWith }) as unknown as SlackBlocks,
              })
              .catch((err) => where.logger.warn({ err }, 'could not end the stream with the first answer'));
          fallback ??= updatingReporter(where, ts);
          fallback.onEvent(e);
        });
      } else if (e.type === 'thought' && e.text) {
        const chunks: Chunks = [];
        if (openStep)
          chunks.push({
            type: 'task_update',
            id: openStep,
            title: 'done',
            status: 'complete',
          } as Chunks[number]);
        openStep = `step_${e.n}`;
        chunks.push({
          type: 'task_update',
          id: openStep,
          title: escapeMrkdwn(e.text.slice(0, 200)),
          status: 'in_progress',
        } as Chunks[number]);
        send(chunks, e);
      } else if (e.type === 'tool_finished') {
        send(
          [
            {
              type: 'task_update',
              id: e.callId,
              title: `${e.tool} · ${Math.round(e.ms)} ms`,
              status: e.ok ? 'complete' : 'error',
              ...(e.ok ? {} : { details: escapeMrkdwn((e.error ?? '').slice(0, 200)) }),
            } as Chunks[number],
          ],
          e,
        );
      }
    },
    async finish(result) {
      await chain;
      if (fallback) return fallback.finish(result);
      try {
        await where.client.chat.stopStream({
          channel: where.channel,
          ts,
          blocks: summaryBlocks(result) as unknown as SlackBlocks,
        });
        return ts;
      } catch (err) {
        if (!expired(err)) throw err;
        return landSummary(where, ts, result);
      }
    },
  };
}
