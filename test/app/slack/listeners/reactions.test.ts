import { describe, expect, it } from 'vitest';
import { type ReactionArgs, reactionFeedback } from '../../../../app/slack/listeners/reactions';
import { openDatabase } from '../../../../data/db';
import { listFeedback } from '../../../../data/feedback';
import { createInvestigation, setSlackLocation } from '../../../../data/investigations';

const reaction = (type: 'reaction_added' | 'reaction_removed', name: string, ts = '100.2') =>
  ({
    type,
    reaction: name,
    user: 'U1',
    item: { type: 'message', channel: 'C1', ts },
    event_ts: '1.1',
  }) as ReactionArgs['event'];

describe('the reaction listener', () => {
  it('turns a mapped emoji in an investigation thread into feedback, and its removal into a retraction', async () => {
    const db = openDatabase(':memory:');
    createInvestigation(db, { id: 'inv_1', alertKey: 'k', alert: {}, planner: 'offline', startedAt: 't' });
    setSlackLocation(db, 'inv_1', { channelId: 'C1', threadTs: '100.1', progressTs: '100.2' });
    const on = reactionFeedback({ runtime: { db } });
    expect(await on({ event: reaction('reaction_added', '+1') })).toBe(true);
    expect(listFeedback(db)).toMatchObject([
      { investigationId: 'inv_1', userId: 'U1', kind: 'rating', value: 'helpful' },
    ]);
    expect(await on({ event: reaction('reaction_added', 'tada') })).toBe(false);
    expect(await on({ event: reaction('reaction_added', '+1', '999.9') })).toBe(false);
    expect(await on({ event: reaction('reaction_removed', '+1') })).toBe(true);
    expect(listFeedback(db)).toEqual([]);
  });
});
