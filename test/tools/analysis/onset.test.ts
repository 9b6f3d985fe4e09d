import { describe, expect, it } from 'vitest';
import { rng } from '../../../sandbox/scenario-builder/lib';
import type { Point } from '../../../tools/analysis/departures';
import { detectOnset } from '../../../tools/analysis/onset';

const t0 = Date.parse('2026-01-01T00:00:00Z');
const MIN = 60_000;
const at = (minute: number) => t0 + minute * MIN;
const series = (values: number[], startMinute = 0): Point[] => values.map((v, i) => [at(startMinute + i), v]);

/** Poisson counts with the given per-minute means (Knuth's method). */
function poisson(means: number[], seed: number): number[] {
  const r = rng(seed);
  return means.map((lambda) => {
    const limit = Math.exp(-lambda);
    let k = 0;
    let p = r();
    while (p > limit) {
      k += 1;
      p *= r();
    }
    return k;
  });
}
const repeat = (n: number, v: number) => Array<number>(n).fill(v);

describe('13.4 onset detection is robust', () => {
  it('dates a step in a noisy low count at the step, not at a 0 -> 1 wiggle hours earlier', () => {
    // Errors at about one a minute for 160 minutes, then about 110 a minute: the case where a
    // 2%-of-the-mean noise floor called a wiggle from 0 to 1 an onset two hours early.
    for (const seed of [1, 2, 3, 4, 5]) {
      const values = poisson([...repeat(160, 1), ...repeat(20, 110)], seed);
      const r = detectOnset(series(values));
      expect(r).toMatchObject({ onset: at(160), method: 'change-point', confidence: 'high' });
      expect(r.baseline).toMatchObject({ enough: true, noise: 'count' });
      expect(r.detail).toContain('level up');
    }
  });

  it('finds no onset in Poisson noise, however small its mean (sqrt(mean) is the noise floor)', () => {
    for (const [mean, seed] of [
      [0.3, 1],
      [2, 2],
      [40, 3],
      [900, 4],
    ] as const) {
      const r = detectOnset(series(poisson(repeat(180, mean), seed)));
      expect(r.onset).toBeNull();
      expect(r.detail).toContain('no sustained change');
    }
  });

  it('walks a ramp back to its first sustained departure, not its middle, and says so', () => {
    // Memory flat at 900 MB (+-5), then climbing 12 MB a minute from minute 100 for 60 minutes.
    const r = rng(7);
    const values = Array.from({ length: 170 }, (_, i) => 900 + (r() - 0.5) * 10 + Math.max(0, i - 99) * 12);
    const found = detectOnset(series(values));
    expect(found.method).toBe('first-departure');
    expect(Math.abs(found.onset! - at(100))).toBeLessThanOrEqual(MIN);
    expect(found.change!.middleAt).toBeGreaterThan(at(120));
    expect(found.detail).toMatch(/first sustained departure at 01:4\d, walked back \d+ min from the middle/);
  });

  it('handles drops (a business metric falling) as well as rises', () => {
    const values = poisson([...repeat(150, 140), ...repeat(30, 90)], 11);
    const r = detectOnset(series(values));
    expect(r).toMatchObject({ onset: at(150), method: 'change-point' });
    expect(r.change).toMatchObject({ direction: 'down' });
    expect(r.change!.after).toBeLessThan(100);
  });

  it('sees a moderate drop of a mid-level count over ten points, where no three points show it', () => {
    // 40 a minute falling to 24: each point is only about 2.5 sigma out.
    for (const seed of [1, 2, 3, 4, 5]) {
      const r = detectOnset(series(poisson([...repeat(150, 40), ...repeat(30, 24)], seed)));
      expect(r.change?.direction).toBe('down');
      expect(r.onset! - at(150)).toBeGreaterThanOrEqual(0);
      expect(r.onset! - at(150)).toBeLessThanOrEqual(5 * MIN);
    }
  });

  it('handles a ratio near zero: a real rise is an onset, a wobble of hundredths of a percent is not', () => {
    const r = rng(3);
    const calm = Array.from({ length: 120 }, () => (r() < 0.7 ? 0 : 0.0004));
    const rise = detectOnset(series([...calm, ...repeat(15, 0.08)]));
    expect(rise).toMatchObject({ onset: at(120), baseline: { noise: 'ratio' } });
    expect(detectOnset(series([...calm, ...repeat(15, 0.0006)])).onset).toBeNull();
  });

  it('ignores a 0.5% move on a flat gauge (a pool size), which has no spread of its own', () => {
    expect(detectOnset(series([...repeat(100, 100), ...repeat(30, 100.5)])).onset).toBeNull();
    expect(detectOnset(series([...repeat(100, 100.25), ...repeat(30, 100)])).onset).toBeNull();
  });

  it('works on the points it has when minutes are missing, and says when a hole hides the start', () => {
    const values = poisson([...repeat(120, 5), ...repeat(30, 80)], 5);
    const sparse = series(values).filter((_, i) => i % 7 !== 3);
    expect(detectOnset(sparse).onset).toBe(at(120));
    // Nothing reported from minute 105 to 119: the change may have begun inside the hole.
    const holed = series(values).filter((_, i) => i < 105 || i >= 120);
    const r = detectOnset(holed);
    expect(r.onset).toBe(at(120));
    expect(r.confidence).not.toBe('high');
    expect(r.detail).toContain('no data for 15 min before it');
  });

  it('answers "not enough baseline" for a short series, never a bogus onset', () => {
    const short = series([1, 0, 2, 1, 90, 95, 100, 92]);
    expect(detectOnset(short)).toMatchObject({ onset: null, method: 'none', confidence: 'none' });
    expect(detectOnset(short).detail).toMatch(/^not enough baseline: the series has 8 points/);
    // With hints it says where the onset came from instead.
    expect(detectOnset(short, { alertAt: at(6) })).toMatchObject({
      onset: at(6),
      method: 'alert-time',
      confidence: 'low',
    });
    expect(detectOnset(short, { alertAt: at(6), firstNewErrorAt: at(4) })).toMatchObject({
      onset: at(4),
      method: 'first-new-error',
      confidence: 'medium',
    });
  });

  it('answers "not enough baseline" when the change starts before a baseline could form', () => {
    const r = detectOnset(
      series([1, 2, 1, 1, 2, 90, 95, 100, 92, 96, 99, 101, 94, 97, 98, 95, 100, 93, 96, 97]),
    );
    expect(r.onset).toBeNull();
    expect(r.baseline.enough).toBe(false);
    expect(r.detail).toContain('not enough baseline');
  });

  it('dates the alert by the change under way when it fired, not a bigger one that ended hours before', () => {
    const values = poisson([...repeat(40, 2), ...repeat(10, 300), ...repeat(100, 2), ...repeat(30, 60)], 9);
    const alertAt = at(155);
    expect(detectOnset(series(values)).onset).toBe(at(40));
    expect(detectOnset(series(values), { alertAt })).toMatchObject({
      onset: at(150),
      method: 'change-point',
    });
  });

  it('does not let a change after the alert date it: the first new error (or the alert) does', () => {
    const values = poisson([...repeat(150, 3), ...repeat(30, 90)], 4);
    const r = detectOnset(series(values), { alertAt: at(120), firstNewErrorAt: at(117) });
    expect(r).toMatchObject({ onset: at(117), method: 'first-new-error' });
    expect(r.detail).toContain('changed only after the alert');
  });

  it('checks the onset against the first new error signature and the alert time', () => {
    const values = poisson([...repeat(150, 3), ...repeat(30, 90)], 6);
    const agreeing = detectOnset(series(values), { alertAt: at(154), firstNewErrorAt: at(151) });
    expect(agreeing.confidence).toBe('high');
    expect(agreeing.detail).toContain('agrees with the first new error signature at 02:31');
    expect(agreeing.detail).toContain('the alert fired 4 min later');
    const disagreeing = detectOnset(series(values), { alertAt: at(154), firstNewErrorAt: at(120) });
    expect(disagreeing.onset).toBe(at(150));
    expect(disagreeing.confidence).toBe('medium');
    expect(disagreeing.detail).toContain('the first new error signature came 30 min earlier');
  });

  it('dates a flapping episode (pods failing one after another) by its first burst', () => {
    const means = [...repeat(150, 3), ...repeat(3, 50), ...repeat(6, 3), ...repeat(4, 120), ...repeat(7, 3)];
    const r = detectOnset(series(poisson(means, 8)));
    expect(r.onset).toBe(at(150));
    expect(r.change!.recovered).toBe(true);
    expect(r.detail).toContain('back to baseline after');
  });

  it('reports a series that stopped reporting as a drop when the window end is known', () => {
    const values = poisson(repeat(150, 200), 2);
    const r = detectOnset(series(values), { windowEnd: at(170) });
    expect(r).toMatchObject({ onset: at(150), change: { direction: 'down', stopped: true } });
    expect(r.detail).toContain('stopped reporting at 02:30');
    expect(detectOnset(series(values), { windowEnd: at(152) }).onset).toBeNull();
  });
});
