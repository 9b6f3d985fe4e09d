import { hex, ip, iso, MINUTE, pick, type Rng, uuid } from '../lib';
import { clusterServices } from './cluster';
import type { ClusterPod, ClusterSpec, ImageForm, LabelForm } from './cluster-spec';
import type { WorldDraft } from './draft';
import { regionOf, type Service } from './estate';

/**
 * Renders a world's cluster as the k8s/ folder (README: "Kubernetes in a scenario"): per service
 * with a repository a Deployment, one ReplicaSet per revision (its first one, then each
 * production rollout of it, with image, version label and change-cause), the pods of the current
 * revision (restart counts and how their containers last ended), healthy nodes, and the
 * namespace's events of the last hour (the API server's default event TTL). Objects are written as
 * `kubectl get -o json` writes them; the sandbox serves them in the API's list shape.
 */
const VERSION = 'tags.datadoghq.com/version';
const ENV = 'tags.datadoghq.com/env';
const SERVICE = 'tags.datadoghq.com/service';
const REVISION = 'deployment.kubernetes.io/revision';
const CHANGE_CAUSE = 'kubernetes.io/change-cause';
/** Events older than this are gone: the API server's default `--event-ttl`. */
const EVENT_TTL_MINUTES = 60;

type K8sObject = {
  apiVersion: string;
  kind: string;
  metadata: Record<string, unknown>;
  [k: string]: unknown;
};

type Revision = { n: number; minute: number; version: string; sha: string; rolloutId?: string; hash: string };

export type RenderedCluster = {
  files: Record<string, K8sObject[]>;
  /** A rollout reported by the cluster alone, by its draft id: the workload revision that names it. */
  refs: Map<string, string>;
  /** The catalog's mapping when the workloads carry only an `app` label. */
  catalog?: (service: string) => { namespace: string; labelSelector: string };
};

