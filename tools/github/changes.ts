import { z } from 'zod';
import { defineTool, failure, type Tool, type ToolContext } from '../contract';
import { EVIDENCE_LIMITS } from '../defaults';
import { isoMinute, resolveWindow, TimeInput } from '../time';
import { describeGithubError, type GithubClient, type GithubConfig, githubClient } from './client';
import { boundedPatches, changedLines, type PatchedFile } from './patch';

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
export type ChangesData = {
  since: string;
  until: string;
  repos: string[];
  changes: Change[];
  errors: string[];
};

const DEFAULT_SPAN_MS = 6 * 3_600_000;
const MAX_COMMITS_WITH_FILES = 25;

function reposFor(
  input: { service?: string; repo?: string },
  ctx: ToolContext,
): { repos: string[]; service?: string } | string {
  if (input.repo) return { repos: [input.repo], service: input.service };
  if (input.service) {
    const svc = ctx.catalog.services[input.service];
    if (!svc)
      return `unknown service "${input.service}"; known services: ${Object.keys(ctx.catalog.services).join(', ') || 'none'} (or pass repo: "owner/name")`;
    return { repos: svc.repos, service: input.service };
  }
  return 'give a service (from the catalog) or a repo ("owner/name")';
}

async function repoChanges(
  gh: GithubClient,
  fullName: string,
  service: string | undefined,
  since: string,
  until: string,
): Promise<Change[]> {
  const [owner, repo] = fullName.split('/') as [string, string];
  const web = `https://github.com/${fullName}`;
  const commits = await gh.paginate(gh.repos.listCommits, { owner, repo, since, until, per_page: 100 });
  const detailed = await Promise.all(
    commits
      .slice(0, MAX_COMMITS_WITH_FILES)
      .map((c) => gh.repos.getCommit({ owner, repo, ref: c.sha }).then((r) => r.data)),
  );
  const out: Change[] = detailed.map((c) => ({
    kind: 'commit',
    ref: c.sha,
    repo: fullName,
    service,
    title: c.commit.message.split('\n')[0]!.slice(0, 200),
    author: c.author?.login ?? c.commit.author?.name ?? 'unknown',
    time: c.commit.author?.date ?? c.commit.committer?.date ?? since,
    url: c.html_url,
    files: (c.files ?? []).map((f) => ({
      filename: f.filename,
      additions: f.additions,
      deletions: f.deletions,
      ...(f.patch ? { patch: f.patch } : {}),
    })),
    text: c.commit.message.slice(0, 800),
    sha: c.sha,
  }));
  const pulls = await gh.paginate(gh.pulls.list, {
    owner,
    repo,
    state: 'closed',
    sort: 'updated',
    direction: 'desc',
    per_page: 100,
  });
  for (const p of pulls) {
    if (!p.merged_at || p.merged_at < since || p.merged_at > until) continue;
    const commit = out.find((c) => c.sha === p.merge_commit_sha);
    out.push({
      kind: 'pull_request',
      ref: `${fullName}#${p.number}`,
      repo: fullName,
      service,
      title: p.title,
      author: p.user?.login ?? 'unknown',
      time: p.merged_at,
      url: p.html_url,
      files: commit?.files ?? [],
      text: (p.body ?? '').slice(0, 800),
      ...(p.body ? { body: p.body.slice(0, EVIDENCE_LIMITS.pullBodyChars) } : {}),
      sha: p.merge_commit_sha ?? undefined,
    });
  }
  const deployments = await gh.paginate(gh.repos.listDeployments, { owner, repo, per_page: 100 });
  for (const d of deployments) {
    if (d.created_at < since || d.created_at > until) continue;
    const statuses = await gh.repos.listDeploymentStatuses({ owner, repo, deployment_id: d.id, per_page: 1 });
    const commit = out.find((c) => c.kind === 'commit' && c.sha === d.sha);
    out.push({
      kind: 'deployment',
      ref: String(d.id),
      repo: fullName,
      service,
      title: `Deploy ${d.sha.slice(0, 7)} to ${d.environment}${commit ? `: ${commit.title}` : ''}`,
      author: d.creator?.login ?? 'unknown',
      time: d.created_at,
      url: `${web}/deployments/${encodeURIComponent(d.environment)}`,
      files: commit?.files ?? [],
      text: d.description ?? '',
      status: statuses.data[0]?.state ?? 'unknown',
      sha: d.sha,
      environment: d.environment,
    });
  }
  return out;
}

