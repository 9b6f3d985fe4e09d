import { z } from 'zod';
import { defineTool, failure, type Tool, type ToolContext } from '../contract';
import { EVIDENCE_LIMITS, REQUEST_LIMITS } from '../defaults';
import { isoMinute, resolveWindow, TimeInput } from '../time';
import { describeGithubError, type GithubClient, type GithubConfig, githubClient } from './client';
import { readNewestFirst } from './newest-first';
import { boundedPatches, changedLines } from './patch';
import { requestedServices } from './requested-services';
import { shippedCommits } from './shipped';
import { type Change, commitChange, deploymentChange, mergedInWindow, pullChange } from './to-change';

export type { Change, ChangeFile } from './to-change';

export type ChangesData = {
  since: string;
  until: string;
  repos: string[];
  changes: Change[];
  errors: string[];
};

const DEFAULT_SPAN_MS = 6 * 3_600_000;
const MAX_COMMITS_WITH_FILES = 25;

/** The repositories to read, each with the catalog services it is read for (none for a bare repo). */
type Target = { repos: string[]; servicesOf: Map<string, (string | undefined)[]>; label: string };

function reposFor(
  input: { service?: string; services?: string[]; repo?: string },
  ctx: ToolContext,
): Target | string {
  if (input.repo)
    return { repos: [input.repo], servicesOf: new Map([[input.repo, [input.service]]]), label: input.repo };
  const services = [...new Set(requestedServices(input))];
  if (services.length === 0) return 'give a service (from the catalog), services, or a repo ("owner/name")';
  const unknown = services.filter((s) => !ctx.catalog.services[s]);
  if (unknown.length)
    return `unknown service${unknown.length > 1 ? 's' : ''} ${unknown.map((s) => `"${s}"`).join(', ')}; known services: ${Object.keys(ctx.catalog.services).join(', ') || 'none'} (or pass repo: "owner/name")`;
  // A repository several services live in (a monorepo) is read once, and its changes are listed for each.
  const servicesOf = new Map<string, (string | undefined)[]>();
  for (const s of services)
    for (const r of ctx.catalog.services[s]!.repos) servicesOf.set(r, [...(servicesOf.get(r) ?? []), s]);
  return { repos: [...servicesOf.keys()], servicesOf, label: services.join(', ') };
}

/** Octokit's per_page maximum: fewer, larger pages. */
const PER_PAGE = 100;

/**
 * One repository's changes in the window, in a bounded number of requests: commits by
 * `since`/`until`; closed pull requests by `sort=updated&direction=desc` (a PR merged in the
 * window was updated in it or later) and deployments newest first, each read only until the
 * first item older than the window; at most REQUEST_LIMITS.githubPagesPerList pages per list.
 * The changes name no service: the caller lists them for each service the repository serves.
 */
