import type { Logger } from 'pino';
import type { Observation, ServiceCatalog, Tool, ToolContext } from '../tools/contract';
import { executeTool } from '../tools/execute';
import type { Alert } from './alert';
import { AGENT_DEFAULTS, defaultLimits, type Limits } from './defaults';
import type { EventListener, InvestigationEvent } from './events';
import { detectInjection } from './guard/injection';
import { redactDeep, redactKnownValues, redactSecrets } from './guard/redact';
import { newInvestigationId } from './ids';
import type { Planner } from './planner';
import { emptyUsage, type InvestigationResult, type Summary } from './result';
import type { InvestigationSink } from './sink';
import type { CallOutcome, InvestigationState, StopReason, ToolCall } from './state';
import { firstStop, standardStops } from './stop-conditions';

export type RunOptions = {
  alert: Alert;
  planner: Planner;
  /** Used when the planner fails (the LLM is down): the offline planner. */
  fallbackPlanner?: Planner;
  /** The allowlist: nothing outside it ever runs, whatever a planner asks. */
  tools: Tool[];
  now: Date;
  catalog: ServiceCatalog;
  logger: Logger;
  channelId?: string;
  limits?: Partial<Limits>;
  sink?: InvestigationSink;
  onEvent?: EventListener;
  signal?: AbortSignal;
  id?: string;
  /** Configured secret values: redacted verbatim wherever they appear. */
  secrets?: readonly string[];
  /** Wall clock for budgets (injectable for tests). */
  clock?: () => number;
  /** Learned retrieval boosts for this alert, handed to the knowledge tools. */
  documentBoosts?: ToolContext['documentBoosts'];
};

const BUDGET_STOPS: ReadonlySet<StopReason> = new Set([
  'max_steps',
  'deadline',
  'token_budget',
  'cost_budget',
  'loop_detected',
]);

/** Makes an observation safe to store, show and send: secrets redacted, injection flagged. */
export function guardObservation(
  obs: Observation,
  secrets: readonly string[],
): { observation: Observation; injection: string[] } {
  const clean = (s: string) => redactKnownValues(redactSecrets(s), secrets);
  const observation: Observation = {
    ...obs,
    summary: clean(obs.summary),
    error: obs.error === undefined ? undefined : clean(obs.error),
    data: obs.data === undefined ? undefined : redactDeep(obs.data),
    citations: obs.citations.map((c) => ({ ...c, title: clean(c.title) })),
  };
  const injection = detectInjection(`${obs.summary}\n${JSON.stringify(obs.data ?? '').slice(0, 20_000)}`).map(
    (f) => `${f.label}: "${clean(f.excerpt)}"`,
  );
  return { observation, injection };
}

/**
 * The ReAct loop: planner turn -> tool calls (concurrently) -> guarded observations -> evidence,
 * until a stop condition; then a synthesis, whatever stopped it. Never throws for a tool,
 * planner or LLM failure: every run ends with an InvestigationResult.
 */
