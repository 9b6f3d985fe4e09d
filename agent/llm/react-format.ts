import type OpenAI from 'openai';

/**
 * Text ReAct for endpoints without native tool calling: the model writes
 *   Thought: ...
 *   Action: tool_name
 *   Action Input: {"json": "object"}
 * (several Action pairs run in parallel) or "Final Answer: ...". Pure parsing and rendering.
 */
export type ReactTurn = { thought: string; actions: { name: string; arguments: string }[]; final?: string };

export function parseReact(text: string): ReactTurn {
  const thought = /Thought:\s*([\s\S]*?)(?=\n\s*(?:Action:|Final Answer:)|$)/i.exec(text)?.[1]?.trim() ?? '';
  const final = /Final Answer:\s*([\s\S]*)$/i.exec(text)?.[1]?.trim();
  const actions: ReactTurn['actions'] = [];
  const re = /Action:\s*([\w.-]+)\s*\n\s*Action Input:\s*/gi;
  for (let m = re.exec(text); m; m = re.exec(text)) {
    const rest = text.slice(m.index + m[0].length);
    actions.push({ name: m[1]!, arguments: firstJsonObject(rest) ?? rest.split('\n')[0]!.trim() });
  }
  // An answer only counts when the model did not also ask for actions.
  return {
    thought: thought || (actions.length ? '' : (final ?? text.trim())),
    actions,
    final: actions.length ? undefined : final,
  };
}

/** The first balanced {...} in the text (string-aware), or undefined. */
export function firstJsonObject(text: string): string | undefined {
  const start = text.indexOf('{');
  if (start < 0) return undefined;
  let depth = 0;
  let inString = false;
  for (let i = start; i < text.length; i++) {
    const c = text[i]!;
    if (inString) {
      if (c === '\\') i += 1;
      else if (c === '"') inString = false;
    } else if (c === '"') inString = true;
    else if (c === '{') depth += 1;
    else if (c === '}' && --depth === 0) return text.slice(start, i + 1);
  }
  return undefined;
}

export function reactToolGuide(tools: readonly OpenAI.Chat.Completions.ChatCompletionTool[]): string {
  const lines = tools.map((t) => {
    const fn = (t as { function: { name: string; description?: string; parameters?: unknown } }).function;
    return `- ${fn.name}: ${fn.description ?? ''}\n  input JSON schema: ${JSON.stringify(fn.parameters)}`;
  });
  return `You have these tools:\n${lines.join('\n')}\n\nAnswer in this format only:\nThought: your reasoning\nAction: tool_name\nAction Input: {"a": "JSON object"}\n(repeat Action / Action Input to call several tools at once)\nThen stop and wait for the Observation. When you know the cause, write:\nThought: ...\nFinal Answer: your conclusion`;
}
