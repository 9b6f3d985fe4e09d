import { hex, ip, pick, type Rng } from '../../lib';
import type { WorldDraft } from '../draft';
import { during, type ErrorSpec, ramp } from '../effects';
import { type Lang, regionOf, type Service } from '../estate';
import {
  errorMonitorKind,
  framesThrough,
  type IncidentClass,
  leadTime,
  type PeerError,
  pastIncident,
  podName,
  runbook,
  sourcePath,
  towardsAnyPeer,
} from './kit';
import { releaseBeforeOnset } from './releases';

/**
 * One piece of infrastructure under the alerting service goes bad: a single host (disk full,
 * noisy neighbour, failing NIC), a Kubernetes node flapping NotReady, or a whole availability
 * zone. Every host runs the same version, so the failure follows the host / node / zone tag
 * and never a version tag (unlike a canary), and the infrastructure itself leaves a trace:
 * an AWS notice, a monitor on the host, node events.
 */
/** Connect timeouts as each stack reports them; the peer varies, because the host is the problem. */
const CONNECT_TIMEOUT: Record<Lang, PeerError> = {
  node: { kind: 'Error', message: (r) => `connect ETIMEDOUT ${ip(r)}:443` },
  java: {
    kind: 'org.apache.http.conn.ConnectTimeoutException',
    message: (r, p) => `Connect to ${p}:443 [${p}/${ip(r)}] failed: connect timed out`,
  },
  python: {
    kind: 'requests.exceptions.ConnectTimeout',
    message: (r, p) =>
      `HTTPSConnectionPool(host='${p}', port=443): Max retries exceeded with url: /v1/ (Caused by ConnectTimeoutError(<urllib3.connection.HTTPSConnection object at 0x7f${hex(r, 8)}>, 'Connection to ${p} timed out. (connect timeout=2.0)'))`,
  },
  go: { kind: '*net.OpError', message: (r) => `dial tcp ${ip(r)}:443: i/o timeout` },
  ruby: {
    kind: 'Net::OpenTimeout',
    message: (_, p) => `Failed to open TCP connection to ${p}:443 (execution expired)`,
  },
  dotnet: {
    kind: 'System.Net.Http.HttpRequestException',
    message: (_, p) => `Connection timed out (${p}:443)`,
  },
};

/** Name lookups that time out: what pods on a node that lost its network see first. */
const DNS_TIMEOUT: Record<Lang, PeerError> = {
  node: { kind: 'Error', message: (_, p) => `getaddrinfo EAI_AGAIN ${p}` },
  java: {
    kind: 'java.net.UnknownHostException',
    message: (_, p) => `${p}: Temporary failure in name resolution`,
  },
  python: {
    kind: 'requests.exceptions.ConnectionError',
    message: (r, p) =>
      `HTTPSConnectionPool(host='${p}', port=443): Max retries exceeded with url: /v1/ (Caused by NameResolutionError("<urllib3.connection.HTTPSConnection object at 0x7f${hex(r, 8)}>: Failed to resolve '${p}' ([Errno -3] Temporary failure in name resolution)"))`,
  },
  go: {
    kind: '*net.DNSError',
    message: (r, p) =>
      `lookup ${p} on 172.20.0.10:53: read udp ${ip(r)}:${30000 + Math.floor(r() * 30000)}->172.20.0.10:53: i/o timeout`,
  },
  ruby: {
    kind: 'SocketError',
    message: (_, p) =>
      `Failed to open TCP connection to ${p}:443 (getaddrinfo: Temporary failure in name resolution)`,
  },
  dotnet: {
    kind: 'System.Net.Http.HttpRequestException',
    message: (_, p) => `Resource temporarily unavailable (${p}:443)`,
  },
};

/** A request that overran the service's deadline (in ms) because the process barely got CPU. */
const STALLED: Record<Lang, (deadlineMs: number) => ErrorSpec> = {
  node: () => ({ kind: 'ServiceUnavailableError', message: () => 'Response timeout', status: 503 }),
  java: (t) => ({
    kind: 'java.util.concurrent.TimeoutException',
    message: () => `Request processing exceeded ${t} ms`,
    status: 504,
  }),
  python: (t) => ({
    kind: 'TimeoutError',
    message: () => `request exceeded ${t / 1000}s worker deadline`,
    status: 504,
  }),
  go: () => ({
    kind: 'context.deadlineExceededError',
    message: () => 'context deadline exceeded',
    status: 504,
  }),
  ruby: (t) => ({
    kind: 'Rack::Timeout::RequestTimeoutException',
    message: () => `Request ran for longer than ${t}ms`,
    status: 504,
  }),
  dotnet: () => ({
    kind: 'System.OperationCanceledException',
    message: () => 'The operation was canceled.',
    status: 504,
  }),
};

