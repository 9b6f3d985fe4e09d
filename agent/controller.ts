import type { Logger } from 'pino';
import { redactDeep, redactText } from '../lib/redact';
import type { ServiceCatalog, Tool, ToolContext } from '../tools/contract';
import type { Alert } from './alert';
import { assembleResult, buildResult, errorText } from './assemble-result';
import { defaultLimits, type Limits } from './defaults';
import type { EventListener, InvestigationEvent } from './events';
import { newInvestigationId } from './ids';
import type { Planner } from './planner';
import { emptyUsage, type InvestigationResult } from './result';
import type { InvestigationSink } from './sink';
import type { CallOutcome, InvestigationState, RunNotes, StopReason } from './state';
import { firstStop, type StopCondition, standardStops } from './stop-conditions';
import { runToolCall, type ToolCallRun } from './tool-calls';

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
  /**
   * When to stop, checked before every turn; the first condition that fires ends the loop.
   * Default: `standardStops(limits)`. Build fresh ones per run (a loop detector keeps counts).
   */
  stopWhen?: readonly StopCondition[];
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
  /** Sources known to be down before the run (an MCP server that did not start): "Could not check". */
  unchecked?: readonly string[];
};

/**
 * The ReAct loop: planner turn -> tool calls (concurrently, agent/tool-calls.ts) -> guarded
 * observations -> evidence, until a stop condition; then the result (agent/assemble-result.ts),
 * whatever stopped it. Never throws for a tool, planner or LLM failure: every run ends with an
 * InvestigationResult.
 */
export async function runInvestigation(options: RunOptions): Promise<InvestigationResult> {
  const clock = options.clock ?? Date.now;
  const limits = { ...defaultLimits(), ...options.limits };
  const stops = options.stopWhen ?? standardStops(limits);
  const emit = (e: InvestigationEvent) => {
    try {
      options.onEvent?.(e);
    } catch (err) {
      options.logger.warn({ err }, 'an event listener failed');
    }
  };
  const secrets = options.secrets ?? [];
  // The alert is untrusted input too: redacted once here, it is stored, shown and sent redacted.
  const alert = redactDeep(options.alert, secrets);
  const state: InvestigationState = {
    id: options.id ?? newInvestigationId(),
    alert,
    now: options.now,
    startedAt: clock(),
    steps: [],
    evidence: [],
    hypotheses: [],
    usage: emptyUsage(),
    channelId: options.channelId,
  };
  const notes: RunNotes = { warnings: [], unchecked: [...(options.unchecked ?? [])] };
  let planner = options.planner;
  const controller = new AbortController();
  const signal = options.signal ? AbortSignal.any([options.signal, controller.signal]) : controller.signal;
  const timer = setTimeout(() => controller.abort(new Error('deadline')), limits.deadlineMs);
  timer.unref?.();
  const toolCalls: ToolCallRun = {
    state,
    tools: new Map(options.tools.map((t) => [t.name, t])),
    context: {
      now: options.now,
      signal,
      deadline: state.startedAt + limits.deadlineMs,
      logger: options.logger,
      catalog: options.catalog,
      channelId: options.channelId,
      documentBoosts: options.documentBoosts,
    },
    secrets,
    clock,
    notes,
    sink: options.sink,
    emit,
  };

  emit({ type: 'started', id: state.id, alertTitle: alert.title, planner: planner.kind });
  options.sink?.onStarted({
    id: state.id,
    alert,
    planner: planner.kind,
    startedAt: new Date(state.startedAt).toISOString(),
    channelId: options.channelId,
  });

  const switchToFallback = (why: string): boolean => {
    if (!options.fallbackPlanner || planner === options.fallbackPlanner) return false;
    notes.warnings.push(`The LLM failed (${why}); the offline investigator finished the run.`);
    emit({ type: 'warning', message: `LLM failed (${why}); continuing offline` });
    planner = options.fallbackPlanner;
    return true;
  };

  let reason: StopReason = 'answered';
  let firstAnswerMs: number | undefined;
  let result: InvestigationResult;
  // The deadline also bounds the summary: a model's summary call that starts in time stops with it.
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
        turn = await planner.next(state, emit, signal);
      } catch (err) {
        if (switchToFallback(errorText(err))) continue;
        options.logger.error({ err }, 'planner failed');
        notes.warnings.push(`The investigation stopped early: ${errorText(err)}`);
        reason = 'error';
        break;
      }
      const thought = redactText(turn.thought, secrets);
      emit({ type: 'thought', n, text: thought });
      if (turn.kind === 'first_answer') {
        // Hybrid: the evidence model's answer is published now, as a whole result; the model goes on.
        const step = { n, thought, outcomes: [] };
        state.steps.push(step);
        options.sink?.onStep(state.id, step);
        firstAnswerMs = clock() - state.startedAt;
        const shown = buildResult({
          state,
          summary: turn.summary,
          planner: 'offline',
          status: 'completed',
          notes,
          clock,
          secrets,
        });
        emit({ type: 'first_answer', result: shown, refiningWith: turn.refiningWith });
        continue;
      }
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
      const outcomes = await Promise.all(turn.calls.map((call) => runToolCall(call, n, toolCalls)));
      step.outcomes.push(...outcomes);
      options.sink?.onStep(state.id, step);
    }
    emit({ type: 'stopped', reason });
    result = await assembleResult({
      state,
      reason,
      planner,
      fallbackPlanner: options.fallbackPlanner,
      notes,
      clock,
      secrets,
      firstAnswerMs,
      signal,
    });
  } finally {
    clearTimeout(timer);
  }
  options.sink?.onFinished(result);
  emit({ type: 'summary', result });
  return result;
}
