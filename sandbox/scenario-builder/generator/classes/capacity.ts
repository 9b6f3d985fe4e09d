import { hex, pick, type Rng } from '../../lib';
import type { MonitorKind, WorldDraft } from '../draft';
import type { ErrorSpec } from '../effects';
import { during, ramp } from '../effects';
import type { Lang, Service } from '../estate';
import { routesOf } from '../log-formats';
import { baseName, poolMetrics, queueOf } from '../naming';
import { baseCpuPercent, basePoolSize } from '../telemetry';
import {
  errorMonitorKind,
  framesThrough,
  type IncidentClass,
  pastIncident,
  runbook,
  sourcePath,
} from './kit';
import { shipUnrelated } from './releases';

/**
 * A demand surge (a marketing campaign, a partner's batch, a bot) saturates a resource while
 * the work per request is unchanged: the alerting service's database connection pool, a job
 * queue whose consumers cannot keep up, or the autoscaler pinned at its maximum with CPU at the
 * limit. No change explains it: hits rise first, the resource saturates after, and the deploy or
 * flag flip in the window (when there is one) changes nothing measurable.
 */
type Source = 'campaign' | 'partner' | 'bot';

const CAMPAIGNS = [
  ['Spring sale: 30% off everything', 'spring-sale'],
  ['Win-back: we miss you', 'win-back-q3'],
  ['Black Friday early access', 'bf-early-access'],
  ['New feature launch announcement', 'launch-announce'],
  ['Refer a friend, get 20 credit', 'referral-boost'],
] as const;
const PARTNERS = ['acme-erp', 'bluefin-pos', 'northstar-retail', 'kestrel-logistics', 'orbit-marketplace'];
const BOT_UAS = [
  'python-requests/2.31.0',
  'Go-http-client/1.1',
  'Mozilla/5.0 (compatible; PriceSpider/3.2)',
  'curl/8.4.0',
];

/** The error a request gets when no pooled connection frees up in time, per language. */
function poolTimeout(
  lang: Lang,
  size: number,
  waiting: number,
  mysql: boolean,
): { kind: string; message: (r: Rng) => string } {
  switch (lang) {
    case 'java':
      return {
        kind: 'java.sql.SQLTransientConnectionException',
        message: () =>
          `HikariPool-1 - Connection is not available, request timed out after 30000ms (total=${size}, active=${size}, idle=0, waiting=${waiting})`,
      };
    case 'ruby':
      return {
        kind: 'ActiveRecord::ConnectionTimeoutError',
        message: () =>
          'could not obtain a connection from the pool within 5.000 seconds (waited 5.001 seconds); all pooled connections were in use',
      };
    case 'python':
      return {
        kind: 'sqlalchemy.exc.TimeoutError',
        message: () =>
          `QueuePool limit of size ${size} overflow 0 reached, connection timed out, timeout 30.00 (Background on this error at: https://sqlalche.me/e/20/3o7r)`,
      };
    case 'go':
      return {
        kind: 'context.deadlineExceededError',
        message: () => `acquire conn (max_open=${size}): context deadline exceeded`,
      };
    case 'dotnet':
      if (mysql)
        return {
          kind: 'MySqlConnector.MySqlException',
          message: () => 'Connect Timeout expired. All pooled connections are in use.',
        };
      return {
        kind: 'Npgsql.NpgsqlException',
        message: () =>
          `The connection pool has been exhausted, either raise 'Max Pool Size' (currently ${size}) or 'Timeout' (currently 15 seconds) in your connection string.`,
      };
    default:
      return {
        kind: 'KnexTimeoutError',
        message: () =>
          'Knex: Timeout acquiring a connection. The pool is probably full. Are you missing a .transacting(trx) call?',
      };
  }
}

