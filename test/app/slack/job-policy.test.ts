import { describe, expect, it } from 'vitest';
import { firstReplyText, openRetryDelay, priorityRank } from '../../../app/slack/job-policy';

describe('the queue policy', () => {
  it('ranks P1 first and P5 last; an alert without a priority sits in the middle', () => {
    expect(['P1', 'P2', undefined, 'P4', 'P5', 'normal'].map(priorityRank)).toEqual([1, 2, 3, 4, 5, 3]);
  });

  it('waits longer after each failed thread opening, then gives up', () => {
    const backoff = [100, 500];
    expect([0, 1, 2].map((n) => openRetryDelay(n, backoff))).toEqual([100, 500, undefined]);
  });

  it('says how many runs are ahead, or that it is looking already', () => {
    expect(firstReplyText(2)).toMatch(/^:hourglass: Queued: 2 investigation\(s\) ahead/);
    expect(firstReplyText(0)).toContain('Looking at the alert');
  });
});
