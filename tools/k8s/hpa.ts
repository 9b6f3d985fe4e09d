import type { V2HorizontalPodAutoscaler, V2MetricStatus } from '@kubernetes/client-node';
import { z } from 'zod';
import { defineTool, failure, type Tool } from '../contract';
import { K8S_DEFAULTS } from '../defaults';
import { describeK8sError, type K8sApis } from './client';
import { isoOf, listers, refOf, serviceWorkloads } from './lists';
import { listForService, NamespaceInput, ServiceInput, serviceScope, whereOf } from './service-scope';

export type HpaData = {
  name: string;
  namespace: string;
  /** `Kind/name` of what it scales. */
  target: string;
  minReplicas?: number;
  maxReplicas: number;
  currentReplicas: number;
  desiredReplicas: number;
  /** At its ceiling: it cannot add the capacity the load asks for. */
  atMax: boolean;
  /** The ScalingLimited condition holds (TooManyReplicas: the wanted count is above the maximum). */
  scalingLimited: boolean;
  limitReason?: string;
  lastScaleTime?: string;
  metrics: { name: string; current: string }[];
};

export type HpasData = { service: string; hpas: HpaData[] };

function metricOf(m: V2MetricStatus): { name: string; current: string } {
  const source = m.resource ?? m.containerResource ?? m.pods ?? m.object ?? m.external;
  const current = (
    source as { current?: { averageUtilization?: number; averageValue?: string; value?: string } }
  )?.current;
  const name =
    m.resource?.name ??
    m.containerResource?.name ??
    m.pods?.metric?.name ??
    m.object?.metric?.name ??
    m.external?.metric?.name ??
    m.type;
  return {
    name,
    current:
      current?.averageUtilization !== undefined
        ? `${current.averageUtilization}%`
        : (current?.averageValue ?? current?.value ?? '?'),
  };
}

/** Pure: one autoscaler's state against its bounds. */
export function readHpa(h: V2HorizontalPodAutoscaler): HpaData {
  const limited = h.status?.conditions?.find((c) => c.type === 'ScalingLimited' && c.status === 'True');
  const max = h.spec?.maxReplicas ?? 0;
  const current = h.status?.currentReplicas ?? 0;
  return {
    name: h.metadata?.name ?? '',
    namespace: h.metadata?.namespace ?? '',
    target: `${h.spec?.scaleTargetRef?.kind ?? ''}/${h.spec?.scaleTargetRef?.name ?? ''}`,
    minReplicas: h.spec?.minReplicas,
    maxReplicas: max,
    currentReplicas: current,
    desiredReplicas: h.status?.desiredReplicas ?? 0,
    atMax: max > 0 && current >= max,
    scalingLimited: limited !== undefined,
    limitReason: limited?.reason,
    lastScaleTime: isoOf(h.status?.lastScaleTime),
    metrics: (h.status?.currentMetrics ?? []).map(metricOf),
  };
}

export function hpaTool(apis: () => K8sApis): Tool {
  return defineTool<{ service: string; namespace?: string }, HpasData>({
    name: 'k8s.hpa',
    integration: 'kubernetes',
    description:
      "Show the HorizontalPodAutoscalers of a service's Deployments and StatefulSets: current, desired, min and max replicas, the current metric values, and whether it is at its maximum or limited (ScalingLimited). An HPA at max during a latency or error rise is capacity evidence.",
    input: z.object({ service: ServiceInput, namespace: NamespaceInput.optional() }),
    async run({ service, namespace }, ctx) {
      const scope = serviceScope(service, ctx.catalog, namespace);
      try {
        const list = listers(apis(), ctx.signal);
        const { deployments, statefulSets } = await serviceWorkloads(scope, list);
        const targets = new Set([
          ...deployments.items.map((d) => `${d.metadata?.namespace}/Deployment/${d.metadata?.name}`),
          ...statefulSets.items.map((s) => `${s.metadata?.namespace}/StatefulSet/${s.metadata?.name}`),
        ]);
        const namespaces = [...new Set([...targets].map((t) => t.split('/')[0]!))];
        // No workload found by label: an HPA labelled for the service is still its own.
        const hpas =
          namespaces.length === 0
            ? (await listForService(scope, list.hpas)).items
            : (await Promise.all(namespaces.map((ns) => list.hpas(undefined, ns)))).flatMap((l) =>
                l.items.filter((h) =>
                  targets.has(
                    `${h.metadata?.namespace}/${h.spec?.scaleTargetRef?.kind}/${h.spec?.scaleTargetRef?.name}`,
                  ),
                ),
              );
        const read = hpas.map(readHpa);
        const lines = read.map(
          (h) =>
            `- ${refOf(h)} → ${h.target}: ${h.currentReplicas} current, ${h.desiredReplicas} desired, range ${h.minReplicas ?? 1}–${h.maxReplicas}${h.atMax ? ' — AT MAX' : ''}${h.scalingLimited ? ` (ScalingLimited: ${h.limitReason ?? 'yes'})` : ''}${h.metrics.length ? `; ${h.metrics.map((m) => `${m.name} ${m.current}`).join(', ')}` : ''}${h.lastScaleTime ? `; last scaled ${h.lastScaleTime}` : ''}`,
        );
        return {
          ok: true,
          summary:
            read.length === 0
              ? `No HorizontalPodAutoscaler for ${service} ${whereOf(scope)}.`
              : [
                  `${read.length} autoscalers for ${service}:`,
                  ...lines.slice(0, K8S_DEFAULTS.summaryRows),
                ].join('\n'),
          data: { service, hpas: read },
          citations: read.map((h) => ({
            source: 'kubernetes' as const,
            ref: `hpa:${refOf(h)}`,
            title: `HPA ${refOf(h)}`,
          })),
          truncated: read.length > K8S_DEFAULTS.summaryRows,
        };
      } catch (err) {
        return failure(describeK8sError(err, `the autoscalers of ${service}`));
      }
    },
  });
}