/** The error a request gets when the service's CPU is saturated and requests queue, per language. */
function overloadTimeout(r: Rng, lang: Lang): { kind: string; message: (r: Rng) => string; status: number } {
  const queued = 400 + Math.floor(r() * 3000);
  switch (lang) {
    case 'java': {
      const id = hex(r, 8);
      return {
        kind: 'java.util.concurrent.RejectedExecutionException',
        message: () =>
          `Task rejected from java.util.concurrent.ThreadPoolExecutor@${id}[Running, pool size = 200, active threads = 200, queued tasks = 1000]`,
        status: 503,
      };
    }
    case 'ruby': {
      const waited = 4000 + Math.floor(r() * 8000);
      return {
        kind: 'Rack::Timeout::RequestTimeoutException',
        message: () => `Request waited ${waited}ms, then ran for longer than 15000ms`,
        status: 503,
      };
    }
    case 'python':
      return { kind: 'SystemExit', message: () => '1 (gunicorn WORKER TIMEOUT after 30s)', status: 502 };
    case 'go':
      return { kind: 'http.ErrHandlerTimeout', message: () => 'http: Handler timeout', status: 503 };
    case 'dotnet':
      return {
        kind: 'System.OperationCanceledException',
        message: () =>
          `The operation was canceled. (request exceeded 30s; thread pool queue length ${queued})`,
        status: 504,
      };
    default:
      return { kind: 'ServiceUnavailableError', message: () => 'Response timeout', status: 503 };
  }
}