export function renderCluster(d: WorldDraft, c: ClusterSpec): RenderedCluster {
  const r = c.r;
  const out = { deployments: [] as K8sObject[], replicasets: [] as K8sObject[], pods: [] as K8sObject[] };
  const events: K8sObject[] = [];
  const nodes = new Map<string, string>();
  const refs = new Map<string, string>();
  const time = (minute: number, seconds = Math.floor(r() * 60)) =>
    iso(Date.parse(d.at(minute)) + seconds * 1000);
  const event = (
    involved: { kind: string; name: string; uid: string },
    e: {
      type: 'Normal' | 'Warning';
      reason: string;
      message: string;
      first: number;
      last: number;
      count: number;
    },
    source: { component: string; host?: string },
  ) => {
    if (e.last < -EVENT_TTL_MINUTES || e.last > 0) return;
    const first = time(Math.max(e.first, -EVENT_TTL_MINUTES), 0);
    const last = time(e.last, 30);
    events.push({
      apiVersion: 'v1',
      kind: 'Event',
      metadata: {
        name: `${involved.name}.${hex(r, 16)}`,
        namespace: c.namespace,
        uid: uuid(r),
        creationTimestamp: first,
      },
      involvedObject: {
        kind: involved.kind,
        namespace: c.namespace,
        name: involved.name,
        uid: involved.uid,
        apiVersion: involved.kind === 'Pod' ? 'v1' : 'apps/v1',
      },
      reason: e.reason,
      message: e.message,
      source,
      firstTimestamp: first,
      lastTimestamp: last,
      count: e.count,
      type: e.type,
      eventTime: null,
      reportingComponent: source.component,
      reportingInstance: source.host ?? '',
    });
  };

  for (const s of clusterServices(d)) {
    const given = c.pods.get(s.name);
    const revisions = revisionsOf(d, s, r, given?.pods[0]?.name);
    const current = revisions.at(-1)!;
    const selector = selectorLabels(c.labels, s.name);
    const templateLabels = (v: Revision) => ({
      ...selector,
      ...(c.labels === 'app' ? {} : { [SERVICE]: s.name }),
      [ENV]: d.estate.env,
      [VERSION]: v.version,
    });
    const memoryLimitMi = given?.memoryLimitMi ?? pick(r, [512, 1024, 2048]);
    const container = (v: Revision) => ({
      name: s.name,
      image: imageOf(c, s, v),
      ports: [{ containerPort: 8080, protocol: 'TCP' }],
      resources: {
        limits: { memory: `${memoryLimitMi}Mi` },
        requests: { cpu: '250m', memory: `${memoryLimitMi}Mi` },
      },
      readinessProbe: { httpGet: { path: '/healthz', port: 8080 }, periodSeconds: 10, timeoutSeconds: 1 },
    });
    const replicas = s.hosts.length;
    const deployUid = uuid(r);
    const created = time(revisions[0]!.minute);
    out.deployments.push({
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: {
        name: s.name,
        namespace: c.namespace,
        uid: deployUid,
        generation: current.n + 2,
        creationTimestamp: created,
        labels: { ...selector, ...(c.labels === 'app' ? {} : { [SERVICE]: s.name }) },
        annotations: { [REVISION]: String(current.n), ...causeOf(c, s, current) },
      },
      spec: {
        replicas,
        selector: { matchLabels: selector },
        template: {
          metadata: { creationTimestamp: null, labels: templateLabels(current) },
          spec: { containers: [container(current)] },
        },
        strategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: '25%', maxSurge: '25%' } },
        revisionHistoryLimit: 10,
        progressDeadlineSeconds: 600,
      },
      status: {
        observedGeneration: current.n + 2,
        replicas,
        updatedReplicas: replicas,
        readyReplicas: replicas,
        availableReplicas: replicas,
        conditions: [
          {
            type: 'Available',
            status: 'True',
            lastUpdateTime: time(current.minute + 2),
            lastTransitionTime: time(current.minute + 2),
            reason: 'MinimumReplicasAvailable',
            message: 'Deployment has minimum availability.',
          },
          {
            type: 'Progressing',
            status: 'True',
            lastUpdateTime: time(current.minute + 2),
            lastTransitionTime: created,
            reason: 'NewReplicaSetAvailable',
            message: `ReplicaSet "${s.name}-${current.hash}" has successfully progressed.`,
          },
        ],
      },
    });
    const rsUid = new Map<Revision, string>();
    for (const v of revisions) {
      const name = `${s.name}-${v.hash}`;
      const uid = uuid(r);
      rsUid.set(v, uid);
      const live = v === current;
      out.replicasets.push({
        apiVersion: 'apps/v1',
        kind: 'ReplicaSet',
        metadata: {
          name,
          namespace: c.namespace,
          uid,
          generation: 1,
          creationTimestamp: time(v.minute, 0),
          labels: { ...templateLabels(v), 'pod-template-hash': v.hash },
          annotations: {
            'deployment.kubernetes.io/desired-replicas': String(replicas),
            'deployment.kubernetes.io/max-replicas': String(replicas + 1),
            [REVISION]: String(v.n),
            ...causeOf(c, s, v),
          },
          ownerReferences: [
            {
              apiVersion: 'apps/v1',
              kind: 'Deployment',
              name: s.name,
              uid: deployUid,
              controller: true,
              blockOwnerDeletion: true,
            },
          ],
        },
        spec: {
          replicas: live ? replicas : 0,
          selector: { matchLabels: { ...selector, 'pod-template-hash': v.hash } },
          template: {
            metadata: {
              creationTimestamp: null,
              labels: { ...templateLabels(v), 'pod-template-hash': v.hash },
            },
            spec: { containers: [container(v)] },
          },
        },
        status: live
          ? {
              replicas,
              fullyLabeledReplicas: replicas,
              readyReplicas: replicas,
              availableReplicas: replicas,
              observedGeneration: 1,
            }
          : { replicas: 0, observedGeneration: 2 },
      });
      if (v.rolloutId && !reportedElsewhere(c, s))
        refs.set(v.rolloutId, `${c.namespace}/Deployment/${s.name}@${v.n}`);
      const previous = revisions[revisions.indexOf(v) - 1];
      if (previous) {
        event(
          { kind: 'Deployment', name: s.name, uid: deployUid },
          {
            type: 'Normal',
            reason: 'ScalingReplicaSet',
            message: `Scaled up replica set ${name} to ${replicas}`,
            first: v.minute,
            last: v.minute,
            count: 1,
          },
          { component: 'deployment-controller' },
        );
        event(
          { kind: 'Deployment', name: s.name, uid: deployUid },
          {
            type: 'Normal',
            reason: 'ScalingReplicaSet',
            message: `Scaled down replica set ${s.name}-${previous.hash} to 0 from ${replicas}`,
            first: v.minute + 2,
            last: v.minute + 2,
            count: 1,
          },
          { component: 'deployment-controller' },
        );
      }
    }
    // The current revision's pods: the class's (a memory leak's, with their kills) or one per host.
    const pods: ClusterPod[] =
      given?.pods ??
      s.hosts.map((h) => ({
        name: podLike(s, h.name) ? h.name : `${s.name}-${current.hash}-${hex(r, 5)}`,
        host: h.name,
        kills: [],
        thrash: 0,
      }));
    for (const p of pods) {
      const node = podLike(s, p.host) ? nodeNameFor(nodes, p.host, r) : p.host;
      nodes.set(p.host, node);
      const podUid = uuid(r);
      const started = current.minute + 1;
      const kills = p.kills.filter((k) => k > started);
      const last = kills.at(-1);
      const podIp = ip(r);
      const termination = given?.termination;
      const containerId = () => `containerd://${hex(r, 64)}`;
      const image = imageOf(c, s, current);
      out.pods.push({
        apiVersion: 'v1',
        kind: 'Pod',
        metadata: {
          name: p.name,
          generateName: `${s.name}-${current.hash}-`,
          namespace: c.namespace,
          uid: podUid,
          creationTimestamp: time(current.minute, 5),
          labels: { ...templateLabels(current), 'pod-template-hash': current.hash },
          ownerReferences: [
            {
              apiVersion: 'apps/v1',
              kind: 'ReplicaSet',
              name: `${s.name}-${current.hash}`,
              uid: rsUid.get(current),
              controller: true,
              blockOwnerDeletion: true,
            },
          ],
        },
        spec: {
          containers: [container(current)],
          restartPolicy: 'Always',
          nodeName: node,
          serviceAccountName: s.name,
        },
        status: {
          phase: 'Running',
          conditions: [
            {
              type: 'Initialized',
              status: 'True',
              lastProbeTime: null,
              lastTransitionTime: time(started, 6),
            },
            {
              type: 'Ready',
              status: 'True',
              lastProbeTime: null,
              lastTransitionTime: time(last ?? started, 40),
            },
            {
              type: 'ContainersReady',
              status: 'True',
              lastProbeTime: null,
              lastTransitionTime: time(last ?? started, 40),
            },
            {
              type: 'PodScheduled',
              status: 'True',
              lastProbeTime: null,
              lastTransitionTime: time(started, 5),
            },
          ],
          hostIP: ip(r),
          podIP: podIp,
          startTime: time(started, 6),
          qosClass: 'Burstable',
          containerStatuses: [
            {
              name: s.name,
              state: { running: { startedAt: time(last ?? started, 20) } },
              lastState:
                last !== undefined && termination
                  ? {
                      terminated: {
                        exitCode: termination.exitCode,
                        reason: termination.reason,
                        startedAt: time(kills.at(-2) ?? started, 20),
                        finishedAt: time(last, 10),
                        containerID: containerId(),
                      },
                    }
                  : {},
              ready: true,
              restartCount: kills.length,
              started: true,
              image,
              imageID: `${image.replace(/:[^:/]+$/, '')}@sha256:${hex(r, 64)}`,
              containerID: containerId(),
            },
          ],
        },
      });
      if (kills.length === 0) continue;
      const involved = { kind: 'Pod', name: p.name, uid: podUid };
      const kubelet = { component: 'kubelet', host: node };
      const recent = kills.filter((k) => k >= -EVENT_TTL_MINUTES);
      if (recent.length === 0) continue;
      event(
        involved,
        {
          type: 'Warning',
          reason: 'Unhealthy',
          message: `Readiness probe failed: Get "http://${podIp}:8080/healthz": context deadline exceeded (Client.Timeout exceeded while awaiting headers)`,
          first: recent[0]! - p.thrash,
          last: last!,
          count: recent.length * Math.max(1, p.thrash) * 6,
        },
        kubelet,
      );
      for (const [reason, message] of [
        ['Pulled', `Container image "${image}" already present on machine`],
        ['Created', `Created container ${s.name}`],
        ['Started', `Started container ${s.name}`],
      ] as const)
        event(
          involved,
          { type: 'Normal', reason, message, first: recent[0]!, last: last!, count: recent.length },
          kubelet,
        );
      if (r() < 0.6)
        event(
          involved,
          {
            type: 'Warning',
            reason: 'BackOff',
            message: `Back-off restarting failed container ${s.name} in pod ${p.name}_${c.namespace}(${podUid})`,
            first: last!,
            last: last!,
            count: 1,
          },
          kubelet,
        );
    }
  }
  const nodeObjects = [...new Set(nodes.values())].sort().map((name) => nodeObject(d, name, r));
  return {
    files: {
      'k8s/deployments.json': out.deployments,
      'k8s/replicasets.json': out.replicasets,
      'k8s/pods.json': out.pods,
      'k8s/events.json': events.sort((a, b) =>
        String(a.lastTimestamp).localeCompare(String(b.lastTimestamp)),
      ),
      'k8s/nodes.json': nodeObjects,
    },
    refs,
    ...(c.labels === 'app'
      ? { catalog: (service: string) => ({ namespace: c.namespace, labelSelector: `app=${service}` }) }
      : {}),
  };
}

