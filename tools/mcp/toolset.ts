import type { Logger } from 'pino';
import type { Tool } from '../contract';
import { MCP_DEFAULTS } from '../defaults';
import { type ExcludedMcpTool, selectMcpTools } from './allowlist';
import { connectMcpServer, type McpConnection } from './connect';
import { toAssistantTool } from './mcp-tool';
import type { McpServerConfig } from './server-config';

/** How one configured server fared: what it offers the assistant, what was left out and why. */
export type McpServerStatus = {
  name: string;
  transport: McpServerConfig['transport'];
  connected: boolean;
  /** Why it could not be used (it did not start, answer or list its tools). */
  error?: string;
  /** The assistant's names for its tools that investigations may call. */
  tools: string[];
  excluded: ExcludedMcpTool[];
};

export type McpToolset = { tools: Tool[]; servers: McpServerStatus[]; close(): Promise<void> };

/** Pure: why a configured server offers nothing, as people read it (`sre tools`, "Could not check"). */
export function unavailableLine(server: McpServerStatus): string {
  return `MCP server ${server.name} (${server.transport}): unavailable, ${server.error ?? 'no answer'}`;
}

/** Pure: the servers that did not start, answer or list their tools: sources an investigation could not check. */
export function unavailableSources(servers: readonly McpServerStatus[]): string[] {
  return servers.filter((s) => !s.connected).map(unavailableLine);
}

export type Connect = (config: McpServerConfig, timeoutMs: number) => Promise<McpConnection>;

/**
 * Connects every configured server at once and keeps the guarded tools of those that answered.
 * A server that fails to start, times out or cannot list its tools degrades only itself: it is
 * reported (and logged) with why, and the others and the assistant's own tools carry on.
 */
export async function connectMcpServers(
  configs: readonly McpServerConfig[],
  options: { logger: Logger; timeoutMs?: number; connect?: Connect },
): Promise<McpToolset> {
  const timeoutMs = options.timeoutMs ?? MCP_DEFAULTS.connectTimeoutMs;
  const connect = options.connect ?? connectMcpServer;
  const open: McpConnection[] = [];
  const outcomes = await Promise.all(
    configs.map(async (config) => {
      const status: McpServerStatus = {
        name: config.name,
        transport: config.transport,
        connected: false,
        tools: [],
        excluded: [],
      };
      let connection: McpConnection | undefined;
      try {
        connection = await connect(config, timeoutMs);
        const { exposed, excluded } = selectMcpTools(config, await connection.listTools());
        open.push(connection);
        const tools = exposed.map((t) => toAssistantTool(config.name, t, connection!.call));
        return { status: { ...status, connected: true, tools: tools.map((t) => t.name), excluded }, tools };
      } catch (err) {
        await connection?.close().catch(() => {});
        const error = err instanceof Error ? err.message : String(err);
        options.logger.warn({ server: config.name, error }, 'MCP server unavailable: its tools are left out');
        return { status: { ...status, error }, tools: [] as Tool[] };
      }
    }),
  );
  return {
    tools: outcomes.flatMap((o) => o.tools),
    servers: outcomes.map((o) => o.status),
    close: async () => {
      await Promise.all(open.map((c) => c.close().catch(() => {})));
    },
  };
}
