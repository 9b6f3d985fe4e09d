import { hex, pick, type Rng } from '../../lib';
import type { MonitorKind, WorldDraft } from '../draft';
import { during, ramp } from '../effects';
import type { Lang, Service } from '../estate';
import { routesOf } from '../log-formats';
import { baseName } from '../naming';
import {
  alertAfterOnset,
  clientPath,
  errorMonitorKind,
  framesThrough,
  type IncidentClass,
  pastIncident,
  runbook,
} from './kit';
import {
  callFailure,
  logFailedRequests,
  type RemoteCall,
  type RemoteFailure,
  remoteError,
  remoteIp,
  retryReason,
  statusFor,
} from './remote-call-errors';

/**
 * An internal service the alerting one calls goes down without any change of its own: its pods
 * crash-loop, or the datastore only it uses is gone (fast 503s) or hangs (timeouts). The
 * alerting service's calls to `<dep>.internal` fail, a sibling that also calls the dependency
 * fails the same way, and the dependency's own monitors fire. Its last deploy is days old.
 */
type Variant = 'crash-loop' | 'datastore-gone' | 'datastore-hung';

/** How the alerting side sees each failure of the dependency. */
const SEEN_AS: Record<Variant, RemoteFailure> = {
  'crash-loop': 'refused',
  'datastore-gone': 'status',
  'datastore-hung': 'timeout',
};

/** The dependency's own error when its Redis is gone (refused), per language. */
function redisDown(r: Rng, lang: Lang, store: string): { kind: string; message: (r: Rng) => string } {
  // The store's address and the key are drawn once, so a line's message and error.message agree.
  const ip = remoteIp(r, true);
  const key = `session:${hex(r, 8)}`;
  switch (lang) {
    case 'java':
      return {
        kind: 'io.lettuce.core.RedisConnectionException',
        message: () => `Unable to connect to ${store}:6379`,
      };
    case 'python':
      return {
        kind: 'redis.exceptions.ConnectionError',
        message: () => `Error 111 connecting to ${store}:6379. Connection refused.`,
      };
    case 'ruby':
      return {
        kind: 'Redis::CannotConnectError',
        message: () => `Error connecting to Redis on ${store}:6379 (Errno::ECONNREFUSED)`,
      };
    case 'go':
      return {
        kind: '*net.OpError',
        message: () => `dial tcp ${ip}:6379: connect: connection refused (redis ${store})`,
      };
    case 'dotnet':
      return {
        kind: 'StackExchange.Redis.RedisConnectionException',
        message: () =>
          `No connection is active/available to service this operation: GET ${key}; UnableToConnect on ${store}:6379/Interactive`,
      };
    default:
      return { kind: 'Error', message: () => `connect ECONNREFUSED ${ip}:6379 (ioredis ${store})` };
  }
}

/** The dependency's own error when its MongoDB stops answering (server selection times out). */
function mongoHung(lang: Lang, store: string): { kind: string; message: (r: Rng) => string } {
  switch (lang) {
    case 'java':
      return {
        kind: 'com.mongodb.MongoTimeoutException',
        message: () =>
          `Timed out after 30000 ms while waiting for a server that matches ReadPreferenceServerSelector{readPreference=primary} (${store}:27017)`,
      };
    case 'python':
      return {
        kind: 'pymongo.errors.ServerSelectionTimeoutError',
        message: () => `${store}:27017: timed out, Timeout: 30s`,
      };
    case 'ruby':
      return {
        kind: 'Mongo::Error::NoServerAvailable',
        message: () =>
          `No primary server is available in cluster: #<Cluster topology=ReplicaSetNoPrimary servers=[${store}:27017]>`,
      };
    case 'go':
      return {
        kind: 'topology.ServerSelectionError',
        message: () =>
          `server selection error: context deadline exceeded, current topology: { Type: ReplicaSetNoPrimary, Servers: [${store}:27017] }`,
      };
    case 'dotnet':
      return {
        kind: 'System.TimeoutException',
        message: () =>
          `A timeout occurred after 30000ms selecting a server using CompositeServerSelector (${store}:27017)`,
      };
    default:
      return {
        kind: 'MongoServerSelectionError',
        message: () => `Server selection timed out after 30000 ms (${store}:27017)`,
      };
  }
}

