import { afterEach, describe, expect, it } from 'vitest';
import { json } from '../../../sandbox/http';
import { loadScenario } from '../../../sandbox/scenario';
import type { Sandbox } from '../../../sandbox/server';
import { startSandbox } from '../../../sandbox/server';
import { REQUEST_LIMITS } from '../../../tools/defaults';
import { executeTool } from '../../../tools/execute';
import { createFlagTools, type FlagChangeData } from '../../../tools/flags/index';
import { contextFor, DEMO, demoSandbox, sandboxWith } from '../helpers';

describe('flags.changes against the sandbox', () => {
  let sandbox: Sandbox;
  afterEach(() => sandbox.close());
  const tool = () => createFlagTools({ token: 'api-t', baseUrl: sandbox.url }, { retryBaseMs: 1 })[0]!;
  const changesOf = (obs: { data?: unknown }) => (obs.data as { changes: FlagChangeData[] }).changes;

  it('reads the key from the target resource, the values from the entry detail and the service from tags', async () => {
    sandbox = await demoSandbox();
    const obs = await executeTool(tool(), {}, contextFor(sandbox));
    expect(changesOf(obs)[0]).toMatchObject({
      key: 'new-recommendations-widget',
      environment: 'production',
      from: false,
      to: true,
      service: 'web-frontend',
      actor: 'priya@acme.dev',
    });
    expect(obs.summary).toContain(
      'new-recommendations-widget [production] (service web-frontend): false -> true',
    );
    expect(obs.summary).not.toContain('undefined');
    const paths = sandbox.requests.map((r) => r.path);
    expect(paths[0]).toBe('/api/v2/auditlog');
    expect(paths.filter((p) => p.startsWith('/api/v2/auditlog/'))).toHaveLength(1);
  });

  it('a non-boolean flag: the served value moves from one variation to the other', async () => {
    sandbox = await sandboxWith({
      flags: [
        {
          key: 'checkout-retry-policy',
          changedAt: '2026-03-12T13:30:00Z',
          from: 'linear',
          to: 'none',
          actor: 'x',
        },
      ],
    });
    const [c] = changesOf(await executeTool(tool(), {}, contextFor(sandbox)));
    expect(c).toMatchObject({
      key: 'checkout-retry-policy',
      from: 'linear',
      to: 'none',
      service: 'checkout',
    });
  });

  it('reads at most the capped number of details, newest first, and lists the rest by key', async () => {
    const flags = Array.from({ length: 25 }, (_, i) => ({
      key: `flag-${i}`,
      changedAt: new Date(Date.parse('2026-03-12T13:00:00Z') + i * 60_000).toISOString(),
      from: false,
      to: true,
    }));
    sandbox = await sandboxWith({ flags });
    const obs = await executeTool(tool(), {}, contextFor(sandbox));
    const details = sandbox.requests.filter((r) => r.path.startsWith('/api/v2/auditlog/'));
    expect(details).toHaveLength(REQUEST_LIMITS.auditLogDetails);
    expect(sandbox.requests).toHaveLength(1 + REQUEST_LIMITS.auditLogDetails);
    const changes = changesOf(obs);
    expect(changes).toHaveLength(REQUEST_LIMITS.auditLogEntries);
    expect(changes[0]).toMatchObject({ key: 'flag-24', to: true });
    expect(changes.at(-1)).toMatchObject({ key: 'flag-5', to: undefined });
    expect(obs.truncated).toBe(true);
    expect(obs.summary).toMatch(/10 older changes listed without their detail/);
  });

  it('an entry whose detail fails keeps its key and description; the others keep their values', async () => {
    sandbox = await sandboxWith({
      flags: [
        { key: 'a-flag', changedAt: '2026-03-12T13:00:00Z', from: false, to: true },
        { key: 'b-flag', changedAt: '2026-03-12T13:10:00Z', from: true, to: false },
      ],
    });
    sandbox.faults.add('/api/v2/auditlog/ld-0-', { status: 404 });
    const obs = await executeTool(tool(), {}, contextFor(sandbox));
    expect(obs.ok).toBe(true);
    expect(changesOf(obs)).toMatchObject([
      { key: 'b-flag', from: true, to: false },
      { key: 'a-flag', from: undefined, to: undefined },
    ]);
    expect(obs.summary).toMatch(/a-flag \[production\]: - Turned on the flag in `Production` by/);
  });

  it('filters by key or by service', async () => {
    sandbox = await demoSandbox();
    expect(changesOf(await executeTool(tool(), { query: 'web-frontend' }, contextFor(sandbox)))).toHaveLength(
      1,
    );
    expect(
      changesOf(await executeTool(tool(), { query: 'recommendations' }, contextFor(sandbox))),
    ).toHaveLength(1);
    expect(changesOf(await executeTool(tool(), { query: 'payments' }, contextFor(sandbox)))).toHaveLength(0);
  });

  it('a detail without flag versions: the change from its JSON patch, the service from GET flag', async () => {
    const scenario = {
      ...loadScenario(DEMO),
      flags: [{ key: 'ranker', changedAt: '2026-03-12T13:30:00Z', from: 'v1', to: 'v3' }],
    };
    // As the published patch-only entry: the list entry plus a delta, no previousVersion/currentVersion.
    const patchOnly = {
      method: 'GET',
      pattern: '/api/v2/auditlog/:id',
      handler: () =>
        json({
          _id: 'e1',
          date: Date.parse('2026-03-12T13:30:00Z'),
          kind: 'flag',
          name: 'Ranker',
          target: { name: 'Ranker', resources: ['proj/default:env/production:flag/ranker'] },
          delta: [{ op: 'replace', path: '/environments/production/fallthrough/variation', value: 1 }],
        }),
    };
    const flag = {
      method: 'GET',
      pattern: '/api/v2/flags/:project/:key',
      handler: () => json({ key: 'ranker', tags: ['service:inventory'], variations: [] }),
    };
    sandbox = await startSandbox(scenario, [patchOnly, flag]);
    const obs = await executeTool(tool(), {}, contextFor(sandbox));
    const [c] = changesOf(obs);
    expect(c).toMatchObject({ key: 'ranker', from: undefined, to: 1, service: 'inventory' });
    expect(obs.summary).toContain('ranker [production] (service inventory): ? -> 1 by unknown');
    expect(sandbox.requests.map((r) => r.path)).toEqual([
      '/api/v2/auditlog',
      '/api/v2/auditlog/ld-0-1773322200000',
      '/api/v2/flags/default/ranker',
    ]);
  });
});
