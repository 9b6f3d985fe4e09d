import { afterEach, describe, expect, it } from 'vitest';
import { loadScenario } from '../../../sandbox/scenario';
import { withLongHistory } from '../../../sandbox/scenario-builder/busy-repo';
import type { Sandbox } from '../../../sandbox/server';
import { REQUEST_LIMITS } from '../../../tools/defaults';
import { executeTool } from '../../../tools/execute';
import type { ChangesData } from '../../../tools/github/changes';
import { createGithubTools } from '../../../tools/github/index';
import { contextFor, DEMO, sandboxWith } from '../helpers';

/** The demo world with acme/checkout given a long history before the incident day. */
function busySandbox(history: { pulls: number; deployments: number; spanDays: number }) {
  const demo = loadScenario(DEMO);
  const busy = withLongHistory(demo.repos['acme/checkout']!, { ...history, before: '2026-03-12T08:00:00Z' });
  return sandboxWith({ repos: { ...demo.repos, 'acme/checkout': busy } });
}

describe('github.changes on a repository with a long history', () => {
  let sandbox: Sandbox;
  afterEach(() => sandbox.close());
  const changes = () =>
    createGithubTools({ token: 'ghs_test', baseUrl: sandbox.url }, { retryBaseMs: 1 }).find(
      (t) => t.name === 'github.changes',
    )!;

  it('5,000 pull requests and 2,000 deployments cost a handful of requests, not every page', async () => {
    sandbox = await busySandbox({ pulls: 5_000, deployments: 2_000, spanDays: 730 });
    const obs = await executeTool(changes(), { repo: 'acme/checkout' }, contextFor(sandbox));
    const data = obs.data as ChangesData;
    expect(data.changes.filter((c) => c.kind === 'pull_request').map((c) => c.ref)).toEqual([
      'acme/checkout#483',
      'acme/checkout#482',
      'acme/checkout#478',
    ]);
    expect(data.changes.filter((c) => c.kind === 'deployment')).toHaveLength(2);
    const requests = sandbox.requests.map((r) => r.path);
    // 1 commit list + 3 commits + 1 pull page + 1 deployment page + 2 statuses.
    expect(requests).toHaveLength(8);
    expect(requests.filter((p) => p.endsWith('/pulls'))).toHaveLength(1);
    expect(requests.filter((p) => p.endsWith('/deployments'))).toHaveLength(1);
    const pullQuery = sandbox.requests.find((r) => r.path.endsWith('/pulls'))!.query;
    expect(pullQuery).toMatchObject({ state: 'closed', sort: 'updated', direction: 'desc', per_page: '100' });
    expect(obs.truncated).toBe(false);
  });

  it('a window wider than the page cap reads at most the cap and says what it did not read', async () => {
    sandbox = await busySandbox({ pulls: 1_000, deployments: 0, spanDays: 10 });
    const obs = await executeTool(changes(), { repo: 'acme/checkout', since: '30d' }, contextFor(sandbox));
    expect(sandbox.requests.filter((r) => r.path.endsWith('/pulls'))).toHaveLength(
      REQUEST_LIMITS.githubPagesPerList,
    );
    expect(obs.truncated).toBe(true);
    expect(obs.summary).toMatch(
      /Not read \(request cap; narrow the window\): acme\/checkout: more pull requests/,
    );
  });
});
