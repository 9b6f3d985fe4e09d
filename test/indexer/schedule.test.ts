import { describe, expect, it } from 'vitest';
import { parseScheduleSpec, startIndexSchedule } from '../../indexer/schedule';

describe('scheduled indexing', () => {
  it('reads one expression for all sources, or one per source', () => {
    expect(parseScheduleSpec('*/30 * * * *', ['slack', 'notion'])).toEqual({
      slack: '*/30 * * * *',
      notion: '*/30 * * * *',
    });
    expect(parseScheduleSpec('slack=*/5 * * * *; notion=0 * * * *', [])).toEqual({
      slack: '*/5 * * * *',
      notion: '0 * * * *',
    });
    expect(() => parseScheduleSpec('slack=', [])).toThrow(/source=expression/);
  });

  it('rejects an invalid expression', () => {
    expect(() => startIndexSchedule({ slack: 'every tuesday' }, async () => {})).toThrow(
      /invalid cron expression for slack/,
    );
  });

  it('never overlaps runs of one source: ticks during a run are skipped', async () => {
    let active = 0;
    let maxActive = 0;
    let release: () => void = () => {};
    const gate = new Promise<void>((r) => {
      release = r;
    });
    const schedule = startIndexSchedule({ slack: '* * * * * *' }, async () => {
      active += 1;
      maxActive = Math.max(maxActive, active);
      await gate;
      active -= 1;
    });
    try {
      while ((schedule.skipped.slack ?? 0) < 1) await new Promise((r) => setTimeout(r, 100));
      expect(maxActive).toBe(1);
      expect(schedule.runs.slack).toBe(1);
    } finally {
      release();
      schedule.stop();
    }
  });
});
