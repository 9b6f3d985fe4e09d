import { describe, expect, it } from 'vitest';
import { detectChangePoint, type Point } from '../../../tools/analysis/change-point';
import { sparkline } from '../../../tools/analysis/sparkline';

const t0 = Date.parse('2026-01-01T00:00:00Z');
const pts = (values: number[]): Point[] => values.map((v, i) => [t0 + i * 60_000, v]);
const jitter = (n: number, base: number, amp: number) =>
  Array.from({ length: n }, (_, i) => base + ((i * 7) % 5) * amp - 2 * amp);

describe('detectChangePoint', () => {
  it('returns null for an empty or flat series', () => {
    expect(detectChangePoint([])).toBeNull();
    expect(detectChangePoint(pts(Array(60).fill(10)))).toBeNull();
    expect(detectChangePoint(pts(jitter(60, 100, 1)))).toBeNull();
  });

  it('finds the onset of a sustained level shift at the first elevated point', () => {
    const cp = detectChangePoint(pts([...jitter(50, 4, 1), ...jitter(20, 80, 5)]));
    expect(cp).toMatchObject({ kind: 'shift', index: 50, direction: 'up' });
    expect(cp!.time).toBe(t0 + 50 * 60_000);
  });

  it('finds a drop as well as a rise', () => {
    expect(detectChangePoint(pts([...jitter(40, 1000, 10), ...jitter(20, 300, 10)]))).toMatchObject({
      index: 40,
      direction: 'down',
    });
  });

  it('reports a single spike as a spike, not an onset', () => {
    const values = jitter(60, 10, 0.5);
    values[30] = 200;
    expect(detectChangePoint(pts(values))).toMatchObject({ kind: 'spike', index: 30 });
  });

  it('copes with gaps (missing minutes) by working on the points it has', () => {
    const points = pts([...jitter(30, 5, 1), ...jitter(30, 60, 2)]).filter((_, i) => i % 7 !== 3);
    const cp = detectChangePoint(points);
    expect(cp?.kind).toBe('shift');
    expect(cp!.time).toBe(t0 + 30 * 60_000);
  });
});

describe('sparkline', () => {
  it('draws a flat line for flat data, nothing for no data, and keeps a spike visible when resampling', () => {
    expect(sparkline([])).toBe('');
    expect(sparkline([3, 3, 3])).toBe('▁▁▁');
    const values = Array(200).fill(1);
    values[123] = 50;
    const line = sparkline(values, 20);
    expect(line).toHaveLength(20);
    expect(line).toContain('█');
  });
});
