import { K8S_DEFAULTS } from '../../tools/defaults';
import type { K8sEventsData } from '../../tools/k8s/events';
import type { HpasData } from '../../tools/k8s/hpa';
import type { NodesData } from '../../tools/k8s/nodes';
import type { PodsData } from '../../tools/k8s/pods';
import type { RolloutsData } from '../../tools/k8s/rollouts';
import type { ChangeCandidate, Observation } from './types';

/**
 * What the cluster shows, in the evidence model's terms (issue 18): an image change rolled out
 * by a Deployment is a change (joined with its GitHub deployment by version); OOM kills and crash
 * loops, an autoscaler at its maximum and a node that is not Ready are observations, which link
 * memory and bad-release causes, capacity and infrastructure. Pure: tool data in, evidence out.
 */
export type ClusterEvidence = { changes: ChangeCandidate[]; observations: Observation[] };

/**
 * OOM kills and crash loops of the service's containers; and a container that restarted after
 * exiting with an error in the hours before now (a runtime that aborts at its own heap limit, as
 * the JVM or Node do, exits with an error code rather than OOMKilled). Restarts from long before
 * the alert are history, not this incident.
 */
export function fromPods(d: PodsData, evidence: string, now: number): ClusterEvidence {
  const observations: Observation[] = [];
  for (const p of d.pods)
    for (const c of p.containers) {
      const oom = c.lastTermination?.reason === 'OOMKilled' || c.reason === 'OOMKilled';
      const looping = c.reason === 'CrashLoopBackOff';
      const ended = Date.parse(c.lastTermination?.finishedAt ?? '');
      const failedRecently =
        c.restarts > 0 &&
        (c.lastTermination?.exitCode ?? 0) !== 0 &&
        now - ended <= K8S_DEFAULTS.eventsSpanMs;
      if (!oom && !looping && !failedRecently) continue;
      const time = Number.isFinite(ended) ? ended : Date.parse(p.startedAt ?? '');
      const last = c.lastTermination;
      observations.push({
        kind: oom ? 'oom' : 'restart',
        title: `Container ${c.name} in pod ${p.name} ${
          oom
            ? 'was OOMKilled'
            : looping
              ? 'is in CrashLoopBackOff'
              : `exited ${last?.reason ?? 'with an error'} (exit code ${last?.exitCode})`
        } (${c.restarts} restarts)`,
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

/**
 * Each image change is a deployment change, named by its workload revision. It joins the GitHub
 * deployment or DataDog deploy event of the same release through the commit its image tag or
 * change-cause names (`:1.4.2-3f2a9c1`, `:sha-3f2a9c1d0e4b`, `deploy checkout 1.4.2 (3f2a9c1)`),
 * else its version label; with neither record it is the release's only trace, and the commit it
 * names is the head of the range it shipped (rollouts.ts buildChangeUnits).
 */
export function fromRollouts(d: RolloutsData, evidence: string): ClusterEvidence {
  const changes: ChangeCandidate[] = d.rollouts.flatMap((r) => {
    const time = Date.parse(r.at ?? '');
    if (!Number.isFinite(time)) return [];
    const image = r.images.join(', ');
    const ref = `${r.namespace}/${r.workload}@${r.revision}`;
    const version = r.version ?? imageTag(r.images[0]);
    const sha = shaNamed([...r.images.map(imageTag), r.changeCause, r.version]);
    return [
      {
        kind: 'deployment' as const,
        ref,
        title: `${r.workload} revision ${r.revision} rolled out ${image}${r.changeCause ? ` (${r.changeCause})` : ''}`,
        service: d.service,
        time,
        // kubectl's flags (`--record=true`) say nothing about what changed: they are not matched against the errors.
        text: `${(r.changeCause ?? '').replace(/(^|\s)--?[\w-]+(=\S*)?/g, '')} ${image} ${r.previousImages ? `was ${r.previousImages.join(', ')}` : ''}`,
        files: [],
        ...(r.env ? { environment: r.env } : {}),
        origin: 'cluster' as const,
        deployment: {
          id: ref,
          ...(sha ? { sha } : {}),
          ...(version ? { version } : {}),
          ...(r.env ? { env: r.env } : {}),
          phase: 'start' as const,
        },
        evidence: [evidence],
      },
    ];
  });
  return { changes, observations: [] };
}

/**
 * The commit a revision names: the first token of 7 to 40 hex digits (a short or full sha, also
 * git describe's `g3f2a9c1`) in its image tag, change-cause or version. A token of digits alone is a build number, not a sha,
 * unless it is too long to be one.
 */
export function shaNamed(texts: readonly (string | undefined)[]): string | undefined {
  for (const t of texts)
    for (const m of (t ?? '').matchAll(/(?<![\w.])g?([0-9a-f]{7,40})(?![\w.])/gi)) {
      const token = m[1]!.toLowerCase();
      if (/[a-f]/.test(token) || token.length >= 12) return token;
    }
  return undefined;
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
