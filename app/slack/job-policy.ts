import { progressText } from './blocks';
import { SLACK_DEFAULTS } from './defaults';

/**
 * The queue's policy as pure functions: what runs first, how long a failed thread opening waits,
 * and what a job that is not investigated says in its thread.
 */

/** P1 runs before P5; an alert without a priority (most DataDog posts) sits in the middle, as P3. */
export function priorityRank(priority: string | undefined): number {
  const m = /^P([1-5])$/.exec(priority ?? '');
  return m ? Number(m[1]) : 3;
}

/** How long to wait before the next attempt to open a thread, or undefined when it is time to give up. */
export function openRetryDelay(
  failedAttempts: number,
  backoffMs: readonly number[] = SLACK_DEFAULTS.threadOpenBackoffMs,
): number | undefined {
  return backoffMs[failedAttempts];
}

/** The first reply: the run starts now, or waits behind `ahead` others. */
export function firstReplyText(ahead: number): string {
  return ahead > 0
    ? `:hourglass: Queued: ${ahead} investigation(s) ahead. I will start as soon as one finishes.`
    : progressText(['Looking at the alert…']);
}

export const NOTICE_TEXT = {
  coalesced:
    ':fast_forward: Not investigated: a newer notification of this monitor arrived while this one was waiting; it is investigated in its own thread.',
  overflow:
    ':no_entry_sign: Queue full, not investigated: more alerts were waiting than this bot runs at once (SRE_MAX_QUEUED), and this was the lowest-priority oldest. Use `/investigate` with a link to this alert to run it.',
  restarted:
    ':arrows_counterclockwise: I was restarted while investigating this; starting the investigation again.',
  workerDied:
    ':arrows_counterclockwise: The worker investigating this stopped unexpectedly; starting the investigation again.',
  workerGaveUp:
    'the worker investigating this stopped unexpectedly every time it was run, so I gave up on it',
} as const;
