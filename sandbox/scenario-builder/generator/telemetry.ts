import type { LogRecord, MetricSeries, SpanRecord } from '../../scenario-schema';
import { hex, iso, MINUTE, noise, pick, type Rng, uuid } from '../lib';
import { WINDOW_MINUTES, type WorldDraft } from './draft';
import type { Effect, ErrorSpec } from './effects';
import type { Estate, Service } from './estate';
import { genericError, type LogEvent, methodAndPath, renderLog, routesOf } from './log-formats';
import { apmMetric, businessMetric, dbMetrics, memoryMetric, poolMetrics, queueOf } from './naming';

/**
 * Renders a draft's services into DataDog metrics, logs and spans. Every signal comes from the
 * same per-minute state (traffic, error rate, latency, resources), so request counts, error
 * logs, spans and saturation agree, as they do in a real estate.
 */
type Point = [string, number];
// The records are the scenario contract's own types: what is generated is what the loader reads.
type Series = MetricSeries;
type Log = LogRecord;
type Span = SpanRecord;

/** Most error logs are sampled: at most this many lines per service and minute. */
const ERROR_LOG_CAP_PER_MINUTE = 3;
/** Spans kept per resource and minute (DataDog's ingestion sampling keeps a fraction). */
const SPANS_PER_RESOURCE_MINUTE = 0.3;

const daily = (m: number) => 1 + 0.12 * Math.sin(((m + 600) / 300) * Math.PI);

/** The combined multiplier of a multiplicative effect field (1 when no effect sets it). */
function productOf(fx: Effect[], key: 'traffic' | 'cpu'): number {
  return fx.reduce((a, x) => a * (x[key] ?? 1), 1);
}

/** The combined amount of an additive effect field (0 when no effect sets it). */
function sumOf(fx: Effect[], key: 'memoryMb' | 'restarts' | 'backlog' | 'dbLocks'): number {
  return fx.reduce((a, x) => a + (x[key] ?? 0), 0);
}

function applies(e: Effect, host: string, version: string): boolean {
  return (!e.hosts || e.hosts.includes(host)) && (!e.version || e.version === version);
}

type MinuteState = {
  hits: number;
  errors: number;
  latency: number;
  failing?: ErrorSpec & { rate: number };
};

function hostMinute(
  r: Rng,
  s: Service,
  effects: Effect[],
  host: string,
  version: string,
  m: number,
): MinuteState {
  const traffic = productOf(effects, 'traffic') * daily(m);
  const hits = Math.max(0, s.rpmPerHost * traffic * (1 + noise(r, 0.08)));
  let rate = s.errorRate * (1 + noise(r, 0.8));
  let latency = 1;
  let failing: MinuteState['failing'];
  for (const e of effects) {
    if (!applies(e, host, version)) continue;
    rate += e.errorRate ?? 0;
    latency *= e.latency ?? 1;
    if (e.error && (e.errorRate ?? 0) > 0 && (!failing || (e.errorRate ?? 0) > failing.rate))
      failing = { ...e.error, rate: e.errorRate ?? 0 };
  }
  const errors = Math.max(0, Math.round(hits * Math.min(1, Math.max(0, rate))));
  return { hits: Math.round(hits), errors, latency, failing };
}

