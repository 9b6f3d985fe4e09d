import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { InMemoryTransport } from '@modelcontextprotocol/sdk/inMemory.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { InvestigationResult } from '../../../agent/result';
import { parseEnv } from '../../../app/config';
import { silentLogger } from '../../../app/logger';
import { createAssistantMcpServer } from '../../../app/mcp/assistant-server';
import { createRuntime, type Runtime } from '../../../app/runtime';
import { DEMO } from '../../tools/helpers';

type ToolAnswer = {
  content: { type: string; text: string }[];
  structuredContent?: Record<string, unknown>;
  isError?: boolean;
};

describe("the assistant's MCP server, driven by the SDK's client in-process", () => {
  let runtime: Runtime;
  let client: Client;
  beforeAll(async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sre-mcp-server-'));
    runtime = await createRuntime({
      env: parseEnv({}),
      logger: silentLogger,
      scenarioDir: DEMO,
      dbPath: join(dir, 'demo.db'),
    });
    const [clientSide, serverSide] = InMemoryTransport.createLinkedPair();
    await createAssistantMcpServer(runtime).connect(serverSide);
    client = new Client({ name: 'test-editor', version: '1.0.0' });
    await client.connect(clientSide);
  }, 60_000);
  afterAll(async () => {
    await client.close();
    await runtime.close();
  });

  const call = (name: string, args: Record<string, unknown>) =>
    client.callTool({ name, arguments: args }) as Promise<ToolAnswer>;

  it('lists every registry tool and investigate, each annotated read-only and never destructive', async () => {
    const { tools } = await client.listTools();
    const names = tools.map((t) => t.name);
    expect(names).toEqual(
      expect.arrayContaining(['knowledge.search', 'datadog.logs', 'github.changes', 'investigate']),
    );
    expect(names).toHaveLength(runtime.tools.length + 1);
    for (const t of tools)
      expect(t.annotations).toMatchObject({ readOnlyHint: true, destructiveHint: false });
    const search = tools.find((t) => t.name === 'knowledge.search')!;
    expect(search.inputSchema.required).toEqual(['query']);
    expect(search.annotations?.openWorldHint).toBe(false);
  });

  it("searches the scenario's knowledge base: the runbook first, the text fenced as untrusted", async () => {
    const answer = await call('knowledge.search', { query: 'checkout errors runbook', limit: 3 });
    expect(answer.isError).toBeUndefined();
    expect(answer.content[0]!.text).toMatch(/^<<<[0-9a-f]+ untrusted output of knowledge\.search/);
    const hits = (answer.structuredContent!.data as { hits: { id: string }[] }).hits;
    expect(hits[0]!.id).toBe('runbooks/checkout-errors.md');
  });

  it('answers bad input as a tool error naming the field, not a crash', async () => {
    const answer = await call('knowledge.search', { query: 5 });
    expect(answer.isError).toBe(true);
    expect(answer.content[0]!.text).toMatch(/query/);
  });

  it("investigates the scenario's alert and returns the InvestigationResult", async () => {
    const answer = await call('investigate', {});
    const result = answer.structuredContent as unknown as InvestigationResult;
    expect(result.status).toBe('completed');
    expect(result.summary.suspects[0]!.ref).toMatch(/^7c1e9a4/);
    expect(JSON.parse(answer.content[0]!.text).id).toBe(result.id);
  }, 60_000);
});
