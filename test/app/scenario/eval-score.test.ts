import { describe, expect, it } from 'vitest';
import type { InvestigationResult } from '../../../agent/result';
import { aggregateScores, failedScore, scoreScenario } from '../../../app/scenario/eval-score';
import type { Truth } from '../../../sandbox/scenario-schema';

const result = (confidence: string, refs: string[]): InvestigationResult =>
  ({
    summary: {
      confidence,
      suspects: refs.map((ref) => ({ ref })),
      runbooks: [{ id: 'runbooks/x.md' }],
      similarIncidents: [],
    },
    steps: [{}, {}],
    usage: { toolCalls: 9, promptTokens: 0, completionTokens: 0, wallMs: 120 },
  }) as unknown as InvestigationResult;

const truth = (t: Partial<Truth>): Truth => ({ kind: 'commit', accept: ['abc1234'], keywords: [], ...t });

describe('eval scoring', () => {
  it('a hit is the accepted ref first (shas match when abbreviated), hit@3 within the top three', () => {
    const s = scoreScenario('w', result('high', ['abc1234ffff', 'x']), truth({ runbook: 'runbooks/x.md' }));
    expect(s).toMatchObject({ hit1: true, hit3: true, rank: 1, runbook: true, topRef: 'abc1234ffff' });
    expect(scoreScenario('w', result('high', ['x', 'y', 'abc1234']), truth({}))).toMatchObject({
      hit1: false,
      hit3: true,
      rank: 3,
    });
  });

  it('an inconclusive world is right only when the answer abstains (low or none)', () => {
    const t = truth({ kind: 'inconclusive', accept: ['inconclusive'], class: 'inconclusive-blip' });
    expect(scoreScenario('w', result('low', ['some-commit']), t).hit1).toBe(true);
    expect(scoreScenario('w', result('medium', []), t).hit1).toBe(false);
  });

  it('calibration: per confidence level, the share whose top suspect was right; failed worlds count as misses', () => {
    const rows = [
      scoreScenario('a', result('high', ['abc1234']), truth({ class: 'bad-commit' })),
      scoreScenario('b', result('high', ['nope']), truth({ class: 'bad-commit' })),
      scoreScenario(
        'c',
        result('medium', []),
        truth({ kind: 'inconclusive', accept: ['inconclusive'], class: 'blip' }),
      ),
      failedScore('d', truth({ class: 'canary' }), 'alert not understood'),
    ];
    const totals = aggregateScores(rows);
    expect(totals.calibration.find((c) => c.level === 'high')).toEqual({
      level: 'high',
      answers: 2,
      right: 0.5,
    });
    expect(totals.calibration.find((c) => c.level === 'medium')).toEqual({
      level: 'medium',
      answers: 1,
      right: 0,
    });
    expect(totals.abstention).toBe(0);
    expect(totals.failed).toBe(1);
    expect(totals.hit1).toBe(0.25);
    expect(totals.byClass.map((c) => [c.className, c.scenarios, c.hit1])).toEqual([
      ['bad-commit', 2, 0.5],
      ['blip', 1, 0],
      ['canary', 1, 0],
    ]);
  });
});
