import { z } from 'zod';
import { defineTool, type Tool } from '../contract';
import { MCP_DEFAULTS } from '../defaults';
import type { ListedMcpTool } from './allowlist';
import { type McpCallResult, observationFromCallResult } from './call-result';

/** One `tools/call` on a connected server, cancelled by the signal (the SDK tells the server). */
export type McpCaller = (
  tool: string,
  args: Record<string, unknown>,
  options: { signal: AbortSignal; timeoutMs: number },
) => Promise<McpCallResult>;

/** `mcp.<server>.<tool>`: the prefix keeps a server's tools apart from the assistant's own and from each other's. */
export function mcpToolName(server: string, tool: string): string {
  return `mcp.${server}.${tool}`;
}

/**
 * A server's tool in the assistant's one tool shape, so it runs through executeTool (input
 * check, timeout, budget) and the agent's guard (redaction, injection flags, fencing) like any
 * other. The input schema is the server's JSON Schema read into zod; one zod cannot read is
 * taken as any object, and the server checks its own arguments.
 */
export function toAssistantTool(server: string, listed: ListedMcpTool, call: McpCaller): Tool {
  return defineTool({
    name: mcpToolName(server, listed.name),
    integration: 'mcp',
    description: describe(server, listed),
    input: inputSchema(listed.inputSchema),
    async run(input, ctx) {
      const timeoutMs = Math.max(1, ctx.deadline - Date.now());
      const result = await call(listed.name, input as Record<string, unknown>, {
        signal: ctx.signal,
        timeoutMs,
      });
      return observationFromCallResult(mcpToolName(server, listed.name), result);
    },
  });
}

function describe(server: string, listed: ListedMcpTool): string {
  // The server's words reach the model's prompt: one line, cut short, and marked as the server's.
  const own = (listed.description ?? listed.annotations?.title ?? '').replace(/\s+/g, ' ').trim();
  const cut =
    own.length > MCP_DEFAULTS.descriptionChars ? `${own.slice(0, MCP_DEFAULTS.descriptionChars)}…` : own;
  return `${cut || `The ${listed.name} tool.`} (A tool of the MCP server "${server}".)`;
}

const anyObject = z.record(z.string(), z.unknown());

function inputSchema(schema: Record<string, unknown> | undefined): z.ZodType<Record<string, unknown>> {
  if (!schema) return anyObject;
  try {
    return z.fromJSONSchema(schema) as z.ZodType<Record<string, unknown>>;
  } catch {
    return anyObject;
  }
}
