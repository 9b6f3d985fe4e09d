import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Sandbox } from '../../../sandbox/server';
import type { Tool } from '../../../tools/contract';
import { executeTool } from '../../../tools/execute';
import type { ChangesData } from '../../../tools/github/changes';
import { createGithubTools } from '../../../tools/github/index';
import { contextFor, demoSandbox } from '../helpers';

describe('GitHub tools through @octokit/rest (retry + throttling) against the sandbox', () => {
  let sandbox: Sandbox;
  let tools: Map<string, Tool>;
  const run = (name: string, input: unknown, timeoutMs?: number) =>
    executeTool(tools.get(name)!, input, contextFor(sandbox), { timeoutMs });

  beforeEach(async () => {
    sandbox = await demoSandbox();
    tools = new Map(
      createGithubTools({ token: 'ghs_test', baseUrl: sandbox.url }, { retryBaseMs: 1 }).map((t) => [
        t.name,
        t,
      ]),
    );
  });
  afterEach(() => sandbox.close());

  it("lists a service's commits, merged PRs and deployments with files, using the catalog", async () => {
    const obs = await run('github.changes', { service: 'checkout' });
    const changes = (obs.data as ChangesData).changes;
    expect(new Set(changes.map((c) => c.kind))).toEqual(new Set(['commit', 'pull_request', 'deployment']));
    const pr = changes.find((c) => c.ref === 'acme/checkout#482')!;
    expect(pr.files.map((f) => f.filename)).toContain('src/payments/applyDiscount.ts');
    expect(changes.find((c) => c.ref === '9101')).toMatchObject({ kind: 'deployment', status: 'success' });
    expect(sandbox.requests.some((r) => r.path === '/repos/acme/checkout/commits' && r.query.since)).toBe(
      true,
    );
  });

  it('reads several services in one call: a repository two services live in is read once, its changes listed for each', async () => {
    const base = contextFor(sandbox);
    const catalog = {
      services: {
        ...base.catalog.services,
        'checkout-worker': { repos: ['acme/checkout'] },
      },
    };
    const obs = await executeTool(
      tools.get('github.changes')!,
      { services: ['checkout', 'checkout-worker', 'payments'] },
      { ...base, catalog },
    );
    const changes = (obs.data as ChangesData).changes;
    const servicesOf = (ref: string) => changes.filter((c) => c.ref === ref).map((c) => c.service);
    expect(servicesOf('acme/checkout#482').sort()).toEqual(['checkout', 'checkout-worker']);
    expect(changes.every((c) => c.service !== undefined)).toBe(true);
    expect(sandbox.requests.filter((r) => r.path === '/repos/acme/checkout/commits')).toHaveLength(1);
    expect((await run('github.changes', { services: ['checkout', 'nope', 'nada'] })).error).toMatch(
      /unknown services "nope", "nada"/,
    );
  });

  it('pages through commits with the Link header', async () => {
    const obs = await run('github.changes', { repo: 'acme/checkout', since: '1d' });
    expect((obs.data as ChangesData).changes.filter((c) => c.kind === 'commit')).toHaveLength(3);
  });

  it('shows one commit with a bounded patch', async () => {
    const obs = await run('github.commit', { repo: 'acme/checkout', sha: '7c1e9a4' });
    expect(obs.summary).toContain('rules.get(order.promo.code.toUpperCase())');
  });

  it('explains an unknown service and a missing repo', async () => {
    expect((await run('github.changes', { service: 'nope' })).error).toMatch(
      /unknown service "nope"; known services: checkout/,
    );
    expect((await run('github.changes', { repo: 'acme/missing' })).error).toMatch(/not found on GitHub/);
  });

  it('retries a 500 then succeeds, and gives up when it persists', async () => {
    sandbox.faults.add('/repos/acme/checkout/commits/7c1e9a4', { status: 500, times: 1 });
    expect((await run('github.commit', { repo: 'acme/checkout', sha: '7c1e9a4' })).ok).toBe(true);
    sandbox.faults.add('/repos/acme/checkout/commits/7c1e9a4', { status: 502 });
    const failed = await run('github.commit', { repo: 'acme/checkout', sha: '7c1e9a4' });
    expect(failed.error).toMatch(/GitHub returned HTTP 502/);
  });

  it('honours a 429 with Retry-After and then succeeds', async () => {
    sandbox.faults.add('/repos/acme/checkout/commits/7c1e9a4', { status: 429, retryAfter: 0, times: 1 });
    expect((await run('github.commit', { repo: 'acme/checkout', sha: '7c1e9a4' })).ok).toBe(true);
  });

  it('reports bad credentials, timeouts and malformed bodies', async () => {
    const anon = createGithubTools({ token: '', baseUrl: sandbox.url }).find(
      (t) => t.name === 'github.commit',
    )!;
    expect(
      (await executeTool(anon, { repo: 'acme/checkout', sha: '7c1e9a4' }, contextFor(sandbox))).error,
    ).toMatch(/401 Bad credentials/);
    sandbox.faults.add('/repos/acme/checkout/commits/7c1e9a4', { latencyMs: 2_000, times: 1 });
    expect((await run('github.commit', { repo: 'acme/checkout', sha: '7c1e9a4' }, 100)).error).toMatch(
      /timed out/,
    );
    sandbox.faults.add('/repos/acme/checkout/commits/7c1e9a4', { malformed: true, times: 1 });
    expect((await run('github.commit', { repo: 'acme/checkout', sha: '7c1e9a4' })).ok).toBe(false);
  });
});
