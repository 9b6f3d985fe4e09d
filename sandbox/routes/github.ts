import { json, type Route, type SandboxRequest, type SandboxResponse, type SandboxWorld } from '../http';
import type { RepoWorld } from '../scenario-schema';

/** GitHub REST routes (commits, commit, pulls, deployments, compare) in GitHub's wire format. */
type Commit = RepoWorld['commits'][number];

function ghNotFound(): SandboxResponse {
  return {
    status: 404,
    body: { message: 'Not Found', documentation_url: 'https://docs.github.com/rest', status: '404' },
  };
}

function repoOf(req: SandboxRequest, world: SandboxWorld): RepoWorld | undefined {
  return world.scenario.repos[`${req.params.owner}/${req.params.repo}`];
}

/** GitHub's 401 for a missing or malformed token, or undefined when the request is authenticated. */
function unauthorized(req: SandboxRequest): SandboxResponse | undefined {
  if (/^(token|bearer) \S+/i.test(String(req.headers.authorization ?? ''))) return undefined;
  return {
    status: 401,
    body: { message: 'Bad credentials', documentation_url: 'https://docs.github.com/rest', status: '401' },
  };
}

function authed(
  handler: (req: SandboxRequest, world: SandboxWorld, repo: RepoWorld) => SandboxResponse,
): Route['handler'] {
  return (req, world) => {
    const denied = unauthorized(req);
    if (denied) return denied;
    const repo = repoOf(req, world);
    return repo ? handler(req, world, repo) : ghNotFound();
  };
}

function user(login: string) {
  return {
    login,
    id: login.length * 1000 + login.charCodeAt(0),
    type: login.endsWith('bot') ? 'Bot' : 'User',
    html_url: `https://github.com/${login}`,
  };
}

/**
 * Pages a list like GitHub: `per_page` (default 30, at most 100) and `page`, and a Link header
 * with next/last and, past the first page, first/prev (docs: "Using pagination in the REST API").
 */
function paged(req: SandboxRequest, world: SandboxWorld, items: unknown[]): SandboxResponse {
  const perPage = Math.min(Math.max(Number(req.query.get('per_page') ?? 30) || 30, 1), 100);
  const page = Math.max(Number(req.query.get('page') ?? 1) || 1, 1);
  const last = Math.max(1, Math.ceil(items.length / perPage));
  const link = (p: number, rel: string) => {
    const q = new URLSearchParams(req.query);
    q.set('page', String(p));
    q.set('per_page', String(perPage));
    return `<${world.baseUrl}${req.path}?${q}>; rel="${rel}"`;
  };
  const links = [
    ...(page > 1 ? [link(page - 1, 'prev')] : []),
    ...(page < last ? [link(page + 1, 'next'), link(last, 'last')] : []),
    ...(page > 1 ? [link(1, 'first')] : []),
  ];
  return json(
    items.slice((page - 1) * perPage, page * perPage),
    200,
    links.length ? { link: links.join(', ') } : {},
  );
}

function commitOut(world: SandboxWorld, fullName: string, c: Commit, withFiles: boolean) {
  const stats = c.files.reduce(
    (a, f) => ({ additions: a.additions + f.additions, deletions: a.deletions + f.deletions }),
    { additions: 0, deletions: 0 },
  );
  return {
    sha: c.sha,
    node_id: `C_${c.sha.slice(0, 10)}`,
    html_url: `https://github.com/${fullName}/commit/${c.sha}`,
    url: `${world.baseUrl}/repos/${fullName}/commits/${c.sha}`,
    commit: {
      message: c.message,
      author: { name: c.author, email: `${c.author}@users.noreply.github.com`, date: c.date },
      committer: { name: c.author, email: `${c.author}@users.noreply.github.com`, date: c.date },
    },
    author: user(c.author),
    committer: user(c.author),
    parents: [],
    ...(withFiles
      ? {
          stats: { ...stats, total: stats.additions + stats.deletions },
          files: c.files.map(fileOut),
        }
      : {}),
  };
}

/** A changed file as GitHub lists it (commit, pull request files, compare). */
function fileOut(f: RepoWorld['commits'][number]['files'][number]) {
  return {
    filename: f.filename,
    status: 'modified',
    additions: f.additions,
    deletions: f.deletions,
    changes: f.additions + f.deletions,
    ...(f.patch ? { patch: f.patch } : {}),
  };
}

function fullName(req: SandboxRequest): string {
  return `${req.params.owner}/${req.params.repo}`;
}

