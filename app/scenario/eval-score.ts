import type { InvestigationResult } from '../../agent/result';
import type { Truth } from './sandbox';

/** Scores one investigation against a scenario's truth. Pure. */
export type ScenarioScore = {
  scenario: string;
  /** The incident class (generated worlds), else the truth's kind. */
  className: string;
  kind: string;
  hit1: boolean;
  hit3: boolean;
  rank: number | null;
  runbook: boolean | null;
  similarIncident: boolean | null;
  confidence: string;
  topRef: string | null;
  steps: number;
  toolCalls: number;
  tokens: number;
  wallMs: number;
  /** Set when the world could not be investigated at all (e.g. its alert was not understood). */
  failure?: string;
};

/** A truth whose world has no cause to find: the right answer is to abstain (low or no confidence). */
export const INCONCLUSIVE_KIND = 'inconclusive';
const ABSTAINING = new Set(['low', 'none']);
export const CONFIDENCE_LEVELS = ['high', 'medium', 'low', 'none'] as const;

function norm(s: string): string {
  return s.trim().toLowerCase();
}

/** A suspect matches when its ref equals an accepted ref (a sha may be abbreviated on either side). */
export function refMatches(ref: string, accept: readonly string[]): boolean {
  const r = norm(ref);
  return accept.some((a) => {
    const x = norm(a);
    if (r === x) return true;
    const hex = /^[0-9a-f]{7,40}$/;
    return hex.test(r) && hex.test(x) && (r.startsWith(x) || x.startsWith(r));
  });
}

export function scoreScenario(scenario: string, result: InvestigationResult, truth: Truth): ScenarioScore {
  const inconclusive = truth.kind === INCONCLUSIVE_KIND;
  const idx = inconclusive ? -1 : result.summary.suspects.findIndex((s) => refMatches(s.ref, truth.accept));
  // For an inconclusive world, "right" means the investigator abstained instead of guessing.
  const abstained = ABSTAINING.has(result.summary.confidence);
  return {
    scenario,
    className: truth.class ?? truth.kind,
    kind: truth.kind,
    hit1: inconclusive ? abstained : idx === 0,
    hit3: inconclusive ? abstained : idx >= 0 && idx < 3,
    rank: idx >= 0 ? idx + 1 : null,
    runbook: truth.runbook ? result.summary.runbooks.some((r) => r.id === truth.runbook) : null,
    similarIncident: truth.similarIncident
      ? result.summary.similarIncidents.some((i) => i.id === truth.similarIncident)
      : null,
    confidence: result.summary.confidence,
    topRef: result.summary.suspects[0]?.ref ?? null,
    steps: result.steps.length,
    toolCalls: result.usage.toolCalls,
    tokens: result.usage.promptTokens + result.usage.completionTokens,
    wallMs: result.usage.wallMs,
  };
}

/** The row of a world that could not be investigated: every hit is a miss, the reason is kept. */
export function failedScore(scenario: string, truth: Truth, failure: string): ScenarioScore {
  return {
    scenario,
    className: truth.class ?? truth.kind,
    kind: truth.kind,
    hit1: false,
    hit3: false,
    rank: null,
    runbook: truth.runbook ? false : null,
    similarIncident: truth.similarIncident ? false : null,
    confidence: 'none',
    topRef: null,
    steps: 0,
    toolCalls: 0,
    tokens: 0,
    wallMs: 0,
    failure,
  };
}

const rate = (xs: (boolean | null)[]) => {
  const known = xs.filter((x): x is boolean => x !== null);
  return known.length === 0 ? null : known.filter(Boolean).length / known.length;
};
const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / Math.max(1, xs.length);

/** Calibration: for each confidence level, how many answers gave it and how often their top suspect was right. */
export function calibration(rows: readonly ScenarioScore[]) {
  return CONFIDENCE_LEVELS.map((level) => {
    const at = rows.filter((r) => r.confidence === level && !r.failure);
    return { level, answers: at.length, right: rate(at.map((r) => r.hit1)) };
  });
}

export function aggregateScores(rows: readonly ScenarioScore[]) {
  const inconclusive = rows.filter((r) => r.kind === INCONCLUSIVE_KIND);
  const classes = [...new Set(rows.map((r) => r.className))].sort();
  return {
    scenarios: rows.length,
    failed: rows.filter((r) => r.failure).length,
    hit1: rate(rows.map((r) => r.hit1)),
    hit3: rate(rows.map((r) => r.hit3)),
    runbookRecall: rate(rows.map((r) => r.runbook)),
    similarIncidentRecall: rate(rows.map((r) => r.similarIncident)),
    /** Share of inconclusive worlds answered with low or no confidence (null when there are none). */
    abstention: rate(inconclusive.map((r) => ABSTAINING.has(r.confidence))),
    calibration: calibration(rows),
    byClass: classes.map((c) => {
      const of = rows.filter((r) => r.className === c);
      return {
        className: c,
        scenarios: of.length,
        hit1: rate(of.map((r) => r.hit1)),
        hit3: rate(of.map((r) => r.hit3)),
      };
    }),
    meanSteps: mean(rows.map((r) => r.steps)),
    meanToolCalls: mean(rows.map((r) => r.toolCalls)),
    meanWallMs: mean(rows.map((r) => r.wallMs)),
  };
}

export type EvalTotals = ReturnType<typeof aggregateScores>;
