import { sameEnvironment } from './event-kinds';
import type { ChangeCandidate } from './types';

/**
 * Changes as they went live (issue 13.2). A rollout to an environment ships the commits between
 * the previous rollout of that service to the same environment and its own sha; only rollouts to
 * the alert's environment make a change live there. DataDog deployment events join their GitHub
 * deployment through `deployment_id`, the sha or the version, and the started, step and complete
 * events of one rollout are one rollout, timed at its start.
 */
export type ChangeUnit = {
  kind: 'rollout' | 'commit' | 'feature_flag' | 'config_change' | 'infrastructure' | 'unknown';
  /** The rollout's deployment id, the commit's sha, the flag key, the event's component. */
  ref: string;
  title: string;
  service?: string;
  /** When it went live (a rollout's first event, a commit's time when nothing deployed it). */
  activation: number;
  /** Commits it shipped, newest first (a rollout), or the commit itself. */
  commits: ChangeCandidate[];
  /** Everything joined into this unit: PRs, deployments, events. */
  members: ChangeCandidate[];
  deploymentId?: string;
  sha?: string;
  version?: string;
  env?: string;
  /** Every deployment record of it failed (most likely rolled back). */
  failed: boolean;
  /** A commit whose repository shows deployments but none of them shipped it to this environment. */
  undeployed: boolean;
  /** Deployed only to another environment than the alert's (staging): not live where it fails. */
  elsewhere: boolean;
};

type DeployRecord = {
  key: string;
  id?: string;
  sha?: string;
  version?: string;
  env?: string;
  service?: string;
  start: number;
  failed: boolean;
  succeeded: boolean;
  members: ChangeCandidate[];
};

/** Pure: groups the changes into units: rollouts (with their commits), lone commits, flags, events. */
export function buildChangeUnits(
  changes: readonly ChangeCandidate[],
  alertEnv: string | undefined,
): ChangeUnit[] {
  const commits = new Map<string, ChangeCandidate>();
  const pulls: ChangeCandidate[] = [];
  const deploys: ChangeCandidate[] = [];
  const others: ChangeCandidate[] = [];
  for (const c of changes) {
    if (c.kind === 'commit' && c.sha) {
      if (!commits.has(c.sha)) commits.set(c.sha, c);
    } else if (c.kind === 'pull_request') pulls.push(c);
    else if (c.kind === 'deployment') deploys.push(c);
    else others.push(c);
  }
  const records = joinDeployments(deploys);
  const live = records.filter(
    (r) => sameEnvironment(r.env, alertEnv) && !isNonProductionOnly(r.env, alertEnv),
  );
  const pullOf = (sha: string) => pulls.filter((p) => p.sha === sha);

  // Commits per repository (a monorepo's commits are listed once per service that uses it).
  const repoOf = (c: ChangeCandidate) => c.repo ?? c.service ?? '';
  const byRepo = new Map<string, ChangeCandidate[]>();
  for (const c of commits.values()) byRepo.set(repoOf(c), [...(byRepo.get(repoOf(c)) ?? []), c]);
  for (const list of byRepo.values()) list.sort((a, b) => a.time - b.time);
  const repoOfService = new Map<string, string>();
  for (const c of commits.values()) if (c.service && c.repo) repoOfService.set(c.service, c.repo);

  const units: ChangeUnit[] = [];
  const shipped = new Set<string>();
  const servicesWithDeploys = new Set(records.map((r) => r.service).filter(Boolean));
  const rolloutsByService = new Map<string, DeployRecord[]>();
  for (const r of live) {
    const k = r.service ?? '';
    rolloutsByService.set(k, [...(rolloutsByService.get(k) ?? []), r]);
  }
  for (const [, list] of rolloutsByService) {
    list.sort((a, b) => a.start - b.start);
    list.forEach((r, i) => {
      const head = r.sha ? findCommit(commits, r.sha) : undefined;
      // A rollout that names no commit it shipped (a cluster revision tagged by version alone)
      // ships its service's commits merged since the previous rollout.
      const repo = head
        ? repoOf(head)
        : (r.members.find((m) => m.repo)?.repo ?? repoOfService.get(r.service ?? '') ?? r.service ?? '');
      const repoCommits = byRepo.get(repo) ?? [];
      const prev = list[i - 1];
      const prevHead = prev?.sha ? findCommit(commits, prev.sha) : undefined;
      const upper = head?.time ?? r.start;
      const lower = prevHead?.time ?? prev?.start ?? Number.NEGATIVE_INFINITY;
      const members = repoCommits
        .filter(
          (c) =>
            c.time <= upper &&
            c.time > lower &&
            (c.service === undefined || r.service === undefined || sameServiceOrRepo(c, r)),
        )
        .sort((a, b) => b.time - a.time);
      for (const m of members) shipped.add(m.sha!);
      const headTitle = head?.title ?? r.members[0]?.title ?? `Deployment ${r.id ?? r.sha ?? ''}`;
      units.push({
        kind: 'rollout',
        ref: r.id ?? r.sha ?? r.key,
        title: `Rollout ${r.version ?? r.sha?.slice(0, 7) ?? r.id ?? ''} of ${r.service ?? repo}${r.env ? ` to ${r.env}` : ''}: ${headTitle}`,
        ...(r.service ? { service: r.service } : {}),
        activation: r.start,
        commits: members,
        members: [...r.members, ...members.flatMap((m) => pullOf(m.sha!))],
        ...(r.id ? { deploymentId: r.id } : {}),
        ...(r.sha ? { sha: head?.sha ?? r.sha } : {}),
        ...(r.version ? { version: r.version } : {}),
        ...(r.env ? { env: r.env } : {}),
        failed: r.failed && !r.succeeded,
        undeployed: false,
        elsewhere: false,
      });
    });
  }
  for (const c of commits.values()) {
    if (shipped.has(c.sha!)) continue;
    const hasDeploys = c.service !== undefined && servicesWithDeploys.has(c.service);
    const elsewhere = records.some((r) => r.sha && c.sha!.startsWith(r.sha.slice(0, 7)) && !live.includes(r));
    units.push({
      kind: 'commit',
      ref: c.sha!,
      title: c.title,
      ...(c.service ? { service: c.service } : {}),
      activation: c.time,
      commits: [c],
      members: pullOf(c.sha!),
      sha: c.sha!,
      failed: false,
      undeployed: hasDeploys,
      elsewhere,
    });
  }
  units.push(...flagUnits(others.filter((c) => c.kind === 'feature_flag')));
  for (const c of others.filter((o) => o.kind !== 'feature_flag')) {
    units.push({
      kind: c.kind === 'config_change' || c.kind === 'infrastructure' ? c.kind : 'unknown',
      ref: componentRef(c),
      title: c.title,
      ...(c.service ? { service: c.service } : {}),
      activation: c.time,
      commits: [],
      members: [c],
      failed: false,
      undeployed: false,
      elsewhere: c.environment !== undefined && !sameEnvironment(c.environment, alertEnv),
    });
  }
  return units;
}

