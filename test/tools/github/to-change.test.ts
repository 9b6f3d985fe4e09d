import type { RestEndpointMethodTypes } from '@octokit/rest';
import { describe, expect, it } from 'vitest';
import {
  type Change,
  commitChange,
  deploymentChange,
  mergedInWindow,
  pullChange,
} from '../../../tools/github/to-change';
import { vendorFixture } from '../../fixtures/real/wire-shape';

type Api = RestEndpointMethodTypes;
type CommitDetail = Api['repos']['getCommit']['response']['data'];
type Pull = Api['pulls']['list']['response']['data'][number];
type Deployment = Api['repos']['listDeployments']['response']['data'][number];
type Status = Api['repos']['listDeploymentStatuses']['response']['data'][number];

const SINCE = '2026-01-07T08:00:00Z';
const UNTIL = '2026-01-07T14:00:00Z';

describe('GitHub resources as documented, to changes', () => {
  const commitFixture = vendorFixture<Partial<Change>>('github', 'commit');
  const commit = commitChange(commitFixture.response as CommitDetail, 'acme/checkout', 'checkout', SINCE);

  it('a commit: its subject line, author login, author date and files with their patch', () => {
    expect(commit).toMatchObject(commitFixture.expect!);
    expect(commit.files[0]!.patch).toContain('toLowerCase()');
  });

  it('pull requests: only those merged inside the window; the merge commit lends its files', () => {
    const f = vendorFixture<(Partial<Change> | null)[]>('github', 'pulls-list');
    const pulls = f.response as Pull[];
    const changes = pulls.map((p) =>
      mergedInWindow(p, SINCE, UNTIL) ? pullChange(p, 'acme/checkout', 'checkout', [commit]) : null,
    );
    expect(changes).toMatchObject(f.expect!);
    expect(changes[0]!.files.map((x) => x.filename)).toEqual(['src/payments/applyDiscount.ts']);
    expect(changes[0]!.body).toContain('Fixes #4790');
    expect(mergedInWindow(pulls[0]!, '2026-01-07T13:30:00Z', UNTIL)).toBe(false);
  });

  it("deployments: their environment, creator and the newest status's state", () => {
    const f = vendorFixture<Partial<Change>[]>('github', 'deployments-list');
    const state = (vendorFixture('github', 'deployment-statuses').response as Status[])[0]!.state;
    const changes = (f.response as Deployment[]).map((d) =>
      deploymentChange(d, state, 'acme/checkout', 'checkout', [commit]),
    );
    expect(changes).toMatchObject(f.expect!);
    expect(changes[0]!.title).toBe(
      'Deploy 7c1e9a4 to production: Normalize promo codes before lookup (#4821)',
    );
    expect(deploymentChange((f.response as Deployment[])[1]!, undefined, 'a/b', undefined, []).status).toBe(
      'unknown',
    );
  });
});