/**
 * A deadline a few times the service's usual p95, and the latency multiplier that brings the
 * stalled host's requests up against it (so logged durations agree with the timeout message).
 */
function deadline(r: Rng, s: Service): { ms: number; latency: number } {
  const ms = [1000, 2000, 3000, 5000, 10000].find((x) => x >= s.p95Ms * (6 + r() * 6)) ?? 10000;
  return { ms, latency: Math.max(4, (0.7 * ms) / s.p95Ms) };
}

/** The process the kernel's OOM killer picks in a container of each stack. */
const PROCESS: Record<Lang, string> = {
  node: 'node',
  java: 'java',
  python: 'gunicorn',
  go: 'server',
  ruby: 'puma',
  dotnet: 'dotnet',
};

/** What the runtime itself logs when its host starves it of CPU (real messages of each stack). */
const STARVED_WARN: Record<Lang, (r: Rng, when: string) => string> = {
  node: (r) => `event loop blocked for ${900 + Math.floor(r() * 3000)}ms`,
  java: (r) =>
    `HikariPool-1 - Thread starvation or clock leap detected (housekeeper delta=${1 + Math.floor(r() * 50)}s${Math.floor(r() * 999)}ms).`,
  python: (r) => `[CRITICAL] WORKER TIMEOUT (pid:${100 + Math.floor(r() * 900)})`,
  go: (r) =>
    `http: slow handler: ${2 + Math.floor(r() * 9)}.${Math.floor(r() * 9)}s spent runnable (GOMAXPROCS=4)`,
  ruby: (r) =>
    `! Terminating timed out worker (Worker ${Math.floor(r() * 4)} failed to check in within 60 seconds): ${1000 + Math.floor(r() * 9000)}`,
  dotnet: (r, when) =>
    `As of "${when.replace('T', ' ').replace('Z', ' +00:00')}", the heartbeat has been running for "00:00:0${2 + Math.floor(r() * 7)}.${hex(r, 4)}" which is longer than "00:00:01". This could be caused by thread pool starvation.`,
};

/** Disk-full errors as each stack raises them when it writes a temp or cache file. */
const DISK_FULL: Record<Lang, { kind: string; message: (r: Rng) => string }> = {
  node: {
    kind: 'Error',
    message: (r) => `ENOSPC: no space left on device, open '/tmp/uploads/${hex(r, 16)}'`,
  },
  java: { kind: 'java.io.IOException', message: () => 'No space left on device' },
  python: { kind: 'OSError', message: (r) => `[Errno 28] No space left on device: '/tmp/tmp${hex(r, 8)}'` },
  go: {
    kind: '*fs.PathError',
    message: (r) => `write /tmp/body-${Math.floor(r() * 9e8)}: no space left on device`,
  },
  ruby: {
    kind: 'Errno::ENOSPC',
    message: (r) =>
      `No space left on device @ io_write - /tmp/RackMultipart20260101-${Math.floor(r() * 90) + 1}-${hex(r, 6)}`,
  },
  dotnet: {
    kind: 'System.IO.IOException',
    message: (r) => `No space left on device : '/tmp/${hex(r, 8)}.tmp'`,
  },
};

/** The remotes a service calls over HTTPS: its internal dependencies and the third party. */
function httpPeers(d: WorldDraft): string[] {
  return [...d.estate.deps.map((x) => `${x.name}.internal`), d.estate.thirdParty.host];
}

