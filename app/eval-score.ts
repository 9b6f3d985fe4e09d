import type { InvestigationResult } from '../agent/result';
import type { Truth } from '../sandbox/scenario-schema';

/** Scores one investigation against a scenario's truth. Pure. */
export type ScenarioScore = {
  scenario: string;
  hit1: boolean;
  hit3: boolean;
  rank: number | null;
  runbook: boolean | null;
  similarIncident: boolean | null;
  confidence: string;
  steps: number;
  toolCalls: number;
  tokens: number;
  wallMs: number;
};

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
  const idx = result.summary.suspects.findIndex((s) => refMatches(s.ref, truth.accept));
  return {
    scenario,
    hit1: idx === 0,
    hit3: idx >= 0 && idx < 3,
    rank: idx >= 0 ? idx + 1 : null,
    runbook: truth.runbook ? result.summary.runbooks.some((r) => r.id === truth.runbook) : null,
    similarIncident: truth.similarIncident
      ? result.summary.similarIncidents.some((i) => i.id === truth.similarIncident)
      : null,
    confidence: result.summary.confidence,
    steps: result.steps.length,
    toolCalls: result.usage.toolCalls,
    tokens: result.usage.promptTokens + result.usage.completionTokens,
    wallMs: result.usage.wallMs,
  };
}

export function aggregateScores(rows: readonly ScenarioScore[]) {
  const rate = (xs: (boolean | null)[]) => {
    const known = xs.filter((x): x is boolean => x !== null);
    return known.length === 0 ? null : known.filter(Boolean).length / known.length;
  };
  return {
    scenarios: rows.length,
    hit1: rate(rows.map((r) => r.hit1)),
    hit3: rate(rows.map((r) => r.hit3)),
    runbookRecall: rate(rows.map((r) => r.runbook)),
    similarIncidentRecall: rate(rows.map((r) => r.similarIncident)),
    meanSteps: rows.reduce((a, r) => a + r.steps, 0) / Math.max(1, rows.length),
    meanWallMs: rows.reduce((a, r) => a + r.wallMs, 0) / Math.max(1, rows.length),
  };
}