export function renderTelemetry(d: WorldDraft): { metrics: Series[]; logs: Log[]; spans: Span[] } {
  const r = d.fork(101);
  const metrics: Series[] = [];
  const logs: Log[] = [];
  const spans: Span[] = [];
  const e = d.estate;
  const t0 = Date.parse(d.now) - WINDOW_MINUTES * MINUTE;
  const stamp = (m: number, within = 0) =>
    iso(t0 + (m + WINDOW_MINUTES) * MINUTE + Math.floor(within * MINUTE));
  for (const s of d.services()) {
    const tags = [`service:${s.name}`, `env:${e.env}`];
    const byMinute: Effect[][] = [];
    for (let m = -WINDOW_MINUTES; m < 0; m++) byMinute.push(d.effectsAt(s, m));
    const at = (m: number) => byMinute[m + WINDOW_MINUTES]!;
    if (s.role === 'datastore') {
      metrics.push(...datastoreSeries(r, s, e, at, stamp));
      continue;
    }
    const hits = new Map<string, Series>();
    const errs = new Map<string, Series>();
    const p95: Point[] = [];
    const cpu: Point[] = [];
    const memory: Point[] = [];
    const restarts: Point[] = [];
    const completed: Point[] = [];
    const baseMemMb = baseMemoryMb(s);
    for (let m = -WINDOW_MINUTES; m < 0; m++) {
      const fx = at(m);
      let sumHits = 0;
      let sumErrors = 0;
      let latencyWeighted = 0;
      for (const h of s.hosts) {
        const version = d.versionAt(s, h.name, m);
        const st = hostMinute(r, s, fx, h.name, version, m);
        sumHits += st.hits;
        sumErrors += st.errors;
        latencyWeighted += st.latency * st.hits;
        const key = `${h.name}|${version}`;
        const seriesTags = [...tags, `host:${h.name}`, `availability-zone:${h.zone}`, `version:${version}`];
        if (!hits.has(key)) {
          hits.set(key, { metric: apmMetric(s, 'hits'), tags: seriesTags, unit: 'hit', points: [] });
          errs.set(key, { metric: apmMetric(s, 'errors'), tags: seriesTags, unit: 'error', points: [] });
        }
        hits.get(key)!.points.push([stamp(m), st.hits]);
        errs.get(key)!.points.push([stamp(m), st.errors]);
        if (st.failing || st.errors > 0) emitErrorLogs(r, d, s, h.name, m, st, stamp, logs);
        emitSpans(r, s, e, h.name, version, m, st, fx, stamp, spans);
      }
      const lat = sumHits > 0 ? latencyWeighted / sumHits : 1;
      p95.push([stamp(m), round(s.p95Ms * lat * (1 + noise(r, 0.1)))]);
      const load = baseCpuPercent(s) * productOf(fx, 'traffic') * productOf(fx, 'cpu');
      cpu.push([stamp(m), round(Math.min(100, load + noise(r, 3)))]);
      memory.push([stamp(m), Math.round((baseMemMb + sumOf(fx, 'memoryMb') + noise(r, 15)) * 1024 * 1024)]);
      restarts.push([stamp(m), sumOf(fx, 'restarts')]);
      if (s === e.alerting) completed.push([stamp(m), Math.max(0, Math.round((sumHits - sumErrors) * 0.3))]);
    }
    metrics.push(...hits.values(), ...errs.values());
    metrics.push({ metric: apmMetric(s, 'p95'), tags, unit: 'millisecond', points: p95 });
    metrics.push({
      metric: s.lang === 'go' || s.lang === 'java' ? 'kubernetes.cpu.usage.total' : 'system.cpu.user',
      tags,
      unit: 'percent',
      points: cpu,
    });
    metrics.push({ metric: memoryMetric(s), tags, unit: 'byte', points: memory });
    metrics.push({
      metric: 'kubernetes.containers.restarts',
      tags: [...tags, `kube_deployment:${s.name}`],
      points: restarts,
    });
    if (s === e.alerting) {
      metrics.push({
        metric: businessMetric(s, e),
        tags: [`env:${e.env}`, `service:${s.name}`],
        points: completed,
      });
      metrics.push(...replicaSeries(r, s, e, at, stamp));
      metrics.push(...peerSeries(r, d, s, at, stamp));
    }
    if (s.dependsOn.includes(e.database.name)) metrics.push(...poolSeries(r, s, e, at, stamp));
    if (s.role === 'worker') metrics.push(backlogSeries(r, s, e, at, stamp));
    // The alerting service's own job queue (its in-process workers); its own stream keeps the other series' values.
    else if (s === e.alerting) metrics.push(backlogSeries(d.fork(404), s, e, at, stamp));
  }
  for (const spec of d.logSpecs) emitSpecLogs(d.fork(202 + d.logSpecs.indexOf(spec)), d, spec, stamp, logs);
  for (const s of d.services())
    if (s.role !== 'datastore') emitBaselineLogs(d.fork(303 + s.name.length), d, s, stamp, logs);
  const order = <T extends { timestamp: string }>(xs: T[]) =>
    xs.sort((a, b) => a.timestamp.localeCompare(b.timestamp));
  return { metrics, logs: order(logs), spans: order(spans) };
}

