import type { RestEndpointMethodTypes } from '@octokit/rest';
import { EVIDENCE_LIMITS } from '../defaults';
import type { PatchedFile } from './patch';

/**
 * Pure: GitHub REST resources (as the API documents them) to changes. A commit's files carry
 * their (bounded later) patch; a pull request or deployment names its commit's files only.
 */
/** A commit's files carry their (bounded) patch; a PR's or deployment's name the files only. */
export type ChangeFile = PatchedFile;
export type Change = {
  kind: 'commit' | 'pull_request' | 'deployment';
  /** commit: full sha; pull_request: owner/repo#N; deployment: its id (the contract's refs). */
  ref: string;
  repo: string;
  service?: string;
  title: string;
  author: string;
  time: string;
  url: string;
  files: ChangeFile[];
  text: string;
  /** A pull request's description, bounded (EVIDENCE_LIMITS.pullBodyChars). */
  body?: string;
  status?: string;
  sha?: string;
  environment?: string;
};

type CommitDetail = RestEndpointMethodTypes['repos']['getCommit']['response']['data'];
type PullListItem = RestEndpointMethodTypes['pulls']['list']['response']['data'][number];
type Deployment = RestEndpointMethodTypes['repos']['listDeployments']['response']['data'][number];

export function commitChange(
  c: CommitDetail,
  repo: string,
  service: string | undefined,
  fallbackTime: string,
): Change {
  return {
    kind: 'commit',
    ref: c.sha,
    repo,
    service,
    title: c.commit.message.split('\n')[0]!.slice(0, 200),
    author: c.author?.login ?? c.commit.author?.name ?? 'unknown',
    time: c.commit.author?.date ?? c.commit.committer?.date ?? fallbackTime,
    url: c.html_url,
    files: (c.files ?? []).map((f) => ({
      filename: f.filename,
      additions: f.additions,
      deletions: f.deletions,
      ...(f.patch ? { patch: f.patch } : {}),
    })),
    text: c.commit.message.slice(0, 800),
    sha: c.sha,
  };
}

/** A closed pull request merged inside the window (closed unmerged ones are no change). */
export function mergedInWindow(p: Pick<PullListItem, 'merged_at'>, since: string, until: string): boolean {
  if (!p.merged_at) return false;
  const merged = Date.parse(p.merged_at);
  return merged >= Date.parse(since) && merged <= Date.parse(until);
}

/** A merged pull request; its files are its merge commit's, when that commit was read. */
export function pullChange(
  p: PullListItem,
  repo: string,
  service: string | undefined,
  commits: readonly Change[],
): Change {
  const commit = commits.find((c) => c.kind === 'commit' && c.sha === p.merge_commit_sha);
  return {
    kind: 'pull_request',
    ref: `${repo}#${p.number}`,
    repo,
    service,
    title: p.title,
    author: p.user?.login ?? 'unknown',
    time: p.merged_at ?? p.closed_at ?? p.updated_at,
    url: p.html_url,
    files: commit?.files ?? [],
    text: (p.body ?? '').slice(0, 800),
    ...(p.body ? { body: p.body.slice(0, EVIDENCE_LIMITS.pullBodyChars) } : {}),
    sha: p.merge_commit_sha ?? undefined,
  };
}

/** A deployment with its latest status (`state`, newest status first as GitHub lists them). */
export function deploymentChange(
  d: Deployment,
  state: string | undefined,
  repo: string,
  service: string | undefined,
  commits: readonly Change[],
): Change {
  const commit = commits.find((c) => c.kind === 'commit' && c.sha === d.sha);
  return {
    kind: 'deployment',
    ref: String(d.id),
    repo,
    service,
    title: `Deploy ${d.sha.slice(0, 7)} to ${d.environment}${commit ? `: ${commit.title}` : ''}`,
    author: d.creator?.login ?? 'unknown',
    time: d.created_at,
    url: `https://github.com/${repo}/deployments/${encodeURIComponent(d.environment)}`,
    files: commit?.files ?? [],
    text: d.description ?? '',
    status: state ?? 'unknown',
    sha: d.sha,
    environment: d.environment,
  };
}
