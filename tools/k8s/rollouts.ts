import type {
  V1ControllerRevision,
  V1Deployment,
  V1ObjectMeta,
  V1PodTemplateSpec,
  V1ReplicaSet,
  V1StatefulSet,
} from '@kubernetes/client-node';
import { z } from 'zod';
import { defineTool, failure, type Tool } from '../contract';
import { K8S_DEFAULTS } from '../defaults';
import { describeK8sError, type K8sApis } from './client';
import { isoOf, listers, refOf, selectorOf, serviceWorkloads, truncate } from './lists';
import { NamespaceInput, ServiceInput, serviceScope, whereOf } from './service-scope';

export type RevisionData = {
  revision: number;
  /** The ReplicaSet or ControllerRevision that holds it. */
  name: string;
  createdAt?: string;
  images: string[];
  /** The `kubernetes.io/change-cause` annotation: what the deployer said it shipped. */
  changeCause?: string;
  /** The pod template's `tags.datadoghq.com/version` label. */
  version?: string;
  /** The pod template's `tags.datadoghq.com/env` label: the environment it serves. */
  env?: string;
  replicas?: number;
  readyReplicas?: number;
};

export type WorkloadData = {
  kind: 'Deployment' | 'StatefulSet';
  name: string;
  namespace: string;
  /** The revision the workload's template is at now. */
  currentRevision?: number;
  replicas?: number;
  readyReplicas?: number;
  /** Newest first, at most K8S_DEFAULTS.revisionsPerWorkload. */
  revisions: RevisionData[];
};

/** A rollout: a revision whose images differ from the one before (or the first one kept, past revision 1). */
export type RolloutData = {
  workload: string;
  kind: 'Deployment' | 'StatefulSet';
  namespace: string;
  revision: number;
  at?: string;
  images: string[];
  previousImages?: string[];
  changeCause?: string;
  version?: string;
  env?: string;
  current: boolean;
};

export type RolloutsData = {
  service: string;
  selector: string;
  workloads: WorkloadData[];
  rollouts: RolloutData[];
};

const REVISION_ANNOTATION = 'deployment.kubernetes.io/revision';
const CHANGE_CAUSE_ANNOTATION = 'kubernetes.io/change-cause';

function imagesOf(template: V1PodTemplateSpec | undefined): string[] {
  return (template?.spec?.containers ?? []).map((c) => c.image ?? '').filter(Boolean);
}

function ownedBy(meta: V1ObjectMeta | undefined, kind: string, owner: V1ObjectMeta | undefined): boolean {
  return (meta?.ownerReferences ?? []).some(
    (o) => o.kind === kind && (o.uid === owner?.uid || (!o.uid && o.name === owner?.name)),
  );
}

function revision(
  meta: V1ObjectMeta | undefined,
  n: number,
  template: V1PodTemplateSpec | undefined,
  status?: { replicas?: number; readyReplicas?: number },
): RevisionData {
  const labelOf = (label: string) => template?.metadata?.labels?.[label] ?? meta?.labels?.[label];
  return {
    revision: n,
    name: meta?.name ?? '',
    createdAt: isoOf(meta?.creationTimestamp),
    images: imagesOf(template),
    changeCause: meta?.annotations?.[CHANGE_CAUSE_ANNOTATION],
    version: labelOf(K8S_DEFAULTS.versionLabel),
    env: labelOf(K8S_DEFAULTS.envLabel),
    replicas: status?.replicas,
    readyReplicas: status?.readyReplicas,
  };
}

const newestFirst = (revisions: RevisionData[]) =>
  revisions.sort((a, b) => b.revision - a.revision).slice(0, K8S_DEFAULTS.revisionsPerWorkload);

/** Pure: a Deployment's history from the ReplicaSets it owns (each annotated with its revision). */
export function deploymentHistory(d: V1Deployment, replicaSets: V1ReplicaSet[]): WorkloadData {
  const current = Number(d.metadata?.annotations?.[REVISION_ANNOTATION]);
  return {
    kind: 'Deployment',
    name: d.metadata?.name ?? '',
    namespace: d.metadata?.namespace ?? '',
    currentRevision: Number.isFinite(current) ? current : undefined,
    replicas: d.spec?.replicas,
    readyReplicas: d.status?.readyReplicas ?? 0,
    revisions: newestFirst(
      replicaSets
        .filter((rs) => ownedBy(rs.metadata, 'Deployment', d.metadata))
        .map((rs) =>
          revision(
            rs.metadata,
            Number(rs.metadata?.annotations?.[REVISION_ANNOTATION] ?? 0),
            rs.spec?.template,
            rs.status,
          ),
        )
        .filter((r) => Number.isFinite(r.revision)),
    ),
  };
}

