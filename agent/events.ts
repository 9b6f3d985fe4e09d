import type { Hypothesis, InvestigationResult, PlannerKind } from './result';
import type { StopReason } from './state';

/**
 * What an investigation tells its presenters (terminal, Slack, tests) as it happens.
 * Presenters subscribe; the controller never knows who listens.
 */
export type InvestigationEvent =
  | { type: 'started'; id: string; alertTitle: string; planner: PlannerKind }
  | { type: 'step_started'; n: number }
  | { type: 'thought_delta'; n: number; text: string }
  | { type: 'thought'; n: number; text: string }
  | { type: 'tool_started'; n: number; callId: string; tool: string; input: unknown }
  | {
      type: 'tool_finished';
      n: number;
      callId: string;
      tool: string;
      ok: boolean;
      ms: number;
      summary: string;
      error?: string;
      /** The observation's structured data (already redacted), for presenters that chart it. */
      data?: unknown;
    }
  | { type: 'hypotheses'; hypotheses: Hypothesis[] }
  | { type: 'warning'; message: string }
  /**
   * Hybrid runs: the evidence model's answer, as soon as it exists (a complete result a presenter
   * can show at once), while the model refines it (`refiningWith` names the model).
   */
  | { type: 'first_answer'; result: InvestigationResult; refiningWith: string }
  | { type: 'stopped'; reason: StopReason }
  | { type: 'summary'; result: InvestigationResult };

export type EventListener = (event: InvestigationEvent) => void;
