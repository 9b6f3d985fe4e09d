import { afterEach, describe, expect, it } from 'vitest';
import type { Sandbox } from '../../sandbox/server';
import { sandboxDataSources } from '../../sandbox/sources';
import { createDatadogTools } from '../../tools/datadog/index';
import type { LogsData } from '../../tools/datadog/logs';
import { executeTool } from '../../tools/execute';
import { createFlagTools, type FlagChangeData } from '../../tools/flags/index';
import type { ChangesData } from '../../tools/github/changes';
import { createGithubTools } from '../../tools/github/index';
import { contextFor, sandboxWith } from './helpers';

const NOW = '2026-03-12T14:30:00Z';
const minutesBefore = (m: number) => new Date(Date.parse(NOW) - m * 60_000).toISOString();

describe('13.12 known defects', () => {
  let sandbox: Sandbox;
  afterEach(() => sandbox.close());
  const tool = (name: string) => {
    const sources = sandboxDataSources(sandbox.url);
    return [
      ...createDatadogTools(sources.datadog!),
      ...createGithubTools(sources.github!, { retryBaseMs: 1 }),
      ...createFlagTools(sources.launchdarkly!, { retryBaseMs: 1 }),
    ].find((t) => t.name === name)!;
  };

  it('github.changes answers "no repositories in the catalog" for a service that has none, instead of an empty failure', async () => {
    sandbox = await sandboxWith({});
    const ctx = {
      ...contextFor(sandbox),
      catalog: { services: { 'batch-jobs': { repos: [] }, checkout: { repos: ['acme/checkout'] } } },
    };
    const obs = await executeTool(tool('github.changes'), { service: 'batch-jobs' }, ctx);
    expect(obs.ok).toBe(true);
    expect(obs.error).toBeUndefined();
    expect(obs.summary).toMatch(/^No repositories in the catalog for batch-jobs/);
    expect(obs.data).toMatchObject({ repos: [], changes: [], errors: [] } satisfies Partial<ChangesData>);
    expect(sandbox.requests.filter((r) => r.path.startsWith('/repos/'))).toEqual([]);
  });

  it("a log attribute named status does not overwrite the log's status", async () => {
    sandbox = await sandboxWith({
      logs: [
        {
          timestamp: minutesBefore(10),
          service: 'checkout',
          status: 'info',
          message: 'GET /health answered',
          tags: [],
          attributes: { status: 'error', http: { status_code: 200 } },
        },
        {
          timestamp: minutesBefore(9),
          service: 'checkout',
          status: 'error',
          message: 'payment provider refused the card',
          tags: [],
          attributes: { status: 'declined' },
        },
      ],
    });
    const errors = await executeTool(
      tool('datadog.logs'),
      { query: 'service:checkout status:error' },
      contextFor(sandbox),
    );
    expect((errors.data as LogsData).patterns.map((p) => [p.sample, p.status])).toEqual([
      ['payment provider refused the card', 'error'],
    ]);
    // The attribute stays searchable where DataDog puts it: under @.
    const byAttribute = await executeTool(
      tool('datadog.logs'),
      { query: 'service:checkout @status:error', includeWarn: false },
      contextFor(sandbox),
    );
    expect((byAttribute.data as LogsData).patterns.map((p) => [p.sample, p.status])).toEqual([
      ['GET /health answered', 'info'],
    ]);
  });

  it('the LaunchDarkly audit log keeps an actor that is already an e-mail address, and gives a bare name the domain', async () => {
    sandbox = await sandboxWith({
      flags: [
        {
          key: 'fast-checkout',
          changedAt: minutesBefore(30),
          from: false,
          to: true,
          actor: 'alice@example.org',
        },
        { key: 'slow-checkout', changedAt: minutesBefore(20), from: true, to: false, actor: 'bob' },
      ],
    });
    const obs = await executeTool(tool('flags.changes'), {}, contextFor(sandbox));
    const actors = (obs.data as { changes: FlagChangeData[] }).changes.map((c) => [c.key, c.actor]);
    expect(actors).toEqual([
      ['slow-checkout', 'bob@acme.dev'],
      ['fast-checkout', 'alice@example.org'],
    ]);
  });
});
