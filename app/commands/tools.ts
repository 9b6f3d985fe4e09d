import type { Command } from 'commander';
import { guardObservation } from '../../agent/guard/observation';
import { executeTool } from '../../tools/execute';
import { type McpServerStatus, unavailableLine } from '../../tools/mcp/toolset';
import { silentLogger } from '../logger';
import { printJson, UsageError, withRuntime } from './common';

/** One server's line, then what it left out and why: the guard's decisions, for whoever configured it. */
export function describeMcpServer(server: McpServerStatus): string[] {
  const head = server.connected
    ? `MCP server ${server.name} (${server.transport}): ${server.tools.length} tool(s) offered`
    : unavailableLine(server);
  return [head, ...server.excluded.map((e) => `  left out ${e.tool}: ${e.reason}`)];
}

export function register(program: Command): void {
  program
    .command('tools')
    .description('List the tools available with the current configuration (or a scenario)')
    .option('--scenario <dir>', 'use a scenario world from the sandbox')
    .option('--json', 'print JSON')
    .action(async (opts: { scenario?: string; json?: boolean }) => {
      await withRuntime({ scenarioDir: opts.scenario, quiet: true, mcp: true }, async (rt) => {
        const rows = rt.tools.map((t) => ({
          name: t.name,
          integration: t.integration,
          description: t.description.split('. ')[0]!,
        }));
        const mcpServers = rt.mcp?.servers ?? [];
        if (opts.json) return printJson({ tools: rows, mcpServers });
        if (rows.length === 0)
          process.stdout.write(
            'No tools: configure an integration (see .env.sample) or pass --scenario <dir>.\n',
          );
        for (const r of rows)
          process.stdout.write(`${r.name.padEnd(22)} ${r.integration.padEnd(13)} ${r.description}\n`);
        for (const line of mcpServers.flatMap(describeMcpServer)) process.stdout.write(`${line}\n`);
      });
    });
  program
    .command('tool')
    .description('Run one tool and print its Observation (to check credentials and queries)')
    .argument('<name>', 'tool name, e.g. datadog.logs')
    .option('--input <json>', 'tool input as JSON', '{}')
    .option('--scenario <dir>', 'use a scenario world from the sandbox')
    .option('--json', 'print the Observation as JSON')
    .action(async (name: string, opts: { input: string; scenario?: string; json?: boolean }) => {
      let input: unknown;
      try {
        input = JSON.parse(opts.input);
      } catch (err) {
        throw new UsageError(`--input is not valid JSON: ${(err as Error).message}`);
      }
      await withRuntime({ scenarioDir: opts.scenario, quiet: true, mcp: true }, async (rt) => {
        const tool = rt.tools.find((t) => t.name === name);
        if (!tool)
          throw new UsageError(
            `unknown tool "${name}". Available: ${rt.tools.map((t) => t.name).join(', ') || 'none (configure an integration or pass --scenario)'}`,
          );
        const raw = await executeTool(tool, input, {
          now: rt.now(),
          signal: new AbortController().signal,
          deadline: Date.now() + 60_000,
          logger: silentLogger,
          catalog: rt.catalog,
        });
        // Printed as the agent would see it: redacted (patterns and configured secret values).
        const { observation: obs } = guardObservation(raw, rt.secrets);
        if (opts.json) printJson(obs);
        else {
          process.stdout.write(
            `${obs.ok ? 'ok' : 'FAILED'}${obs.truncated ? ' (truncated)' : ''}\n${obs.summary}\n`,
          );
          for (const c of obs.citations.slice(0, 10))
            process.stdout.write(`  [${c.source}] ${c.title}${c.url ? ` ${c.url}` : ''}\n`);
        }
        if (!obs.ok) process.exitCode = 1;
      });
    });
}
