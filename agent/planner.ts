import type { InvestigationEvent } from './events';
import type { Summary } from './result';
import type { InvestigationState, StopReason, ToolCall } from './state';

/** What a planner decides for the next turn. */
export type PlannerTurn =
  | { kind: 'act'; thought: string; calls: ToolCall[] }
  | { kind: 'answer'; thought: string };

/**
 * The controller drives a planner: the LLM planner (agent/llm) or the deterministic offline
 * planner (agent/offline). Both end in `synthesize`, whatever stopped the loop.
 */
export interface Planner {
  readonly kind: 'offline' | 'llm';
  next(state: InvestigationState, emit: (e: InvestigationEvent) => void): Promise<PlannerTurn>;
  synthesize(state: InvestigationState, reason: StopReason): Promise<Summary>;
}
