import { describe, expect, it } from 'vitest';
import { type EvidenceBundle, emptyBundle, type SeriesEvidence } from '../../../agent/offline/evidence';
import { findOnset } from '../../../agent/offline/planner';
import type { InvestigationState } from '../../../agent/state';

const t = (m: number) => Date.parse('2026-03-01T10:00:00Z') + m * 60_000;
const iso = (m: number) => new Date(t(m)).toISOString();

const series = (onsetAt: number, method: 'change-point' | 'first-departure'): SeriesEvidence => ({
  query: 'sum:errors{service:api}',
  evidence: 'ev_1',
  series: {
    scope: 'service:api',
    metric: 'errors',
    points: [],
    baseline: 1,
    peak: 50,
    last: 50,
    onset: {
      time: iso(onsetAt),
      kind: 'shift',
      before: 1,
      after: 50,
      direction: 'up',
      magnitude: 10,
      method,
    },
  },
});

function bundle(alertSeries: SeriesEvidence[], firstNewError?: number): EvidenceBundle {
  return {
    ...emptyBundle(),
    alertSeries,
    signatures:
      firstNewError === undefined
        ? []
        : [
            {
              text: 'boom',
              count: 40,
              baseline: 0,
              services: ['api'],
              hosts: [],
              firstSeen: t(firstNewError),
              evidence: 'ev_2',
              origin: 'log',
            },
          ],
  };
}

const state = { alert: { startedAt: iso(5) }, now: new Date(t(20)) } as unknown as InvestigationState;

describe('Onset detection is robust', () => {
  it('takes the alert metric’s first sustained departure and says how it was found', () => {
    const found = findOnset(bundle([series(-3, 'first-departure')], 0), state);
    expect(found.onset).toBe(t(-3));
    expect(found.source).toBe('the first sustained departure of errors');
  });

  it('does not move the onset back to a shift from another episode hours before the alert', () => {
    const found = findOnset(bundle([series(-120, 'change-point')], 1), state);
    expect(found).toEqual({ onset: t(1), source: 'the first new error signature' });
  });

  it('falls back to the alert time when nothing else dates the failure', () => {
    expect(findOnset(bundle([]), state)).toEqual({ onset: t(5), source: 'the alert time' });
  });
});