export const capacity: IncidentClass = {
  name: 'capacity',
  variants: ['pool', 'queue', 'autoscaler-max'],
  build(d, variant) {
    const r = d.r;
    const e = d.estate;
    const s = e.alerting;
    // Scrapers read; only real users and partners create the jobs a queue backs up on.
    const source: Source = pick(
      r,
      variant === 'queue' ? (['campaign', 'partner'] as const) : (['campaign', 'partner', 'bot'] as const),
    );
    const factor = variant === 'queue' ? 2 + r() : variant === 'pool' ? 2.6 + r() * 1.4 : 2.5 + r() * 1.5;
    const rise = source === 'bot' ? 2 + Math.floor(r() * 4) : 1 + Math.floor(r() * 3);
    // Real surges are not flat: a campaign's opens arrive in waves, a bot's rate wobbles.
    const wobble = Array.from({ length: 30 }, () => 0.92 + r() * 0.16);
    const surge = (m: number) =>
      1 + (factor - 1) * ramp(m, d.onset - 1, d.onset + rise) * wobble[Math.abs(m) % wobble.length]!;
    // The surge enters through the edge and reaches the dependencies in proportion. Their
    // autoscalers absorb it, so their per-pod CPU rises far less than their traffic.
    const edgeShare = 0.5 + r() * 0.4;
    const absorbed = (t: number) => ({ traffic: t, cpu: (1 + 0.35 * (t - 1)) / t });
    d.effect(e.caller, (m) => (during(m, d.onset) ? absorbed(1 + (surge(m) - 1) * edgeShare) : undefined));
    d.effect(e.deps[0]!, (m) => (during(m, d.onset) ? absorbed(1 + (surge(m) - 1) * 0.7) : undefined));
    d.effect(e.database, (m) => (during(m, d.onset) ? { cpu: 1 + (surge(m) - 1) * 0.45 } : undefined));
    surgeEvidence(d, source);
    redHerrings(d);

    let resource: string;
    let alerted: Service = s;
    let kind: MonitorKind;
    let keywords: string[];
    let rb: string;
    let similar: string;
    // Monitors fire once their window has seen the saturation.
    let fired = d.onset + rise + 2 + Math.floor(r() * 4);
    if (variant === 'pool') {
      const pool = poolMetrics(s).tag.replace(/^pool:/, '');
      // The pool size and CPU baseline telemetry renders, so messages quote the numbers the metrics show.
      const size = basePoolSize(s);
      // More concurrent queries make the database slower, so each connection is held longer.
      const hold = Math.max(1.3 + r() * 0.3, 1.08 / (0.25 * factor));
      const demand = (m: number) => 0.25 * surge(m) * (1 + (hold - 1) * ramp(m, d.onset, d.onset + rise + 2));
      const spec = poolTimeout(s.lang, size, 20 + Math.floor(r() * 60), e.database.name.startsWith('mysql'));
      const frames = framesThrough(s, e.slug, r, {
        path: sourcePath(s, 'repositories', `${baseName(s)}-repository`, e.slug),
        fn: 'findById',
      });
      const error: ErrorSpec = { ...spec, frames, status: pick(r, [500, 503]) };
      const jitter = Array.from({ length: 30 }, () => r() * 0.03);
      d.effect(s, (m) => {
        if (!during(m, d.onset)) return undefined;
        const rho = demand(m);
        return {
          traffic: surge(m),
          // Requests waiting for a connection burn no CPU: it rises with the scale-out, not with the traffic.
          cpu: (1 + 0.45 * (surge(m) - 1)) / surge(m),
          poolUsed: Math.min(1, rho - jitter[Math.abs(m) % jitter.length]!),
          latency: 1 + 0.1 * (surge(m) - 1) + (rho > 0.9 ? Math.min(12, 3 + 25 * (rho - 0.9)) : 0),
          errorRate: rho > 1 ? Math.min(0.3, (0.6 * (rho - 1)) / rho) : 0,
          error,
          replicas: m >= d.onset + 5 ? s.hosts.length + 2 : undefined,
        };
      });
      d.log({
        service: s.name,
        from: d.onset + rise,
        perMinute: 1,
        event: (x) => ({
          level: 'warn',
          message: `db pool ${pool}: ${size}/${size} connections in use, ${10 + Math.floor(x() * 60)} requests waiting (acquire p99 ${1200 + Math.floor(x() * 4000)}ms)`,
        }),
      });
      resource = pool;
      kind = r() < 0.55 ? 'saturation' : r() < 0.7 ? 'latency' : errorMonitorKind(d, r, 0.1);
      keywords = ['connection pool', 'traffic'];
      rb = runbook(
        d,
        `runbooks/${s.name}-db-pool.md`,
        `${s.name}: database connection pool saturated`,
        `## Symptoms\nRequests wait for a connection from pool \`${pool}\` (size ${size}); p95 climbs and checkouts time out.\n\n## Triage\n1. Compare request volume (hits) with the usual for this hour. Connections in use scale with traffic times query time.\n2. If query time is unchanged and traffic is up, this is demand: find where the traffic comes from (edge logs, campaigns, partner clients).\n3. If traffic is flat, look for a change that made queries slower or resized the pool.\n\n## Mitigation\nShed or rate-limit the surge at the edge, scale ${s.name} out only as far as ${e.database.name}'s max_connections allows. Do not raise the pool size past the database's limit.`,
        pick(r, ['runbook', 'confluence', 'notion'] as const),
      );
      similar = pastIncident(d, r, {
        title: `${s.name} pool exhaustion during a traffic peak`,
        summary: `Traffic to ${s.name} tripled during a promotion; pool ${pool} ran out of connections and requests timed out.`,
        cause:
          'Demand surge; the connection pool and database were sized for normal peaks. No change was involved.',
        mitigation: 'Rate-limited the campaign traffic at the edge; added read replicas afterwards.',
        services: [s.name, e.database.name],
      });
    } else if (variant === 'queue') {
      // A worker dependency consumes the jobs when the estate has one; otherwise the service's own workers do.
      const worker = e.deps[1]!.role === 'worker' && r() < 0.8 ? e.deps[1]! : s;
      const q = queueOf(worker, e);
      const backlog = queueBacklog(d, r, source);
      const cap = 1.2 + r() * 0.3;
      if (worker !== s) {
        d.effect(s, (m) => (during(m, d.onset) ? { traffic: surge(m) } : undefined));
        // Consumers run flat out: processed jobs rise to their ceiling, CPU follows.
        d.effect(worker, (m) =>
          during(m, d.onset) && backlog.at(m) > 0
            ? { traffic: 1 + (cap - 1) * ramp(m, d.onset, d.onset + 2), cpu: 1.5, backlog: backlog.at(m) }
            : undefined,
        );
      } else
        d.effect(s, (m) =>
          during(m, d.onset) ? { traffic: surge(m), backlog: backlog.at(m), cpu: 1.2 } : undefined,
        );
      const consumers = 8 * (1 + Math.floor(r() * 4));
      d.log({
        service: worker.name,
        from: backlog.crossedAt(1000),
        perMinute: 1,
        event: (x, m) => ({
          level: 'warn',
          message: `queue ${q.name}: ${backlog.at(m)} messages waiting, oldest ${Math.round(backlog.at(m) / (consumers * 4))}s; ${consumers}/${consumers} consumers busy`,
          extra: { queue: q.name, job_latency_s: Math.round(backlog.at(m) / (consumers * 4) + x() * 5) },
        }),
      });
      // The backlog monitor (max over 10 minutes above 5000) fires a minute after the crossing.
      fired = backlog.crossedAt(5001) + 1;
      alerted = worker;
      resource = q.name;
      kind = 'backlog';
      keywords = ['backlog', q.name];
      rb = runbook(
        d,
        `runbooks/${q.name}-backlog.md`,
        `${q.name} backlog`,
        `## Symptoms\n\`${q.name}\` grows faster than ${worker.name}'s consumers drain it; jobs are delayed, not lost.\n\n## Triage\n1. Compare the producers' request volume with the usual: more requests mean more jobs.\n2. Check the consumers: processing rate at its ceiling with no errors means capacity; failing jobs or slow handlers mean a defect.\n3. Look for a batch: one client enqueuing far more than usual.\n\n## Mitigation\nScale out the consumers (watch ${e.database.name} connections), ask the batch owner to throttle, and keep the backlog draining.`,
        pick(r, ['runbook', 'confluence', 'notion'] as const),
      );
      similar = pastIncident(d, r, {
        title: `${q.name} backlog after a partner bulk import`,
        summary: `A partner imported a large batch through ${s.name}; ${q.name} grew to six figures and drained over hours.`,
        cause: "Demand surge: job inflow far above the consumers' throughput. Nothing was broken.",
        mitigation: `Scaled ${worker.name} consumers and rate-limited the partner's bulk endpoint.`,
        services: [s.name, worker.name],
      });
    } else {
      const max = s.hosts.length * 3;
      const mid = Math.min(max - 1, s.hosts.length * 2);
      const step1 = d.onset + 1 + Math.floor(r() * 2);
      const step2 = step1 + 2 + Math.floor(r() * 3);
      const base = baseCpuPercent(s);
      const pinned = (m: number) => ramp(m, d.onset, step2 + 1);
      const overload = overloadTimeout(r, s.lang);
      const error: ErrorSpec = { kind: overload.kind, message: overload.message, status: overload.status };
      const errRate = 0.03 + r() * 0.12;
      const slow = 2 + r() * 3;
      const cpuJitter = Array.from({ length: 30 }, () => 94 + r() * 5);
      d.effect(s, (m) => {
        if (!during(m, d.onset)) return undefined;
        const replicas = m >= step2 ? max : m >= step1 ? mid : s.hosts.length;
        const target = base + (cpuJitter[Math.abs(m) % cpuJitter.length]! - base) * pinned(m);
        const saturated = ramp(m, step2, step2 + 2);
        return {
          traffic: surge(m),
          replicas,
          // CPU per pod: the surge, spread over the pods the autoscaler added, stays at the limit.
          cpu: target / (base * surge(m)),
          // Each pod's pool serves a share of the traffic: spread, it never saturates.
          poolUsed: Math.min(0.8, (0.25 * surge(m) * s.hosts.length * 1.3) / replicas),
          latency: 1 + 0.3 * (surge(m) - 1) * (1 - saturated) + (slow - 1) * saturated,
          errorRate: errRate * saturated,
          error,
        };
      });
      const tags = [
        `service:${s.name}`,
        `env:${e.env}`,
        `kube_deployment:${s.name}`,
        `horizontalpodautoscaler:${s.name}`,
      ];
      for (const [m, size] of [
        [step1, mid],
        [step2, max],
      ] as const)
        d.event({
          minute: m,
          title: `HorizontalPodAutoscaler ${s.name}: New size: ${size}; reason: cpu resource utilization (percentage of request) above target`,
          tags,
          source: 'kubernetes',
        });
      for (let m = step2 + 2; m < -1; m += 6 + Math.floor(r() * 4))
        d.event({
          minute: m,
          title: `HorizontalPodAutoscaler ${s.name}: ScalingLimited: the desired replica count is more than the maximum replica count (${max})`,
          text: `desired ${Math.round(max * (1.3 + r() * 0.6))}, max ${max}; cpu utilization ${Math.round(150 + r() * 80)}% of request (target 70%)`,
          tags,
          source: 'kubernetes',
        });
      d.log({ service: s.name, from: step2, perMinute: 0.8, event: (x) => overloadLog(s.lang, x) });
      resource = s.name;
      kind = r() < 0.6 ? 'latency' : errorMonitorKind(d, r, errRate);
      keywords = ['autoscaler', 'max replicas', 'cpu'];
      rb = runbook(
        d,
        `runbooks/${s.name}-scaling.md`,
        `${s.name}: scaling and autoscaler limits`,
        `## Symptoms\nThe HorizontalPodAutoscaler for ${s.name} sits at maxReplicas (${max}); CPU stays at the limit and latency climbs.\n\n## Triage\n1. Compare hits with the usual: a pinned autoscaler with flat traffic means each request got more expensive (look for a change); with a surge it is capacity.\n2. Find the surge's source at the edge (user agents, client ids, campaign parameters).\n\n## Mitigation\nRaise maxReplicas if the cluster has room (check ${e.database.name} connections first), rate-limit abusive clients at the edge.`,
        pick(r, ['runbook', 'confluence', 'notion'] as const),
      );
      similar = pastIncident(d, r, {
        title: `${s.name} slow with the autoscaler at max`,
        summary: `A scraper tripled requests to ${s.name}; the HPA hit maxReplicas and CPU stayed pinned.`,
        cause: "Demand surge beyond the autoscaler's maximum. No change was involved.",
        mitigation: 'Blocked the scraper at the WAF and raised maxReplicas.',
        services: [s.name, e.caller.name],
      });
    }
    d.alertOn(kind, alerted, Math.min(-1, fired), pick(r, [undefined, 2, 3]));
    d.title = variant === 'queue' ? `${resource} backlog growing` : `${s.name} slow and failing requests`;
    d.truth = {
      kind: 'capacity',
      accept: [...new Set([resource, alerted.name])],
      keywords,
      runbook: rb,
      similarIncident: similar,
    };
  },
};