export const internalDependencyOutage: IncidentClass = {
  name: 'internal-dependency-outage',
  variants: ['crash-loop', 'datastore-gone', 'datastore-hung'],
  build(d, variantName) {
    const variant = variantName as Variant;
    const r = d.r;
    const e = d.estate;
    const s = e.alerting;
    // A worker is fed through a queue, not called: the failing dependency is one the service calls.
    const callable = e.deps.filter((x) => x.role !== 'worker');
    const dep = pick(r, callable.length ? callable : e.deps);
    const depBase = baseName(dep);
    const peer = `${dep.name}.internal`;
    const mode = SEEN_AS[variant];
    // One URL for every failing call: a collection route, not one with an id.
    const depRoute = pick(
      r,
      routesOf(dep).filter((x) => !x.includes(':id')),
    );
    const [depMethod, depPath] = depRoute.includes(' ') ? depRoute.split(' ') : ['POST', `/${depRoute}`];
    const port = pick(r, [80, 8080, 8080, 3000]);
    const call: RemoteCall = {
      host: peer,
      url: `http://${peer}${port === 80 ? '' : `:${port}`}${depPath}`,
      method: depMethod === 'GET' ? 'GET' : 'POST',
      port,
      timeoutMs: pick(r, [1000, 2000, 3000, 5000]),
      status: 503,
    };
    const store =
      variant === 'datastore-hung'
        ? `${depBase}-mongo`
        : `${depBase}-${pick(r, ['redis', 'cache', 'sessions-redis'])}`;
    const storeHost = `${store}.${e.slug}.internal`;
    const rise = 1 + Math.floor(r() * 3);
    const on = (m: number) => ramp(m, d.onset - 1, d.onset + rise);

    // The dependency itself.
    if (variant === 'crash-loop') {
      // Pods fail their probes and restart; between restarts few requests reach them.
      const restarts = 1 + Math.floor(r() * 3);
      const served = 0.15 + r() * 0.25;
      // Either the pods never pass their startup check, or they lock up and the liveness probe kills them.
      const atBoot = r() < 0.5;
      d.effect(dep, (m) =>
        during(m, d.onset)
          ? {
              traffic: 1 - (1 - served) * on(m),
              // Only requests in flight when a container dies fail on the dependency itself.
              errorRate: 0.06 * on(m),
              restarts: m % 2 === 0 ? restarts : Math.max(0, restarts - 1),
              error: {
                kind: 'ServiceUnavailable',
                message: () =>
                  atBoot
                    ? 'not ready: startup checks pending'
                    : 'request aborted: server shutting down (SIGTERM)',
                status: 503,
              },
            }
          : undefined,
      );
      crashLoopEvidence(d, dep, storeHost, atBoot);
    } else {
      const own =
        variant === 'datastore-gone' ? redisDown(r, dep.lang, storeHost) : mongoHung(dep.lang, storeHost);
      const depRate = 0.5 + r() * 0.45;
      d.effect(dep, (m) =>
        during(m, d.onset)
          ? {
              errorRate: depRate * on(m),
              latency: variant === 'datastore-hung' ? 1 + 40 * on(m) : 1 + 0.3 * on(m),
              // The store client's error, logged without a stack (the dependency's handlers catch it and answer 503).
              error: { ...own, peer: storeHost, status: 503 },
            }
          : undefined,
      );
      d.log({
        service: dep.name,
        from: d.onset,
        perMinute: 1.5,
        event: (x) => ({
          level: 'warn',
          message:
            variant === 'datastore-gone'
              ? `redis ${storeHost}:6379 unreachable, reconnecting in ${50 * 2 ** Math.floor(x() * 6)}ms (attempt ${1 + Math.floor(x() * 40)})`
              : `mongo pool: no primary for ${store} replica set, ${Math.floor(10 + x() * 200)} operations waiting for server selection`,
          peer: storeHost,
        }),
      });
    }
    const depMonitor: MonitorKind =
      variant === 'datastore-hung' ? 'latency' : e.ratioMonitors ? 'error-ratio' : 'errors';
    d.monitor(depMonitor, dep, 'Alert', 2);

    // The alerting service: calls from one route to the dependency fail.
    const peerRate =
      variant === 'crash-loop'
        ? 0.6 + r() * 0.35
        : variant === 'datastore-gone'
          ? 0.5 + r() * 0.45
          : 0.4 + r() * 0.5;
    const exposure = 0.18 + r() * 0.15;
    const rate = Math.max(0.05, peerRate * exposure);
    const slow =
      mode === 'timeout' ? Math.min(25, Math.max(3, (0.6 * call.timeoutMs) / s.p95Ms)) : 1 + r() * 0.3;
    const route = pick(r, routesOf(s));
    const frames = framesThrough(s, e.slug, r, {
      path: clientPath(s, dep, e.slug),
      fn: pick(r, ['fetch', 'get', 'lookup', 'call']),
    });
    const spec = {
      ...remoteError(r, s.lang, mode, call, true),
      frames,
      peer,
      status: statusFor(mode, r),
      resource: route,
    };
    d.effect(s, (m) =>
      during(m, d.onset)
        ? {
            errorRate: rate * on(m),
            latency: 1 + (slow - 1) * on(m),
            peerErrors: { peer, rate: peerRate * on(m) },
            error: spec,
          }
        : undefined,
    );
    const reason = retryReason(mode, call);
    d.log({
      service: s.name,
      from: d.onset,
      perMinute: 1.5,
      event: (x) => ({
        level: 'warn',
        message: `retrying ${call.method} ${call.url} after ${reason} (attempt ${1 + Math.floor(x() * 2)}/3)`,
        peer,
      }),
    });

    // A sibling that also depends on it fails the same way (no path to the alerting service). It
    // caches the dependency's answers, so it starts failing a few minutes later, as entries expire.
    const sibling = e.bystander;
    if (r() < 0.65) {
      if (!sibling.dependsOn.includes(dep.name)) sibling.dependsOn.push(dep.name);
      const sibRate = 0.03 + r() * 0.08;
      const from = d.onset + 2 + Math.floor(r() * 6);
      const sibError = callFailure(
        r,
        sibling,
        e.slug,
        { mode, call, internal: true },
        { path: clientPath(sibling, dep, e.slug), fn: 'fetch' },
      );
      // Its error count rises through the effect; its error lines come as sampled logs, so a third
      // failing service does not triple the world's log volume.
      d.effect(sibling, (m) =>
        during(m, from) ? { errorRate: sibRate * ramp(m, from - 1, from + 2) } : undefined,
      );
      logFailedRequests(d, sibling, from, sibError);
    }

    const kind = mode === 'timeout' && r() < 0.4 ? 'latency' : errorMonitorKind(d, r, rate);
    alertAfterOnset(d, kind, s, [2, 5]);
    const rb = runbook(
      d,
      `runbooks/${s.name}-dependency-failures.md`,
      `${s.name}: failing calls to internal services`,
      `## Triage\n1. Split outbound errors by peer (\`http.client.errors\` by \`peer.hostname\`). Errors concentrated on one \`<service>.internal\` host point at that service.\n2. Open that service's dashboard and monitors: restarts, its own errors, its datastore.\n3. A deploy of ${s.name} is only suspect if the failing calls are not concentrated on one peer.\n\n## Mitigation\nPage the owning team of the failing dependency. Serve degraded responses (cached data, feature off) while it recovers; do not roll back ${s.name}.`,
      pick(r, ['runbook', 'confluence', 'notion'] as const),
    );
    const similar = pastIncident(d, r, {
      title: `${dep.name} outage cascaded to ${s.name}`,
      summary:
        variant === 'crash-loop'
          ? `${dep.name} pods crash-looped; ${s.name} got connection refused from ${peer}.`
          : `${dep.name} lost its ${variant === 'datastore-gone' ? 'Redis' : 'MongoDB'} (${store}); ${s.name} calls to ${peer} ${variant === 'datastore-gone' ? 'got 503' : 'timed out'}.`,
      cause: `${dep.name} was unavailable (no change of its own); ${s.name} has no fallback for it.`,
      mitigation: `${dep.team} restored ${dep.name}; ${s.name} added a fallback.`,
      services: [s.name, dep.name],
    });
    d.title = `${s.name} errors on ${route}`;
    d.truth = {
      kind: 'dependency',
      accept: [dep.name],
      keywords: [
        dep.name,
        variant === 'crash-loop' ? 'crash' : variant === 'datastore-gone' ? '503' : 'timeout',
      ],
      runbook: rb,
      similarIncident: similar,
    };
  },
};

