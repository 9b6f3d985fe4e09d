import { describe, expect, it } from 'vitest';
import { WorkQueue } from '../../../app/slack/queue';

describe('the investigation queue', () => {
  it('runs at most N at once, in FIFO order, and drains on shutdown', async () => {
    const q = new WorkQueue(2);
    const order: number[] = [];
    let running = 0;
    let peak = 0;
    const job = (i: number) => async () => {
      running += 1;
      peak = Math.max(peak, running);
      order.push(i);
      await new Promise((r) => setTimeout(r, 10));
      running -= 1;
    };
    const all = [0, 1, 2, 3, 4].map((i) => q.run(job(i)));
    expect(q.depth).toBe(3);
    await Promise.all(all);
    expect(peak).toBe(2);
    expect(order).toEqual([0, 1, 2, 3, 4]);
    expect(await q.drain(100)).toBe(true);
    await expect(q.run(job(5))).rejects.toThrow(/shutting down/);
  });
});