export const badHost: IncidentClass = {
  name: 'bad-host',
  variants: ['host', 'node', 'zone'],
  build(d, variant) {
    const r = d.r;
    const e = d.estate;
    const s = e.alerting;
    const hostCount = s.hosts.length;
    // An estate whose hosts carry no zone cannot lose one; its variant degrades to a single host.
    const zoned = s.hosts.every((h) => typeof h.zone === 'string' && h.zone.length > 0);
    const v = variant === 'zone' && !zoned ? 'host' : variant;
    // The "latest deploy" trap: it reaches every host, so the failing host runs the same version
    // as the healthy ones.
    if (r() < 0.5)
      releaseBeforeOnset(d, s, {
        messages: [
          'Upgrade tracing library',
          'Add request id to audit log',
          'Rename internal metrics helper',
          'Log slow handlers at warn',
        ],
        deployBefore: [6, 35],
        mergeGap: [15, 40],
        filename: sourcePath(s, 'observability', 'telemetry', e.slug),
        additions: 9,
        deletions: 4,
        pr: { body: 'No functional change.', labels: ['chore'] },
      });
    const priority = pick(r, [undefined, 2, 3]);
    const fireAt = d.onset + 3 + Math.floor(r() * 4);
    let failingShare = 0;

    if (v === 'host') {
      const host = pick(r, s.hosts);
      const instance = `i-0${hex(r, 16)}`;
      const fault = pick(r, ['disk', 'neighbour', 'nic'] as const);
      const stall = deadline(r, s);
      // (Some drawn estates leave hosts without a zone; their notices then carry none.)
      const hostTags = [
        `host:${host.name}`,
        ...(host.zone ? [`availability-zone:${host.zone}`] : []),
        `instance-id:${instance}`,
      ];
      const rate = fault === 'disk' ? 0.45 + r() * 0.45 : fault === 'nic' ? 0.3 + r() * 0.4 : 0.2 + r() * 0.3;
      failingShare = rate / hostCount;
      const error: ErrorSpec =
        fault === 'disk'
          ? {
              kind: DISK_FULL[s.lang].kind,
              message: DISK_FULL[s.lang].message,
              frames: framesThrough(s, e.slug, r, {
                path: sourcePath(s, 'storage', 'temp-files', e.slug),
                fn: 'spool',
              }),
              status: 500,
            }
          : fault === 'nic'
            ? towardsAnyPeer(CONNECT_TIMEOUT[s.lang], httpPeers(d), 502)
            : STALLED[s.lang](stall.ms);
      const latency = fault === 'neighbour' ? stall.latency : fault === 'nic' ? 2 + r() * 3 : 1.2;
      d.effect(s, (m) =>
        during(m, d.onset)
          ? {
              hosts: [host.name],
              errorRate: rate * ramp(m, d.onset - 1, d.onset + 2),
              latency: 1 + (latency - 1) * ramp(m, d.onset - 1, d.onset + 2),
              error,
            }
          : undefined,
      );
      if (fault === 'nic')
        // Calls from the bad host fail to every peer alike, so no single peer stands out.
        for (const peer of httpPeers(d))
          d.effect(s, (m) =>
            during(m, d.onset) ? { peerErrors: { peer, rate: (rate * 0.8) / hostCount } } : undefined,
          );
      if (fault === 'disk') {
        // The disk fills over the lead time: a warning long before, critical just before the onset.
        const lead = leadTime(r, true);
        const device = pick(r, ['/var/lib/docker', '/', '/tmp']);
        const query = `max(last_5m):max:system.disk.in_use{host:${host.name},device:${device}} > 0.9`;
        d.event({
          minute: d.onset - lead,
          title: `[Warn] Disk space low on ${host.name}`,
          text: `${query}\nsystem.disk.in_use = 0.9${Math.floor(r() * 9)} on ${device}`,
          tags: [...hostTags, `device:${device}`, `env:${e.env}`],
          source: 'monitor',
        });
        d.event({
          minute: d.onset - 1,
          title: `[Triggered] Disk space low on ${host.name}`,
          text: `${query}\nsystem.disk.in_use = 1.00 on ${device}`,
          tags: [...hostTags, `device:${device}`, `env:${e.env}`],
          source: 'monitor',
        });
        // Background work fails first, then requests that buffer bodies to disk.
        d.log({
          service: s.name,
          hosts: [host.name],
          from: d.onset - Math.floor(lead / 3),
          perMinute: (m) => (m < d.onset ? 0.3 : 1.5),
          event: (x) => ({
            level: 'warn',
            message: pick(x, [
              `failed to write cache file: no space left on device`,
              `log rotation failed for ${device === '/' ? '/var/log' : device}: no space left on device`,
              `could not persist retry spool: no space left on device`,
            ]),
          }),
        });
      } else if (fault === 'neighbour') {
        const steal = 25 + Math.floor(r() * 40);
        d.event({
          minute: d.onset + 1,
          title: `[Warn] CPU steal time is high on ${host.name}`,
          text: `avg(last_10m):avg:system.cpu.stolen{host:${host.name}} > 20\nsystem.cpu.stolen = ${steal}%`,
          tags: [...hostTags, `env:${e.env}`],
          source: 'monitor',
        });
        d.log({
          service: s.name,
          hosts: [host.name],
          from: d.onset,
          perMinute: 2,
          event: (x, m) => ({ level: 'warn', message: STARVED_WARN[s.lang](x, d.at(m)) }),
        });
      } else {
        // AWS noticed the degraded hardware before the NIC got bad enough to fail requests.
        const region = regionOf(host.zone);
        d.event({
          minute: d.onset - 5 - Math.floor(r() * 70),
          title: `EC2 instance ${instance} scheduled for retirement`,
          text: `AWS_EC2_INSTANCE_RETIREMENT_SCHEDULED: EC2 has detected degradation of the underlying hardware hosting your Amazon EC2 instance ${instance} (${host.name}) in the ${region} region. Due to this degradation your instance could already be unreachable. After ${d.at(7 * 24 * 60).slice(0, 10)} your instance will be stopped.`,
          tags: [...hostTags, `region:${region}`, 'aws_service:ec2'],
          source: 'aws',
        });
        d.log({
          service: s.name,
          hosts: [host.name],
          from: d.onset,
          perMinute: 1.5,
          event: (x) => ({
            level: 'warn',
            message: `retrying request to ${pick(x, httpPeers(d))} (attempt ${2 + Math.floor(x() * 2)}/3): ${pick(x, ['connection reset by peer', 'connection timed out'])}`,
          }),
        });
      }
      d.alertOn(errorMonitorKind(d, r, failingShare), s, fireAt, priority);
      const rb = runbook(
        d,
        `runbooks/${s.name}-single-host.md`,
        `${s.name}: errors from one host`,
        `## Triage\nSplit errors and latency by host (\`by {host}\`). If one host fails while the others run the same version without errors, it is the host, not the code: check its disk (\`system.disk.in_use\`), CPU steal (\`system.cpu.stolen\`) and AWS notices for its instance.\n\n## Mitigation\nCordon and drain the host, or terminate the instance and let the autoscaling group replace it. Rolling back does not help.`,
        pick(r, ['runbook', 'confluence'] as const),
      );
      const causes = {
        disk: [
          'One host ran out of disk space',
          'Temp files filled the root volume of one instance.',
          'Cleaned the volume and replaced the instance.',
        ],
        neighbour: [
          'Noisy neighbour on one instance',
          'CPU steal on one EC2 host starved the process.',
          'Terminated the instance; the ASG replaced it.',
        ],
        nic: [
          'Degraded network on one instance',
          'Failing hardware (NIC) on one EC2 host timed out connections.',
          'Stopped and started the instance to move it to new hardware.',
        ],
      }[fault];
      const similar = pastIncident(d, r, {
        title: `${s.name} errors from a single host`,
        summary: `${causes[0]}; only that host's requests failed.`,
        cause: causes[1]!,
        mitigation: causes[2]!,
        services: [s.name],
      });
      d.title = `${s.name} errors from one host (${fault === 'disk' ? 'disk full' : fault === 'nic' ? 'failing network' : 'noisy neighbour'})`;
      d.truth = {
        kind: 'infrastructure',
        accept: [host.name, instance],
        keywords:
          fault === 'disk'
            ? ['No space left on device', 'disk']
            : fault === 'nic'
              ? ['retirement', 'timed out']
              : ['steal', 'noisy neighbour'],
        runbook: rb,
        similarIncident: similar,
      };
      return;
    }

    if (v === 'node') {
      const node = pick(r, s.hosts);
      const ns = pick(r, ['default', e.slug, s.team]);
      const pod = podName(r, s);
      const cause = pick(r, ['network', 'runtime', 'memory'] as const);
      const rate = 0.4 + r() * 0.5;
      failingShare = rate / hostCount;
      const stall = deadline(r, s);
      const nodeTags = [`host:${node.name}`, 'kubernetes_kind:Node', `name:${node.name}`];
      const error =
        cause === 'network'
          ? towardsAnyPeer(DNS_TIMEOUT[s.lang], [...httpPeers(d), e.database.name], 503)
          : STALLED[s.lang](stall.ms);
      // The node flaps: the pods on it stay in the endpoints while it reports Ready, so errors go on.
      const flaps: number[] = [];
      for (let m = d.onset + 1 + (cause === 'memory' ? 1 : 0); m < -1; m += 2 + Math.floor(r() * 4))
        flaps.push(m);
      d.effect(s, (m) =>
        during(m, d.onset)
          ? {
              hosts: [node.name],
              errorRate: rate * ramp(m, d.onset - 1, d.onset + 1) * (0.8 + 0.2 * Math.sin(m)),
              latency: (cause === 'network' ? 3 : stall.latency) * (0.7 + 0.3 * Math.abs(Math.cos(m))),
              error,
              ...(cause === 'memory' && m % 3 === 0 ? { restarts: 1 } : {}),
            }
          : undefined,
      );
      if (cause === 'memory') {
        d.event({
          minute: d.onset - 1 - Math.floor(r() * 3),
          title: `Node ${node.name} status is now: NodeHasInsufficientMemory`,
          tags: [...nodeTags, 'source_component:kubelet'],
          source: 'kubernetes',
        });
        for (let m = d.onset; m < -1; m += 3 + Math.floor(r() * 3))
          d.event({
            minute: m,
            title: `System OOM encountered, victim process: ${pick(r, ['fluent-bit', PROCESS[s.lang], PROCESS[s.lang]])}, pid: ${1000 + Math.floor(r() * 60000)}`,
            tags: [...nodeTags, 'source_component:kubelet'],
            source: 'kubernetes',
          });
      }
      flaps.forEach((m, i) => {
        const notReady = i % 2 === 0;
        const why =
          cause === 'network'
            ? 'Kubelet stopped posting node status.'
            : cause === 'runtime'
              ? `PLEG is not healthy: pleg was last seen active 3m${Math.floor(r() * 40)}.${Math.floor(r() * 99)}s ago; threshold is 3m0s`
              : 'container runtime is down, PLEG is not healthy';
        d.event({
          minute: m,
          title: `Node ${node.name} status is now: ${notReady ? 'NodeNotReady' : 'NodeReady'}`,
          ...(notReady ? { text: why } : {}),
          tags: [...nodeTags, `source_component:${notReady ? 'node-controller' : 'kubelet'}`],
          source: 'kubernetes',
        });
      });
      d.event({
        minute: flaps[0]!,
        title: `Readiness probe failed for pod ${ns}/${pod}`,
        text: `Get "http://${ip(r)}:8080/healthz": context deadline exceeded (Client.Timeout exceeded while awaiting headers)`,
        tags: [
          `host:${node.name}`,
          'kubernetes_kind:Pod',
          `name:${pod}`,
          `kube_namespace:${ns}`,
          `kube_deployment:${s.name}`,
          `service:${s.name}`,
        ],
        source: 'kubernetes',
      });
      d.alertOn(errorMonitorKind(d, r, failingShare), s, fireAt, priority);
      const rb = runbook(
        d,
        'runbooks/kubernetes-node-notready.md',
        'Kubernetes node NotReady',
        '## Symptoms\nErrors from the pods of one node only; Kubernetes events `NodeNotReady` / `NodeReady` for that node.\n\n## Triage\nGroup errors by `host` (the node name). Check the node events for kubelet, PLEG or memory pressure messages.\n\n## Mitigation\n`kubectl cordon <node>` then `kubectl drain <node> --ignore-daemonsets --delete-emptydir-data`; terminate the instance if it does not recover.',
        pick(r, ['runbook', 'notion'] as const),
      );
      const similar = pastIncident(d, r, {
        title: `${s.name} errors from pods on one bad node`,
        summary: 'A node flapped NotReady; the pods scheduled on it timed out.',
        cause:
          cause === 'network'
            ? 'The node lost network connectivity intermittently.'
            : cause === 'runtime'
              ? 'containerd hung on the node (PLEG not healthy).'
              : 'Memory pressure on the node: system OOM kills.',
        mitigation: 'Cordoned and drained the node, then replaced it.',
        services: [s.name],
      });
      d.title = `${s.name} errors from pods on node ${node.name}`;
      d.truth = {
        kind: 'infrastructure',
        accept: [node.name],
        keywords: ['NodeNotReady', node.name],
        runbook: rb,
        similarIncident: similar,
      };
      return;
    }

    // A degraded availability zone: every host there fails, whatever the service or version.
    const zonesOfAlerting = [...new Set(s.hosts.map((h) => h.zone))];
    const partial = zonesOfAlerting.filter((z) => s.hosts.some((h) => h.zone !== z));
    const zone = pick(r, partial.length ? partial : zonesOfAlerting);
    const region = regionOf(zone);
    const rate = 0.35 + r() * 0.5;
    const inZone = (x: Service) => x.hosts.filter((h) => h.zone === zone).map((h) => h.name);
    failingShare = (rate * inZone(s).length) / hostCount;
    for (const x of [s, ...e.deps, e.caller, e.bystander]) {
      const hosts = inZone(x);
      if (!hosts.length) continue;
      // Each service times out to what it calls; a service calling nothing waits on its cache.
      const peers = x.dependsOn.map((n) => (n === e.database.name ? n : `${n}.internal`));
      const spec = towardsAnyPeer(
        CONNECT_TIMEOUT[x.lang],
        peers.length ? peers : [`${x.name}-redis.internal`],
        503,
      );
      // Other services fail less and in bursts: packet loss in the zone comes and goes.
      const share = x === s ? 1 : 0.3 + r() * 0.4;
      const bursts = Array.from({ length: 1 - d.onset }, () => x === s || r() < 0.45);
      const latency = 2 + r() * 2;
      d.effect(x, (m) =>
        during(m, d.onset) && bursts[m - d.onset]
          ? { hosts, errorRate: rate * share * ramp(m, d.onset - 1, d.onset + 2), latency, error: spec }
          : undefined,
      );
    }
    // Calls from healthy zones into a dependency's hosts in the bad zone fail too.
    for (const dep of e.deps) {
      const share = inZone(dep).length / dep.hosts.length;
      if (share > 0)
        d.effect(s, (m) =>
          during(m, d.onset)
            ? { peerErrors: { peer: `${dep.name}.internal`, rate: rate * share * 0.7 } }
            : undefined,
        );
    }
    const zoneId = `${region.startsWith('us') ? 'use1' : 'euw1'}-az${1 + Math.floor(r() * (region.startsWith('us') ? 6 : 3))}`;
    // AWS Health posts for the zone, late: the EC2 notice, sometimes an EBS one.
    const health = (minute: number, service: 'ec2' | 'ebs', title: string, text: string) => {
      const type = `AWS_${service.toUpperCase()}_OPERATIONAL_ISSUE`;
      d.event({
        minute: Math.min(-1, minute),
        title: `AWS Health: [Investigating] ${title} in ${region.toUpperCase()}`,
        text: `${type}: ${text}`,
        tags: [
          `availability-zone:${zone}`,
          `region:${region}`,
          `aws_service:${service}`,
          `event_type:${type}`,
        ],
        source: 'aws',
      });
    };
    health(
      d.onset + 6 + Math.floor(r() * 8),
      'ec2',
      'Increased network connectivity issues',
      `We are investigating increased packet loss and connectivity issues for EC2 instances in a single Availability Zone (${zoneId}) in the ${region.toUpperCase()} Region. Instances in the affected zone (${zone}) may be unreachable. Other Availability Zones are not affected.`,
    );
    if (r() < 0.5)
      health(
        d.onset + 3 + Math.floor(r() * 6),
        'ebs',
        'Degraded EBS volume performance',
        `Some EBS volumes in a single Availability Zone (${zoneId}) are experiencing degraded performance.`,
      );
    d.alertOn(errorMonitorKind(d, r, failingShare), s, fireAt, priority);
    const rb = runbook(
      d,
      'runbooks/availability-zone-degradation.md',
      'Availability zone degradation',
      "## Symptoms\nErrors from every service, but only on hosts in one `availability-zone`; no deploy in common.\n\n## Triage\nGroup errors by `availability-zone` across services and check the AWS Health events for the region.\n\n## Mitigation\nShift traffic away from the zone: remove it from the load balancers and scale the other zones' node groups up.",
      'confluence',
    );
    const similar = pastIncident(d, r, {
      title: `Errors across services in ${zone}`,
      summary: `Hosts in one availability zone lost connectivity; ${s.name} and its dependencies failed there.`,
      cause: 'AWS availability zone network degradation.',
      mitigation: 'Evacuated the zone and scaled the healthy zones.',
      services: [s.name, ...e.deps.map((x) => x.name)],
    });
    d.title = `${s.name} errors from hosts in ${zone}`;
    d.truth = {
      kind: 'infrastructure',
      accept: [zone],
      keywords: [zone, 'availability zone'],
      runbook: rb,
      similarIncident: similar,
    };
  },
};