function listCommits(req: SandboxRequest, world: SandboxWorld, repo: RepoWorld): SandboxResponse {
  const since = req.query.get('since');
  const until = req.query.get('until');
  const path = req.query.get('path');
  const sha = req.query.get('sha');
  const commits = repo.commits
    .filter(
      (c) =>
        (!since || Date.parse(c.date) >= Date.parse(since)) &&
        (!until || Date.parse(c.date) <= Date.parse(until)),
    )
    .filter(
      (c) =>
        !path ||
        c.files.some((f) => f.filename === path || f.filename.startsWith(`${path.replace(/\/$/, '')}/`)),
    )
    .filter((_c) => !sha || repo.commits.some((x) => x.sha.startsWith(sha)) || sha === 'main')
    .sort((a, b) => b.date.localeCompare(a.date))
    .map((c) => commitOut(world, fullName(req), c, false));
  return paged(req, world, commits);
}

function findCommit(repo: RepoWorld, ref: string): Commit | undefined {
  return ref.length >= 7 ? repo.commits.find((c) => c.sha.startsWith(ref)) : undefined;
}

function getCommit(req: SandboxRequest, world: SandboxWorld, repo: RepoWorld): SandboxResponse {
  const c = findCommit(repo, req.params.ref!);
  return c
    ? json(commitOut(world, fullName(req), c, true))
    : { status: 422, body: { message: `No commit found for SHA: ${req.params.ref}`, status: '422' } };
}

function pullOut(world: SandboxWorld, name: string, p: RepoWorld['pulls'][number]) {
  return {
    number: p.number,
    id: p.number * 7919,
    state: p.mergedAt ? 'closed' : 'open',
    title: p.title,
    body: p.body ?? null,
    user: user(p.user),
    labels: p.labels.map((l, i) => ({ id: i + 1, name: l })),
    merged_at: p.mergedAt,
    closed_at: p.mergedAt,
    updated_at: p.mergedAt ?? world.scenario.manifest.now,
    created_at: p.mergedAt ?? world.scenario.manifest.now,
    merge_commit_sha: p.mergeCommitSha,
    html_url: `https://github.com/${name}/pull/${p.number}`,
    url: `${world.baseUrl}/repos/${name}/pulls/${p.number}`,
    base: { ref: 'main' },
    head: { ref: `pr-${p.number}` },
  };
}

/**
 * GET /repos/:o/:r/pulls: `state`, `sort` (created, the default, or updated) and `direction`
 * (GitHub's default: desc for created, asc for anything else).
 */
/** A pull request as the issues and search APIs show it: an issue with a `pull_request` link, no merge data. */
function issueOut(world: SandboxWorld, name: string, p: RepoWorld['pulls'][number]) {
  const { merged_at: _m, merge_commit_sha: _s, base: _b, head: _h, ...issue } = pullOut(world, name, p);
  return { ...issue, url: `${world.baseUrl}/repos/${name}/issues/${p.number}` };
}

function listPulls(req: SandboxRequest, world: SandboxWorld, repo: RepoWorld): SandboxResponse {
  const state = req.query.get('state') ?? 'open';
  const sort = req.query.get('sort') === 'updated' ? 'updated_at' : 'created_at';
  const direction = req.query.get('direction') ?? (sort === 'created_at' ? 'desc' : 'asc');
  const pulls = repo.pulls
    .filter((p) => state === 'all' || (state === 'closed') === (p.mergedAt !== null))
    .map((p) => pullOut(world, fullName(req), p))
    .sort((a, b) => (direction === 'asc' ? 1 : -1) * a[sort].localeCompare(b[sort]));
  return paged(req, world, pulls);
}

function getPull(req: SandboxRequest, world: SandboxWorld, repo: RepoWorld): SandboxResponse {
  const p = repo.pulls.find((x) => x.number === Number(req.params.number));
  return p ? json(pullOut(world, fullName(req), p)) : ghNotFound();
}

function pullFiles(req: SandboxRequest, world: SandboxWorld, repo: RepoWorld): SandboxResponse {
  const p = repo.pulls.find((x) => x.number === Number(req.params.number));
  if (!p) return ghNotFound();
  const c = p.mergeCommitSha ? findCommit(repo, p.mergeCommitSha) : undefined;
  return paged(req, world, (c?.files ?? []).map(fileOut));
}

function commitPulls(req: SandboxRequest, world: SandboxWorld, repo: RepoWorld): SandboxResponse {
  const pulls = repo.pulls.filter((p) => p.mergeCommitSha?.startsWith(req.params.ref!));
  return json(pulls.map((p) => pullOut(world, fullName(req), p)));
}

function deploymentOut(world: SandboxWorld, name: string, d: RepoWorld['deployments'][number]) {
  return {
    id: Number(d.id) || d.id,
    sha: d.sha,
    ref: d.sha.slice(0, 7),
    task: 'deploy',
    environment: d.environment,
    description: d.description ?? null,
    creator: user(d.creator ?? 'deploy-bot'),
    created_at: d.createdAt,
    updated_at: d.createdAt,
    url: `${world.baseUrl}/repos/${name}/deployments/${d.id}`,
    statuses_url: `${world.baseUrl}/repos/${name}/deployments/${d.id}/statuses`,
  };
}