const round = (x: number) => Math.max(0, Math.round(x * 100) / 100);

type Stamp = (m: number, within?: number) => string;
type EffectsAt = (m: number) => Effect[];

/**
 * The points of several series over the window, one value each per minute. They are computed
 * together, minute by minute, so the random draws keep their order across the series.
 */
function perMinute<T extends number[]>(
  stamp: Stamp,
  valuesAt: (m: number) => [...T],
): { [K in keyof T]: Point[] } {
  const columns: Point[][] = [];
  for (let m = -WINDOW_MINUTES; m < 0; m++)
    valuesAt(m).forEach((v, i) => {
      if (!columns[i]) columns[i] = [];
      columns[i].push([stamp(m), v]);
    });
  return columns as { [K in keyof T]: Point[] };
}

function emitErrorLogs(
  r: Rng,
  d: WorldDraft,
  s: Service,
  host: string,
  m: number,
  st: MinuteState,
  stamp: Stamp,
  out: Log[],
): void {
  const failing = st.failing;
  // Baseline errors are rare and mostly already logged by the baseline templates.
  const n = failing
    ? Math.min(
        // The cap is per service: each host keeps its share, at least one line.
        Math.max(1, Math.ceil(ERROR_LOG_CAP_PER_MINUTE / s.hosts.length)),
        Math.round(st.errors * (failing.rate / (failing.rate + s.errorRate))),
      )
    : 0;
  for (let i = 0; i < n; i++) {
    const spec = failing ?? genericError();
    const route = spec.resource ?? pick(r, routesOf(s));
    const { method, path } = methodAndPath(route);
    const event: LogEvent = {
      level: 'error',
      message: s.logFormat === 'json' ? `${spec.kind}: ${spec.message(r)}` : 'request failed',
      error: { kind: spec.kind, message: spec.message(r), frames: spec.frames },
      http: {
        method,
        route: path,
        status: spec.status ?? 500,
        durationMs: s.p95Ms * st.latency * (0.5 + r()),
      },
      peer: spec.peer,
    };
    pushLog(r, d, s, host, m, event, stamp, out);
  }
}

function emitSpans(
  r: Rng,
  s: Service,
  e: Estate,
  host: string,
  version: string,
  m: number,
  st: MinuteState,
  fx: Effect[],
  stamp: Stamp,
  out: Span[],
): void {
  const rate = st.hits > 0 ? st.errors / st.hits : 0;
  for (const resource of routesOf(s)) {
    if (r() > SPANS_PER_RESOURCE_MINUTE / s.hosts.length) continue;
    const failing =
      st.failing && (!st.failing.resource || st.failing.resource === resource) ? st.failing : undefined;
    const p = failing ? Math.min(1, rate * (st.failing?.resource ? routesOf(s).length : 1)) : s.errorRate;
    const failed = r() < p;
    const err = failed ? (failing ?? genericError()) : undefined;
    const peer = fx.find((x) => x.peerErrors)?.peerErrors?.peer ?? err?.peer;
    out.push({
      timestamp: stamp(m, r()),
      service: s.name,
      resource,
      durationMs: Math.round(Math.max(1, s.p95Ms * 0.5 * st.latency * (1 + noise(r, 0.5)))),
      error: failed,
      ...(err ? { errorType: err.kind, errorMessage: err.message(r) } : {}),
      traceId: hex(r, 16),
      tags: [
        `service:${s.name}`,
        `env:${e.env}`,
        `version:${version}`,
        `host:${host}`,
        ...(peer ? [`peer.hostname:${peer}`] : []),
        ...(failed ? [`http.status_code:${err?.status ?? 500}`] : ['http.status_code:200']),
      ],
    });
  }
}

function emitSpecLogs(
  r: Rng,
  d: WorldDraft,
  spec: WorldDraft['logSpecs'][number],
  stamp: Stamp,
  out: Log[],
): void {
  const s = d.service(spec.service);
  for (let m = Math.max(-WINDOW_MINUTES, spec.from); m < Math.min(0, spec.to ?? 0); m++) {
    const rate = typeof spec.perMinute === 'number' ? spec.perMinute : spec.perMinute(m);
    let n = Math.floor(rate);
    if (r() < rate - n) n += 1;
    for (let i = 0; i < n; i++) {
      const host = pick(r, spec.hosts ?? s.hosts.map((h) => h.name));
      pushLog(r, d, s, host, m, spec.event(r, m), stamp, out);
    }
  }
}

