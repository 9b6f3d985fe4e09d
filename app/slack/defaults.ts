import { availableParallelism } from 'node:os';

/** Slack behaviour defaults in one place. */
export const SLACK_DEFAULTS = {
  /** Reaction name -> feedback (kind, value). */
  reactionFeedback: {
    '+1': { kind: 'rating', value: 'helpful' },
    thumbsup: { kind: 'rating', value: 'helpful' },
    '-1': { kind: 'rating', value: 'not_helpful' },
    thumbsdown: { kind: 'rating', value: 'not_helpful' },
    white_check_mark: { kind: 'root_cause', value: 'confirmed' },
    heavy_check_mark: { kind: 'root_cause', value: 'confirmed' },
    x: { kind: 'root_cause', value: 'wrong' },
  } as Record<string, { kind: string; value: string }>,
  /** Slack's limits: blocks per message, characters per section text. */
  maxBlocks: 50,
  maxSectionChars: 3_000,
  /** Slack's limits for a select menu option: its text and its value. */
  maxOptionTextChars: 75,
  maxOptionValueChars: 150,
  /** Event ids remembered to drop Slack's retries. */
  seenEventsCapacity: 5_000,
  /** Largest DataDog webhook body accepted. */
  webhookBodyLimitBytes: 1024 * 1024,
  /** conversations.members paging: Slack recommends at most 200 a page; 50 pages is 10,000 members. */
  membersPageSize: 200,
  membersMaxPages: 50,
  /** How long SIGTERM waits for running investigations; the rest stay queued in the DB for the next start. */
  shutdownGraceMs: 20_000,
  /**
   * A run belongs to the process that holds its lease; the holder renews it every third of this.
   * A lease left to expire (kill -9, a frozen process) lets any process resume the run. Long
   * enough that a busy event loop never loses a live run, short enough that a crash costs little.
   */
  runLeaseMs: 30_000,
  /**
   * Worker threads investigations run in (SRE_INVESTIGATION_WORKERS; 0 runs them on the event loop).
   * Off Bolt's event loop, a storm's investigations cannot delay the acknowledgements Slack and
   * DataDog wait for. One core is left to the event loop; beyond four, runs mostly wait on their
   * sources anyway.
   */
  investigationWorkers: Math.max(1, Math.min(4, availableParallelism() - 1)),
  /**
   * A job whose worker died under it (a crash, out of memory) runs again until it has started this
   * many times; then its thread is told it failed, so an alert that kills every worker cannot loop.
   */
  maxRunsAfterWorkerCrash: 3,
  /** Investigations waiting beyond this many: the lowest-priority oldest is answered "queue full". */
  maxQueuedRuns: 200,
  /**
   * Waits between attempts to open a thread (root post, first reply); after the last, the cycle is
   * left for DataDog's next notification. The WebClient's own 429 back-off comes on top.
   */
  threadOpenBackoffMs: [1_000, 5_000, 15_000],
  /**
   * How long the webhook waits for a new alert's thread before it answers 202 anyway (DataDog
   * wants an answer within seconds; the thread keeps opening after it).
   */
  webhookThreadWaitMs: 800,
  /** A failed final chat.update is tried this many more times before the summary is posted as a new reply. */
  summaryUpdateRetries: 2,
  summaryRetryDelayMs: 500,
} as const;
