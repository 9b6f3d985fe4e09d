import type { RestEndpointMethodTypes } from '@octokit/rest';
import { REQUEST_LIMITS } from '../defaults';
import type { GithubClient } from './client';

type Deployment = RestEndpointMethodTypes['repos']['listDeployments']['response']['data'][number];
type CommitDetail = RestEndpointMethodTypes['repos']['getCommit']['response']['data'];

/**
 * Pure: for each deployment in the window (newest first, at most `githubRolloutsCompared`) whose
 * own commit was not read, the range it shipped: from the previous deployment to the same
 * environment (found among `all`, which reaches back before the window) to its sha. Without a
 * previous deployment the range is its head commit alone.
 */
export function rangesToRead(
  inWindow: readonly Deployment[],
  all: readonly Deployment[],
  read: ReadonlySet<string>,
): { base?: string; head: string }[] {
  const byAge = [...all].sort((a, b) => Date.parse(b.created_at) - Date.parse(a.created_at));
  return [...inWindow]
    .sort((a, b) => Date.parse(b.created_at) - Date.parse(a.created_at))
    .filter((d) => !read.has(d.sha))
    .slice(0, REQUEST_LIMITS.githubRolloutsCompared)
    .map((d) => {
      const previous = byAge.find(
        (p) =>
          p.environment === d.environment &&
          p.sha !== d.sha &&
          Date.parse(p.created_at) < Date.parse(d.created_at),
      );
      return previous ? { base: previous.sha, head: d.sha } : { head: d.sha };
    });
}

/**
 * The commits (with files and patches) deployments in the window shipped that the window's own
 * commit list missed: a rollout often ships commits merged hours or days before it. Bounded
 * (REQUEST_LIMITS); a range GitHub cannot compare (a force-push, a sha it does not know) falls
 * back to the head commit, and one that cannot be read at all is left out rather than failing
 * the whole list.
 */
export async function shippedCommits(
  gh: GithubClient,
  owner: string,
  repo: string,
  inWindow: readonly Deployment[],
  all: readonly Deployment[],
  read: ReadonlySet<string>,
): Promise<CommitDetail[]> {
  const wanted = new Set<string>();
  for (const range of rangesToRead(inWindow, all, read)) {
    let shas = [range.head];
    if (range.base) {
      try {
        const cmp = await gh.repos.compareCommitsWithBasehead({
          owner,
          repo,
          basehead: `${range.base}...${range.head}`,
          per_page: REQUEST_LIMITS.githubCommitsPerRollout,
        });
        // GitHub lists a comparison's commits oldest first: keep the newest.
        const listed = cmp.data.commits.map((c) => c.sha);
        if (listed.length) shas = listed.slice(-REQUEST_LIMITS.githubCommitsPerRollout).reverse();
      } catch {
        // Not comparable: the head commit alone is still what went live.
      }
    }
    for (const sha of shas) if (!read.has(sha)) wanted.add(sha);
  }
  const settled = await Promise.allSettled(
    [...wanted].map((ref) => gh.repos.getCommit({ owner, repo, ref }).then((r) => r.data)),
  );
  return settled.flatMap((s) => (s.status === 'fulfilled' ? [s.value] : []));
}
