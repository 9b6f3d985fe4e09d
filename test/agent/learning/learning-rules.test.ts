import { describe, expect, it } from 'vitest';
import { calibrateSuspects, planWithPriors } from '../../../agent/learning/apply';
import { contextFrom, type LearnedPrior, learnedHintText } from '../../../agent/learning/context';
import { LEARNING_DEFAULTS } from '../../../agent/learning/defaults';
import { judge, matchCause, namesDocument } from '../../../agent/learning/judge';
import { linkIncidents } from '../../../agent/learning/outcomes';
import { boundedNudge, computePriors } from '../../../agent/learning/priors';
import { calibrateWeights, learnedWeights } from '../../../agent/learning/weights';
import { DEFAULT_WEIGHTS } from '../../../agent/offline/defaults';
import type { InvestigationResult, Suspect } from '../../../agent/result';
import { diffPriors } from '../../../app/learning/diff';
import { boostDocuments } from '../../../tools/knowledge/boost';
import { sampleAlert, sampleResult } from '../../fixtures/investigation';

const commit: Suspect = {
  kind: 'commit',
  ref: 'abcdef1234567890abcdef1234567890abcdef12',
  title: 'Retry shards',
  score: 0.7,
  evidence: ['ev_2'],
};
const flag: Suspect = {
  kind: 'feature_flag',
  ref: 'search-reranker',
  title: 'Flag flipped',
  score: 0.6,
  evidence: ['ev_3'],
};

function result(over: Partial<InvestigationResult['summary']> = {}): InvestigationResult {
  return sampleResult(
    'inv_1',
    {
      confidence: 'medium',
      suspects: [commit, flag],
      impact: '',
      similarIncidents: [{ id: 'inc-1', title: 'Old incident' }],
      runbooks: [{ id: 'runbooks/search.md', title: 'Search runbook' }],
      ...over,
    },
    {
      alert: sampleAlert({
        title: 'Search p95 latency high',
        service: 'search',
        startedAt: '2026-09-02T11:00:00Z',
        text: '',
      }),
      evidence: [
        { id: 'ev_1', tool: 'datadog.metrics', summary: '' },
        { id: 'ev_2', tool: 'github.changes', summary: '' },
        { id: 'ev_3', tool: 'flags.changes', summary: '' },
      ],
      steps: [
        { n: 1, thought: '', actions: [{ tool: 'datadog.metrics', input: {}, ok: true, ms: 1 }] },
        {
          n: 2,
          thought: '',
          actions: [
            { tool: 'github.changes', input: {}, ok: true, ms: 1 },
            { tool: 'flags.changes', input: {}, ok: true, ms: 1 },
          ],
        },
      ],
      usage: { llmCalls: 0, promptTokens: 0, completionTokens: 0, toolCalls: 3, wallMs: 1, costUsd: 0 },
    },
  );
}

describe('judging one investigation', () => {
  it('helpful + confirmed credits the top suspect and the tools behind its evidence', () => {
    const j = judge({
      id: 'i',
      result: result(),
      feedback: [
        { kind: 'rating', value: 'helpful' },
        { kind: 'root_cause', value: 'confirmed' },
      ],
      outcomes: [],
    });
    expect(j).toMatchObject({ scope: 'search|latency', rating: 3, confirmed: commit, wrong: [] });
    expect(j.citedTools).toEqual(['github.changes', 'knowledge.search']);
    expect(j.usedTools).toEqual(['datadog.metrics', 'github.changes', 'flags.changes']);
  });

  it('a person naming another suspect, or an incident whose cause names it, marks the top one wrong', () => {
    const named = judge({
      id: 'i',
      result: result(),
      feedback: [{ kind: 'root_cause', value: `actual:${flag.ref}` }],
      outcomes: [],
    });
    expect(named).toMatchObject({
      rating: -2,
      confirmed: flag,
      wrong: [commit],
      citedTools: ['flags.changes', 'knowledge.search'],
    });
    const byIncident = judge({
      id: 'i',
      result: result(),
      feedback: [],
      outcomes: [{ matchedRank: 2, matchedRef: flag.ref, text: '' }],
    });
    expect(byIncident).toMatchObject({ confirmed: flag, wrong: [commit] });
  });

  it('no feedback judges nothing', () => {
    expect(judge({ id: 'i', result: result(), feedback: [], outcomes: [] })).toMatchObject({
      rating: 0,
      confirmed: undefined,
      citedTools: [],
    });
  });
});

