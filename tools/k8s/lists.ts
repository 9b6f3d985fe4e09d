import type {
  CoreV1Event,
  V1ControllerRevision,
  V1Deployment,
  V1Node,
  V1Pod,
  V1ReplicaSet,
  V1StatefulSet,
  V2HorizontalPodAutoscaler,
} from '@kubernetes/client-node';
import { K8S_DEFAULTS } from '../defaults';
import { type K8sApis, withSignal } from './client';
import { type Listed, listForService, type ServiceScope } from './service-scope';

/**
 * The list calls the tools make (get/list only), each in a namespace or across all of them, and
 * bounded to K8S_DEFAULTS.listLimit objects: a `continue` token in the answer means there were more.
 */
export type Lister<T> = (selector: string | undefined, namespace: string | undefined) => Promise<Listed<T>>;

function listed<T>(list: { items: T[]; metadata?: { _continue?: string } }): Listed<T> {
  return { items: list.items ?? [], more: Boolean(list.metadata?._continue) };
}

export function listers(apis: K8sApis, signal: AbortSignal) {
  const options = withSignal(signal);
  const q = (labelSelector: string | undefined) => ({ labelSelector, limit: K8S_DEFAULTS.listLimit });
  return {
    pods: ((s, namespace) =>
      (namespace
        ? apis.core.listNamespacedPod({ namespace, ...q(s) }, options)
        : apis.core.listPodForAllNamespaces(q(s), options)
      ).then(listed)) as Lister<V1Pod>,
    events: ((s, namespace) =>
      (namespace
        ? apis.core.listNamespacedEvent({ namespace, ...q(s) }, options)
        : apis.core.listEventForAllNamespaces(q(s), options)
      ).then(listed)) as Lister<CoreV1Event>,
    deployments: ((s, namespace) =>
      (namespace
        ? apis.apps.listNamespacedDeployment({ namespace, ...q(s) }, options)
        : apis.apps.listDeploymentForAllNamespaces(q(s), options)
      ).then(listed)) as Lister<V1Deployment>,
    statefulSets: ((s, namespace) =>
      (namespace
        ? apis.apps.listNamespacedStatefulSet({ namespace, ...q(s) }, options)
        : apis.apps.listStatefulSetForAllNamespaces(q(s), options)
      ).then(listed)) as Lister<V1StatefulSet>,
    replicaSets: ((s, namespace) =>
      (namespace
        ? apis.apps.listNamespacedReplicaSet({ namespace, ...q(s) }, options)
        : apis.apps.listReplicaSetForAllNamespaces(q(s), options)
      ).then(listed)) as Lister<V1ReplicaSet>,
    controllerRevisions: ((s, namespace) =>
      (namespace
        ? apis.apps.listNamespacedControllerRevision({ namespace, ...q(s) }, options)
        : apis.apps.listControllerRevisionForAllNamespaces(q(s), options)
      ).then(listed)) as Lister<V1ControllerRevision>,
    hpas: ((s, namespace) =>
      (namespace
        ? apis.autoscaling.listNamespacedHorizontalPodAutoscaler({ namespace, ...q(s) }, options)
        : apis.autoscaling.listHorizontalPodAutoscalerForAllNamespaces(q(s), options)
      ).then(listed)) as Lister<V2HorizontalPodAutoscaler>,
    nodes: ((s) => apis.core.listNode(q(s), options).then(listed)) as Lister<V1Node>,
  };
}

/** A time the client parsed into a Date (or a string it left alone), as ISO; undefined when absent or invalid. */
export function isoOf(value: Date | string | null | undefined): string | undefined {
  if (value === null || value === undefined) return undefined;
  const ms = value instanceof Date ? value.getTime() : Date.parse(value);
  return Number.isFinite(ms) ? new Date(ms).toISOString() : undefined;
}

/** `namespace/name`, how kubectl and people refer to a namespaced object. */
export function refOf(meta: { namespace?: string; name?: string } | undefined): string {
  return meta?.namespace ? `${meta.namespace}/${meta.name ?? ''}` : (meta?.name ?? '');
}

/** A label selector from a workload's `spec.selector.matchLabels` (matchExpressions are rare for workloads). */
export function selectorOf(matchLabels: Record<string, string> | undefined): string | undefined {
  const entries = Object.entries(matchLabels ?? {});
  return entries.length > 0 ? entries.map(([k, v]) => `${k}=${v}`).join(',') : undefined;
}

export const truncate = (s: string | undefined, n: number = K8S_DEFAULTS.messageChars): string =>
  (s ?? '').replace(/\s+/g, ' ').trim().slice(0, n);

/** A service's Deployments and StatefulSets, each found by the first of its selectors that finds any. */
export async function serviceWorkloads(scope: ServiceScope, list: ReturnType<typeof listers>) {
  const [deployments, statefulSets] = await Promise.all([
    listForService(scope, list.deployments),
    listForService(scope, list.statefulSets),
  ]);
  return { deployments, statefulSets };
}
