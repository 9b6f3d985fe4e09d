import type { V1Node } from '@kubernetes/client-node';
import { z } from 'zod';
import { defineTool, failure, type Tool } from '../contract';
import { K8S_DEFAULTS } from '../defaults';
import { describeK8sError, type K8sApis } from './client';
import { isoOf, listers, truncate } from './lists';
import { listForService, ServiceInput, serviceScope } from './service-scope';

export type NodeConditionData = {
  type: string;
  status: string;
  reason?: string;
  message?: string;
  since?: string;
};

export type NodeData = {
  name: string;
  /** The Ready condition's status: True, False or Unknown (the kubelet stopped reporting). */
  ready: string;
  /** Conditions that are not as a healthy node has them. */
  problems: NodeConditionData[];
  unschedulable: boolean;
  zone?: string;
  kubeletVersion?: string;
  /** One of the service's pods runs on it. */
  hostsService: boolean;
};

export type NodesData = { nodes: NodeData[]; notReady: string[] };

/** Pressure and network conditions are healthy when False; Ready when True. */
const HEALTHY_WHEN_FALSE = new Set(['MemoryPressure', 'DiskPressure', 'PIDPressure', 'NetworkUnavailable']);

/** Pure: one node's health. */
export function readNode(n: V1Node, hostsService: boolean): NodeData {
  const conditions = n.status?.conditions ?? [];
  const problems = conditions
    .filter((c) =>
      c.type === 'Ready' ? c.status !== 'True' : HEALTHY_WHEN_FALSE.has(c.type) && c.status !== 'False',
    )
    .map((c) => ({
      type: c.type,
      status: c.status,
      reason: c.reason,
      message: c.message === undefined ? undefined : truncate(c.message),
      since: isoOf(c.lastTransitionTime),
    }));
  return {
    name: n.metadata?.name ?? '',
    ready: conditions.find((c) => c.type === 'Ready')?.status ?? 'Unknown',
    problems,
    unschedulable: n.spec?.unschedulable === true,
    zone: n.metadata?.labels?.['topology.kubernetes.io/zone'],
    kubeletVersion: n.status?.nodeInfo?.kubeletVersion,
    hostsService,
  };
}

export function nodesTool(apis: () => K8sApis): Tool {
  return defineTool<{ service?: string }, NodesData>({
    name: 'k8s.nodes',
    integration: 'kubernetes',
    description:
      "List the cluster's nodes with their conditions: Ready (True, False or Unknown when the kubelet stopped reporting), memory, disk and PID pressure, network, cordoned, zone. Given a service, the nodes its pods run on are marked and listed first. A NotReady node under the service's pods is infrastructure evidence.",
    input: z.object({ service: ServiceInput.optional() }),
    async run({ service }, ctx) {
      try {
        const list = listers(apis(), ctx.signal);
        const hosts = new Set<string>();
        if (service) {
          const pods = await listForService(serviceScope(service, ctx.catalog), list.pods);
          for (const p of pods.items) if (p.spec?.nodeName) hosts.add(p.spec.nodeName);
        }
        const found = await list.nodes(undefined, undefined);
        const nodes = found.items
          .map((n) => readNode(n, hosts.has(n.metadata?.name ?? '')))
          .sort(
            (a, b) =>
              Number(b.hostsService) - Number(a.hostsService) ||
              b.problems.length - a.problems.length ||
              a.name.localeCompare(b.name),
          );
        const notReady = nodes.filter((n) => n.ready !== 'True').map((n) => n.name);
        const troubled = nodes.filter((n) => n.problems.length > 0 || n.unschedulable || n.hostsService);
        const shown = troubled.slice(0, K8S_DEFAULTS.summaryRows);
        const head = `${nodes.length} nodes, ${notReady.length} not ready${service ? `; ${hosts.size} run pods of ${service}` : ''}.`;
        return {
          ok: true,
          summary: [
            head,
            ...shown.map(
              (n) =>
                `- ${n.name}${n.zone ? ` (${n.zone})` : ''}: Ready ${n.ready}${n.unschedulable ? ', cordoned' : ''}${n.hostsService ? `, runs ${service}` : ''}${n.problems.length ? ` — ${n.problems.map((c) => `${c.type}=${c.status}${c.reason ? ` ${c.reason}` : ''}${c.since ? ` since ${c.since}` : ''}`).join('; ')}` : ''}`,
            ),
          ].join('\n'),
          data: { nodes, notReady },
          citations: shown.map((n) => ({
            source: 'kubernetes' as const,
            ref: `node:${n.name}`,
            title: `Node ${n.name}`,
          })),
          truncated: found.more || troubled.length > shown.length,
        };
      } catch (err) {
        return failure(describeK8sError(err, 'the nodes'));
      }
    },
  });
}