describe('matching an incident resolution to suspects', () => {
  it('finds commits by short sha, PRs by number, flags by key and config changes by most of their words', () => {
    expect(matchCause('Reverted abcdef1 and recovered', [flag, commit])).toBe(2);
    expect(
      matchCause('PR #482 was rolled back', [{ ...flag, kind: 'pull_request', ref: 'acme/checkout#482' }]),
    ).toBe(1);
    expect(matchCause('The search-reranker flag went to 100%', [commit, flag])).toBe(2);
    const config = {
      ...flag,
      kind: 'config_change' as const,
      ref: 'Rate limit config updated for api-gateway: per-client limit 2000 -> 200 req/s',
    };
    expect(matchCause('A rate limit config update cut the per-client limit for api-gateway', [config])).toBe(
      1,
    );
    expect(matchCause('Upstream provider outage', [commit, flag])).toBeNull();
  });

  it('names a document only when most of its title words appear', () => {
    expect(namesDocument('Followed the email provider failover runbook', 'Email provider failover')).toBe(
      true,
    );
    expect(namesDocument('The email was late', 'Email provider failover')).toBe(false);
  });

  it('links a resolved incident to the closest investigation of its service, never an unresolved one', () => {
    const inv = (id: string, at: string) => ({
      id,
      result: { ...result(), alert: { ...result().alert, startedAt: at } },
    });
    const incident = {
      id: 'x',
      title: 't',
      summary: '',
      severity: 'sev2',
      services: ['search'],
      startedAt: '2026-09-02T11:05:00Z',
      resolvedAt: '2026-09-02T11:45:00Z',
      cause: 'search-reranker flag',
    };
    const links = linkIncidents(
      [incident, { ...incident, id: 'open', resolvedAt: undefined }],
      [inv('far', '2026-09-02T06:00:00Z'), inv('near', '2026-09-02T11:00:00Z')],
    );
    expect(links).toHaveLength(1);
    expect(links[0]).toMatchObject({
      investigationId: 'near',
      resolutionMs: 40 * 60_000,
      matchedRank: 2,
      matchedRef: 'search-reranker',
    });
    expect(
      linkIncidents([{ ...incident, services: ['checkout'] }], [inv('near', '2026-09-02T11:00:00Z')]),
    ).toEqual([]);
  });
});

describe('learned priors are bounded and explained', () => {
  it('a nudge never leaves its bound, however one-sided the evidence', () => {
    expect(boundedNudge(0, 0, 0.25)).toBe(0);
    expect(boundedNudge(1_000, 0, 0.25)).toBeLessThan(0.25);
    expect(boundedNudge(0, 1_000, 0.25)).toBeGreaterThan(-0.25);
    expect(boundedNudge(3, 3, 0.25)).toBe(0);
  });

  it('computes tool, suspect-kind and document priors per service scope and class-wide', () => {
    const many = Array.from({ length: 50 }, (_, i) =>
      judge({
        id: `i${i}`,
        result: result(),
        feedback: [{ kind: 'root_cause', value: `actual:${flag.ref}` }],
        outcomes: [],
      }),
    );
    const priors = computePriors(many, new Map());
    const get = (kind: string, scope: string, key: string) =>
      priors.find((p) => p.kind === kind && p.scope === scope && p.key === key);
    expect(get('suspect_kind', 'search|latency', 'feature_flag')!.value).toBeLessThanOrEqual(
      1 + LEARNING_DEFAULTS.kindMultiplierBound,
    );
    expect(get('suspect_kind', 'search|latency', 'commit')!.value).toBeGreaterThanOrEqual(
      1 - LEARNING_DEFAULTS.kindMultiplierBound,
    );
    expect(get('suspect_kind', '*|latency', 'feature_flag')).toBeDefined();
    expect(get('tool', 'search|latency', 'flags.changes')!.value).toBeGreaterThan(
      get('tool', 'search|latency', 'github.changes')!.value,
    );
    expect(get('tool', 'search|latency', 'flags.changes')!.reason).toBe(
      'its evidence backed the answer in 50 of 50 well-rated investigations of search latency alerts',
    );
    for (const p of priors.filter((x) => x.kind === 'document'))
      expect(Math.abs(p.value)).toBeLessThanOrEqual(LEARNING_DEFAULTS.documentBoostBound);
  });

  it('calibrates the scoring weights toward confirmed changes, within bounds, keeping their sum', () => {
    const near = {
      ...flag,
      kind: 'commit' as const,
      ref: 'near',
      features: { time: 0.95, service: 1, overlap: 0 },
    };
    const loud = { ...commit, ref: 'loud', features: { time: 0.5, service: 1, overlap: 0.45 } };
    const confirmedNear = (i: number) =>
      judge({
        id: `i${i}`,
        result: result({ suspects: [loud, near] }),
        feedback: [{ kind: 'root_cause', value: 'actual:near' }],
        outcomes: [],
      });
    expect(calibrateWeights([confirmedNear(1), confirmedNear(2)])).toEqual([]); // too little evidence
    const learned = calibrateWeights([1, 2, 3].map(confirmedNear));
    const w = learnedWeights(new Map(learned.map((p) => [p.key, p])))!;
    expect(w.time).toBeGreaterThan(DEFAULT_WEIGHTS.time);
    expect(w.overlap).toBeLessThan(DEFAULT_WEIGHTS.overlap);
    expect(w.time + w.service + w.overlap).toBeCloseTo(1, 2);
    for (const [k, d] of Object.entries(DEFAULT_WEIGHTS) as [keyof typeof DEFAULT_WEIGHTS, number][])
      expect(Math.abs(w[k] - d)).toBeLessThanOrEqual(d * LEARNING_DEFAULTS.weightBound + 0.01);
    const score = (f: { time: number; service: number; overlap: number }) =>
      w.time * f.time + w.service * f.service + w.overlap * f.overlap;
    expect(score(near.features)).toBeGreaterThan(score(loud.features));
    expect(learned[0]!.reason).toMatch(/calibrated on 3 confirmed changes/);
  });

  it('diffs two runs: added, changed and dropped values only', () => {
    const p = (key: string, value: number): LearnedPrior => ({
      kind: 'tool',
      scope: 's|latency',
      key,
      value,
      support: 1,
      reason: '',
    });
    expect(
      diffPriors([p('a', 0.5), p('b', 0.5), p('c', 0.5)], [p('a', 0.5), p('b', 0.7), p('d', 0.6)]).map(
        (c) => [c.key, c.before, c.after],
      ),
    ).toEqual([
      ['b', 0.5, 0.7],
      ['c', 0.5, null],
      ['d', null, 0.6],
    ]);
  });
});