export async function runInvestigation(options: RunOptions): Promise<InvestigationResult> {
  const clock = options.clock ?? Date.now;
  const limits = { ...defaultLimits(), ...options.limits };
  const stops = standardStops(limits);
  const secrets = options.secrets ?? [];
  const emit = (e: InvestigationEvent) => {
    try {
      options.onEvent?.(e);
    } catch (err) {
      options.logger.warn({ err }, 'an event listener failed');
    }
  };
  const toolsByName = new Map(options.tools.map((t) => [t.name, t]));
  const state: InvestigationState = {
    id: options.id ?? newInvestigationId(),
    alert: options.alert,
    now: options.now,
    startedAt: clock(),
    steps: [],
    evidence: [],
    hypotheses: [],
    usage: emptyUsage(),
    channelId: options.channelId,
  };
  const warnings: string[] = [];
  const unchecked: string[] = [];
  let planner = options.planner;
  const deadlineAt = state.startedAt + limits.deadlineMs;
  const controller = new AbortController();
  const signal = options.signal ? AbortSignal.any([options.signal, controller.signal]) : controller.signal;
  const timer = setTimeout(() => controller.abort(new Error('deadline')), limits.deadlineMs);
  timer.unref?.();

  emit({ type: 'started', id: state.id, alertTitle: options.alert.title, planner: planner.kind });
  options.sink?.onStarted({
    id: state.id,
    alert: options.alert,
    planner: planner.kind,
    startedAt: new Date(state.startedAt).toISOString(),
    channelId: options.channelId,
  });

  const switchToFallback = (why: string): boolean => {
    if (!options.fallbackPlanner || planner === options.fallbackPlanner) return false;
    warnings.push(`The LLM failed (${why}); the offline investigator finished the run.`);
    emit({ type: 'warning', message: `LLM failed (${why}); continuing offline` });
    planner = options.fallbackPlanner;
    return true;
  };

  let reason: StopReason = 'answered';
  try {
    for (;;) {
      if (signal.aborted) {
        reason = 'deadline';
        break;
      }
      const stop = firstStop(stops, state, clock());
      if (stop) {
        reason = stop;
        break;
      }
      const n = state.steps.length + 1;
      emit({ type: 'step_started', n });
      let turn: Awaited<ReturnType<Planner['next']>>;
      try {
        turn = await planner.next(state, emit);
      } catch (err) {
        if (switchToFallback(errorText(err))) continue;
        options.logger.error({ err }, 'planner failed');
        warnings.push(`The investigation stopped early: ${errorText(err)}`);
        reason = 'error';
        break;
      }
      const thought = redactSecrets(turn.thought);
      emit({ type: 'thought', n, text: thought });
      if (turn.kind === 'answer') {
        if (thought) {
          const step = { n, thought, outcomes: [] };
          state.steps.push(step);
          options.sink?.onStep(state.id, step);
        }
        reason = 'answered';
        break;
      }
      const step = { n, thought, outcomes: [] as CallOutcome[] };
      state.steps.push(step);
      options.sink?.onStep(state.id, step);
      const ctx: ToolContext = {
        now: options.now,
        signal,
        deadline: deadlineAt,
        logger: options.logger,
        catalog: options.catalog,
        channelId: options.channelId,
        documentBoosts: options.documentBoosts,
      };
      const outcomes = await Promise.all(turn.calls.map((call) => runCall(call, n, ctx)));
      step.outcomes.push(...outcomes);
      options.sink?.onStep(state.id, step);
    }
  } finally {
    clearTimeout(timer);
  }
  emit({ type: 'stopped', reason });

  let summary: Summary;
  let synthesizedBy = planner.kind;
  try {
    summary = await planner.synthesize(state, reason);
  } catch (err) {
    if (options.fallbackPlanner && planner !== options.fallbackPlanner) {
      warnings.push(
        `The LLM could not write the summary (${errorText(err)}); the offline investigator wrote it.`,
      );
      summary = await options.fallbackPlanner.synthesize(state, reason);
      synthesizedBy = options.fallbackPlanner.kind;
    } else {
      summary = inconclusive(`The summary could not be written: ${errorText(err)}`);
    }
  }
  summary = redactDeep({
    ...summary,
    unchecked: dedupe([...(summary.unchecked ?? []), ...unchecked]),
    warnings: dedupe([...(summary.warnings ?? []), ...warnings]),
    hypotheses: summary.hypotheses ?? (state.hypotheses.length ? state.hypotheses : undefined),
  });
  state.usage.wallMs = clock() - state.startedAt;
  const result: InvestigationResult = {
    id: state.id,
    alert: options.alert,
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
  };
  options.sink?.onFinished(result);
  emit({ type: 'summary', result });
  return result;

  async function runCall(call: ToolCall, n: number, ctx: ToolContext): Promise<CallOutcome> {
    emit({ type: 'tool_started', n, callId: call.id, tool: call.tool, input: call.input });
    const started = clock();
    const tool = toolsByName.get(call.tool);
    const raw: Observation = tool
      ? await executeTool(tool, call.input, ctx)
      : {
          ok: false,
          summary: `Unknown tool "${call.tool}". Available tools: ${[...toolsByName.keys()].join(', ')}`,
          citations: [],
          truncated: false,
          error: `unknown tool "${call.tool}"`,
        };
    const ms = clock() - started;
    state.usage.toolCalls += 1;
    const { observation, injection } = guardObservation(raw, secrets);
    for (const i of injection)
      warnings.push(`Possible prompt injection in ${call.tool} output (ignored): ${i}`);
    if (!observation.ok && tool) unchecked.push(`${call.tool}: ${observation.error ?? 'failed'}`);
    const evidenceIds: string[] = [];
    if (observation.ok) {
      const id = `ev_${state.evidence.length + 1}`;
      evidenceIds.push(id);
      state.evidence.push({
        id,
        tool: call.tool,
        summary: observation.summary
          .split('\n')
          .slice(0, 2)
          .join(' ')
          .slice(0, AGENT_DEFAULTS.evidenceSummaryChars),
        ...(observation.citations[0]?.url ? { url: observation.citations[0].url } : {}),
      });
    }
    const outcome: CallOutcome = { call, observation, ms, evidenceIds };
    options.sink?.onToolCall(state.id, n, outcome);
    emit({
      type: 'tool_finished',
      n,
      callId: call.id,
      tool: call.tool,
      ok: observation.ok,
      ms,
      summary: observation.summary.split('\n')[0] ?? '',
      error: observation.error,
      data: observation.data,
    });
    return outcome;
  }
}

function dedupe(xs: string[]): string[] {
  return [...new Set(xs)];
}

function errorText(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
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
