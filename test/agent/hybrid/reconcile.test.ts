import { describe, expect, it } from 'vitest';
import { briefingText } from '../../../agent/hybrid/briefing';
import { modelDidNotFinish, reconcile } from '../../../agent/hybrid/reconcile';
import type { Summary, Suspect } from '../../../agent/result';
import { tokenCount } from '../../../lib/token-count';

const suspect = (ref: string, evidence: string[], kind: Suspect['kind'] = 'commit'): Suspect => ({
  kind,
  ref,
  title: `change ${ref}`,
  score: 0.8,
  evidence,
});
const summary = (suspects: Suspect[], confidence: Summary['confidence'] = 'high'): Summary => ({
  headline: suspects[0] ? `${suspects[0].ref} did it` : 'Inconclusive',
  rootCause: 'offline reasoning',
  confidence,
  suspects,
  impact: 'errors',
  nextSteps: ['roll back'],
  similarIncidents: [{ id: 'inc-1', title: 'the last time' }],
  runbooks: [],
});
const SHA = 'a1b2c3d4e5f60718293a4b5c6d7e8f9012345678';
const EVIDENCE = new Set(['ev_1', 'ev_2', 'ev_3']);
const of = (offline: Summary, model: Summary) =>
  reconcile({ offline, model, evidenceIds: EVIDENCE, modelName: 'm1' });

describe('reconciling the model with the first answer', () => {
  it('confirms when the model ranks the same suspect first (an abbreviated sha is the same commit)', () => {
    const offline = summary([suspect(SHA, ['ev_1'])]);
    const model = {
      ...summary([suspect('a1b2c3d', ['ev_1']), suspect('pool', ['ev_3'], 'dependency')]),
      rootCause: 'the model explains',
    };
    const r = of(offline, model);
    expect(r.refinement).toMatchObject({
      outcome: 'confirmed',
      note: 'Confirmed by m1; added: dependency pool',
    });
    expect(r.summary.suspects.map((s) => s.ref)).toEqual([SHA, 'pool']);
    expect(r.summary.rootCause).toBe('the model explains');
    expect(r.summary.confidence).toBe('high');
    expect(r.refinement.offline).toBe(offline);
  });

  it('overturns only with evidence ids that exist, and keeps the first answer below', () => {
    const offline = summary([suspect(SHA, ['ev_1'])]);
    const r = of(offline, summary([suspect('flag-x', ['ev_9', 'ev_2'], 'feature_flag')], 'medium'));
    expect(r.refinement.outcome).toBe('overturned');
    expect(r.refinement.note).toBe(
      'Overturned by m1: feature flag flag-x (evidence ev_2) rather than commit a1b2c3d4e5',
    );
    expect(r.summary.suspects.map((s) => s.ref)).toEqual(['flag-x', SHA]);
    expect(r.summary.suspects[0]!.evidence).toEqual(['ev_2']);
    expect(r.summary.confidence).toBe('medium');
    // The model gave no similar incidents: the first answer's stay.
    expect(r.summary.similarIncidents).toEqual(offline.similarIncidents);
  });

  it('refuses a contradiction without evidence (invented ids do not count): the first answer stands', () => {
    const offline = summary([suspect(SHA, ['ev_1'])]);
    const r = of(offline, summary([suspect('flag-x', ['ev_9'])]));
    expect(r.refinement.outcome).toBe('refused');
    expect(r.summary).toBe(offline);
    const none = of(offline, summary([], 'none'));
    expect(none.refinement.outcome).toBe('refused');
    expect(none.summary).toBe(offline);
  });

  it('adds a cause the first answer did not have, when the model cites evidence', () => {
    const offline = summary([], 'none');
    const added = of(offline, summary([suspect('db-primary', ['ev_3'], 'infrastructure')], 'low'));
    expect(added.refinement).toMatchObject({
      outcome: 'added',
      note: 'Added by m1: infrastructure db-primary (evidence ev_3)',
    });
    expect(added.summary.suspects[0]!.ref).toBe('db-primary');
    expect(of(offline, summary([suspect('db-primary', [])])).refinement.outcome).toBe('refused');
    expect(of(offline, summary([], 'none')).refinement.outcome).toBe('confirmed');
  });

  it('a model that did not finish leaves the first answer standing, saying why', () => {
    const offline = summary([suspect(SHA, ['ev_1'])]);
    const r = modelDidNotFinish(offline, 'm1', 'deadline reached');
    expect(r.summary).toBe(offline);
    expect(r.refinement).toMatchObject({
      outcome: 'failed',
      note: 'The model could not finish (deadline reached); the offline answer stands',
    });
  });
});

describe('the briefing', () => {
  it('lists the suspects with their evidence first and stays within its token budget', () => {
    const evidence = Array.from({ length: 400 }, (_, i) => ({
      id: `ev_${i + 1}`,
      tool: 'datadog.logs',
      summary: `pattern ${i} ${'x'.repeat(200)}`,
    }));
    const text = briefingText(summary([suspect(SHA, ['ev_399'])]), evidence, 1_500);
    expect(tokenCount(text)).toBeLessThanOrEqual(1_500);
    expect(text).toContain(`1. commit ${SHA} score 0.8: change ${SHA} [ev_399]`);
    expect(text.indexOf('ev_399 datadog.logs')).toBeLessThan(text.indexOf('ev_1 datadog.logs'));
    expect(text).toContain('truncated');
  });
});
