import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Sandbox } from '../../../sandbox/server';
import { missingPaths, shapeDrift, vendorFixture } from '../../fixtures/real/wire-shape';
import { demoSandbox } from '../../tools/helpers';

/** A Link header as { rel: page number }. */
function relPages(link: string | null): Record<string, string> {
  return Object.fromEntries(
    (link ?? '').split(', ').map((part) => {
      const [, url, rel] = /^<([^>]+)>; rel="(\w+)"$/.exec(part)!;
      return [rel!, new URL(url!).searchParams.get('page')!];
    }),
  );
}

/** The sandbox's GitHub routes answer in the shape, order and paging of GitHub's published docs. */
describe('sandbox GitHub routes against the published shape', () => {
  let sandbox: Sandbox;
  beforeEach(async () => {
    sandbox = await demoSandbox();
  });
  afterEach(() => sandbox.close());
  const get = (path: string) => fetch(`${sandbox.url}${path}`, { headers: { authorization: 'token ghs_t' } });
  const body = async (path: string) => (await get(path)).json();
  const published = (name: string) => vendorFixture('github', name).response;
  const repo = '/repos/acme/checkout';

  it('lists commits, a commit, pull requests, deployments and statuses with only published keys', async () => {
    expect(shapeDrift(await body(`${repo}/commits?per_page=100`), published('commits-list'))).toEqual([]);
    expect(shapeDrift(await body(`${repo}/commits/7c1e9a4`), published('commit'))).toEqual([]);
    const pulls = await body(`${repo}/pulls?state=closed&sort=updated&direction=desc`);
    expect(shapeDrift(pulls, published('pulls-list'))).toEqual([]);
    expect(missingPaths(pulls, ['$[].merged_at', '$[].updated_at', '$[].merge_commit_sha'])).toEqual([]);
    const deployments = (await body(`${repo}/deployments`)) as { id: number }[];
    expect(shapeDrift(deployments, published('deployments-list'))).toEqual([]);
    expect(
      shapeDrift(
        await body(`${repo}/deployments/${deployments[0]!.id}/statuses`),
        published('deployment-statuses'),
      ),
    ).toEqual([]);
  });

  it('search answers issue-shaped items: no merge_commit_sha, head or base', async () => {
    const found = await body('/search/issues?q=repo:acme/checkout+is:pr+is:merged');
    expect(shapeDrift(found, published('search-issues'))).toEqual([]);
    expect(missingPaths(found, ['$.items[].pull_request.merged_at'])).toEqual([]);
  });

  it('pull requests: sort=updated&direction=desc is newest first; created is the default sort, desc', async () => {
    const updated = (await body(`${repo}/pulls?state=closed&sort=updated&direction=desc`)) as {
      updated_at: string;
    }[];
    const times = updated.map((p) => p.updated_at);
    expect(times).toEqual([...times].sort().reverse());
    const asc = (await body(`${repo}/pulls?state=closed&sort=updated`)) as { updated_at: string }[];
    expect(asc.map((p) => p.updated_at)).toEqual([...times].reverse());
  });

  it('pages like GitHub: per_page at most 100, Link with next/last, and prev/first past page one', async () => {
    const first = await get(`${repo}/pulls?state=closed&per_page=1`);
    expect(((await first.json()) as unknown[]).length).toBe(1);
    expect(relPages(first.headers.get('link'))).toEqual({ next: '2', last: '3' });
    const second = await get(`${repo}/pulls?state=closed&per_page=1&page=2`);
    expect(relPages(second.headers.get('link'))).toEqual({ prev: '1', next: '3', last: '3', first: '1' });
    const huge = await get(`${repo}/pulls?state=closed&per_page=500`);
    expect(huge.headers.get('link')).toBeNull();
    expect(((await huge.json()) as unknown[]).length).toBe(3);
  });
});
