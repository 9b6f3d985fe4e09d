import type OpenAI from 'openai';
import { z } from 'zod';
import { redactText } from '../../lib/redact';
import type { ServiceCatalog, Tool } from '../../tools/contract';
import { toFunctionName } from '../../tools/contract';
import { fenceUntrusted } from '../guard/fence';
import type { Planner, PlannerTurn } from '../planner';
import {
  alertPrompt,
  catalogText,
  type LearnedHints,
  repairPrompt,
  SUMMARY_INSTRUCTIONS,
  SYSTEM_PROMPT,
} from '../prompts';
import { HypothesisSchema, type Summary, SummarySchema } from '../result';
import type { InvestigationState } from '../state';
import { costUsd, type Price } from './prices';
import { parseReact, reactToolGuide } from './react-format';

type Message = OpenAI.Chat.Completions.ChatCompletionMessageParam;
type ToolCallOut = { id: string; name: string; arguments: string };

export type LlmPlannerOptions = {
  client: OpenAI;
  model: string;
  tools: readonly Tool[];
  catalog: ServiceCatalog;
  hints?: LearnedHints;
  /** Configured secret values, redacted from everything sent to the model. */
  secrets?: readonly string[];
  /** `react` for endpoints without native tool calling (text Thought / Action / Observation). */
  toolMode?: 'native' | 'react';
  /** USD per million tokens when the price table does not know the model (SRE_LLM_PRICE). */
  price?: Price;
  /** Replaces the system prompt (hybrid runs: refine an answer rather than start from nothing). */
  systemPrompt?: string;
  /** Added to the opening message: what is already known (hybrid runs: the evidence model's briefing). */
  briefing?: (state: InvestigationState) => string;
};

const UPDATE_HYPOTHESES = 'update_hypotheses';
const HypothesesInput = z.object({ hypotheses: z.array(HypothesisSchema).max(10) });

/** JSON Schema for a tool's input, from its zod schema (never written by hand). */
export function toolSchema(
  tool: Pick<Tool, 'name' | 'description' | 'input'>,
): OpenAI.Chat.Completions.ChatCompletionTool {
  const parameters = z.toJSONSchema(tool.input, { io: 'input', unrepresentable: 'any' }) as Record<
    string,
    unknown
  >;
  delete parameters.$schema;
  return {
    type: 'function',
    function: { name: toFunctionName(tool.name), description: tool.description, parameters },
  };
}

/** Lenient JSON extraction for models that wrap JSON in prose or code fences. */
export function extractJson(text: string): unknown {
  const fenced = /```(?:json)?\s*([\s\S]*?)```/.exec(text)?.[1];
  const candidate = fenced ?? text.slice(text.indexOf('{'), text.lastIndexOf('}') + 1);
  return JSON.parse(candidate);
}

/**
 * The LLM planner on any OpenAI-compatible chat completions endpoint with native tool calling:
 * streamed thoughts, parallel tool calls, usage and cost accounting, a structured final summary
 * validated with zod and repaired once. Failures throw: the controller then falls back offline.
 */
