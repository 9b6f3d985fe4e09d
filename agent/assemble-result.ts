import { redactDeep } from '../lib/redact';
import type { Planner } from './planner';
import type { InvestigationResult, PlannerKind, Refinement, Summary } from './result';
import type { InvestigationState, RunNotes, StopReason } from './state';

/** Stops that mean the run ran out of room rather than finished (for an LLM run: budget_exhausted). */
const BUDGET_STOPS: ReadonlySet<StopReason> = new Set([
  'max_steps',
  'deadline',
  'token_budget',
  'cost_budget',
  'loop_detected',
]);

/**
 * The end of every run, whatever stopped it: the planner writes the summary (the fallback planner
 * when it cannot, else an inconclusive one), the run's notes join it, everything is redacted, and
 * the steps become the contract's InvestigationResult, redacted as a whole.
 */
export async function assembleResult(run: {
  state: InvestigationState;
  reason: StopReason;
  /** The planner that drove the loop last (the fallback, once the first one failed). */
  planner: Planner;
  fallbackPlanner?: Planner;
  notes: RunNotes;
  clock: () => number;
  /** Configured secret values: redacted from everything the result holds. */
  secrets?: readonly string[];
  /** Hybrid runs: when the first answer was shown (ms after the start). */
  firstAnswerMs?: number;
  /** The run's deadline: a summary that starts before it must finish by it. */
  signal?: AbortSignal;
}): Promise<InvestigationResult> {
  const { state, reason, planner, fallbackPlanner, notes } = run;
  let summary: Summary;
  let synthesizedBy: PlannerKind = planner.kind;
  try {
    // After the deadline a model may still write its summary, unbounded as before; one that starts in time ends with the deadline.
    summary = await planner.synthesize(state, reason, run.signal?.aborted ? undefined : run.signal);
  } catch (err) {
    if (fallbackPlanner && planner !== fallbackPlanner) {
      notes.warnings.push(
        `The LLM could not write the summary (${errorText(err)}); the offline investigator wrote it.`,
      );
      summary = await fallbackPlanner.synthesize(state, reason);
      synthesizedBy = fallbackPlanner.kind;
    } else {
      summary = inconclusive(`The summary could not be written: ${errorText(err)}`);
    }
  }
  const refinement = planner.refinement?.();
  return buildResult({
    state,
    summary,
    planner: synthesizedBy,
    status:
      reason === 'error'
        ? 'failed'
        : BUDGET_STOPS.has(reason) && planner.kind === 'llm'
          ? 'budget_exhausted'
          : 'completed',
    notes,
    clock: run.clock,
    secrets: run.secrets,
    // A run that stopped before its first answer was shown showed it only now.
    refinement: refinement && {
      ...refinement,
      firstAnswerMs: run.firstAnswerMs ?? run.clock() - state.startedAt,
    },
  });
}

/**
 * A result from a written summary: the run's notes join it, the steps become the contract's
 * shape, everything is redacted. Also builds the first answer a hybrid run shows mid-run.
 */
export function buildResult(run: {
  state: InvestigationState;
  summary: Summary;
  planner: PlannerKind;
  status: InvestigationResult['status'];
  notes: RunNotes;
  clock: () => number;
  secrets?: readonly string[];
  refinement?: Refinement;
}): InvestigationResult {
  const { state, notes } = run;
  const summary = {
    ...run.summary,
    unchecked: dedupe([...(run.summary.unchecked ?? []), ...notes.unchecked]),
    warnings: dedupe([...(run.summary.warnings ?? []), ...notes.warnings]),
    hypotheses: run.summary.hypotheses ?? (state.hypotheses.length ? state.hypotheses : undefined),
  };
  state.usage.wallMs = run.clock() - state.startedAt;
  // Everything the result holds (summary, evidence, tool inputs a model chose) leaves redacted.
  return redactDeep<InvestigationResult>(
    {
      id: state.id,
      alert: state.alert,
      planner: run.planner,
      status: run.status,
      summary,
      evidence: state.evidence,
      steps: state.steps.map((s) => ({
        n: s.n,
        thought: s.thought,
        actions: s.outcomes.map((o) => ({
          tool: o.call.tool,
          input: o.call.input,
          ok: o.observation.ok,
          ms: Math.round(o.ms),
          ...(o.observation.error ? { error: o.observation.error } : {}),
        })),
      })),
      usage: state.usage,
      ...(run.refinement ? { refinement: run.refinement } : {}),
    },
    run.secrets,
  );
}

export function errorText(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

function dedupe(xs: string[]): string[] {
  return [...new Set(xs)];
}

function inconclusive(rootCause: string): Summary {
  return {
    headline: 'Inconclusive: no cause stands out',
    rootCause,
    confidence: 'none',
    suspects: [],
    impact: 'Unknown',
    nextSteps: [],
    similarIncidents: [],
    runbooks: [],
  };
}