/** What a service starved of CPU writes, per language. */
function overloadLog(lang: Lang, x: Rng) {
  switch (lang) {
    case 'python':
      return {
        level: 'error' as const,
        message: `[CRITICAL] WORKER TIMEOUT (pid:${1000 + Math.floor(x() * 30000)})`,
      };
    case 'node':
      return {
        level: 'warn' as const,
        message: `event loop lag ${400 + Math.floor(x() * 1600)}ms (threshold 200ms)`,
      };
    case 'java':
      return {
        level: 'warn' as const,
        message: `Thread pool http-nio-8080-exec saturated: 200/200 busy, ${200 + Math.floor(x() * 800)} queued`,
      };
    case 'ruby':
      return {
        level: 'warn' as const,
        message: `puma: all ${5 * (1 + Math.floor(x() * 3))} threads busy, backlog ${20 + Math.floor(x() * 200)}`,
      };
    case 'dotnet':
      return {
        level: 'warn' as const,
        message: `ThreadPool starvation: queue length ${300 + Math.floor(x() * 3000)}, ${Math.floor(x() * 30) + 10} threads injected in the last 60s`,
      };
    default:
      return {
        level: 'warn' as const,
        message: `server overloaded: ${100 + Math.floor(x() * 900)} requests in flight, CPU throttled`,
      };
  }
}