function listDeployments(req: SandboxRequest, world: SandboxWorld, repo: RepoWorld): SandboxResponse {
  const env = req.query.get('environment');
  const sha = req.query.get('sha');
  const items = repo.deployments
    .filter((d) => (!env || d.environment === env) && (!sha || d.sha === sha))
    .sort((a, b) => b.createdAt.localeCompare(a.createdAt))
    .map((d) => deploymentOut(world, fullName(req), d));
  return paged(req, world, items);
}

function deploymentStatuses(req: SandboxRequest, _world: SandboxWorld, repo: RepoWorld): SandboxResponse {
  const d = repo.deployments.find((x) => x.id === req.params.id);
  if (!d) return ghNotFound();
  return json([
    {
      id: Number(d.id) * 10,
      state: d.status,
      environment: d.environment,
      created_at: d.createdAt,
      updated_at: d.createdAt,
      description: `Deployment ${d.status}`,
      creator: user(d.creator ?? 'deploy-bot'),
    },
  ]);
}

function compare(req: SandboxRequest, world: SandboxWorld, repo: RepoWorld): SandboxResponse {
  const [base, head] = req.params.spec!.split('...');
  const ordered = [...repo.commits].sort((a, b) => a.date.localeCompare(b.date));
  const from = ordered.findIndex((c) => base && c.sha.startsWith(base));
  const to = ordered.findIndex((c) => head && c.sha.startsWith(head));
  if (from < 0 || to < 0) return ghNotFound();
  const commits = ordered.slice(from + 1, to + 1);
  return json({
    status: to > from ? 'ahead' : 'identical',
    ahead_by: Math.max(0, to - from),
    behind_by: 0,
    total_commits: commits.length,
    commits: commits.map((c) => commitOut(world, fullName(req), c, false)),
    files: commits.flatMap((c) => c.files.map(fileOut)),
  });
}

/** GET /search/issues for pull requests: `repo:o/r is:pr is:merged merged:>=ISO words`. */
function searchIssues(req: SandboxRequest, world: SandboxWorld): SandboxResponse {
  const denied = unauthorized(req);
  if (denied) return denied;
  const q = req.query.get('q') ?? '';
  const repos = [...q.matchAll(/repo:(\S+)/g)].map((m) => m[1]!);
  const mergedSince = /merged:>=?(\S+)/.exec(q)?.[1];
  const words = q
    .replace(/\b(repo|is|merged|type|state):\S+/g, ' ')
    .toLowerCase()
    .split(/\s+/)
    .filter(Boolean);
  const items = Object.entries(world.scenario.repos)
    .filter(([name]) => repos.length === 0 || repos.includes(name))
    .flatMap(([name, repo]) => repo.pulls.map((p) => ({ name, p })))
    .filter(
      ({ p }) =>
        (!/is:merged/.test(q) || p.mergedAt !== null) && (!mergedSince || (p.mergedAt ?? '') >= mergedSince),
    )
    .filter(({ p }) => words.every((w) => `${p.title} ${p.body ?? ''}`.toLowerCase().includes(w)))
    .map(({ name, p }) => ({
      ...issueOut(world, name, p),
      repository_url: `${world.baseUrl}/repos/${name}`,
      pull_request: {
        url: `${world.baseUrl}/repos/${name}/pulls/${p.number}`,
        html_url: `https://github.com/${name}/pull/${p.number}`,
        merged_at: p.mergedAt,
      },
    }));
  return json({ total_count: items.length, incomplete_results: false, items });
}

/** Every /repos route answers from that repo's file. */
const repoFile = (req: SandboxRequest) => `github/${req.params.owner}/${req.params.repo}.json`;

const repoRoutes: Route[] = [
  { method: 'GET', pattern: '/repos/:owner/:repo/commits', handler: authed(listCommits) },
  { method: 'GET', pattern: '/repos/:owner/:repo/commits/:ref/pulls', handler: authed(commitPulls) },
  { method: 'GET', pattern: '/repos/:owner/:repo/commits/:ref', handler: authed(getCommit) },
  { method: 'GET', pattern: '/repos/:owner/:repo/pulls', handler: authed(listPulls) },
  { method: 'GET', pattern: '/repos/:owner/:repo/pulls/:number/files', handler: authed(pullFiles) },
  { method: 'GET', pattern: '/repos/:owner/:repo/pulls/:number', handler: authed(getPull) },
  {
    method: 'GET',
    pattern: '/repos/:owner/:repo/deployments/:id/statuses',
    handler: authed(deploymentStatuses),
  },
  { method: 'GET', pattern: '/repos/:owner/:repo/deployments', handler: authed(listDeployments) },
  { method: 'GET', pattern: '/repos/:owner/:repo/compare/:spec', handler: authed(compare) },
];

export const routes: Route[] = [
  { method: 'GET', pattern: '/search/issues', handler: searchIssues },
  ...repoRoutes.map((r) => ({ ...r, reads: repoFile })),
];
