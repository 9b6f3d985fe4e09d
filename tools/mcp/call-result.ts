import type { Observation } from '../contract';
import { MCP_DEFAULTS } from '../defaults';

/**
 * A `tools/call` result as the MCP schema defines it (content blocks, optional structured
 * content, `isError` for a failure the tool itself reports). Only what is read here is typed.
 */
export type McpCallResult = {
  content?: readonly {
    type: string;
    text?: string;
    uri?: string;
    name?: string;
    resource?: { uri?: string; text?: string };
  }[];
  structuredContent?: unknown;
  isError?: boolean;
};

/**
 * Turns a server's answer into an Observation. Text blocks are the summary; other blocks are
 * named, not inlined (an image or a binary resource is no use to the investigation and could be
 * megabytes). Structured content is kept as data only while small: the summary carries the answer
 * either way. Budgeting, redaction and fencing happen where they do for every tool.
 */
export function observationFromCallResult(toolName: string, result: McpCallResult): Observation {
  const parts = (result.content ?? []).map(describeBlock);
  const text = parts.join('\n').trim();
  if (result.isError)
    return {
      ok: false,
      summary: `${toolName} reported an error: ${text || 'no detail given'}`,
      citations: [],
      truncated: false,
      error: text || 'the tool reported an error without detail',
    };
  const structured = keepStructured(result.structuredContent);
  const summary = text || (structured.json ?? `${toolName} returned nothing`);
  return {
    ok: true,
    summary,
    ...(structured.data === undefined ? {} : { data: structured.data }),
    citations: [],
    truncated: structured.dropped,
  };
}

function describeBlock(block: NonNullable<McpCallResult['content']>[number]): string {
  if (block.type === 'text') return block.text ?? '';
  if (block.type === 'resource' && typeof block.resource?.text === 'string')
    return `[resource ${block.resource.uri ?? ''}]\n${block.resource.text}`;
  if (block.type === 'resource_link') return `[link ${block.name ?? ''} ${block.uri ?? ''}]`.trim();
  return `[${block.type} content omitted]`;
}

/** The structured answer as JSON text (the summary when there is no text), and as data while small. */
export function keepStructured(value: unknown): { data?: unknown; json?: string; dropped: boolean } {
  if (value === undefined || value === null) return { dropped: false };
  const json = JSON.stringify(value);
  if (json.length > MCP_DEFAULTS.structuredDataChars) return { json, dropped: true };
  return { data: value, json, dropped: false };
}
