import type { Alert } from '../../agent/alert';
import type { InvestigationEvent } from '../../agent/events';
import type { FollowUp } from '../../agent/follow-up';
import type { InvestigationResult } from '../../agent/result';

/**
 * What the main thread and an investigation worker say to each other. Every message is
 * structured-cloned, so it holds plain data only: the alert and context in, events and the
 * result out. Slack, the job queue and its leases stay on the main thread.
 */
export type RunRequest = {
  alert: Alert;
  channelId?: string;
  threadTs?: string;
  /** The investigation id the caller chose (a job records it before the run starts). */
  id?: string;
  /** A question asked in an investigation's thread, and the context it follows. */
  followUp?: FollowUp;
};

export type ToWorker =
  | { type: 'run'; runId: number; request: RunRequest }
  | { type: 'abort'; runId: number }
  /** Finish nothing more: close the database and the MCP servers, then exit. */
  | { type: 'close' };

export type FromWorker =
  /** The worker's runtime is built: it takes runs. */
  | { type: 'ready' }
  /**
   * Every event but `summary` (the pool replays it from `done`'s result); `tool_finished` comes
   * without `data`, the observation's chart data that only the terminal draws, so a storm's
   * observations are not copied onto the event loop.
   */
  | { type: 'event'; runId: number; event: InvestigationEvent }
  | { type: 'done'; runId: number; result: InvestigationResult }
  | { type: 'failed'; runId: number; message: string };