/** Backlog per minute: an inflow above the consumers' ceiling, and, after a batch ends, a slow drain. */
type Backlog = { at: (m: number) => number; crossedAt: (n: number) => number };

function queueBacklog(d: WorldDraft, r: Rng, source: Source): Backlog {
  let inflow = 1100 + r() * 2400;
  const drain = 200 + r() * 400;
  const rise = 1 + Math.floor(r() * 2);
  // A partner's batch stops after a while; a campaign keeps producing for the whole window.
  const batchEnds = source === 'partner' ? d.onset + 8 + Math.floor(r() * 10) : Number.POSITIVE_INFINITY;
  const build = () => {
    const points = new Map<number, number>();
    let level = 0;
    for (let m = d.onset; m < 0; m++) {
      level += m < batchEnds ? inflow * ramp(m, d.onset - 1, d.onset + rise) : -drain;
      level = Math.max(0, level);
      points.set(m, Math.round(level));
    }
    return points;
  };
  let points = build();
  // The backlog monitor fires above 5000 jobs: make sure the flood crosses it while we still look.
  const crosses = () => [...points.entries()].some(([m, v]) => v > 5000 && m <= -3);
  while (!crosses()) {
    inflow *= 1.3;
    points = build();
  }
  return {
    at: (m) => points.get(m) ?? 0,
    crossedAt: (n) => [...points.entries()].find(([, v]) => v >= n)?.[0] ?? d.onset,
  };
}

