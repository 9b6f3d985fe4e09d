import { pick, type Rng } from '../lib';
import type { WorldDraft } from './draft';
import type { Service } from './estate';

/**
 * The Kubernetes cluster a generated world may run on (issue 18): what a class says about it
 * (which worlds have one, whose rollouts only the cluster reports, how the class's pods ended),
 * drawn from its own stream (`d.fork(CLUSTER_SALT)`), so a world with a cluster keeps every other
 * file of the world it had without one. Rendering is in cluster-render.ts.
 */
const CLUSTER_SALT = 1808;

/** How a team tags its images: what names the commit a revision ships, if anything does. */
export type ImageForm =
  /** `:1.4.3` and nothing else: only the time and version tie the revision to its commits. */
  | 'version'
  /** `:1.4.3`, the change-cause naming the short sha (`deploy checkout 1.4.3 (3f2a9c1)`). */
  | 'version-with-cause'
  /** `:1.4.3-3f2a9c1`. */
  | 'version-sha'
  /** `:sha-3f2a9c1d0e4b`. */
  | 'sha-prefix'
  /** `:<full sha>`, `kubectl set image` as the change-cause. */
  | 'full-sha';

/**
 * Which labels the workloads carry: Kubernetes' recommended `app.kubernetes.io/name` plus
 * DataDog's unified service tags, the unified service tags alone, or a plain `app` label that
 * only the catalog's `kubernetes.labelSelector` maps to the service.
 */
export type LabelForm = 'recommended' | 'datadog' | 'app';

/** A container's end as the kubelet records it. */
export type Termination = { reason: 'OOMKilled' | 'Error'; exitCode: number };

/** A pod a class names (the memory leak's), with the minutes its container was killed. */
export type ClusterPod = {
  name: string;
  /** The DataDog host its telemetry carries. */
  host: string;
  kills: number[];
  /** Minutes before each kill that the pod thrashed (its readiness probe failing). */
  thrash: number;
};

export type ClusterSpec = {
  /** The cluster's own stream: every draw the rendering makes. */
  r: Rng;
  namespace: string;
  labels: LabelForm;
  image: ImageForm;
  registry: string;
  /** Services whose rollouts only the cluster reports: no GitHub deployment, no DataDog event. */
  clusterOnly: string[];
  /** The class's pods of a service, and how their containers end when killed. */
  pods: Map<string, { pods: ClusterPod[]; termination: Termination; memoryLimitMi?: number }>;
};

/**
 * Gives the world a cluster with probability `chance` (drawn from the cluster's stream). With
 * `clusterOnly`, the alerting service's rollouts are reported by the cluster alone, as a
 * ReplicaSet revision each. Returns the cluster, or undefined for a world without one.
 */
export function addCluster(
  d: WorldDraft,
  options: { chance: number; clusterOnly?: number },
): ClusterSpec | undefined {
  const r = d.fork(CLUSTER_SALT);
  const has = r() < options.chance;
  const only = r() < (options.clusterOnly ?? 0);
  if (!has) return undefined;
  const e = d.estate;
  const s = e.alerting;
  const registry = pick(r, [
    `ghcr.io/${e.slug}`,
    `${100000000000 + Math.floor(r() * 899999999999)}.dkr.ecr.us-east-1.amazonaws.com/${e.slug}`,
    `registry.${e.domain}/${s.team}`,
    `gcr.io/${e.slug}-${e.env}`,
  ]);
  d.cluster = {
    r,
    namespace: pick(r, [e.env, e.slug, s.team, `${e.slug}-${e.env}`]),
    labels: pick(r, ['recommended', 'recommended', 'datadog', 'app'] as const),
    image: pick(r, ['version', 'version-with-cause', 'version-sha', 'sha-prefix', 'full-sha'] as const),
    registry,
    clusterOnly: only ? [s.name] : [],
    pods: new Map(),
  };
  return d.cluster;
}

/** The rollouts that the estate's deploy tool reports (GitHub deployments, DataDog events). */
export function reportedOutsideCluster(d: WorldDraft, service: string): boolean {
  return !d.cluster?.clusterOnly.includes(service);
}

/** Services that run in the cluster: every one with a repository (datastores are managed elsewhere). */
export function clusterServices(d: WorldDraft): Service[] {
  return d.services().filter((s) => s.repo !== null);
}
