import { pick } from '../lib';
import type { ClusterSpec } from './cluster-spec';
import type { WorldDraft } from './draft';
import type { Service } from './estate';

/**
 * The Kubernetes cluster a generated world may run on (issue 18): what a class says about it
 * (which worlds have one, whose rollouts only the cluster reports, how the class's pods ended),
 * drawn from its own stream (`d.fork(CLUSTER_SALT)`), so a world with a cluster keeps every other
 * file of the world it had without one. Rendering is in cluster-render.ts.
 */
const CLUSTER_SALT = 1808;

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
