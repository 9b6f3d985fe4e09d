import { redactDeep } from '../lib/redact';
import type { Planner } from './planner';
import type { InvestigationResult, Summary } from './result';
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
}): Promise<InvestigationResult> {
  const { state, reason, planner, fallbackPlanner, notes } = run;
  let summary: Summary;
  let synthesizedBy = planner.kind;
  try {
    summary = await planner.synthesize(state, reason);
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
  summary = {
    ...summary,
    unchecked: dedupe([...(summary.unchecked ?? []), ...notes.unchecked]),
    warnings: dedupe([...(summary.warnings ?? []), ...notes.warnings]),
    hypotheses: summary.hypotheses ?? (state.hypotheses.length ? state.hypotheses : undefined),
  };
  state.usage.wallMs = run.clock() - state.startedAt;
  // Everything the result holds (summary, evidence, tool inputs a model chose) leaves redacted.
  return redactDeep<InvestigationResult>(
    {
      id: state.id,
      alert: state.alert,
      planner: synthesizedBy,
      status:
        reason === 'error'
          ? 'failed'
          : BUDGET_STOPS.has(reason) && planner.kind === 'llm'
            ? 'budget_exhausted'
            : 'completed',
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