function sameServiceOrRepo(c: ChangeCandidate, r: DeployRecord): boolean {
  return c.service === r.service || r.members.some((m) => m.repo !== undefined && m.repo === c.repo);
}

function findCommit(commits: ReadonlyMap<string, ChangeCandidate>, sha: string): ChangeCandidate | undefined {
  const exact = commits.get(sha);
  if (exact) return exact;
  const short = sha.toLowerCase();
  for (const [k, c] of commits)
    if (k.toLowerCase().startsWith(short) || short.startsWith(k.toLowerCase())) return c;
  return undefined;
}

/** Environments that are clearly not production; with no alert environment, a deploy there is not live. */
const NON_PRODUCTION =
  /^(?:stg|staging|stage|dev|development|qa|test|testing|uat|sandbox|preview|preprod|pre-prod)$|-rc$/i;
function isNonProductionOnly(env: string | undefined, alertEnv: string | undefined): boolean {
  return alertEnv === undefined && env !== undefined && NON_PRODUCTION.test(env);
}

/** DataDog deployment events and GitHub deployments, one record per rollout. */
function joinDeployments(deploys: readonly ChangeCandidate[]): DeployRecord[] {
  const records: DeployRecord[] = [];
  const sameSha = (r: DeployRecord, sha: string) =>
    r.sha !== undefined && (r.sha.startsWith(sha) || sha.startsWith(r.sha));
  const find = (c: ChangeCandidate, id?: string, sha?: string, env?: string, version?: string) =>
    records.find(
      (r) =>
        (id !== undefined && r.id === id) ||
        (sha !== undefined &&
          sameSha(r, sha) &&
          (env === undefined || r.env === undefined || env === r.env) &&
          (c.service === undefined || r.service === undefined || c.service === r.service)) ||
        // A version names a release, not one rollout of it: the same version rolled to another
        // environment, or rolled again with new settings from a deploy-config repository (same
        // image, another sha and deployment id), is another rollout. (A cluster revision's id is
        // its own, not a deployment's: it joins the release it names by version.)
        (version !== undefined &&
          r.version === version &&
          c.service === r.service &&
          (env === undefined || r.env === undefined || env === r.env) &&
          (id === undefined || r.id === undefined || c.origin === 'cluster') &&
          (sha === undefined || r.sha === undefined || sameSha(r, sha))),
    );
  // GitHub first: its deployment ids are the contract's refs. The cluster's revisions last: they
  // join the record of the release they name, and name it themselves only when nothing else does.
  const rank = (c: ChangeCandidate) => (c.origin === 'github' ? 0 : c.origin === 'cluster' ? 2 : 1);
  const ordered = [...deploys].sort((a, b) => rank(a) - rank(b) || a.time - b.time);
  for (const c of ordered) {
    const id = c.origin === 'github' ? c.ref : c.deployment?.id;
    const sha = c.sha ?? c.deployment?.sha;
    const env = c.environment ?? c.deployment?.env;
    const version = c.deployment?.version;
    const failed = c.status === 'failure' || c.status === 'error' || c.deployment?.phase === 'failed';
    const succeeded = c.status === 'success' || c.deployment?.phase === 'complete';
    const r = find(c, id, sha, env, version);
    if (r) {
      r.members.push(c);
      r.start = Math.min(r.start, c.time);
      r.failed ||= failed;
      r.succeeded ||= succeeded;
      r.id ??= id;
      r.sha ??= sha;
      r.env ??= env;
      r.version ??= version;
      r.service ??= c.service;
      continue;
    }
    records.push({
      key: id ?? (sha ? `${c.service}@${sha}@${env ?? ''}` : c.ref),
      ...(id ? { id } : {}),
      ...(sha ? { sha } : {}),
      ...(version ? { version } : {}),
      ...(env ? { env } : {}),
      ...(c.service ? { service: c.service } : {}),
      start: c.time,
      failed,
      succeeded,
      members: [c],
    });
  }
  return records;
}