/** Kubernetes' view of pods that fail their probes and restart, and the dependency's own logs. */
function crashLoopEvidence(d: WorldDraft, dep: Service, storeHost: string, atBoot: boolean): void {
  const r = d.r;
  const e = d.estate;
  const pods = dep.hosts.map(() => `${dep.name}-${hex(r, 9)}-${hex(r, 5)}`);
  // A restarted container keeps its pod's IP; a lock-up blocks on one call site.
  const podIps = new Map(pods.map((p) => [p, remoteIp(r, true)]));
  const blockedIn = pick(r, [
    'ReportLock.acquire',
    'cache.refresh',
    'TokenBucket.take',
    'ConfigWatcher.reload',
  ]);
  const tags = [
    `service:${dep.name}`,
    `env:${e.env}`,
    `kube_deployment:${dep.name}`,
    `kube_namespace:${e.env}`,
  ];
  for (let m = d.onset + 1; m < -1; m += 3 + Math.floor(r() * 3)) {
    const pod = pick(r, pods);
    d.event({
      minute: m,
      title: atBoot
        ? `Back-off restarting failed container ${dep.name} in pod ${pod}`
        : `Liveness probe failed: Get "http://${podIps.get(pod)}:8080/healthz": context deadline exceeded`,
      text: atBoot
        ? `CrashLoopBackOff: container ${dep.name} exited with code 1`
        : `Container ${dep.name} in pod ${pod} failed liveness probe, will be restarted`,
      tags: [...tags, `pod_name:${pod}`],
      source: 'kubernetes',
    });
  }
  d.log({
    service: dep.name,
    from: d.onset,
    perMinute: 1.2,
    event: (x) =>
      atBoot
        ? {
            level: 'error',
            message: `fatal: startup check failed: session store ${storeHost}:6379 did not answer within 5s; exiting (code 1)`,
            extra: { pod: pick(x, pods) },
          }
        : {
            level: 'warn',
            message: `worker pool exhausted: ${32 + Math.floor(x() * 32)} of 64 threads blocked in ${blockedIn} for > 10s`,
            extra: { pod: pick(x, pods) },
          },
  });
}