function reportedElsewhere(c: ClusterSpec, s: Service): boolean {
  return !c.clusterOnly.includes(s.name);
}

/**
 * A service's revisions: the one it ran before the world's window (days ago), then each
 * production rollout that went out whole (a failed one never replaced the pods; a canary runs
 * beside the Deployment). The current revision's hash is the one in the class's pod names.
 */
function revisionsOf(d: WorldDraft, s: Service, r: Rng, podName: string | undefined): Revision[] {
  const rollouts = d.rollouts
    .filter(
      (x) =>
        x.service === s.name &&
        x.env === d.estate.env &&
        x.status !== 'failure' &&
        !x.canaryHosts &&
        x.minute <= 0,
    )
    .sort((a, b) => a.minute - b.minute);
  const first = 1 + Math.floor(r() * 30);
  const revisions: Revision[] = [
    {
      n: first,
      minute: -(10 + Math.floor(r() * 30)) * 24 * 60,
      version: s.version,
      sha: hex(r, 40),
      hash: hex(r, 10),
    },
    ...rollouts.map((x, i) => ({
      n: first + i + 1,
      minute: x.minute,
      version: x.version,
      sha: x.sha,
      rolloutId: x.id,
      hash: hex(r, 10),
    })),
  ];
  const own = podName ? new RegExp(`^${s.name}-([0-9a-f]{8,10})-[0-9a-z]{5}$`).exec(podName)?.[1] : undefined;
  if (own) revisions.at(-1)!.hash = own;
  return revisions;
}

