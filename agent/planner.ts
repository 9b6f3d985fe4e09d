import type { InvestigationEvent } from './events';
import type { PlannerKind, Refinement, Summary } from './result';
import type { InvestigationState, StopReason, ToolCall } from './state';

/**
 * What a planner decides for the next turn. `first_answer` (hybrid runs): the planner has an
 * answer to show now and keeps going; the controller publishes it and asks for the next turn.
 */
export type PlannerTurn =
  | { kind: 'act'; thought: string; calls: ToolCall[] }
  | { kind: 'answer'; thought: string }
  | { kind: 'first_answer'; thought: string; summary: Summary; refiningWith: string };

/**
 * The controller drives a planner: the LLM planner (agent/llm), the deterministic offline
 * planner (agent/offline), or the hybrid of both (agent/hybrid). All end in `synthesize`,
 * whatever stopped the loop.
 */
export interface Planner {
  readonly kind: PlannerKind;
  /** `signal` aborts a turn in flight (the run's deadline, or the caller's cancel). */
  next(
    state: InvestigationState,
    emit: (e: InvestigationEvent) => void,
    signal?: AbortSignal,
  ): Promise<PlannerTurn>;
  /** `signal`, when given, bounds a model's summary call (the run's deadline). */
  synthesize(state: InvestigationState, reason: StopReason, signal?: AbortSignal): Promise<Summary>;
  /** Hybrid runs: what the model made of the first answer, once `synthesize` has run. */
  refinement?(): Omit<Refinement, 'firstAnswerMs'> | undefined;
}
