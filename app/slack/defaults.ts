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
  /** How long SIGTERM waits for running investigations. */
  shutdownGraceMs: 20_000,
} as const;