/** Everyday lines every service writes, including old recurring errors the incident did not cause. */
function emitBaselineLogs(r: Rng, d: WorldDraft, s: Service, stamp: Stamp, out: Log[]): void {
  const routes = routesOf(s);
  const recurring = pick(r, [
    {
      kind: 'ConnectionResetError',
      message: (x: Rng) =>
        `connection reset by peer 10.0.${Math.floor(x() * 250)}.${Math.floor(x() * 250)}:6379`,
    },
    {
      kind: 'DeadlineExceeded',
      message: (x: Rng) => `cache lookup exceeded 50ms for key user:${Math.floor(x() * 99999)}`,
    },
    {
      kind: 'ValidationError',
      message: (x: Rng) => `invalid postcode for order ${Math.floor(x() * 9000000) + 5000000}`,
    },
    {
      kind: 'IdempotencyConflict',
      message: (x: Rng) => `duplicate request key ${hex(x, 12)} (ref 503${Math.floor(x() * 9000)})`,
    },
  ]);
  for (let m = -WINDOW_MINUTES; m < 0; m++) {
    const n = (r() < 0.45 ? 1 : 0) + (r() < 0.1 ? 1 : 0);
    for (let i = 0; i < n; i++) {
      const route = pick(r, routes);
      const { method, path } = methodAndPath(route);
      emit(r, d, s, m, stamp, out, {
        level: 'info',
        message: 'request completed',
        http: { method, route: path, status: 200, durationMs: s.p95Ms * 0.4 * (0.5 + r()) },
        extra: { request_id: uuid(r) },
      });
    }
    if (r() < 0.08)
      emit(r, d, s, m, stamp, out, {
        level: 'warn',
        message: `slow downstream call took ${Math.floor(r() * 900) + 400}ms (order ${Math.floor(r() * 90000) + 40200})`,
      });
    if (r() < 0.05)
      emit(r, d, s, m, stamp, out, {
        level: 'error',
        message: 'background task failed',
        error: { kind: recurring.kind, message: recurring.message(r) },
      });
  }
}

/** A line from any of the service's hosts (the host is drawn after the event). */
function emit(r: Rng, d: WorldDraft, s: Service, m: number, stamp: Stamp, out: Log[], event: LogEvent): void {
  pushLog(r, d, s, pick(r, s.hosts).name, m, event, stamp, out);
}

/** Writes a log line of `s` from `host` at a moment within minute `m`, as its stack formats it. */
function pushLog(
  r: Rng,
  d: WorldDraft,
  s: Service,
  host: string,
  m: number,
  event: LogEvent,
  stamp: Stamp,
  out: Log[],
): void {
  const version = d.versionAt(s, host, m);
  const rendered = renderLog(r, s, version, event);
  out.push({
    timestamp: stamp(m, r()),
    service: s.name,
    status: event.level,
    host,
    message: rendered.message,
    tags: [`service:${s.name}`, `env:${d.estate.env}`, `version:${version}`],
    attributes: rendered.attributes,
  });
}

/** A service's CPU use in percent at its usual traffic, before effects scale it (Effect.cpu). */
export function baseCpuPercent(s: Service): number {
  return 22 + (s.rpmPerHost % 20);
}

/** A service's memory in MiB without a leak (Effect.memoryMb adds to it). */
export function baseMemoryMb(s: Service): number {
  return 300 + (s.rpmPerHost % 900);
}

/** The connection pool size a service runs with unless a change resizes it (Effect.poolSize). */
export function basePoolSize(s: Service): number {
  return 20 + (s.rpmPerHost % 4) * 10;
}

