import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import type { Command } from 'commander';
import { MCP_DEFAULTS } from '../../tools/defaults';
import { startMcpEndpoint } from '../http/mcp-endpoint';
import { createAssistantMcpServer } from '../mcp/assistant-server';
import type { Runtime } from '../runtime';
import { commandEnv, UsageError, withRuntime } from './common';

export function register(program: Command): void {
  program
    .command('mcp')
    .description(
      "Serve the assistant's read-only tools, investigate and knowledge search over MCP (stdio, or --http)",
    )
    .option('--scenario <dir>', 'serve a scenario world from the sandbox')
    .option('--http <port>', 'serve streamable HTTP on 127.0.0.1:<port>/mcp instead (needs SRE_MCP_TOKEN)')
    .action(async (opts: { scenario?: string; http?: string }) => {
      if (opts.http === undefined)
        // quiet: stdout carries the protocol, so nothing else may be written there.
        return withRuntime({ scenarioDir: opts.scenario, quiet: true }, serveStdio);
      const port = Number(opts.http);
      if (!/^\d+$/.test(opts.http) || port > 65_535)
        throw new UsageError(`--http expects a port number (0-65535), not "${opts.http}"`);
      const token = commandEnv().SRE_MCP_TOKEN;
      if (!token)
        throw new UsageError(
          'set SRE_MCP_TOKEN (at least 16 characters): every request must carry Authorization: Bearer <token>',
        );
      await withRuntime({ scenarioDir: opts.scenario }, (rt) => serveHttp(rt, port, token));
    });
}

/** Serves until the client closes stdin (or the process is told to stop), then closes the runtime. */
async function serveStdio(rt: Runtime): Promise<void> {
  const server = createAssistantMcpServer(rt);
  const ended = new Promise<void>((resolve) => {
    server.server.onclose = resolve;
    process.stdin.once('end', resolve);
    stopSignals(resolve);
  });
  await server.connect(new StdioServerTransport());
  await ended;
  await server.close();
}

async function serveHttp(rt: Runtime, port: number, token: string): Promise<void> {
  const endpoint = await startMcpEndpoint(rt, {
    port,
    token,
    limitBytes: MCP_DEFAULTS.endpointBodyLimitBytes,
    logger: rt.logger,
  });
  process.stderr.write(`MCP endpoint listening on ${endpoint.url} (Authorization: Bearer $SRE_MCP_TOKEN)\n`);
  await new Promise<void>(stopSignals);
  await endpoint.close();
}

function stopSignals(stop: () => void): void {
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
}
