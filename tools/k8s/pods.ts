import type { V1ContainerStatus, V1Pod } from '@kubernetes/client-node';
import { z } from 'zod';
import { defineTool, failure, type Tool } from '../contract';
import { K8S_DEFAULTS } from '../defaults';
import { describeK8sError, type K8sApis } from './client';
import { isoOf, listers, refOf, truncate } from './lists';
import { listForService, NamespaceInput, ServiceInput, serviceScope, whereOf } from './service-scope';

export type ContainerData = {
  name: string;
  image: string;
  ready: boolean;
  restarts: number;
  state: 'running' | 'waiting' | 'terminated' | 'unknown';
  /** Why it waits or ended (CrashLoopBackOff, ImagePullBackOff, OOMKilled, Error...). */
  reason?: string;
  /** How the previous run of the container ended: what a restart count is made of. */
  lastTermination?: { reason?: string; exitCode?: number; finishedAt?: string };
};

export type PodData = {
  name: string;
  namespace: string;
  node?: string;
  phase: string;
  ready: boolean;
  restarts: number;
  /** The `tags.datadoghq.com/version` label: the release it runs. */
  version?: string;
  startedAt?: string;
  /** A container of it was killed for exceeding its memory limit (now or in its last run). */
  oomKilled: boolean;
  crashLooping: boolean;
  containers: ContainerData[];
};

export type PodsData = {
  service: string;
  selector: string;
  pods: PodData[];
  totals: { pods: number; ready: number; restarts: number; oomKilled: number; crashLooping: number };
};

function readContainer(c: V1ContainerStatus): ContainerData {
  const s = c.state;
  const last = c.lastState?.terminated;
  return {
    name: c.name,
    image: c.image,
    ready: c.ready,
    restarts: c.restartCount ?? 0,
    state: s?.running ? 'running' : s?.waiting ? 'waiting' : s?.terminated ? 'terminated' : 'unknown',
    reason: s?.waiting?.reason ?? s?.terminated?.reason,
    ...(last
      ? {
          lastTermination: {
            reason: last.reason,
            exitCode: last.exitCode,
            finishedAt: isoOf(last.finishedAt),
          },
        }
      : {}),
  };
}

/** Pure: what one pod says about the service's health. */
export function readPod(p: V1Pod): PodData {
  const containers = [...(p.status?.initContainerStatuses ?? []), ...(p.status?.containerStatuses ?? [])].map(
    readContainer,
  );
  const app = (p.status?.containerStatuses ?? []).map(readContainer);
  return {
    name: p.metadata?.name ?? '',
    namespace: p.metadata?.namespace ?? '',
    node: p.spec?.nodeName,
    phase: p.status?.phase ?? 'Unknown',
    ready: p.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True') ?? false,
    restarts: app.reduce((n, c) => n + c.restarts, 0),
    version: p.metadata?.labels?.[K8S_DEFAULTS.versionLabel],
    startedAt: isoOf(p.status?.startTime),
    oomKilled: containers.some((c) => c.reason === 'OOMKilled' || c.lastTermination?.reason === 'OOMKilled'),
    crashLooping: containers.some((c) => c.reason === 'CrashLoopBackOff'),
    containers,
  };
}

function podLine(p: PodData): string {
  const trouble = p.containers
    .filter((c) => !c.ready || c.lastTermination)
    .map((c) => {
      const last = c.lastTermination
        ? `; last ended ${c.lastTermination.reason ?? 'unknown'} (exit ${c.lastTermination.exitCode ?? '?'})${c.lastTermination.finishedAt ? ` at ${c.lastTermination.finishedAt}` : ''}`
        : '';
      return `${c.name} ${c.state}${c.reason ? ` ${c.reason}` : ''}${last}`;
    })
    .join('; ');
  return `- ${refOf(p)} ${p.phase}${p.ready ? ' ready' : ' NOT ready'}, ${p.restarts} restarts${p.version ? `, version ${p.version}` : ''}${p.node ? `, node ${p.node}` : ''}${trouble ? ` — ${truncate(trouble)}` : ''}`;
}

export function podsTool(apis: () => K8sApis): Tool {
  return defineTool<{ service: string; namespace?: string }, PodsData>({
    name: 'k8s.pods',
    integration: 'kubernetes',
    description:
      'List the Kubernetes pods of a service (found by its app.kubernetes.io/name or tags.datadoghq.com/service label, or the catalog): phase, readiness, restarts, the version label, and per container its state and how its last run ended. Use it to see OOMKilled containers (memory limit hit), CrashLoopBackOff, pods not ready, and which node and version each pod runs.',
    input: z.object({ service: ServiceInput, namespace: NamespaceInput.optional() }),
    async run({ service, namespace }, ctx) {
      const scope = serviceScope(service, ctx.catalog, namespace);
      try {
        const found = await listForService(scope, listers(apis(), ctx.signal).pods);
        const pods = found.items
          .map(readPod)
          .sort((a, b) => Number(a.ready) - Number(b.ready) || b.restarts - a.restarts);
        const totals = {
          pods: pods.length,
          ready: pods.filter((p) => p.ready).length,
          restarts: pods.reduce((n, p) => n + p.restarts, 0),
          oomKilled: pods.filter((p) => p.oomKilled).length,
          crashLooping: pods.filter((p) => p.crashLooping).length,
        };
        const head =
          pods.length === 0
            ? `No pods of ${service} ${whereOf(scope)} (selectors tried: ${scope.selectors.join('; ')}).`
            : `${totals.pods} pods of ${service} (${found.selector}): ${totals.ready} ready, ${totals.restarts} restarts, ${totals.oomKilled} OOMKilled, ${totals.crashLooping} in CrashLoopBackOff.`;
        const shown = pods.slice(0, K8S_DEFAULTS.summaryRows);
        return {
          ok: true,
          summary: [head, ...shown.map(podLine)].join('\n'),
          data: { service, selector: found.selector, pods, totals },
          citations: shown.map((p) => ({
            source: 'kubernetes' as const,
            ref: `pod:${refOf(p)}`,
            title: `Pod ${refOf(p)}`,
          })),
          truncated: found.more || pods.length > shown.length,
        };
      } catch (err) {
        return failure(describeK8sError(err, `the pods of ${service}`));
      }
    },
  });
}
