import type { InvestigationResult } from '../result';
import { LEARNING_DEFAULTS } from './defaults';
import type { Judgement } from './judge';

/** The text an alert is embedded by, to find worked examples for similar alerts. */
export function alertEmbeddingText(alert: InvestigationResult['alert']): string {
  return `${alert.title}\n${alert.service ?? ''}\n${alert.text.slice(0, 500)}`;
}

/** Worth showing a model: rated helpful, or its true cause is known (even if the answer missed it). */
export function isWorkedExample(j: Judgement): boolean {
  return j.rating >= LEARNING_DEFAULTS.examples.minRating || j.confirmed !== undefined;
}

/**
 * Pure: a short worked example of a well-rated investigation (what was checked, in order, and
 * what the cause turned out to be), within the per-example character budget.
 */
export function workedExample(result: InvestigationResult, j: Judgement): string {
  const cause = j.confirmed ?? result.summary.suspects[0];
  const steps = result.steps
    .filter((s) => s.actions.length > 0)
    .map((s, i) => `${i + 1}. ${[...new Set(s.actions.map((a) => a.tool))].join(', ')}`);
  const text = [
    `Alert: ${result.alert.title}`,
    `Checked: ${steps.join('; ')}`,
    cause
      ? `Cause (${j.confirmed ? 'confirmed' : 'rated helpful'}): ${cause.kind} ${cause.ref.slice(0, 80)}: ${cause.title.slice(0, 160)}`
      : '',
    ...j.wrong.map((w) => `Wrongly blamed first: ${w.kind} ${w.ref.slice(0, 80)}: ${w.title.slice(0, 100)}`),
    `Answer given: ${result.summary.headline}`,
    result.summary.runbooks[0] ? `Runbook used: ${result.summary.runbooks[0].title}` : '',
  ]
    .filter(Boolean)
    .join('\n');
  const max = LEARNING_DEFAULTS.examples.maxChars;
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

/** Pure: keeps examples, nearest first, until the total budget is spent. */
export function withinBudget(texts: readonly string[]): string[] {
  const out: string[] = [];
  let used = 0;
  for (const t of texts.slice(0, LEARNING_DEFAULTS.examples.max)) {
    if (used + t.length > LEARNING_DEFAULTS.examples.totalChars) break;
    out.push(t);
    used += t.length;
  }
  return out;
}
