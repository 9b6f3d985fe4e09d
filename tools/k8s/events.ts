import type { CoreV1Event } from '@kubernetes/client-node';
import { z } from 'zod';
import { defineTool, failure, type Tool } from '../contract';
import { K8S_DEFAULTS } from '../defaults';
import { isoMinute, resolveWindow, TimeInput } from '../time';
import { describeK8sError, type K8sApis } from './client';
import { isoOf, listers, truncate } from './lists';
import { listForService, NamespaceInput, ServiceInput, serviceScope } from './service-scope';

export type K8sEventData = {
  time: string;
  type: string;
  reason: string;
  message: string;
  /** `Kind/name` of the object it is about. */
  object: string;
  namespace: string;
  count: number;
  source: string;
  /** It is about one of the service's pods or workloads (by name). */
  aboutService: boolean;
};

export type K8sEventsData = { namespace?: string; events: K8sEventData[]; warnings: number };

/**
 * Pure: one event. The newest occurrence counts (lastTimestamp); events.k8s.io-style writers set
 * only eventTime, and the object's creation is the last resort.
 */
export function readEvent(
  e: CoreV1Event,
  isAboutService: (kind: string, name: string) => boolean,
): K8sEventData {
  const kind = e.involvedObject?.kind ?? '';
  const name = e.involvedObject?.name ?? '';
  return {
    time:
      isoOf(e.lastTimestamp) ??
      isoOf(e.eventTime) ??
      isoOf(e.firstTimestamp) ??
      isoOf(e.metadata?.creationTimestamp) ??
      '',
    type: e.type ?? 'Normal',
    reason: e.reason ?? '',
    message: truncate(e.message),
    object: `${kind}/${name}`,
    namespace: e.metadata?.namespace ?? '',
    count: e.count ?? 1,
    source: e.source?.component ?? e.reportingComponent ?? '',
    aboutService: isAboutService(kind, name),
  };
}

/** Pure: a workload named like the service, its ReplicaSets, pods and HPA (`checkout`, `checkout-7d9f8c6b5d-x2x7q`), or a pod seen. */
export function aboutServiceBy(service: string | undefined, podNames: ReadonlySet<string>) {
  return (_kind: string, name: string) =>
    podNames.has(name) || (service !== undefined && (name === service || name.startsWith(`${service}-`)));
}

export function eventsTool(apis: () => K8sApis): Tool {
  return defineTool<
    { service?: string; namespace?: string; from?: string; to?: string; warningsOnly?: boolean },
    K8sEventsData
  >({
    name: 'k8s.events',
    integration: 'kubernetes',
    description:
      "List recent Kubernetes events (default: the 6 hours before now), newest first, in a service's namespace (found from its pods) or a namespace given: back-offs, OOM kills, failed probes, scheduling failures, scaling and rollouts. Events about the service's own pods and workloads are marked and listed first.",
    input: z.object({
      service: ServiceInput.optional(),
      namespace: NamespaceInput.optional(),
      from: TimeInput.optional(),
      to: TimeInput.optional(),
      warningsOnly: z.boolean().optional().describe('Only Warning events'),
    }),
    async run({ service, namespace, from, to, warningsOnly }, ctx) {
      const w = resolveWindow({ from, to }, ctx.now, K8S_DEFAULTS.eventsSpanMs);
      try {
        const list = listers(apis(), ctx.signal);
        let ns = namespace;
        let podNames = new Set<string>();
        if (service) {
          const scope = serviceScope(service, ctx.catalog, namespace);
          const pods = await listForService(scope, list.pods);
          podNames = new Set(pods.items.map((p) => p.metadata?.name ?? ''));
          ns ??= scope.namespace ?? pods.items[0]?.metadata?.namespace;
          if (!ns)
            return failure(
              `no pods of ${service} found (selectors tried: ${scope.selectors.join('; ')}), so its namespace is unknown: pass namespace`,
            );
        }
        const found = await list.events(undefined, ns);
        const events = found.items
          .map((e) => readEvent(e, aboutServiceBy(service, podNames)))
          .filter((e) => {
            const t = Date.parse(e.time);
            return t >= w.from && t <= w.to && (!warningsOnly || e.type === 'Warning');
          })
          .sort((a, b) => Number(b.aboutService) - Number(a.aboutService) || b.time.localeCompare(a.time));
        const where = ns ? `namespace ${ns}` : 'every namespace';
        const shown = events.slice(0, K8S_DEFAULTS.summaryRows);
        return {
          ok: true,
          summary:
            events.length === 0
              ? `No events in ${where} between ${isoMinute(w.from)} and ${isoMinute(w.to)} UTC.`
              : [
                  `${events.length} events in ${where} between ${isoMinute(w.from)} and ${isoMinute(w.to)} UTC${service ? ` (${events.filter((e) => e.aboutService).length} about ${service})` : ''}:`,
                  ...shown.map(
                    (e) =>
                      `- ${isoMinute(Date.parse(e.time))} ${e.type} ${e.reason} ${e.object}${e.count > 1 ? ` ×${e.count}` : ''}: ${e.message}`,
                  ),
                ].join('\n'),
          data: { namespace: ns, events, warnings: events.filter((e) => e.type === 'Warning').length },
          citations: shown.map((e) => ({
            source: 'kubernetes' as const,
            ref: `event:${e.namespace}/${e.object}/${e.reason}`,
            title: `${e.reason} ${e.object}`,
          })),
          truncated: found.more || events.length > shown.length,
        };
      } catch (err) {
        return failure(describeK8sError(err, `the events of ${namespace ?? service ?? 'the cluster'}`));
      }
    },
  });
}
