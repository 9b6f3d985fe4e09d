import type { Limits } from './defaults';
import { createLoopDetector } from './loop-detection';
import type { InvestigationState, StopReason } from './state';

/**
 * Stop conditions as small predicates over the state. Callers compose a list (RunOptions.stopWhen,
 * e.g. `[...standardStops(limits), myCondition]`); the controller checks it in order before every turn.
 */
export type StopCondition = (state: InvestigationState, nowMs: number) => StopReason | undefined;

export const maxSteps =
  (n: number): StopCondition =>
  (s) =>
    s.steps.length >= n ? 'max_steps' : undefined;

export const deadline =
  (ms: number): StopCondition =>
  (s, now) =>
    now - s.startedAt >= ms ? 'deadline' : undefined;

export const tokenBudget =
  (max: number): StopCondition =>
  (s) =>
    s.usage.promptTokens + s.usage.completionTokens >= max ? 'token_budget' : undefined;

export const costBudget =
  (max: number): StopCondition =>
  (s) =>
    s.usage.costUsd >= max ? 'cost_budget' : undefined;

/** A fresh detector per run: it keeps counts between checks. */
export function loopDetected(): StopCondition {
  const looping = createLoopDetector();
  return (s) => (looping(s.steps) ? 'loop_detected' : undefined);
}

/** The budgets every investigation runs under: steps, wall time, tokens, cost, and going in circles. */
export function standardStops(limits: Limits): StopCondition[] {
  return [
    maxSteps(limits.maxSteps),
    deadline(limits.deadlineMs),
    tokenBudget(limits.maxTokens),
    costBudget(limits.maxCostUsd),
    loopDetected(),
  ];
}

export function firstStop(
  conditions: readonly StopCondition[],
  state: InvestigationState,
  nowMs: number,
): StopReason | undefined {
  for (const c of conditions) {
    const reason = c(state, nowMs);
    if (reason) return reason;
  }
  return undefined;
}