describe('using what was learned', () => {
  const prior = (kind: LearnedPrior['kind'], key: string, value: number, support = 5): LearnedPrior => ({
    kind,
    scope: 'search|latency',
    key,
    value,
    support,
    reason: `${key} reason`,
  });

  it('orders a turn by tool prior and keeps one call of a rarely useful tool, saying so', () => {
    const ctx = contextFrom('search|latency', [
      prior('tool', 'flags.changes', 0.9),
      prior('tool', 'datadog.logs', 0.1),
    ]);
    const calls = [
      { id: '1', tool: 'datadog.logs', input: { q: 1 } },
      { id: '2', tool: 'github.changes', input: {} },
      { id: '3', tool: 'datadog.logs', input: { q: 2 } },
      { id: '4', tool: 'flags.changes', input: {} },
    ];
    const planned = planWithPriors(calls, ctx);
    expect(planned.calls.map((c) => c.id)).toEqual(['4', '2', '1']);
    expect(planned.notes.join(' ')).toContain('Learned order: flags.changes first (flags.changes reason)');
    expect(planned.notes.join(' ')).toContain('1 more datadog.logs call(s) skipped');
    // With nothing learned, the plan is untouched.
    expect(planWithPriors(calls, contextFrom('x|other', [])).calls).toEqual(calls);
  });

  it('service priors win over class-wide ones', () => {
    const ctx = contextFrom('search|latency', [
      { ...prior('tool', 'a', 0.2), scope: '*|latency' },
      prior('tool', 'a', 0.8),
    ]);
    expect(ctx.tools.get('a')!.value).toBe(0.8);
  });

  it('calibrates suspect scores by kind and re-ranks, with the reason attached', () => {
    const ctx = contextFrom('search|latency', [
      prior('suspect_kind', 'feature_flag', 1.2),
      prior('suspect_kind', 'commit', 0.8),
    ]);
    const out = calibrateSuspects(
      [
        { ...commit, reasons: [] },
        { ...flag, reasons: [] },
      ],
      ctx,
    );
    expect(out.map((s) => [s.ref, s.score])).toEqual([
      [flag.ref, 0.72],
      [commit.ref, 0.56],
    ]);
    expect(out[0]!.reasons[0]).toBe('learned ×1.2: feature_flag reason');
  });

  it('re-ranks retrieval hits by bounded document boosts and says why', () => {
    const hits = [
      { id: 'a', score: 0.03 },
      { id: 'b', score: 0.028 },
    ];
    const out = boostDocuments(hits, new Map([['b', { value: 0.15, reason: 'helped' }]]));
    expect(out.map((h) => h.id)).toEqual(['b', 'a']);
    expect(out[0]!.learned).toEqual({ boost: 0.15, reason: 'helped' });
    expect(boostDocuments(hits, undefined)).toEqual(hits);
  });

  it('writes LLM hints only when something was learned', () => {
    expect(learnedHintText(contextFrom('search|latency', []))).toBeUndefined();
    const text = learnedHintText(
      contextFrom('search|latency', [
        prior('tool', 'flags.changes', 0.8),
        prior('suspect_kind', 'feature_flag', 1.1),
      ]),
    )!;
    expect(text).toContain('Learned from rated past investigations of search latency alerts');
    expect(text).toContain('Start with: flags.changes (flags.changes reason)');
  });
});