export function createLlmPlanner(options: LlmPlannerOptions): Planner {
  const secrets = options.secrets ?? [];
  const clean = (s: string) => redactText(s, secrets);
  const byFunction = new Map(options.tools.map((t) => [toFunctionName(t.name), t.name]));
  const schemas = [
    ...options.tools.map(toolSchema),
    toolSchema({
      name: UPDATE_HYPOTHESES,
      description:
        'Record your current hypotheses (statement, status open|supported|refuted, evidence ids). Call it whenever your view changes.',
      input: HypothesesInput,
    }),
  ];
  const react = options.toolMode === 'react';
  const messages: Message[] = [];
  let pending: ToolCallOut[] = [];
  let reportedSteps = 0;

  function account(state: InvestigationState, usage: OpenAI.Completions.CompletionUsage | null | undefined) {
    state.usage.llmCalls += 1;
    if (!usage) return;
    state.usage.promptTokens += usage.prompt_tokens;
    state.usage.completionTokens += usage.completion_tokens;
    state.usage.costUsd += costUsd(
      options.model,
      usage.prompt_tokens,
      usage.completion_tokens,
      options.price,
    );
  }

  /** Feeds back the observations of the calls the model made last turn, fenced as untrusted. */
  function observe(state: InvestigationState) {
    const outcomes = new Map(
      state.steps.slice(reportedSteps).flatMap((s) => s.outcomes.map((o) => [o.call.id, o] as const)),
    );
    reportedSteps = state.steps.length;
    const observations: string[] = [];
    for (const call of pending) {
      const o = outcomes.get(call.id);
      const text = o
        ? `${o.observation.ok ? '' : 'ERROR: '}${o.observation.summary}${o.evidenceIds.length ? `\n(evidence id: ${o.evidenceIds.join(', ')})` : ''}`
        : call.name === UPDATE_HYPOTHESES
          ? 'Hypotheses recorded.'
          : 'Not run.';
      const content = o ? fenceUntrusted(o.call.tool, clean(text)) : text;
      if (react) observations.push(`Observation for ${call.name}:\n${content}`);
      else messages.push({ role: 'tool', tool_call_id: call.id, content });
    }
    if (react && observations.length) messages.push({ role: 'user', content: observations.join('\n\n') });
    pending = [];
  }

  async function complete(
    state: InvestigationState,
    emit: Parameters<Planner['next']>[1],
    withTools: boolean,
    signal?: AbortSignal,
  ) {
    const n = state.steps.length + 1;
    const stream = await options.client.chat.completions.create(
      {
        model: options.model,
        messages,
        stream: true,
        stream_options: { include_usage: true },
        ...(withTools && !react ? { tools: schemas, parallel_tool_calls: true } : {}),
      },
      { signal },
    );
    let content = '';
    const calls: ToolCallOut[] = [];
    let usage: OpenAI.Completions.CompletionUsage | null | undefined;
    for await (const chunk of stream) {
      if (chunk.usage) usage = chunk.usage;
      const delta = chunk.choices[0]?.delta;
      if (!delta) continue;
      if (delta.content) {
        content += delta.content;
        emit({ type: 'thought_delta', n, text: clean(delta.content) });
      }
      for (const tc of delta.tool_calls ?? []) {
        if (!calls[tc.index])
          calls[tc.index] = { id: tc.id ?? `call_${n}_${tc.index}`, name: '', arguments: '' };
        const slot = calls[tc.index]!;
        if (tc.id) slot.id = tc.id;
        if (tc.function?.name) slot.name += tc.function.name;
        if (tc.function?.arguments) slot.arguments += tc.function.arguments;
      }
    }
    account(state, usage);
    return { content, calls: calls.filter(Boolean) };
  }

  return {
    kind: 'llm',
    async next(state, emit, signal): Promise<PlannerTurn> {
      if (messages.length === 0) {
        const system = options.systemPrompt ?? SYSTEM_PROMPT;
        const opening = alertPrompt(
          state.alert,
          catalogText(options.catalog),
          state.now.toISOString(),
          options.hints,
        );
        messages.push(
          { role: 'system', content: react ? `${system}\n\n${reactToolGuide(schemas)}` : system },
          {
            role: 'user',
            content: clean(options.briefing ? `${opening}\n\n${options.briefing(state)}` : opening),
          },
        );
        // Steps taken before the model joined (a hybrid run's offline steps) are in the briefing.
        reportedSteps = state.steps.length;
      } else observe(state);
      const completion = await complete(state, emit, true, signal);
      const { content } = completion;
      let calls = completion.calls;
      if (react) {
        const parsed = parseReact(content);
        calls = parsed.actions.map((a, i) => ({
          id: `react_${state.steps.length + 1}_${i}`,
          name: a.name,
          arguments: a.arguments,
        }));
        messages.push({ role: 'assistant', content });
        pending = calls;
        if (calls.length === 0) return { kind: 'answer', thought: parsed.final ?? parsed.thought };
      } else
        messages.push({
          role: 'assistant',
          content: content || null,
          ...(calls.length
            ? {
                tool_calls: calls.map((c) => ({
                  id: c.id,
                  type: 'function' as const,
                  function: { name: c.name, arguments: c.arguments },
                })),
              }
            : {}),
        });
      if (!react) pending = calls;
      if (calls.length === 0) return { kind: 'answer', thought: content };
      const toolCalls = [];
      for (const c of calls) {
        if (c.name === UPDATE_HYPOTHESES) {
          const parsed = HypothesesInput.safeParse(safeJson(c.arguments));
          if (parsed.success) {
            state.hypotheses = parsed.data.hypotheses.map((h) => ({ ...h, statement: clean(h.statement) }));
            emit({ type: 'hypotheses', hypotheses: state.hypotheses });
          }
          continue;
        }
        // Unknown names pass through unchanged: the controller answers them with the exact error.
        toolCalls.push({ id: c.id, tool: byFunction.get(c.name) ?? c.name, input: safeJson(c.arguments) });
      }
      return {
        kind: 'act',
        thought: content || `Calling ${calls.map((c) => c.name).join(', ')}`,
        calls: toolCalls,
      };
    },
    async synthesize(state, _reason, signal): Promise<Summary> {
      observe(state);
      const evidence = state.evidence.map((e) => `${e.id} (${e.tool}): ${e.summary}`).join('\n');
      messages.push({
        role: 'user',
        content: `${SUMMARY_INSTRUCTIONS}\n\nEvidence:\n${clean(evidence) || '(none)'}`,
      });
      for (let attempt = 0; attempt < 2; attempt++) {
        const { content } = await complete(state, () => {}, false, signal);
        messages.push({ role: 'assistant', content });
        let error: string;
        try {
          const parsed = SummarySchema.safeParse(extractJson(content));
          if (parsed.success)
            return {
              ...parsed.data,
              hypotheses: state.hypotheses.length ? state.hypotheses : parsed.data.hypotheses,
            };
          error = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');
        } catch (err) {
          error = `not JSON (${(err as Error).message})`;
        }
        messages.push({ role: 'user', content: repairPrompt(error) });
      }
      throw new Error('the model did not return a valid summary after one repair');
    },
  };
}

function safeJson(text: string): unknown {
  try {
    return text.trim() ? JSON.parse(text) : {};
  } catch {
    // Invalid JSON arguments go to the tool as-is so the schema error reaches the model.
    return { __unparsable_arguments: text.slice(0, 500) };
  }
}