/** The surge's requests as the edge logs them: GETs completing at the edge's usual speed. */
function edgeRequests(
  d: WorldDraft,
  route: (x: Rng) => string,
  extra?: (x: Rng) => Record<string, unknown>,
): void {
  const edge = d.estate.caller;
  d.log({
    service: edge.name,
    from: d.onset,
    perMinute: 3,
    event: (x) => ({
      level: 'info',
      message: 'request completed',
      http: { method: 'GET', route: route(x), status: 200, durationMs: edge.p95Ms * (0.4 + x()) },
      ...(extra ? { extra: extra(x) } : {}),
    }),
  });
}

/** Where the extra traffic comes from, as the edge, the product and the chat would show it. */
function surgeEvidence(d: WorldDraft, source: Source): void {
  const r = d.r;
  const e = d.estate;
  const s = e.alerting;
  const base = baseName(s);
  const routes = routesOf(s);
  const onsetAt = new Date(d.at(d.onset));
  const weekday = onsetAt.toLocaleDateString('en-GB', { weekday: 'long', timeZone: 'UTC' });
  const hhmm = d.at(d.onset).slice(11, 16);
  if (source === 'campaign') {
    const [title, slug] = pick(r, CAMPAIGNS);
    const audience = (0.4 + r() * 2.2).toFixed(1);
    const tool = pick(r, ['braze', 'iterable', 'customer.io']);
    if (r() < 0.7)
      d.event({
        minute: d.onset - 1 + Math.floor(r() * 2),
        title: `Campaign "${title}" sent`,
        text: `Channels: email + push. Audience: ${audience}M users. Links to /${base}?utm_campaign=${slug}`,
        tags: [`campaign:${slug}`, 'team:growth', `tool:${tool}`],
        source: tool,
      });
    if (r() < 0.5)
      d.knowledge.slack.push({
        channel: 'incidents',
        daysAgo: 1 + Math.floor(r() * 3),
        user: 'U0GROWTH01',
        text: `Heads-up: "${title}" goes out ${weekday} at ${hhmm} UTC (email + push, ~${audience}M users). Expect a bump on ${e.caller.name} / ${s.name}.`,
      });
    edgeRequests(d, (x) => `/${base}?utm_source=${pick(x, ['email', 'push'])}&utm_campaign=${slug}`);
  } else if (source === 'partner') {
    const partner = pick(r, PARTNERS);
    const route = routes[0]!;
    const [method, path] = route.split(' ');
    d.log({
      service: s.name,
      from: d.onset,
      perMinute: 2,
      event: (x) => ({
        level: 'info',
        message: `bulk request from client_id=${partner} batch=${hex(x, 8)} items=${100 * (1 + Math.floor(x() * 5))}`,
        http: {
          method: method ?? 'POST',
          route: path ?? '/',
          status: 202,
          durationMs: s.p95Ms * (0.5 + x()),
        },
        extra: { client_id: partner },
      }),
    });
    d.log({
      service: e.caller.name,
      from: d.onset + 1,
      perMinute: 0.7,
      event: (x) => ({
        level: 'warn',
        message: `client ${partner} above soft quota on ${route}: ${2000 + Math.floor(x() * 6000)} req/min (quota 600)`,
        extra: { client_id: partner },
      }),
    });
    if (r() < 0.4)
      d.knowledge.slack.push({
        channel: 'incidents',
        daysAgo: 2 + Math.floor(r() * 5),
        user: 'U0PARTNER1',
        text: `${partner} goes live with their catalogue sync this week (bulk ${route}); they said they would stay under 600 rpm.`,
      });
  } else {
    const ua = pick(r, BOT_UAS);
    const ips = 80 + Math.floor(r() * 600);
    const route = pick(
      r,
      routes.filter((x) => x.startsWith('GET')),
    );
    d.log({
      service: e.caller.name,
      from: d.onset + 1,
      perMinute: 0.6,
      event: (x) => ({
        level: 'warn',
        message: `waf: rate-based rule "per-ip-${pick(x, ['300', '500'])}" matched ${3000 + Math.floor(x() * 9000)} requests in 5m from ${ips} IPs on ${route} (action=count) ua="${ua}"`,
      }),
    });
    edgeRequests(
      d,
      (x) => (route.split(' ')[1] ?? '/').replace(':id', String(1000 + Math.floor(x() * 90000))),
      (x) => ({
        user_agent: ua,
        client_ip: `${pick(x, ['45', '103', '185', '193'])}.${Math.floor(x() * 250)}.${Math.floor(x() * 250)}.${Math.floor(x() * 250)}`,
      }),
    );
    if (r() < 0.4)
      d.event({
        minute: d.onset + 3 + Math.floor(r() * 5),
        title: `Security: spike in requests to ${route} from ${ips} IPs (ASN ${pick(r, ['14061 DigitalOcean', '16509 Amazon', '24940 Hetzner'])})`,
        text: `User agent "${ua}". Rate-based rule in count mode; no requests blocked.`,
        tags: [`service:${e.caller.name}`, `env:${e.env}`, 'security:waf'],
        source: 'cloudflare',
      });
  }
}