/**
 * Pure: keeps the changes' patches within budget. Commits keep theirs, newest first, at most
 * EVIDENCE_LIMITS.commitPatchChars each and changesPatchChars in all; a pull request or
 * deployment names its files and points at its commit by sha, so no patch is kept twice.
 */
export function boundPatches(changes: readonly Change[]): Change[] {
  let left = EVIDENCE_LIMITS.changesPatchChars;
  return changes.map((c) => {
    if (c.kind !== 'commit')
      return { ...c, files: c.files.map(({ patch: _p, patchTruncated: _t, ...f }) => f) };
    const bounded = boundedPatches(c.files, Math.min(EVIDENCE_LIMITS.commitPatchChars, left));
    left -= bounded.used;
    return { ...c, files: bounded.files };
  });
}

/** The summary shows changed lines for commits among the newest this many changes (the text is budgeted). */
const SHOWN_PATCHES = 5;

function describe(c: Change, i: number): string {
  const files = c.files
    .slice(0, 6)
    .map((f) => f.filename)
    .join(', ');
  const status = c.status ? ` [${c.status}]` : '';
  const ref = c.kind === 'commit' ? c.ref.slice(0, 10) : c.ref;
  const lines =
    c.kind === 'commit' && i < SHOWN_PATCHES ? changedLines(c.files, EVIDENCE_LIMITS.summaryDetailChars) : '';
  const body = c.body
    ? c.body
        .split('\n')
        .find((l) => l.trim())
        ?.trim()
        .slice(0, 160)
    : undefined;
  return `- ${isoMinute(Date.parse(c.time))} ${c.kind} ${ref}${status} ${c.repo} by ${c.author}: ${c.title}${files ? `\n    files: ${files}${c.files.length > 6 ? ` (+${c.files.length - 6})` : ''}` : ''}${lines ? `\n    changed: ${lines}` : ''}${body ? `\n    body: ${body}` : ''}`;
}

export function changesTool(cfg: GithubConfig, retryBaseMs?: number): Tool {
  return defineTool({
    name: 'github.changes',
    integration: 'github',
    description:
      'List what changed on GitHub for a service (its repositories from the service catalog) or a repo in a window (default: the 6 hours before now): commits with files touched and a bounded patch, merged pull requests with their description, and deployments with their status. Use it to find the change that lines up with the onset.',
    input: z.object({
      service: z.string().optional().describe('Service name from the catalog, e.g. checkout'),
      repo: z
        .string()
        .regex(/^[^/\s]+\/[^/\s]+$/, 'expected owner/name')
        .optional()
        .describe('Repository as owner/name'),
      since: TimeInput.optional(),
      until: TimeInput.optional(),
    }),
    async run(input, ctx) {
      const target = reposFor(input, ctx);
      if (typeof target === 'string') return failure(target);
      const w = resolveWindow({ from: input.since, to: input.until }, ctx.now, DEFAULT_SPAN_MS);
      const since = new Date(w.from).toISOString();
      const until = new Date(w.to).toISOString();
      // A service the catalog lists without repositories has nothing to read: an answer, not a failure.
      if (target.repos.length === 0)
        return {
          ok: true,
          summary: `No repositories in the catalog for ${target.service}: no GitHub changes to list (pass repo: "owner/name" to read one).`,
          data: { since, until, repos: [], changes: [], errors: [] } satisfies ChangesData,
          citations: [],
          truncated: false,
        };
      const gh = githubClient(cfg, ctx.signal, retryBaseMs);
      const settled = await Promise.allSettled(
        target.repos.map((r) => repoChanges(gh, r, target.service, since, until)),
      );
      const changes: Change[] = [];
      const errors: string[] = [];
      settled.forEach((s, i) => {
        if (s.status === 'fulfilled') changes.push(...s.value);
        else errors.push(describeGithubError(s.reason, `changes in ${target.repos[i]}`));
      });
      if (errors.length === target.repos.length) return failure(errors.join('; '));
      changes.sort((a, b) => b.time.localeCompare(a.time));
      const bounded = boundPatches(changes);
      const data: ChangesData = { since, until, repos: target.repos, changes: bounded, errors };
      return {
        ok: true,
        summary: `${changes.length} changes in ${target.repos.join(', ')} between ${isoMinute(w.from)} and ${isoMinute(w.to)} UTC (newest first):\n${bounded.slice(0, 30).map(describe).join('\n') || '- none'}${errors.length ? `\nCould not read: ${errors.join('; ')}` : ''}`,
        data,
        citations: changes
          .slice(0, 30)
          .map((c) => ({ source: 'github' as const, ref: c.ref, title: c.title, url: c.url })),
        truncated: changes.length > 30,
      };
    },
  });
}