async function repoChanges(
  gh: GithubClient,
  fullName: string,
  since: string,
  until: string,
): Promise<{ changes: Change[]; incomplete: string[] }> {
  const [owner, repo] = fullName.split('/') as [string, string];
  const maxPages = REQUEST_LIMITS.githubPagesPerList;
  const incomplete: string[] = [];
  const commits = await readNewestFirst(
    gh.paginate.iterator(gh.repos.listCommits, { owner, repo, since, until, per_page: PER_PAGE }),
    () => false,
    maxPages,
  );
  if (!commits.complete) incomplete.push(`commits (first ${commits.items.length} read)`);
  const detailed = await Promise.all(
    commits.items
      .slice(0, MAX_COMMITS_WITH_FILES)
      .map((c) => gh.repos.getCommit({ owner, repo, ref: c.sha }).then((r) => r.data)),
  );
  const out: Change[] = detailed.map((c) => commitChange(c, fullName, undefined, since));
  const pulls = await readNewestFirst(
    gh.paginate.iterator(gh.pulls.list, {
      owner,
      repo,
      state: 'closed',
      sort: 'updated',
      direction: 'desc',
      per_page: PER_PAGE,
    }),
    (p) => Date.parse(p.updated_at) < Date.parse(since),
    maxPages,
  );
  if (!pulls.complete)
    incomplete.push(`pull requests (the ${pulls.items.length} most recently updated read)`);
  for (const p of pulls.items)
    if (mergedInWindow(p, since, until)) out.push(pullChange(p, fullName, undefined, out));
  // Deployments reach back before the window: the previous one to each environment bounds
  // what a deployment in the window shipped.
  const previousSince = Date.parse(since) - REQUEST_LIMITS.githubPreviousDeployLookbackMs;
  const deployments = await readNewestFirst(
    gh.paginate.iterator(gh.repos.listDeployments, { owner, repo, per_page: PER_PAGE }),
    (d) => Date.parse(d.created_at) < previousSince,
    maxPages,
  );
  const inWindow = deployments.items.filter(
    (d) => Date.parse(d.created_at) <= Date.parse(until) && Date.parse(d.created_at) >= Date.parse(since),
  );
  if (!deployments.complete && deployments.items.every((d) => Date.parse(d.created_at) >= Date.parse(since)))
    incomplete.push(`deployments (the newest ${deployments.items.length} read)`);
  const read = new Set(out.filter((c) => c.kind === 'commit').map((c) => c.ref));
  for (const c of await shippedCommits(gh, owner, repo, inWindow, deployments.items, read))
    out.push(commitChange(c, fullName, undefined, since));
  const statuses = await Promise.all(
    inWindow.map((d) => gh.repos.listDeploymentStatuses({ owner, repo, deployment_id: d.id, per_page: 1 })),
  );
  inWindow.forEach((d, i) => {
    out.push(deploymentChange(d, statuses[i]!.data[0]?.state, fullName, undefined, out));
  });
  return { changes: out, incomplete: incomplete.map((what) => `${fullName}: more ${what}`) };
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
      'List what changed on GitHub for a service or several (their repositories from the service catalog) or a repo in a window (default: the 6 hours before now): commits with files touched and a bounded patch, merged pull requests with their description, and deployments with their status. Use it to find the change that lines up with the onset.',
    input: z.object({
      service: z.string().optional().describe('Service name from the catalog, e.g. checkout'),
      services: z
        .array(z.string())
        .max(REQUEST_LIMITS.githubServicesPerCall)
        .optional()
        .describe('Several catalog services at once, e.g. the alerting service and its dependencies'),
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
          summary: `No repositories in the catalog for ${target.label}: no GitHub changes to list (pass repo: "owner/name" to read one).`,
          data: { since, until, repos: [], changes: [], errors: [] } satisfies ChangesData,
          citations: [],
          truncated: false,
        };
      // A client per repository: one Octokit's retry and throttling queues would make the
      // repositories wait on each other's back-offs.
      const settled = await Promise.allSettled(
        target.repos.map((r) => repoChanges(githubClient(cfg, ctx.signal, retryBaseMs), r, since, until)),
      );
      const changes: Change[] = [];
      const errors: string[] = [];
      const incomplete: string[] = [];
      settled.forEach((s, i) => {
        const repo = target.repos[i]!;
        if (s.status === 'fulfilled') {
          // The patch budget is per repository, as when each was asked for alone.
          const bounded = boundPatches(s.value.changes.sort((a, b) => b.time.localeCompare(a.time)));
          for (const service of target.servicesOf.get(repo) ?? [undefined])
            changes.push(...bounded.map((c) => (service ? { ...c, service } : c)));
          incomplete.push(...s.value.incomplete);
        } else errors.push(describeGithubError(s.reason, `changes in ${repo}`));
      });
      if (errors.length === target.repos.length) return failure(errors.join('; '));
      changes.sort((a, b) => b.time.localeCompare(a.time));
      const data: ChangesData = { since, until, repos: target.repos, changes, errors };
      return {
        ok: true,
        summary: `${changes.length} changes in ${target.repos.join(', ')} between ${isoMinute(w.from)} and ${isoMinute(w.to)} UTC (newest first):\n${changes.slice(0, 30).map(describe).join('\n') || '- none'}${errors.length ? `\nCould not read: ${errors.join('; ')}` : ''}${incomplete.length ? `\nNot read (request cap; narrow the window): ${incomplete.join('; ')}` : ''}`,
        data,
        citations: changes
          .slice(0, 30)
          .map((c) => ({ source: 'github' as const, ref: c.ref, title: c.title, url: c.url })),
        truncated: changes.length > 30 || incomplete.length > 0,
      };
    },
  });
}
