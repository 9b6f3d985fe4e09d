import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import type { Command } from 'commander';
import { createAssistantMcpServer } from '../mcp/assistant-server';
import type { Runtime } from '../runtime';
import { withRuntime } from './common';

export function register(program: Command): void {
  program
    .command('mcp')
    .description("Serve the assistant's read-only tools, investigate and knowledge search over MCP (stdio)")
    .option('--scenario <dir>', 'serve a scenario world from the sandbox')
    .action(async (opts: { scenario?: string }) => {
      // quiet: stdout carries the protocol, so nothing else may be written there.
      await withRuntime({ scenarioDir: opts.scenario, quiet: true }, serveStdio);
    });
}

/** Serves until the client closes stdin (or the process is told to stop), then closes the runtime. */
async function serveStdio(rt: Runtime): Promise<void> {
  const server = createAssistantMcpServer(rt);
  const ended = new Promise<void>((resolve) => {
    server.server.onclose = resolve;
    process.stdin.once('end', resolve);
    process.once('SIGTERM', resolve);
    process.once('SIGINT', resolve);
  });
  await server.connect(new StdioServerTransport());
  await ended;
  await server.close();
}
