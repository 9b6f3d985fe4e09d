import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Fault } from '../../sandbox/faults';
import type { Sandbox } from '../../sandbox/server';
import { sandboxDataSources } from '../../sandbox/sources';
import type { Tool } from '../../tools/contract';
import { createDatadogTools } from '../../tools/datadog/index';
import { executeTool } from '../../tools/execute';
import { createFlagTools } from '../../tools/flags/index';
import { createGithubTools } from '../../tools/github/index';
import { createRootlyTools } from '../../tools/rootly/index';
import { contextFor, demoSandbox } from './helpers';

/** Each tool's call, the API path it reads and the source it names when that answer is unreadable. */
const CALLS: [tool: string, input: unknown, path: string, service: string][] = [
  ['datadog.logs', { query: 'service:checkout status:error' }, '/api/v2/logs', 'DataDog'],
  [
    'datadog.metrics',
    { query: 'sum:trace.http.request.errors{service:checkout}' },
    '/api/v1/query',
    'DataDog',
  ],
  ['datadog.events', {}, '/api/v1/events', 'DataDog'],
  ['datadog.spans', { query: 'service:checkout' }, '/api/v2/spans', 'DataDog'],
  ['datadog.monitor', { id: 41235 }, '/api/v1/monitor', 'DataDog'],
  ['datadog.monitors', {}, '/api/v1/monitor', 'DataDog'],
  ['github.changes', { service: 'checkout' }, '/repos', 'GitHub'],
  ['github.commit', { repo: 'acme/checkout', sha: '7c1e9a4' }, '/repos', 'GitHub'],
  ['rootly.incidents', { query: 'checkout' }, '/v1/incidents', 'Rootly'],
  ['flags.changes', {}, '/api/v2/auditlog', 'LaunchDarkly'],
];

/** Distinct requests a tool makes to the faulty path before it can know the answer is unreadable. */
const READS: Record<string, number> = { 'datadog.logs': 2, 'github.changes': 2 };

const BODIES: [name: string, fault: Fault, detail: RegExp][] = [
  ['half a JSON body', { malformed: true }, /not valid JSON: \d+ bytes starting/],
  ['an HTML page', { notJson: true }, /not valid JSON: \d+ bytes starting "<!doctype html>/],
  ['a connection cut mid-body', { truncated: true }, /cut off|cut-off body/],
];

describe('a 200 whose body cannot be read is a failure of that source, never an empty answer', () => {
  let sandbox: Sandbox;
  let tools: Tool[];
  beforeAll(async () => {
    sandbox = await demoSandbox();
    const sources = sandboxDataSources(sandbox.url);
    tools = [
      ...createDatadogTools(sources.datadog!),
      ...createGithubTools(sources.github!),
      ...createRootlyTools(sources.rootly!, { retryBaseMs: 1 }),
      ...createFlagTools(sources.launchdarkly!, { retryBaseMs: 1 }),
    ];
  });
  afterAll(() => sandbox.close());
  beforeEach(() => {
    sandbox.faults.clear();
    sandbox.requests.length = 0;
  });

  for (const [tool, input, path, service] of CALLS)
    it.each(BODIES)(`${tool}: %s`, async (_name, fault, detail) => {
      sandbox.faults.add(path, fault);
      const obs = await executeTool(tools.find((t) => t.name === tool)!, input, contextFor(sandbox));
      expect(obs.ok).toBe(false);
      expect(obs.error).toMatch(
        new RegExp(`^${service} returned an unreadable response for .* \\(HTTP 200: `),
      );
      expect(obs.error).toMatch(detail);
      expect(obs.summary).not.toMatch(/No log lines matched|No data for|No events|0 spans|No past incidents/);
      // Not retried: an unreadable body is reported at once. A read is one distinct request
      // (datadog.logs reads its window and its baseline apart; github.changes lists, then reads);
      // re-sending the same bytes after a cut connection is the transport's, not a retry of an answer.
      const distinct = new Set(
        sandbox.requests
          .filter((r) => r.path.startsWith(path))
          .map((r) => JSON.stringify([r.method, r.path, (r as { body?: unknown }).body])),
      );
      expect(distinct.size).toBeLessThanOrEqual(READS[tool] ?? 1);
    });
});
