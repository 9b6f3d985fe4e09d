import type { K8sEventsData } from '../../tools/k8s/events';
import type { HpasData } from '../../tools/k8s/hpa';
import type { NodesData } from '../../tools/k8s/nodes';
import type { PodsData } from '../../tools/k8s/pods';
import type { RolloutsData } from '../../tools/k8s/rollouts';
import type { ChangeCandidate, Observation } from './evidence';

/**
 * What the cluster shows, in the evidence model's terms (issue 18): an image change rolled out
 * by a Deployment is a change (joined with its GitHub deployment by version); OOM kills and crash
 * loops, an autoscaler at its maximum and a node that is not Ready are observations, which link
 * memory and bad-release causes, capacity and infrastructure. Pure: tool data in, evidence out.
 */
export type ClusterEvidence = { changes: ChangeCandidate[]; observations: Observation[] };

export function fromPods(d: PodsData, evidence: string): ClusterEvidence {
  const observations: Observation[] = [];
  for (const p of d.pods)
    for (const c of p.containers) {
      const oom = c.lastTermination?.reason === 'OOMKilled' || c.reason === 'OOMKilled';
      const looping = c.reason === 'CrashLoopBackOff';
      if (!oom && !looping) continue;
      const time = Date.parse(c.lastTermination?.finishedAt ?? p.startedAt ?? '');
      observations.push({
        kind: oom ? 'oom' : 'restart',
        title: `Container ${c.name} in pod ${p.name} ${oom ? 'was OOMKilled' : 'is in CrashLoopBackOff'} (${c.restarts} restarts)`,
        text: `${p.version ? `version ${p.version}` : ''} ${c.image}`.trim(),
        time: Number.isFinite(time) ? time : Number.NaN,
        service: d.service,
        ...(p.node ? { host: p.node } : {}),
        tags: [`service:${d.service}`, `pod_name:${p.name}`, ...(p.version ? [`version:${p.version}`] : [])],
        evidence,
      });
    }
  return { changes: [], observations: observations.filter((o) => Number.isFinite(o.time)) };
}

export function fromRollouts(d: RolloutsData, evidence: string): ClusterEvidence {
  const changes: ChangeCandidate[] = d.rollouts.flatMap((r) => {
    const time = Date.parse(r.at ?? '');
    if (!Number.isFinite(time)) return [];
    const image = r.images.join(', ');
    return [
      {
        kind: 'deployment' as const,
        ref: `${r.workload}@${r.revision}`,
        title: `${r.workload} revision ${r.revision} rolled out ${image}${r.changeCause ? ` (${r.changeCause})` : ''}`,
        service: d.service,
        time,
        text: `${r.changeCause ?? ''} ${image} ${r.previousImages ? `was ${r.previousImages.join(', ')}` : ''}`,
        files: [],
        origin: 'event' as const,
        deployment: {
          ...(r.version
            ? { version: r.version }
            : imageTag(r.images[0])
              ? { version: imageTag(r.images[0])! }
              : {}),
          phase: 'start' as const,
        },
        evidence: [evidence],
      },
    ];
  });
  return { changes, observations: [] };
}

export function fromHpa(d: HpasData, evidence: string, now: number): ClusterEvidence {
  return {
    changes: [],
    observations: d.hpas
      .filter((h) => h.atMax || h.scalingLimited)
      .map((h) => ({
        kind: 'autoscaler' as const,
        title: `HorizontalPodAutoscaler ${h.name} at its maximum: ${h.currentReplicas}/${h.maxReplicas} replicas${h.limitReason ? ` (${h.limitReason})` : ''}`,
        text: h.metrics.map((m) => `${m.name} ${m.current}`).join(', '),
        time: Date.parse(h.lastScaleTime ?? '') || now,
        service: d.service,
        tags: [`service:${d.service}`, 'at_max:true'],
        evidence,
      })),
  };
}

export function fromNodes(d: NodesData, evidence: string, now: number): ClusterEvidence {
  return {
    changes: [],
    observations: d.nodes
      .filter((n) => n.hostsService && (n.ready !== 'True' || n.problems.length > 0))
      .map((n) => {
        const since = n.problems.map((p) => Date.parse(p.since ?? '')).filter(Number.isFinite);
        return {
          kind: 'node' as const,
          title: `Node ${n.name} ${n.ready !== 'True' ? `is NotReady (${n.ready})` : `reports ${n.problems.map((p) => p.type).join(', ')}`}`,
          text: n.problems.map((p) => `${p.type}: ${p.reason ?? ''} ${p.message ?? ''}`).join('; '),
          time: since.length ? Math.min(...since) : now,
          host: n.name,
          tags: [`host:${n.name}`, ...(n.zone ? [`availability-zone:${n.zone}`] : [])],
          evidence,
        };
      }),
  };
}

/** Warning events about the service, by their reason. */
export function fromEvents(d: K8sEventsData, service: string | undefined, evidence: string): ClusterEvidence {
  const kindOf = (reason: string): Observation['kind'] =>
    /oom/i.test(reason)
      ? 'oom'
      : /backoff|crash/i.test(reason)
        ? 'restart'
        : /unhealthy|probe/i.test(reason)
          ? 'probe'
          : /node/i.test(reason)
            ? 'node'
            : 'other';
  return {
    changes: [],
    observations: d.events
      .filter((e) => e.type === 'Warning' && e.aboutService)
      .map((e) => ({
        kind: kindOf(e.reason),
        title: `${e.reason}: ${e.object}`,
        text: e.message,
        time: Date.parse(e.time),
        ...(service ? { service } : {}),
        tags: [`object:${e.object}`, `reason:${e.reason}`],
        evidence,
      }))
      .filter((o) => Number.isFinite(o.time)),
  };
}

/** The tag of an image reference (`registry/app:1.4.2` gives 1.4.2), never a digest. */
function imageTag(image: string | undefined): string | undefined {
  const m = /:([\w][\w.-]{0,127})$/.exec(image ?? '');
  return m && !image!.includes('@sha256') ? m[1] : undefined;
}