function poolSeries(r: Rng, s: Service, e: Estate, at: EffectsAt, stamp: Stamp): Series[] {
  const names = poolMetrics(s);
  const tags = [`service:${s.name}`, `env:${e.env}`, names.tag];
  const baseSize = basePoolSize(s);
  const [used, max, waiting] = perMinute(stamp, (m) => {
    const fx = at(m);
    const size = fx.find((x) => x.poolSize !== undefined)?.poolSize ?? baseSize;
    const override = fx.find((x) => x.poolUsed !== undefined)?.poolUsed;
    // Demand is a number of connections: a resized pool holds the same demand as a larger share.
    const share = Math.min(
      1,
      override ?? (0.25 * productOf(fx, 'traffic') * daily(m) + noise(r, 0.04)) * (baseSize / size),
    );
    return [Math.round(share * size), size, share >= 0.97 ? Math.round(10 + r() * 60) : 0];
  });
  return [
    { metric: names.used, tags, points: used },
    { metric: names.max, tags, points: max },
    { metric: names.waiting, tags, points: waiting },
  ];
}

function backlogSeries(r: Rng, s: Service, e: Estate, at: EffectsAt, stamp: Stamp): Series {
  const q = queueOf(s, e);
  const [points] = perMinute(stamp, (m) => [
    Math.max(0, Math.round(40 + noise(r, 30) + sumOf(at(m), 'backlog'))),
  ]);
  return { metric: q.metric, tags: [`env:${e.env}`, `service:${s.name}`, q.tag], points };
}

function replicaSeries(r: Rng, s: Service, e: Estate, at: EffectsAt, stamp: Stamp): Series[] {
  const tags = [`env:${e.env}`, `kube_deployment:${s.name}`, `horizontalpodautoscaler:${s.name}`];
  const max = s.hosts.length * 3;
  const [current, maxPoints] = perMinute(stamp, (m) => {
    const replicas =
      at(m).find((x) => x.replicas !== undefined)?.replicas ?? s.hosts.length + (r() < 0.1 ? 1 : 0);
    return [Math.min(max, replicas), max];
  });
  return [
    { metric: 'kubernetes_state.hpa.current_replicas', tags, points: current },
    { metric: 'kubernetes_state.hpa.max_replicas', tags, points: maxPoints },
  ];
}

function peerSeries(r: Rng, d: WorldDraft, s: Service, at: EffectsAt, stamp: Stamp): Series[] {
  const peers = [d.estate.thirdParty.host, ...d.estate.deps.map((x) => `${x.name}.internal`)];
  return peers.flatMap((peer) => {
    const tags = [`service:${s.name}`, `env:${d.estate.env}`, `peer.hostname:${peer}`];
    const [calls, errors] = perMinute(stamp, (m) => {
      const fx = at(m);
      const peerFactor = fx.reduce((a, x) => a * (x.peerCalls?.peer === peer ? x.peerCalls.factor : 1), 1);
      const n = Math.round(
        s.rpmPerHost * 0.4 * productOf(fx, 'traffic') * peerFactor * daily(m) * (1 + noise(r, 0.1)),
      );
      const rate = fx.reduce((a, x) => a + (x.peerErrors?.peer === peer ? x.peerErrors.rate : 0), 0.001);
      return [n, Math.round(n * Math.min(1, rate) * (1 + noise(r, 0.3)))];
    });
    return [
      { metric: 'http.client.requests', tags, unit: 'request', points: calls },
      { metric: 'http.client.errors', tags, unit: 'error', points: errors },
    ];
  });
}

function datastoreSeries(r: Rng, s: Service, e: Estate, at: EffectsAt, stamp: Stamp): Series[] {
  const names = dbMetrics(s);
  const tags = [`service:${s.name}`, `env:${e.env}`, `dbinstanceidentifier:${s.name}`];
  const [conn, locks, cpu] = perMinute(stamp, (m) => {
    const fx = at(m);
    const lockLoad = sumOf(fx, 'dbLocks');
    return [
      round(Math.min(100, 30 + noise(r, 4) + lockLoad * 20)),
      Math.max(0, Math.round(2 + noise(r, 2) + lockLoad * 120)),
      round(Math.min(100, (28 + noise(r, 4)) * productOf(fx, 'cpu') + lockLoad * 30)),
    ];
  });
  return [
    { metric: names.connections, tags, points: conn },
    { metric: names.locks, tags, points: locks },
    { metric: names.cpu, tags, unit: 'percent', points: cpu },
  ];
}