function selectorLabels(form: LabelForm, service: string): Record<string, string> {
  switch (form) {
    case 'recommended':
      return { 'app.kubernetes.io/name': service };
    case 'datadog':
      return { [SERVICE]: service };
    default:
      return { app: service };
  }
}

function tagOf(form: ImageForm, v: Revision): string {
  switch (form) {
    case 'version':
    case 'version-with-cause':
      return v.version;
    case 'version-sha':
      return `${v.version}-${v.sha.slice(0, 7)}`;
    case 'sha-prefix':
      return `sha-${v.sha.slice(0, 12)}`;
    default:
      return v.sha;
  }
}

function imageOf(c: ClusterSpec, s: Service, v: Revision): string {
  return `${c.registry}/${s.name}:${tagOf(c.image, v)}`;
}

/** What the deployer wrote as the revision's change-cause, when its tooling writes one. */
function causeOf(c: ClusterSpec, s: Service, v: Revision): Record<string, string> {
  if (c.image === 'version-with-cause')
    return { [CHANGE_CAUSE]: `deploy ${s.name} ${v.version} (${v.sha.slice(0, 7)})` };
  if (c.image === 'full-sha')
    return {
      [CHANGE_CAUSE]: `kubectl set image deployment/${s.name} ${s.name}=${imageOf(c, s, v)} --record=true`,
    };
  return {};
}

