import { mkdtempSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseEnv } from '../../../app/config';
import { type McpEndpoint, startMcpEndpoint } from '../../../app/http/mcp-endpoint';
import { silentLogger } from '../../../app/logger';
import { createRuntime, type Runtime } from '../../../app/runtime';
import { DEMO } from '../../tools/helpers';

const TOKEN = 'mcp-endpoint-token-0123456789';

/** A raw request, so a test can send what a real client never would (another Host, no token). */
function post(url: string, headers: Record<string, string>, body = '{}'): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method: 'POST', headers, timeout: 5_000 }, (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    });
    req.on('error', reject);
    req.on('timeout', () => req.destroy(new Error('no answer within 5 s')));
    req.end(body);
  });
}

describe('sre mcp --http: the assistant over streamable HTTP on the loopback', () => {
  let runtime: Runtime;
  let endpoint: McpEndpoint;
  beforeAll(async () => {
    runtime = await createRuntime({
      env: parseEnv({}),
      logger: silentLogger,
      scenarioDir: DEMO,
      dbPath: join(mkdtempSync(join(tmpdir(), 'sre-mcp-http-')), 'demo.db'),
    });
    endpoint = await startMcpEndpoint(runtime, {
      port: 0,
      token: TOKEN,
      limitBytes: 64 * 1024,
      logger: silentLogger,
    });
  }, 60_000);
  afterAll(async () => {
    await endpoint.close();
    await runtime.close();
  });

  it("serves the SDK's client with the bearer token: tools listed, knowledge searched", async () => {
    const client = new Client({ name: 'test-editor', version: '1.0.0' });
    const transport = new StreamableHTTPClientTransport(new URL(endpoint.url), {
      requestInit: { headers: { Authorization: `Bearer ${TOKEN}` } },
    });
    try {
      await client.connect(transport, { timeout: 10_000 });
      const { tools } = await client.listTools(undefined, { timeout: 10_000 });
      expect(tools.map((t) => t.name)).toContain('knowledge.search');
      const answer = (await client.callTool({
        name: 'knowledge.search',
        arguments: { query: 'checkout errors runbook' },
      })) as unknown as { structuredContent: { data: { hits: { id: string }[] } } };
      expect(answer.structuredContent.data.hits[0]!.id).toBe('runbooks/checkout-errors.md');
    } finally {
      await client.close();
    }
  });

  it('refuses a missing or wrong token, another Host, another path and an oversized body', async () => {
    const json = { 'content-type': 'application/json', accept: 'application/json, text/event-stream' };
    const auth = { ...json, authorization: `Bearer ${TOKEN}` };
    expect(await post(endpoint.url, json)).toBe(401);
    expect(await post(endpoint.url, { ...json, authorization: 'Bearer wrong-token-0000000000' })).toBe(401);
    expect(await post(endpoint.url, { ...auth, host: 'attacker.example:80' })).toBe(403);
    expect(await post(endpoint.url.replace('/mcp', '/other'), auth)).toBe(404);
    expect(await post(endpoint.url, auth, 'not json')).toBe(400);
    expect(await post(endpoint.url, auth, JSON.stringify({ pad: 'x'.repeat(70 * 1024) }))).toBe(413);
  });
});