/** Flag changes from the flag system and DataDog's flag events, merged by key. */
function flagUnits(flags: readonly ChangeCandidate[]): ChangeUnit[] {
  const byKey = new Map<string, ChangeCandidate[]>();
  const fromSystem = flags.filter((f) => f.origin === 'flags');
  for (const f of fromSystem) byKey.set(f.ref, [...(byKey.get(f.ref) ?? []), f]);
  for (const f of flags.filter((x) => x.origin !== 'flags')) {
    const key =
      [...byKey.keys()].find((k) => f.text.includes(k) || (f.tags ?? []).some((t) => t.endsWith(`:${k}`))) ??
      componentRef(f);
    byKey.set(key, [...(byKey.get(key) ?? []), f]);
  }
  return [...byKey].map(([key, members]) => {
    const first = [...members].sort((a, b) => a.time - b.time)[0]!;
    const primary = members.find((m) => m.origin === 'flags') ?? first;
    return {
      kind: 'feature_flag' as const,
      ref: key,
      title: primary.title,
      ...(primary.service
        ? { service: primary.service }
        : members.find((m) => m.service)?.service
          ? { service: members.find((m) => m.service)!.service! }
          : {}),
      activation: first.time,
      commits: [],
      members,
      failed: false,
      undeployed: false,
      elsewhere: false,
    };
  });
}

/**
 * Tags that name what a config change changed (the contract's ref for such a suspect: the
 * component, a key, or the change's own id), most specific first.
 */
const COMPONENT_TAGS = [
  'component',
  'consul_key',
  'kv_key',
  'key',
  'resource',
  'flag',
  'feature_flag',
  'route',
  'job',
  'job_name',
  'kube_job',
  'cronjob',
];
const CHANGE_ID_TAGS = ['run_id', 'change_id', 'version_info', 'revision', 'changeset'];

/** The ref of an event change: its component or key from the tags, else its change id, else its title. */
export function componentRef(c: ChangeCandidate): string {
  const tags = c.tags ?? [];
  for (const key of [...COMPONENT_TAGS, ...CHANGE_ID_TAGS]) {
    const t = tags.find((x) => x.startsWith(`${key}:`) && x.length > key.length + 1);
    if (t) return t.slice(key.length + 1);
  }
  return c.title;
}
