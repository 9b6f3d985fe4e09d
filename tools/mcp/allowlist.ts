import type { McpServerConfig } from './server-config';

/** What `tools/list` says of one tool: the fields the guard and the wrapper read. */
export type ListedMcpTool = {
  name: string;
  description?: string;
  inputSchema?: Record<string, unknown>;
  annotations?: { readOnlyHint?: boolean; destructiveHint?: boolean; title?: string };
};

export type ExcludedMcpTool = { tool: string; reason: string };

/**
 * The guard in front of a server's tools. A tool is offered only when the server's allowlist
 * names it, and never when its own annotations say it writes (`readOnlyHint: false`) or
 * destroys (`destructiveHint: true`): the assistant's tools are read-only, whatever a list
 * says. An allowlisted tool without annotations is offered: naming it is the operator's word
 * that it only reads. Every tool left out is reported with why, so `sre tools` can show it.
 */
export function selectMcpTools(
  server: Pick<McpServerConfig, 'allowedTools'>,
  listed: readonly ListedMcpTool[],
): { exposed: ListedMcpTool[]; excluded: ExcludedMcpTool[] } {
  const allowed = new Set(server.allowedTools);
  const exposed: ListedMcpTool[] = [];
  const excluded: ExcludedMcpTool[] = [];
  for (const tool of listed) {
    const reason = exclusionReason(tool, allowed);
    if (reason) excluded.push({ tool: tool.name, reason });
    else exposed.push(tool);
  }
  const offered = new Set(listed.map((t) => t.name));
  for (const name of server.allowedTools)
    if (!offered.has(name))
      excluded.push({ tool: name, reason: 'allowlisted, but the server does not offer it' });
  return { exposed, excluded };
}

function exclusionReason(tool: ListedMcpTool, allowed: ReadonlySet<string>): string | undefined {
  if (tool.annotations?.destructiveHint === true) return 'destructive (annotations: destructiveHint true)';
  if (tool.annotations?.readOnlyHint === false) return 'not read-only (annotations: readOnlyHint false)';
  if (!allowed.has(tool.name)) return 'not in allowedTools';
  return undefined;
}