/** Pure: a StatefulSet's history from its ControllerRevisions, whose `data` holds the template. */
export function statefulSetHistory(s: V1StatefulSet, revisions: V1ControllerRevision[]): WorkloadData {
  const owned = revisions.filter((r) => ownedBy(r.metadata, 'StatefulSet', s.metadata));
  const current = owned.find((r) => r.metadata?.name === s.status?.updateRevision);
  return {
    kind: 'StatefulSet',
    name: s.metadata?.name ?? '',
    namespace: s.metadata?.namespace ?? '',
    currentRevision: current?.revision,
    replicas: s.spec?.replicas,
    readyReplicas: s.status?.readyReplicas ?? 0,
    revisions: newestFirst(
      owned.map((r) =>
        revision(
          r.metadata,
          r.revision,
          (r.data as { spec?: { template?: V1PodTemplateSpec } } | undefined)?.spec?.template,
        ),
      ),
    ),
  };
}

/** Pure: the image changes in a workload's history, newest first. */
export function rolloutsOf(w: WorkloadData): RolloutData[] {
  const oldestFirst = [...w.revisions].reverse();
  return oldestFirst
    .map((r, i) => ({ r, previous: oldestFirst[i - 1] }))
    .filter(({ r, previous }) =>
      previous ? previous.images.join(',') !== r.images.join(',') : r.revision > 1,
    )
    .map(({ r, previous }) => ({
      workload: `${w.kind}/${w.name}`,
      kind: w.kind,
      namespace: w.namespace,
      revision: r.revision,
      at: r.createdAt,
      images: r.images,
      previousImages: previous?.images,
      changeCause: r.changeCause,
      version: r.version,
      env: r.env,
      current: r.revision === w.currentRevision,
    }))
    .reverse();
}

function rolloutLine(r: RolloutData): string {
  const from = r.previousImages ? `${r.previousImages.join(', ')} → ` : '';
  return `- ${r.at ?? '(time unknown)'} ${r.namespace}/${r.workload} revision ${r.revision}${r.current ? ' (current)' : ''}: ${from}${r.images.join(', ')}${r.version ? ` [version ${r.version}]` : ''}${r.changeCause ? ` — ${truncate(r.changeCause, 160)}` : ''}`;
}

export function rolloutsTool(apis: () => K8sApis): Tool {
  return defineTool<{ service: string; namespace?: string }, RolloutsData>({
    name: 'k8s.rollouts',
    integration: 'kubernetes',
    description:
      "Show the rollout history of a service's Deployments and StatefulSets in Kubernetes: each revision (ReplicaSet or ControllerRevision) with its images, creation time, change-cause annotation and version label, and which image changes happened when. Use it to find a release that reached the cluster, also one that never shows up as a GitHub deployment.",
    input: z.object({ service: ServiceInput, namespace: NamespaceInput.optional() }),
    async run({ service, namespace }, ctx) {
      const scope = serviceScope(service, ctx.catalog, namespace);
      try {
        const list = listers(apis(), ctx.signal);
        const { deployments, statefulSets } = await serviceWorkloads(scope, list);
        const workloads = await Promise.all([
          ...deployments.items.map(async (d) =>
            deploymentHistory(
              d,
              (await list.replicaSets(selectorOf(d.spec?.selector?.matchLabels), d.metadata?.namespace))
                .items,
            ),
          ),
          ...statefulSets.items.map(async (s) =>
            statefulSetHistory(
              s,
              (
                await list.controllerRevisions(
                  selectorOf(s.spec?.selector?.matchLabels),
                  s.metadata?.namespace,
                )
              ).items,
            ),
          ),
        ]);
        const rollouts = workloads.flatMap(rolloutsOf).sort((a, b) => (b.at ?? '').localeCompare(a.at ?? ''));
        const selector = deployments.items.length > 0 ? deployments.selector : statefulSets.selector;
        const shown = rollouts.slice(0, K8S_DEFAULTS.summaryRows);
        const head =
          workloads.length === 0
            ? `No Deployment or StatefulSet of ${service} ${whereOf(scope)} (selectors tried: ${scope.selectors.join('; ')}).`
            : `${workloads.map((w) => `${w.kind} ${refOf(w)} at revision ${w.currentRevision ?? '?'} (${w.readyReplicas ?? 0}/${w.replicas ?? '?'} ready)`).join('; ')}. ${rollouts.length} image changes in the history kept:`;
        return {
          ok: true,
          summary: [head, ...shown.map(rolloutLine)].join('\n'),
          data: { service, selector, workloads, rollouts },
          citations: shown.map((r) => ({
            source: 'kubernetes' as const,
            ref: `rollout:${r.namespace}/${r.workload}@${r.revision}`,
            title: `${r.workload} revision ${r.revision}: ${r.images.join(', ')}`,
          })),
          truncated: deployments.more || statefulSets.more || rollouts.length > shown.length,
        };
      } catch (err) {
        return failure(describeK8sError(err, `the rollout history of ${service}`));
      }
    },
  });
}
