import { describe, expect, it } from 'vitest';
import { emptyBundle, type SeriesEvidence } from '../../../agent/offline/evidence';
import { synthesizeSummary, whenText } from '../../../agent/offline/synthesize';
import type { ChangeCandidate, ScoredSuspect } from '../../../agent/offline/types';
import { sampleAlert } from '../../fixtures/investigation';

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

describe('Confidence is calibrated: a failure that stopped by itself', () => {
  const sha = 'a'.repeat(40);
  const deploy: ScoredSuspect = {
    kind: 'deployment',
    ref: sha,
    title: 'Rollout 1.2.3 of api to prod',
    service: 'api',
    score: 0.9,
    evidence: [],
    reasons: ['went live 4 min before the onset'],
    overlap: 0.8,
    decisive: true,
    time: min(-4),
  };
  const recoveredSeries = {
    query: 'sum:api.errors{service:api}',
    evidence: 'ev_1',
    series: {
      scope: 'service:api',
      metric: 'api.errors',
      points: [] as [number, number][],
      baseline: 1,
      peak: 40,
      last: 1,
      onset: {
        time: new Date(onset).toISOString(),
        kind: 'shift' as const,
        before: 1,
        after: 40,
        direction: 'up' as const,
        magnitude: 12,
        recoveredAt: new Date(min(12)).toISOString(),
      },
    },
  };
  const rolloutOf = (s: string, at: number): ChangeCandidate => ({
    kind: 'deployment',
    ref: s,
    sha: s,
    title: `Rollout of ${s.slice(0, 7)}`,
    text: '',
    files: [],
    evidence: [],
    origin: 'github',
    service: 'api',
    time: at,
  });
  const summarize = (changes: ChangeCandidate[], series: SeriesEvidence = recoveredSeries) =>
    synthesizeSummary({
      alert: sampleAlert({ service: 'api' }),
      cls: 'error_rate',
      service: 'api',
      onset,
      onsetSource: 'the alert metric',
      bundle: { ...emptyBundle(), alertSeries: [series], changes },
      suspects: [deploy],
    });

  it('is at most low when the change it blames is still live, and says why', () => {
    const summary = summarize([rolloutOf(sha, min(-4))]);
    expect(summary.confidence).toBe('low');
    expect(summary.rootCause).toMatch(/recovered by itself while this change is still live/);
  });

  it('counts a spike whose metric is back near its baseline as recovered too', () => {
    const spike = {
      ...recoveredSeries,
      series: {
        ...recoveredSeries.series,
        last: 3,
        onset: { ...recoveredSeries.series.onset, kind: 'spike' as const, recoveredAt: undefined },
      },
    };
    const still = { ...spike, series: { ...spike.series, last: 38 } };
    const confidence = (series: SeriesEvidence) => summarize([rolloutOf(sha, min(-4))], series).confidence;
    expect(confidence(spike)).toBe('low');
    expect(confidence(still)).toBe('high');
  });

  it('keeps its confidence when a rollback of the service explains the recovery', () => {
    const summary = summarize([rolloutOf(sha, min(-4)), rolloutOf('b'.repeat(40), min(10))]);
    expect(summary.confidence).not.toBe('low');
    expect(summary.rootCause).not.toMatch(/still live/);
  });
});
