import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Sandbox } from '../../../sandbox/server';
import { sandboxDataSources } from '../../../sandbox/sources';
import type { Tool } from '../../../tools/contract';
import { createDatadogTools } from '../../../tools/datadog/index';
import type { LogsData } from '../../../tools/datadog/logs';
import type { MetricsData } from '../../../tools/datadog/metrics';
import { executeTool } from '../../../tools/execute';
import { contextFor, demoSandbox } from '../helpers';

describe('DataDog tools through @datadog/datadog-api-client against the sandbox', () => {
  let sandbox: Sandbox;
  let tools: Map<string, Tool>;
  const run = (name: string, input: unknown, timeoutMs?: number) =>
    executeTool(tools.get(name)!, input, contextFor(sandbox), { timeoutMs });

  beforeEach(async () => {
    sandbox = await demoSandbox();
    tools = new Map(createDatadogTools(sandboxDataSources(sandbox.url).datadog!).map((t) => [t.name, t]));
  });
  afterEach(() => sandbox.close());

  it('gets a monitor, and says "not found" for a missing one', async () => {
    const ok = await run('datadog.monitor', { id: 41235 });
    expect(ok).toMatchObject({ ok: true, data: { id: 41235, state: 'Alert' } });
    expect(ok.citations[0]!.url).toBe('https://app.datadoghq.com/monitors/41235');
    const missing = await run('datadog.monitor', { id: 999 });
    expect(missing).toMatchObject({ ok: false, error: 'monitor 999: not found in DataDog' });
  });

  it('finds the onset of the error metric by change-point detection', async () => {
    const obs = await run('datadog.metrics', {
      query: 'sum:trace.http.request.errors{service:checkout,env:prod}.as_count()',
    });
    const data = obs.data as MetricsData;
    expect(data.series[0]!.onset).toMatchObject({
      kind: 'shift',
      direction: 'up',
      time: '2026-03-12T14:00:00.000Z',
    });
    expect(obs.summary).toMatch(/onset 2026-03-12 14:00 UTC/);
    const sent = sandbox.requests.find((r) => r.path === '/api/v1/query')!;
    expect(sent.headers['dd-api-key']).toBe('sandbox-dd-api-key');
  });

  it('clusters logs and marks the pattern that began at the onset as new', async () => {
    const obs = await run('datadog.logs', { query: 'service:checkout status:error' });
    const top = (obs.data as LogsData).patterns[0]!;
    expect(top).toMatchObject({ isNew: true, baselineCount: 0 });
    expect(top.sample).toContain('applyDiscount');
    expect((obs.data as LogsData).patterns.some((p) => !p.isNew && p.sample.includes('card declined'))).toBe(
      true,
    );
  });

  it('groups error spans by resource and type, and lists events newest first', async () => {
    const spans = await run('datadog.spans', { query: 'service:checkout' });
    expect(spans.summary).toMatch(/POST \/api\/checkout TypeError/);
    const events = await run('datadog.events', {});
    expect(events.summary.split('\n')[0]).toContain('Deployed web-frontend');
  });

  it('retries a 429 honouring x-ratelimit-reset, then succeeds', async () => {
    sandbox.faults.add('/api/v1/monitor', { status: 429, retryAfter: 0, times: 1 });
    const obs = await run('datadog.monitor', { id: 41235 });
    expect(obs.ok).toBe(true);
    expect(sandbox.requests.filter((r) => r.path === '/api/v1/monitor/41235').map((r) => r.status)).toEqual([
      429, 200,
    ]);
  });

  it('gives up after retries on persistent 500s with ok:false', async () => {
    sandbox.faults.add('/api/v1/monitor', { status: 500, retryAfter: 0 });
    const obs = await run('datadog.monitor', { id: 41235 });
    expect(obs).toMatchObject({
      ok: false,
      error: 'DataDog returned HTTP 500 for monitor 41235 after retries',
    });
    expect(sandbox.requests.filter((r) => r.status === 500).length).toBe(4);
  });

  it('times out a slow API and reports a malformed body clearly', async () => {
    sandbox.faults.add('/api/v1/events', { latencyMs: 2_000, times: 1 });
    const slow = await run('datadog.events', {}, 100);
    expect(slow.error).toMatch(/timed out after 100 ms/);
    sandbox.faults.add('/api/v1/monitor', { malformed: true, times: 1 });
    const broken = await run('datadog.monitor', { id: 41235 });
    expect(broken.ok).toBe(false);
    expect(broken.error).toMatch(/^DataDog returned an unreadable response for monitor 41235/);
  });

  it('tells the user to check the keys on 403', async () => {
    const noKeys = createDatadogTools({
      apiKey: '',
      appKey: '',
      site: 'datadoghq.com',
      baseUrl: sandbox.url,
    }).find((t) => t.name === 'datadog.monitor')!;
    const obs = await executeTool(noKeys, { id: 41235 }, contextFor(sandbox));
    expect(obs.error).toMatch(/check DD_API_KEY \/ DD_APP_KEY/);
  });
});
