import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { z } from 'zod';
import { guardObservation } from '../../agent/guard/observation';
import { investigate } from '../../agent/investigate';
import type { Tool } from '../../tools/contract';
import { TOOL_DEFAULTS } from '../../tools/defaults';
import { executeTool } from '../../tools/execute';
import { ASSISTANT_IMPLEMENTATION } from '../../tools/mcp/connect';
import { alertFromContent } from '../commands/investigate';
import type { Runtime } from '../runtime';
import { servedObservation } from './served-result';

/** Every served tool only reads; `openWorldHint` says whether it reaches outside systems. */
const readOnly = (openWorld: boolean) => ({
  readOnlyHint: true,
  destructiveHint: false,
  idempotentHint: true,
  openWorldHint: openWorld,
});

/**
 * The assistant's own read-only tools over MCP, for an editor or desktop agent: each registry
 * tool under its own name (`datadog.logs`, `knowledge.search`, ...), and `investigate`, which
 * returns the InvestigationResult. Tools of other MCP servers are never passed on: an editor
 * should reach those servers itself. Calls run as the assistant runs them (input checked, time
 * bounded, output budgeted and redacted). No channel is given, so private Slack knowledge is
 * never served.
 */
export function createAssistantMcpServer(rt: Runtime): McpServer {
  const server = new McpServer(ASSISTANT_IMPLEMENTATION, {
    instructions:
      'Read-only tools of the SRE Assistant: DataDog, GitHub, Rootly, feature flags and the knowledge base, and `investigate` for a whole investigation of an alert.',
  });
  for (const tool of rt.tools.filter((t) => t.integration !== 'mcp')) serveTool(server, rt, tool);
  server.registerTool(
    'investigate',
    {
      title: 'Investigate an alert',
      description: `Investigates an alert with every tool and returns the InvestigationResult (headline, root cause, confidence, ranked suspects with evidence, next steps, runbooks). ${rt.alertFromScenario ? 'Without `alert`, investigates the scenario this server was started with.' : 'Give the alert.'}`,
      inputSchema: {
        alert: z
          .string()
          .min(3)
          .optional()
          .describe('The alert: its text, or the JSON of a DataDog webhook body or a Slack event'),
      },
      annotations: { title: 'Investigate an alert', ...readOnly(true) },
    },
    async ({ alert }, extra) => {
      const given = alert ? alertFromContent(alert, rt.now()) : rt.alertFromScenario;
      if (!given)
        return {
          content: [{ type: 'text', text: 'Give the alert to investigate (`alert`).' }],
          isError: true,
        };
      const result = await investigate({ alert: given, runtime: rt, signal: extra.signal });
      return {
        content: [{ type: 'text', text: JSON.stringify(result) }],
        structuredContent: result as unknown as Record<string, unknown>,
      };
    },
  );
  return server;
}

function serveTool(server: McpServer, rt: Runtime, tool: Tool): void {
  server.registerTool(
    tool.name,
    {
      description: tool.description,
      inputSchema: tool.input,
      annotations: readOnly(tool.integration !== 'knowledge'),
    },
    async (input: unknown, extra: { signal: AbortSignal }) => {
      const raw = await executeTool(tool, input, {
        now: rt.now(),
        signal: extra.signal,
        deadline: Date.now() + TOOL_DEFAULTS.callTimeoutMs,
        logger: rt.logger,
        catalog: rt.catalog,
      });
      return servedObservation(tool.name, guardObservation(raw, rt.secrets).observation);
    },
  );
}
