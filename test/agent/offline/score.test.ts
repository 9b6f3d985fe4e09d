import { describe, expect, it } from 'vitest';
import type { EvidenceBundle } from '../../../agent/offline/evidence';
import { groupChanges, overlapScore, rankSuspects } from '../../../agent/offline/score';
import { confidenceOf } from '../../../agent/offline/synthesize';

const onset = Date.parse('2026-01-01T12:00:00Z');
const min = (m: number) => onset + m * 60_000;
const catalog = {
  services: { api: { repos: ['o/api'], dependsOn: ['db'] }, web: { repos: ['o/web'], dependsOn: ['api'] } },
};

function bundle(partial: Partial<EvidenceBundle>): EvidenceBundle {
  return {
    alertSeries: [],
    otherSeries: [],
    signatures: [],
    changes: [],
    incidents: [],
    docs: [],
    failed: [],
    ...partial,
  };
}

const sig = (text: string, count = 50) => ({
  text,
  count,
  baseline: 0,
  services: ['api'],
  hosts: ['h1', 'h2'],
  firstSeen: min(1),
  evidence: 'ev_1',
});

describe('suspect scoring', () => {
  it('treats a file named in a stack frame as decisive overlap', () => {
    const change = {
      kind: 'commit' as const,
      ref: 'a'.repeat(40),
      title: 't',
      time: min(-10),
      text: 'refactor',
      files: ['src/billing/computeTax.ts'],
      evidence: [],
    };
    expect(overlapScore(change, [sig('TypeError at computeTax (src/billing/computeTax.ts:10)')])).toBe(1);
    expect(overlapScore(change, [sig('connection refused to db:5432')])).toBe(0);
  });

  it('collapses a commit, its PR and its deployment into one suspect keyed by the commit', () => {
    const sha = 'b'.repeat(40);
    const groups = groupChanges([
      { kind: 'commit', ref: sha, sha, title: 'c', time: min(-30), text: '', files: [], evidence: [] },
      {
        kind: 'pull_request',
        ref: 'o/api#1',
        sha,
        title: 'p',
        time: min(-28),
        text: '',
        files: [],
        evidence: [],
      },
      {
        kind: 'deployment',
        ref: '77',
        sha,
        status: 'success',
        title: 'd',
        time: min(-8),
        text: '',
        files: [],
        evidence: [],
      },
    ]);
    expect(groups).toHaveLength(1);
    expect(groups[0]!.primary.ref).toBe(sha);
    expect(groups[0]!.activation).toBe(min(-8));
  });

  it('never blames a change made well after the onset', () => {
    const ranked = rankSuspects(
      bundle({
        signatures: [sig('x')],
        changes: [
          {
            kind: 'feature_flag',
            ref: 'late-flag',
            service: 'api',
            title: 'f',
            time: min(30),
            text: '',
            files: [],
            evidence: [],
          },
        ],
      }),
      onset,
      'api',
      catalog,
    );
    expect(ranked).toEqual([]);
  });

  it('prefers a recent change in the alerting service over an older one elsewhere', () => {
    const ranked = rankSuspects(
      bundle({
        signatures: [sig('NullPointer in PriceCalculator')],
        changes: [
          {
            kind: 'feature_flag',
            ref: 'web-banner',
            service: 'web',
            title: 'banner',
            time: min(-3),
            text: 'banner',
            files: [],
            evidence: [],
          },
          {
            kind: 'feature_flag',
            ref: 'api-new-pricing',
            service: 'api',
            title: 'pricing',
            time: min(-6),
            text: 'new price calculator',
            files: [],
            evidence: [],
          },
        ],
      }),
      onset,
      'api',
      catalog,
    );
    expect(ranked[0]!.ref).toBe('api-new-pricing');
  });

  it('names a dependency when transport errors point at it and nothing changed', () => {
    const ranked = rankSuspects(
      bundle({ signatures: [sig('upstream payments.example.com connect timeout after 3000ms', 80)] }),
      onset,
      'api',
      catalog,
    );
    expect(ranked[0]).toMatchObject({ kind: 'dependency', ref: 'payments.example.com' });
  });

  it('abstains (confidence none) when nothing stands out', () => {
    expect(confidenceOf([])).toBe('none');
    expect(
      confidenceOf([
        { kind: 'unknown', ref: 'x', title: 'x', score: 0.2, evidence: [], reasons: [], overlap: 0 },
      ]),
    ).toBe('none');
  });
});