/** A DataDog host named like a pod means the agent reports pods as hosts; the node is another machine. */
function podLike(s: Service, host: string): boolean {
  return new RegExp(`^${s.name}-[0-9a-f]{8,10}-[0-9a-z]{5}$`).test(host);
}

function nodeNameFor(nodes: Map<string, string>, host: string, r: Rng): string {
  return (
    nodes.get(host) ??
    `ip-10-${Math.floor(r() * 250)}-${Math.floor(r() * 250)}-${Math.floor(r() * 250)}.ec2.internal`
  );
}

function nodeObject(d: WorldDraft, name: string, r: Rng): K8sObject {
  const zone =
    d
      .services()
      .flatMap((s) => s.hosts)
      .find((h) => h.name === name)?.zone ?? d.estate.alerting.hosts[0]!.zone;
  const since = iso(Date.parse(d.now) - (3 + Math.floor(r() * 20)) * 24 * 60 * MINUTE);
  const heartbeat = iso(Date.parse(d.now) - Math.floor(r() * 40) * 1000);
  const condition = (type: string, status: string, reason: string, message: string) => ({
    type,
    status,
    lastHeartbeatTime: heartbeat,
    lastTransitionTime: since,
    reason,
    message,
  });
  return {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: {
      name,
      uid: uuid(r),
      creationTimestamp: since,
      labels: {
        'kubernetes.io/hostname': name,
        'kubernetes.io/os': 'linux',
        'topology.kubernetes.io/zone': zone,
        'topology.kubernetes.io/region': regionOf(zone),
        'node.kubernetes.io/instance-type': pick(r, [
          'm6i.xlarge',
          'm6i.2xlarge',
          'c6i.2xlarge',
          'r6i.xlarge',
        ]),
      },
    },
    spec: { providerID: `aws:///${zone}/i-0${hex(r, 16)}` },
    status: {
      conditions: [
        condition(
          'MemoryPressure',
          'False',
          'KubeletHasSufficientMemory',
          'kubelet has sufficient memory available',
        ),
        condition('DiskPressure', 'False', 'KubeletHasNoDiskPressure', 'kubelet has no disk pressure'),
        condition('PIDPressure', 'False', 'KubeletHasSufficientPID', 'kubelet has sufficient PID available'),
        condition('Ready', 'True', 'KubeletReady', 'kubelet is posting ready status'),
      ],
      nodeInfo: {
        kubeletVersion: 'v1.29.6',
        containerRuntimeVersion: 'containerd://1.7.18',
        osImage: 'Amazon Linux 2023',
        architecture: 'amd64',
      },
    },
  };
}
