import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { runInvestigation } from '../../../agent/controller';
import { guardObservation } from '../../../agent/guard/observation';
import { createLlmPlanner } from '../../../agent/llm/planner';
import { silentLogger } from '../../../app/logger';
import { alertFromScenario } from '../../../app/scenario/alert';
import { type ScriptedReply, setScript } from '../../../sandbox/routes/openai';
import type { Sandbox } from '../../../sandbox/server';
import type { ToolContext } from '../../../tools/contract';
import { executeTool } from '../../../tools/execute';
import { connectMcpServers, type McpToolset, unavailableSources } from '../../../tools/mcp/toolset';
import { demoSandbox, scriptedModelClient } from '../helpers';
import { ORDERS_TOKEN, ordersServer } from './orders-fixture';

const context = (): ToolContext => ({
  now: new Date('2025-01-01T00:00:00Z'),
  signal: new AbortController().signal,
  deadline: Date.now() + 20_000,
  logger: silentLogger,
  catalog: { services: {} },
});

describe('tools from a real MCP server spawned over stdio', () => {
  let toolset: McpToolset;
  beforeAll(async () => {
    toolset = await connectMcpServers([ordersServer()], { logger: silentLogger, timeoutMs: 15_000 });
  }, 20_000);
  afterAll(() => toolset.close());

  const lookup = () => toolset.tools.find((t) => t.name === 'mcp.orders.lookup_order')!;

  it('offers only the allowlisted read-only tool, and says why the others are left out', () => {
    expect(toolset.tools.map((t) => [t.name, t.integration])).toEqual([['mcp.orders.lookup_order', 'mcp']]);
    expect(toolset.servers).toEqual([
      {
        name: 'orders',
        transport: 'stdio',
        connected: true,
        tools: ['mcp.orders.lookup_order'],
        excluded: [
          { tool: 'cancel_order', reason: 'destructive (annotations: destructiveHint true)' },
          { tool: 'list_customers', reason: 'not in allowedTools' },
        ],
      },
    ]);
  });

  it("takes the server's input schema, so bad input is refused before the server is called", async () => {
    const schema = z.toJSONSchema(lookup().input, { io: 'input' }) as { required?: string[] };
    expect(schema.required).toEqual(['orderId']);
    const obs = await executeTool(lookup(), { orderId: 42 }, context());
    expect(obs).toMatchObject({ ok: false });
    expect(obs.error).toMatch(/^invalid input: orderId:/);
  });

  it('answers through the same guard as every tool: the configured token and key-shaped strings redacted, the injection flagged', async () => {
    const raw = await executeTool(lookup(), { orderId: 'ord_1' }, context());
    expect(raw.ok).toBe(true);
    expect(raw.data).toEqual({ orderId: 'ord_1', status: 'payment_declined', gatewayStatus: 502 });
    const { observation, injection } = guardObservation(raw, [ORDERS_TOKEN]);
    expect(observation.summary).toContain('Order ord_1: payment declined by the gateway (HTTP 502).');
    expect(observation.summary).not.toContain(ORDERS_TOKEN);
    expect(observation.summary).not.toContain('AKIAABCDEFGHIJKLMNOP');
    expect(observation.summary).toContain('[REDACTED:configured-secret]');
    // The server's "SYSTEM: ignore previous instructions…" is flagged, not obeyed.
    expect(injection).toEqual(expect.arrayContaining([expect.stringMatching(/^ignore-instructions: "/)]));
  });

  it('reports a call the server does not answer in time as a timeout, and the server keeps serving', async () => {
    const slow = await executeTool(lookup(), { orderId: 'ord_2', delayMs: 10_000 }, context(), {
      timeoutMs: 300,
    });
    expect(slow).toMatchObject({ ok: false });
    expect(slow.error).toBe('mcp.orders.lookup_order timed out after 300 ms; narrow the query or try again');
    const next = await executeTool(lookup(), { orderId: 'ord_3' }, context());
    expect(next.ok).toBe(true);
  });
});

describe('a server that cannot start', () => {
  it('degrades only itself: the other servers keep their tools', async () => {
    const toolset = await connectMcpServers(
      [
        {
          ...ordersServer(),
          name: 'broken',
          command: process.execPath,
          args: ['-e', 'console.error("no API key"); process.exit(3)'],
        },
        ordersServer({ name: 'missing', command: '/nonexistent/mcp-server' }),
        ordersServer(),
      ],
      { logger: silentLogger, timeoutMs: 15_000 },
    );
    try {
      expect(toolset.tools.map((t) => t.name)).toEqual(['mcp.orders.lookup_order']);
      const [broken, missing] = toolset.servers;
      expect(broken).toMatchObject({ name: 'broken', connected: false, tools: [] });
      expect(broken!.error).toMatch(/Connection closed; its stderr said: no API key/);
      expect(missing).toMatchObject({ name: 'missing', connected: false });
      expect(missing!.error).toMatch(/ENOENT/);
    } finally {
      await toolset.close();
    }
  }, 20_000);

  it('names every server that did not start as a source that could not be checked, and only those', async () => {
    const toolset = await connectMcpServers(
      [ordersServer({ name: 'missing', command: '/nonexistent/mcp-server' }), ordersServer()],
      { logger: silentLogger, timeoutMs: 15_000 },
    );
    await toolset.close();
    expect(unavailableSources(toolset.servers)).toEqual([
      expect.stringMatching(/^MCP server missing \(stdio\): unavailable, .*ENOENT/),
    ]);
  }, 20_000);

  it('times out a server that never answers the handshake', async () => {
    const toolset = await connectMcpServers(
      [ordersServer({ name: 'silent', args: ['-e', 'setTimeout(() => {}, 60_000)'] })],
      { logger: silentLogger, timeoutMs: 500 },
    );
    await toolset.close();
    expect(toolset.servers[0]).toMatchObject({ connected: false, error: 'no answer within 500 ms' });
  }, 10_000);
});

describe('MCP tools in an investigation (the LLM planner against the scripted model)', () => {
  let sandbox: Sandbox;
  let toolset: McpToolset;
  beforeAll(async () => {
    sandbox = await demoSandbox();
    toolset = await connectMcpServers([ordersServer()], { logger: silentLogger, timeoutMs: 15_000 });
  }, 20_000);
  afterAll(async () => {
    await toolset.close();
    await sandbox.close();
  });

  async function investigateWith(replies: ScriptedReply[], limits = {}) {
    setScript(sandbox.world, replies);
    const catalog = sandbox.scenario.manifest.catalog;
    const client = scriptedModelClient(sandbox);
    const tools = toolset.tools;
    const before = sandbox.requests.length;
    const result = await runInvestigation({
      alert: alertFromScenario(sandbox.scenario),
      planner: createLlmPlanner({ client, model: 'gpt-4o-mini', tools, catalog, secrets: [ORDERS_TOKEN] }),
      tools,
      now: new Date(sandbox.scenario.manifest.now),
      catalog,
      logger: silentLogger,
      secrets: [ORDERS_TOKEN],
      limits,
    });
    const chats = sandbox.requests.slice(before).filter((r) => r.path === '/v1/chat/completions');
    return { result, chats };
  }

  it('offers the model the allowlisted tool, runs it, fences and redacts its output, and never runs the destructive one', async () => {
    const { result, chats } = await investigateWith([
      {
        toolCalls: [
          { name: 'mcp_orders_lookup_order', arguments: { orderId: 'ord_9' } },
          { name: 'mcp_orders_cancel_order', arguments: { orderId: 'ord_9' } },
        ],
      },
      { content: 'The gateway declined the payment.' },
      { content: 'not a summary' },
    ]);
    const offered = (chats[0]!.body as { tools: { function: { name: string } }[] }).tools.map(
      (t) => t.function.name,
    );
    expect(offered.filter((n) => n.startsWith('mcp_'))).toEqual(['mcp_orders_lookup_order']);
    const toolMessages = (
      chats[1]!.body as { messages: { role: string; content: string }[] }
    ).messages.filter((m) => m.role === 'tool');
    expect(toolMessages[0]!.content).toMatch(/^<<<[0-9a-f]+ untrusted output of mcp\.orders\.lookup_order/);
    expect(toolMessages[0]!.content).toContain('payment declined by the gateway');
    expect(toolMessages[1]!.content).toContain('Unknown tool "mcp_orders_cancel_order"');
    expect(chats.map((c) => c.rawBody).join('\n')).not.toContain(ORDERS_TOKEN);
    expect(result.evidence.map((e) => e.tool)).toEqual(['mcp.orders.lookup_order']);
    expect(
      result.summary.warnings?.some((w) => w.includes('prompt injection in mcp.orders.lookup_order')),
    ).toBe(true);
  }, 30_000);

  it('reports a server that dies during a call as a source it could not check, and the run still ends with an answer', async () => {
    const own = await connectMcpServers([ordersServer()], { logger: silentLogger, timeoutMs: 15_000 });
    try {
      setScript(sandbox.world, [
        { toolCalls: [{ name: 'mcp_orders_lookup_order', arguments: { orderId: 'crash' } }] },
        { content: 'The orders server is down.' },
        { content: 'not a summary' },
      ]);
      const catalog = sandbox.scenario.manifest.catalog;
      const result = await runInvestigation({
        alert: alertFromScenario(sandbox.scenario),
        planner: createLlmPlanner({
          client: scriptedModelClient(sandbox),
          model: 'gpt-4o-mini',
          tools: own.tools,
          catalog,
        }),
        tools: own.tools,
        now: new Date(sandbox.scenario.manifest.now),
        catalog,
        logger: silentLogger,
      });
      expect(result.status).not.toBe('failed');
      expect(result.summary.unchecked?.some((u) => u.startsWith('mcp.orders.lookup_order: '))).toBe(true);
    } finally {
      await own.close();
    }
  }, 30_000);

  it('reports a server that does not answer before the deadline as a source it could not check', async () => {
    const { result } = await investigateWith(
      [
        {
          toolCalls: [{ name: 'mcp_orders_lookup_order', arguments: { orderId: 'ord_5', delayMs: 20_000 } }],
        },
      ],
      { deadlineMs: 1_500 },
    );
    expect(result.summary.unchecked?.some((u) => /^mcp\.orders\.lookup_order: .*timed out/.test(u))).toBe(
      true,
    );
  }, 30_000);
});
