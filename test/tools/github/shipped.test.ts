import { afterEach, describe, expect, it } from 'vitest';
import type { Sandbox } from '../../../sandbox/server';
import { executeTool } from '../../../tools/execute';
import type { ChangesData } from '../../../tools/github/changes';
import { createGithubTools } from '../../../tools/github/index';
import { rangesToRead } from '../../../tools/github/shipped';
import { contextFor, sandboxWith } from '../helpers';

type Deployment = Parameters<typeof rangesToRead>[0][number];
const deploy = (id: number, sha: string, environment: string, created_at: string) =>
  ({ id, sha, environment, created_at }) as Deployment;

describe('rangesToRead: what a deployment in the window shipped', () => {
  const prodBefore = deploy(1, 'aaa', 'prod', '2026-03-10T10:00:00Z');
  const stagingBefore = deploy(2, 'bbb', 'staging', '2026-03-12T09:00:00Z');
  const prodNow = deploy(3, 'ccc', 'prod', '2026-03-12T13:00:00Z');

  it('runs from the previous deployment to the same environment, not the newest of any', () => {
    expect(rangesToRead([prodNow], [prodNow, stagingBefore, prodBefore], new Set())).toEqual([
      { base: 'aaa', head: 'ccc' },
    ]);
  });

  it('is the head commit alone when no earlier deployment to that environment is known', () => {
    expect(rangesToRead([prodNow], [prodNow, stagingBefore], new Set())).toEqual([{ head: 'ccc' }]);
  });

  it('skips a deployment whose commit the window already read', () => {
    expect(rangesToRead([prodNow], [prodNow, prodBefore], new Set(['ccc']))).toEqual([]);
  });
});

describe('github.changes reads the commits a deployment in the window shipped', () => {
  let sandbox: Sandbox;
  afterEach(() => sandbox.close());

  it('a migration merged hours before the window is listed with its files, and names the deployment', async () => {
    const commit = (sha: string, message: string, date: string, filename: string) => ({
      sha,
      message,
      author: 'dev',
      date,
      files: [
        { filename, additions: 3, deletions: 0, patch: '@@ -0,0 +1 @@\n+UPDATE invoices SET channel = 1' },
      ],
    });
    sandbox = await sandboxWith({
      repos: {
        'acme/exports': {
          commits: [
            commit('1'.repeat(40), 'Tidy error mapping', '2026-03-09T09:00:00Z', 'app/errors.rb'),
            commit(
              '2'.repeat(40),
              'Backfill channel on invoices',
              '2026-03-12T06:00:00Z',
              'db/migrate/1_backfill.rb',
            ),
          ],
          pulls: [],
          deployments: [
            {
              id: '11',
              sha: '1'.repeat(40),
              environment: 'prod',
              createdAt: '2026-03-09T10:00:00Z',
              status: 'success',
            },
            {
              id: '12',
              sha: '2'.repeat(40),
              environment: 'prod',
              createdAt: '2026-03-12T13:00:00Z',
              status: 'success',
            },
          ],
        },
      } as never,
    });
    const tool = createGithubTools({ token: 'ghs_test', baseUrl: sandbox.url }, { retryBaseMs: 1 }).find(
      (t) => t.name === 'github.changes',
    )!;
    const obs = await executeTool(
      tool,
      { repo: 'acme/exports', since: '2026-03-12T12:00:00Z' },
      contextFor(sandbox),
    );
    expect(obs.ok, obs.summary).toBe(true);
    const data = obs.data as ChangesData;
    const commits = data.changes.filter((c) => c.kind === 'commit');
    expect(commits.map((c) => c.title)).toEqual(['Backfill channel on invoices']);
    expect(commits[0]!.files[0]!.filename).toBe('db/migrate/1_backfill.rb');
    expect(data.changes.find((c) => c.kind === 'deployment')!.title).toBe(
      `Deploy 2222222 to prod: Backfill channel on invoices`,
    );
    // The earlier deployment bounds the range but is not itself in the window.
    expect(data.changes.filter((c) => c.kind === 'deployment').map((c) => c.ref)).toEqual(['12']);
    expect(sandbox.requests.some((r) => r.path.includes('/compare/'))).toBe(true);
  });
});
