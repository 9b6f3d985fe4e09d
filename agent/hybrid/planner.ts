import type { Tool } from '../../tools/contract';
import { errorText } from '../assemble-result';
import type { Planner } from '../planner';
import type { Refinement, Summary } from '../result';
import type { InvestigationState, StopReason } from '../state';
import { createAnalysisTools } from './analysis-tools';
import { modelDidNotFinish, reconcile } from './reconcile';

export type HybridPlannerDeps = {
  /** The evidence model: runs first, always. */
  offline: Planner;
  /** The configured model's name, for the reader ("Confirmed by gpt-4o-mini"). */
  modelName: string;
  /**
   * Builds the model's planner once the first answer exists: `tools` are the analysis tools
   * (agent/hybrid/analysis-tools.ts) to offer beside the raw ones.
   */
  startModel(first: Summary, tools: readonly Tool[]): Planner;
};

/** Why a model that stopped without answering did not finish, in the reader's words. */
const STOP_TEXT: Record<StopReason, string> = {
  answered: 'it did not answer',
  max_steps: 'step limit reached',
  deadline: 'deadline reached',
  token_budget: 'token budget exhausted',
  cost_budget: 'cost budget exhausted',
  loop_detected: 'it went in circles',
  error: 'an error stopped the run',
};

/**
 * Offline first, then the model: the evidence model runs to its answer, which is published at
 * once (a `first_answer` turn); the model then continues from it, briefed and with the analysis
 * tools, and its summary is reconciled with the first answer (agent/hybrid/reconcile.ts). A model
 * that fails, times out or runs out of budget leaves the first answer standing: this planner
 * never throws for the model's sake.
 */
export function createHybridPlanner(deps: HybridPlannerDeps): Planner & { tools: readonly Tool[] } {
  let latest: InvestigationState | undefined;
  let first: Summary | undefined;
  let model: Planner | undefined;
  let failure: string | undefined;
  let refinement: Omit<Refinement, 'firstAnswerMs'> | undefined;
  const tools = createAnalysisTools({
    current: () => latest,
    rescore: (state) => deps.offline.synthesize(state, 'answered'),
  });

  return {
    kind: 'hybrid',
    tools,
    async next(state, emit, signal) {
      latest = state;
      if (!model) {
        const turn = await deps.offline.next(state, emit, signal);
        if (turn.kind !== 'answer') return turn;
        first = await deps.offline.synthesize(state, 'answered');
        model = deps.startModel(first, tools);
        return { kind: 'first_answer', thought: turn.thought, summary: first, refiningWith: deps.modelName };
      }
      try {
        return await model.next(state, emit, signal);
      } catch (err) {
        failure = signal?.aborted ? 'it timed out' : errorText(err);
        emit({ type: 'warning', message: `The model failed (${failure}); the offline answer stands` });
        return { kind: 'answer', thought: `The model failed (${failure}); the offline answer stands.` };
      }
    },
    async synthesize(state, reason, signal) {
      latest = state;
      // The run stopped before the evidence model answered: its answer is all there is.
      if (!first || !model) {
        const done = modelDidNotFinish(
          await deps.offline.synthesize(state, reason),
          deps.modelName,
          `the run stopped before it started: ${STOP_TEXT[reason]}`,
        );
        refinement = done.refinement;
        return done.summary;
      }
      let outcome =
        failure || reason !== 'answered'
          ? modelDidNotFinish(first, deps.modelName, failure ?? STOP_TEXT[reason])
          : undefined;
      if (!outcome)
        try {
          outcome = reconcile({
            offline: first,
            model: await model.synthesize(state, reason, signal),
            evidenceIds: new Set(state.evidence.map((e) => e.id)),
            modelName: deps.modelName,
          });
        } catch (err) {
          outcome = modelDidNotFinish(
            first,
            deps.modelName,
            signal?.aborted ? 'it timed out' : errorText(err),
          );
        }
      refinement = outcome.refinement;
      return outcome.summary;
    },
    refinement: () => refinement,
  };
}
