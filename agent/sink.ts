import type { Alert } from './alert';
import type { InvestigationResult, PlannerKind } from './result';
import type { CallOutcome, StepRecord } from './state';

/** Where the controller writes each step as it happens (SQLite in production; see agent/persist.ts). */
export interface InvestigationSink {
  onStarted(info: {
    id: string;
    alert: Alert;
    planner: PlannerKind;
    startedAt: string;
    channelId?: string;
  }): void;
  onToolCall(id: string, stepN: number, outcome: CallOutcome): void;
  onStep(id: string, step: StepRecord): void;
  onFinished(result: InvestigationResult): void;
}
