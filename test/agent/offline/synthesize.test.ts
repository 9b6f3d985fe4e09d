import { describe, expect, it } from 'vitest';
import { whenText } from '../../../agent/offline/synthesize';

const onset = Date.parse('2026-06-01T12:00:00Z');
const min = (m: number) => onset + m * 60_000;

describe('Known defects: the headline tells when a change went live', () => {
  it('says "N min before" only for a change before the onset', () => {
    expect(whenText(onset, min(-12))).toBe('12 min before');
  });

  it('says "N min after" for a change after the onset, never "0 min before"', () => {
    expect(whenText(onset, min(3))).toBe('3 min after');
    expect(whenText(onset, min(0.2))).toBe('in the same minute as');
  });
});