/** A harmless deploy or flag change of the alerting service near the onset. */
function redHerrings(d: WorldDraft): void {
  const r = d.r;
  const e = d.estate;
  const s = e.alerting;
  if (r() < 0.45) {
    const change = pick(r, [
      { message: 'Add request id to audit log', area: 'observability', file: 'audit-log' },
      {
        message: 'Validate postcode format on address update',
        area: 'validation',
        file: 'address-validator',
      },
      { message: 'Rename internal metrics helper', area: 'observability', file: 'metrics' },
    ]);
    const deployAt = d.onset - 2 - Math.floor(r() * 14);
    const mergedAt = deployAt - 12 - Math.floor(r() * 40);
    shipUnrelated(d, s, {
      message: change.message,
      filename: sourcePath(s, change.area, change.file, e.slug),
      additions: [8, 30],
      deletions: [0, 10],
      mergedAt,
      deployAt,
      pr: { body: 'Small change, no behaviour change on the hot path.', labels: ['backend'] },
    });
  }
  if (r() < 0.3)
    d.flag({
      key: `${s.name}-new-receipt-layout`,
      service: s.name,
      minute: d.onset - 5 - Math.floor(r() * 20),
      from: { rollout: 10 },
      to: { rollout: 50 },
      actor: d.person(),
    });
}
