import { at, hex, pick, type Rng, rng } from '../lib';
import type { ClusterSpec } from './cluster-spec';
import type { Effect, EffectFn } from './effects';
import { type Estate, type Service, servicesOf } from './estate';
import type { LogEvent } from './log-formats';

/**
 * A world under construction. Incident classes and distractors describe what happened through
 * this small API (commits, rollouts, events, flags, effects on services, knowledge); the
 * renderer turns it into the scenario contract's files. Minutes are relative to `now`
 * (negative is the past), so a class never handles clock strings.
 */
export const WINDOW_MINUTES = 240;

export type FileChange = { filename: string; additions: number; deletions: number; patch?: string };
export type CommitSpec = {
  message: string;
  files: FileChange[];
  minute: number;
  author?: string;
  pr?: { title: string; body: string; labels?: string[] };
  /** In the service's deploy-config repository (paths from its root) instead of its code. */
  deployRepo?: boolean;
};
export type CommitRef = { sha: string; repo: string; pr?: number; service: string };
export type RolloutRef = { id: string; sha: string; version: string; service: string; minute: number };

export type LogSpec = {
  service: string;
  from: number;
  to?: number;
  perMinute: number | ((m: number) => number);
  event: (r: Rng, m: number) => LogEvent;
  /** Only these hosts write it. */
  hosts?: string[];
};

/** A change event as DataDog shows it (deploy tools, Terraform, Consul, monitors, vendors). */
export type EventSpec = { minute: number; title: string; text?: string; tags: string[]; source?: string };

/** A feature flag change: who set `key` from `from` to `to`, and when. */
export type FlagChange = {
  key: string;
  service?: string;
  minute: number;
  from: unknown;
  to: unknown;
  actor?: string;
};

export type Knowledge = {
  runbooks: { path: string; title: string; body: string; source?: 'runbook' | 'confluence' | 'notion' }[];
  incidents: {
    id: string;
    title: string;
    summary: string;
    cause: string;
    mitigation: string;
    services: string[];
    daysAgo: number;
  }[];
  slack: { channel: string; daysAgo: number; user: string; text: string }[];
};

export type MonitorKind =
  | 'errors'
  | 'error-ratio'
  | 'latency'
  | 'saturation'
  | 'backlog'
  | 'memory'
  | 'business'
  | 'availability';

export type MonitorSpec = {
  id: number;
  kind: MonitorKind;
  service: Service;
  /** Triggered (the alert), Alert (spreading), Warn or OK. */
  state: 'Alert' | 'Warn' | 'OK' | 'No Data';
  priority?: number;
  /** For the alert's own monitor: when it fired. */
  firedAt?: number;
};

export type Truth = {
  kind: string;
  accept: string[];
  keywords: string[];
  runbook?: string;
  similarIncident?: string;
  class?: string;
  variant?: string;
  onset?: string;
};

export class WorldDraft {
  readonly effects = new Map<string, EffectFn[]>();
  readonly logSpecs: LogSpec[] = [];
  readonly commits = new Map<string, (CommitSpec & { sha: string; service: string; prNumber?: number })[]>();
  readonly rollouts: (RolloutRef & {
    env: string;
    status: 'success' | 'failure' | 'in_progress';
    canaryHosts?: string[];
    repo: string;
  })[] = [];
  readonly events: EventSpec[] = [];
  readonly flags: FlagChange[] = [];
  readonly monitors: MonitorSpec[] = [];
  readonly knowledge: Knowledge = { runbooks: [], incidents: [], slack: [] };
  alertMonitor?: MonitorSpec;
  /** The Kubernetes cluster the estate runs on, when the world has one (cluster.ts). */
  cluster?: ClusterSpec;
  truth?: Truth;
  title = '';
  /** First minute the alerting service departs from its baseline. */
  onset = -20;
  /** For failures that end by themselves: the first minute the alerting service is healthy again. */
  recovery?: number;
  private nextPr = 100;
  private nextDeploy = 0;
  private nextMonitor = 0;
  private readonly versions = new Map<string, string>();

  constructor(
    readonly seed: number,
    readonly r: Rng,
    readonly estate: Estate,
    readonly now: string,
  ) {
    this.nextPr = 100 + Math.floor(r() * 3000);
    this.nextDeploy = 1000 + Math.floor(r() * 90000);
    this.nextMonitor = 10000 + Math.floor(r() * 900000);
    for (const s of this.services()) this.versions.set(s.name, s.version);
  }

  services(): Service[] {
    return servicesOf(this.estate);
  }

  service(name: string): Service {
    const s = this.services().find((x) => x.name === name);
    if (!s) throw new Error(`no service ${name} in this estate`);
    return s;
  }

  at(minute: number): string {
    return at(this.now, minute);
  }

  person(): string {
    return pick(this.r, this.estate.people);
  }

