import type { ChatRecord } from './chat-record';

const FUNCTION_NAME = /^[a-zA-Z0-9_-]{1,64}$/;

/**
 * Pure: checks one record against OpenAI's chat fine-tuning format (messages with roles system,
 * user, assistant and tool; tool calls answered in order by tool messages; declared functions;
 * JSON arguments; the example ends with an assistant answer). Returns every problem found.
 */
export function validateChatRecord(record: unknown): string[] {
  const errors: string[] = [];
  const r = record as Partial<ChatRecord> | null;
  if (!r || typeof r !== 'object' || !Array.isArray(r.messages) || r.messages.length === 0)
    return ['messages must be a non-empty array'];
  const declared = new Set(
    (r.tools ?? []).map((t) => (t as { function?: { name?: string } }).function?.name).filter(Boolean),
  );
  for (const name of declared)
    if (!FUNCTION_NAME.test(String(name))) errors.push(`tool name "${name}" is not allowed`);
  let pending: string[] = [];
  r.messages.forEach((m, i) => {
    const where = `messages[${i}]`;
    const msg = m as Record<string, unknown>;
    const role = msg.role;
    if (role !== 'system' && role !== 'user' && role !== 'assistant' && role !== 'tool') {
      errors.push(`${where}: unknown role ${String(role)}`);
      return;
    }
    if (role !== 'tool' && pending.length > 0) {
      errors.push(`${where}: tool calls ${pending.join(', ')} were not answered`);
      pending = [];
    }
    if ((role === 'system' || role === 'user') && (typeof msg.content !== 'string' || !msg.content.trim()))
      errors.push(`${where}: ${role} content must be non-empty text`);
    if (role === 'assistant') {
      const calls =
        (msg.tool_calls as {
          id?: string;
          type?: string;
          function?: { name?: string; arguments?: string };
        }[]) ?? [];
      if (!Array.isArray(calls)) errors.push(`${where}: tool_calls must be an array`);
      if (typeof msg.content !== 'string' && calls.length === 0)
        errors.push(`${where}: assistant needs content or tool_calls`);
      for (const c of calls) {
        if (!c.id || c.type !== 'function' || !c.function?.name) {
          errors.push(`${where}: a tool call needs an id, type "function" and a function name`);
          continue;
        }
        if (!declared.has(c.function.name))
          errors.push(`${where}: function ${c.function.name} is not declared in tools`);
        try {
          JSON.parse(c.function.arguments ?? '');
        } catch {
          errors.push(`${where}: arguments of ${c.id} are not JSON text`);
        }
        pending.push(c.id);
      }
    }
    if (role === 'tool') {
      const id = msg.tool_call_id;
      if (typeof id !== 'string' || !pending.includes(id))
        errors.push(`${where}: tool_call_id ${String(id)} answers no pending call`);
      else pending = pending.filter((p) => p !== id);
      if (typeof msg.content !== 'string') errors.push(`${where}: tool content must be text`);
    }
  });
  if (pending.length > 0) errors.push(`tool calls ${pending.join(', ')} were not answered`);
  const last = r.messages.at(-1) as Record<string, unknown>;
  if (last.role !== 'assistant' || typeof last.content !== 'string' || last.tool_calls)
    errors.push('the last message must be an assistant answer without tool calls');
  if (!r.messages.some((m) => (m as { role?: string }).role === 'user'))
    errors.push('there must be a user message');
  return errors;
}
