import type { StepRow, ToolCallRow } from '../../data/investigations';
import type { ServiceCatalog, Tool } from '../../tools/contract';
import { toFunctionName } from '../../tools/contract';
import { toolSchema } from '../llm/planner';
import { alertPrompt, catalogText, SYSTEM_PROMPT } from '../prompts';
import type { InvestigationResult } from '../result';

/** One line of an OpenAI chat fine-tuning file (https://platform.openai.com/docs/guides/fine-tuning). */
export type ChatToolCall = { id: string; type: 'function'; function: { name: string; arguments: string } };
export type ChatMessage =
  | { role: 'system' | 'user'; content: string }
  | { role: 'assistant'; content?: string; tool_calls?: ChatToolCall[] }
  | { role: 'tool'; tool_call_id: string; content: string };
export type ChatRecord = {
  messages: ChatMessage[];
  tools?: ReturnType<typeof toolSchema>[];
  parallel_tool_calls?: boolean;
};

/** A stored step as `getSteps` returns it. */
export type TraceStep = Pick<StepRow, 'n' | 'thought'> & { calls: Omit<ToolCallRow, 'stepN' | 'ms'>[] };

/** The answer the model should learn to give: the summary fields, as the summary prompt asks for them. */
function finalAnswer(result: InvestigationResult): string {
  const { headline, rootCause, confidence, suspects, impact, nextSteps, similarIncidents, runbooks } =
    result.summary;
  return JSON.stringify({
    headline,
    rootCause,
    confidence,
    suspects,
    impact,
    nextSteps,
    similarIncidents,
    runbooks,
  });
}

/**
 * Pure: one investigation's trace as a chat transcript: the system and alert prompts the LLM
 * planner sends, each step's thought with its tool calls, each call's observation, and the final
 * summary. Tool names become function names, and the tools used are declared with their schemas.
 * Redaction happens after this (the caller knows the configured secrets).
 */
export function traceToChatRecord(input: {
  result: InvestigationResult;
  steps: readonly TraceStep[];
  tools: readonly Tool[];
  catalog: ServiceCatalog;
}): ChatRecord {
  const { result, steps } = input;
  const messages: ChatMessage[] = [
    { role: 'system', content: SYSTEM_PROMPT },
    { role: 'user', content: alertPrompt(result.alert, catalogText(input.catalog), result.alert.startedAt) },
  ];
  const used = new Set<string>();
  for (const step of steps) {
    if (step.calls.length === 0) continue;
    messages.push({
      role: 'assistant',
      ...(step.thought.trim() ? { content: step.thought } : {}),
      tool_calls: step.calls.map((c) => {
        used.add(c.tool);
        return {
          id: c.callId,
          type: 'function' as const,
          function: { name: toFunctionName(c.tool), arguments: JSON.stringify(c.input ?? {}) },
        };
      }),
    });
    for (const c of step.calls)
      messages.push({
        role: 'tool',
        tool_call_id: c.callId,
        content: c.ok ? c.summary : `Error: ${c.error ?? c.summary}`,
      });
  }
  messages.push({ role: 'assistant', content: finalAnswer(result) });
  const tools = input.tools.filter((t) => used.has(t.name)).map((t) => toolSchema(t));
  return { messages, ...(tools.length ? { tools, parallel_tool_calls: true } : {}) };
}
