import { redactDeep } from '../lib/redact';
import type { Observation, Tool, ToolContext } from '../tools/contract';
import { executeTool } from '../tools/execute';
import { AGENT_DEFAULTS } from './defaults';
import type { InvestigationEvent } from './events';
import { guardObservation } from './guard/observation';
import type { InvestigationSink } from './sink';
import type { CallOutcome, InvestigationState, RunNotes, ToolCall } from './state';

/** What the tool-call path needs from the run it belongs to. */
export type ToolCallRun = {
  state: InvestigationState;
  /** The allowlist: a call to any other name is answered with an error, never run. */
  tools: ReadonlyMap<string, Tool>;
  context: ToolContext;
  secrets: readonly string[];
  clock: () => number;
  notes: RunNotes;
  sink?: InvestigationSink;
  emit: (e: InvestigationEvent) => void;
};

/**
 * One tool call, start to finish: run it (or answer an unknown name), guard the observation
 * (redaction, injection flags), record it as evidence when it succeeded, and report it.
 */
export async function runToolCall(call: ToolCall, n: number, run: ToolCallRun): Promise<CallOutcome> {
  const { state, tools, notes } = run;
  // The input runs as given; what is shown and kept of it (events, trace, result) is redacted.
  const kept = { ...call, input: redactDeep(call.input, run.secrets) };
  run.emit({ type: 'tool_started', n, callId: call.id, tool: call.tool, input: kept.input });
  const started = run.clock();
  const tool = tools.get(call.tool);
  const raw: Observation = tool
    ? await executeTool(tool, call.input, run.context)
    : {
        ok: false,
        summary: `Unknown tool "${call.tool}". Available tools: ${[...tools.keys()].join(', ')}`,
        citations: [],
        truncated: false,
        error: `unknown tool "${call.tool}"`,
      };
  const ms = run.clock() - started;
  state.usage.toolCalls += 1;
  const { observation, injection } = guardObservation(raw, run.secrets);
  for (const i of injection)
    notes.warnings.push(`Possible prompt injection in ${call.tool} output (ignored): ${i}`);
  if (!observation.ok && tool) notes.unchecked.push(`${call.tool}: ${observation.error ?? 'failed'}`);
  const evidenceIds = observation.ok ? [recordEvidence(state, call.tool, observation)] : [];
  const outcome: CallOutcome = { call: kept, observation, ms, evidenceIds };
  run.sink?.onToolCall(state.id, n, outcome);
  run.emit({
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

/** Adds a successful observation to the evidence list and returns its id (ev_1, ev_2, ...). */
function recordEvidence(state: InvestigationState, tool: string, observation: Observation): string {
  const id = `ev_${state.evidence.length + 1}`;
  state.evidence.push({
    id,
    tool,
    summary: observation.summary
      .split('\n')
      .slice(0, 2)
      .join(' ')
      .slice(0, AGENT_DEFAULTS.evidenceSummaryChars),
    ...(observation.citations[0]?.url ? { url: observation.citations[0].url } : {}),
  });
  return id;
}
