import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type { Transport } from '@modelcontextprotocol/sdk/shared/transport.js';
import { MCP_DEFAULTS } from '../defaults';
import type { ListedMcpTool } from './allowlist';
import type { McpCallResult } from './call-result';
import type { McpCaller } from './mcp-tool';
import type { McpServerConfig } from './server-config';

/** How the assistant names itself to MCP peers, as client and as server. */
export const ASSISTANT_IMPLEMENTATION = { name: 'sre-assistant', version: '0.1.0' } as const;

/** A live session with one server: what the toolset needs of it, and nothing of the SDK. */
export type McpConnection = {
  listTools(): Promise<ListedMcpTool[]>;
  call: McpCaller;
  close(): Promise<void>;
};

/**
 * Connects to one server over its transport (a spawned stdio child, or streamable HTTP) within
 * the timeout. A stdio child gets only the SDK's short list of safe variables (PATH, HOME, ...)
 * plus its configured `env`: the assistant's own secrets never reach it. Its stderr is kept (the
 * last lines) to explain a failed start instead of mixing into the assistant's output.
 */
export async function connectMcpServer(config: McpServerConfig, timeoutMs: number): Promise<McpConnection> {
  const stderr: string[] = [];
  const transport = transportFor(config, stderr);
  const client = new Client(ASSISTANT_IMPLEMENTATION);
  const timeout = AbortSignal.timeout(timeoutMs);
  try {
    await client.connect(transport, { timeout: timeoutMs, signal: timeout });
  } catch (err) {
    await client.close().catch(() => {});
    const why = timeout.aborted ? `no answer within ${timeoutMs} ms` : errorText(err);
    throw new Error(stderr.length > 0 ? `${why}; its stderr said: ${stderr.join(' | ')}` : why);
  }
  return {
    async listTools() {
      const tools: ListedMcpTool[] = [];
      let cursor: string | undefined;
      for (let page = 0; page < MCP_DEFAULTS.maxToolListPages; page++) {
        const answer = await client.listTools(cursor ? { cursor } : undefined, { timeout: timeoutMs });
        tools.push(...(answer.tools as ListedMcpTool[]));
        cursor = answer.nextCursor;
        if (!cursor) break;
      }
      return tools;
    },
    async call(name, args, options) {
      const result = await client.callTool({ name, arguments: args }, undefined, {
        signal: options.signal,
        timeout: options.timeoutMs,
      });
      return result as McpCallResult;
    },
    close: () => client.close(),
  };
}

function transportFor(config: McpServerConfig, stderr: string[]): Transport {
  if (config.transport === 'http')
    return new StreamableHTTPClientTransport(new URL(config.url), {
      requestInit: { headers: config.headers },
    });
  const transport = new StdioClientTransport({
    command: config.command,
    args: config.args,
    env: config.env,
    cwd: config.cwd,
    stderr: 'pipe',
  });
  // Draining the pipe also keeps a chatty child from blocking on a full stderr buffer.
  transport.stderr?.on('data', (chunk: Buffer) => {
    for (const line of chunk.toString('utf8').split('\n'))
      if (line.trim()) stderr.push(line.trim().slice(0, 300));
    stderr.splice(0, Math.max(0, stderr.length - MCP_DEFAULTS.stderrLines));
  });
  return transport;
}

function errorText(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
