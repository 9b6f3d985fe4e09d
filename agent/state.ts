import type { Observation } from '../tools/contract';
import type { Alert } from './alert';
import type { Evidence, Hypothesis, Usage } from './result';

/** One tool call a planner asks for. `id` is unique within the investigation. */
export type ToolCall = { id: string; tool: string; input: unknown };

/** A finished call: the (guarded) observation and the evidence ids it produced. */
export type CallOutcome = { call: ToolCall; observation: Observation; ms: number; evidenceIds: string[] };

export type StepRecord = { n: number; thought: string; outcomes: CallOutcome[] };

/** Everything an investigation knows so far; planners read it, the controller writes it. */
export type InvestigationState = {
  id: string;
  alert: Alert;
  now: Date;
  startedAt: number;
  steps: StepRecord[];
  evidence: Evidence[];
  hypotheses: Hypothesis[];
  usage: Usage;
  /** Slack channel the run belongs to: scopes private knowledge. */
  channelId?: string;
};

/** What the controller notes during a run for the summary: said to the reader, never hidden. */
export type RunNotes = {
  /** Prompt injection flagged in tool output, a planner that failed over. */
  warnings: string[];
  /** Sources that could not be checked (down, rate limited, misconfigured). */
  unchecked: string[];
};

export type StopReason =
  | 'answered'
  | 'max_steps'
  | 'deadline'
  | 'token_budget'
  | 'cost_budget'
  | 'loop_detected'
  | 'error';