  /** Registers how the incident (or a distractor) changes a service over time. */
  effect(service: Service, fn: EffectFn): void {
    const list = this.effects.get(service.name) ?? [];
    list.push(fn);
    this.effects.set(service.name, list);
  }

  effectsAt(service: Service, minute: number): Effect[] {
    return (this.effects.get(service.name) ?? [])
      .map((f) => f(minute))
      .filter((e): e is Effect => e !== undefined);
  }

  log(spec: LogSpec): void {
    this.logSpecs.push(spec);
  }

  /** A commit to the service's repo (under its folder in a monorepo); paths are relative to it. */
  commit(service: Service, spec: CommitSpec): CommitRef {
    const repo = spec.deployRepo ? service.deployRepo : service.repo;
    if (!repo) throw new Error(`${service.name} has no ${spec.deployRepo ? 'deploy-config ' : ''}repository`);
    const sha = hex(this.r, 40);
    const dir = spec.deployRepo ? '' : service.dir;
    const files = spec.files.map((f) => ({ ...f, filename: `${dir}${f.filename}` }));
    const prNumber = spec.pr ? this.nextPr++ : undefined;
    const list = this.commits.get(repo) ?? [];
    const { deployRepo: _, ...rest } = spec;
    list.push({ ...rest, files, sha, service: service.name, author: spec.author ?? this.person(), prNumber });
    this.commits.set(repo, list);
    return { sha, repo, pr: prNumber, service: service.name };
  }

  /** The version a service runs after its next rollout. */
  private bumpVersion(service: Service): string {
    const [maj, min, patch] = (this.versions.get(service.name) ?? '1.0.0').split('.').map(Number);
    const next = `${maj}.${min}.${(patch ?? 0) + 1}`;
    this.versions.set(service.name, next);
    return next;
  }

  /** A rollout of `sha` (and the commits before it since the last rollout) to an environment. */
  rollout(
    service: Service,
    sha: string,
    minute: number,
    options: {
      env?: string;
      status?: 'success' | 'failure' | 'in_progress';
      canaryHosts?: string[];
      /** A rollout of the deploy-config repository: new settings, the same image and version. */
      repo?: string;
    } = {},
  ): RolloutRef {
    const env = options.env ?? this.estate.env;
    const configOnly = options.repo !== undefined && options.repo === service.deployRepo;
    const running = this.versions.get(service.name) ?? service.version;
    const version = configOnly
      ? running
      : env === this.estate.env
        ? this.bumpVersion(service)
        : `${this.versions.get(service.name)}-rc`;
    const ref = {
      id: String(this.nextDeploy++),
      sha,
      version,
      service: service.name,
      minute,
      env,
      repo: options.repo ?? service.repo ?? '',
      status: options.status ?? 'success',
      canaryHosts: options.canaryHosts,
    };
    this.rollouts.push(ref);
    return ref;
  }

  /** Commit + (optional staging) + production rollout: the usual way a change ships. */
  ship(
    service: Service,
    spec: CommitSpec,
    deployAfter: number,
    options: { canaryHosts?: string[] } = {},
  ): { commit: CommitRef; rollout: RolloutRef } {
    const commit = this.commit(service, spec);
    const repo = spec.deployRepo ? commit.repo : undefined;
    if (this.estate.stagesFirst)
      this.rollout(service, commit.sha, spec.minute + Math.max(1, Math.floor(deployAfter / 2)), {
        env: this.estate.stagingEnv,
        repo,
      });
    const rollout = this.rollout(service, commit.sha, spec.minute + deployAfter, { ...options, repo });
    return { commit, rollout };
  }

  event(e: EventSpec): void {
    this.events.push(e);
  }

  flag(f: FlagChange): void {
    this.flags.push(f);
  }

  monitor(kind: MonitorKind, service: Service, state: MonitorSpec['state'], priority?: number): MonitorSpec {
    const m = { id: this.nextMonitor++, kind, service, state, priority };
    this.monitors.push(m);
    return m;
  }

  /** The monitor whose notification starts the investigation, and when it fired. */
  alertOn(kind: MonitorKind, service: Service, firedAt: number, priority?: number): MonitorSpec {
    const m = this.monitor(kind, service, 'Alert', priority);
    m.firedAt = firedAt;
    this.alertMonitor = m;
    return m;
  }

  /** The version a service's hosts run at a minute (canary hosts may run a newer one). */
  versionAt(service: Service, host: string, minute: number): string {
    let v = service.version;
    for (const d of this.rollouts)
      if (
        d.service === service.name &&
        d.env === this.estate.env &&
        d.minute <= minute &&
        d.status !== 'failure'
      )
        if (!d.canaryHosts || d.canaryHosts.includes(host)) v = d.version;
    return v;
  }

  /** A second random stream for distractors, so adding one never shifts the incident's draws. */
  fork(salt: number): Rng {
    return rng((this.seed * 7919 + salt) >>> 0);
  }
}
