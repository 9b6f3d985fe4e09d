import { hex, ip, iso, MINUTE, noise, pick, type Rng, series, uuid } from './lib';

/** Shared generators for the everyday life of a service: traffic, noise logs, healthy spans. */
export type Effect = { rps?: number; errors?: number; latency?: number; cpu?: number; queue?: number };

export type ServiceShape = {
  name: string;
  env?: string;
  /** Requests per minute at baseline. */
  rpm: number;
  /** Error count per minute at baseline. */
  errors: number;
  p95Ms: number;
  cpuPct: number;
  /** Multipliers/additions per minute index: how the incident changes this service. */
  effect?: (minute: number) => Effect;
};

export function serviceMetrics(r: Rng, s: ServiceShape, start: string, minutes: number) {
  const env = s.env ?? 'prod';
  const tags = [`service:${s.name}`, `env:${env}`];
  const fx = (m: number): Effect => s.effect?.(m) ?? {};
  const daily = (m: number) => 1 + 0.15 * Math.sin((m / 240) * Math.PI);
  return [
    series(
      r,
      'trace.http.request.hits',
      tags,
      start,
      minutes,
      (m) => s.rpm * daily(m) * (fx(m).rps ?? 1) + noise(r, s.rpm * 0.05),
      'request',
    ),
    series(
      r,
      'trace.http.request.errors',
      tags,
      start,
      minutes,
      (m) => (s.errors + noise(r, s.errors * 0.6 + 1)) * (fx(m).errors ?? 1),
      'error',
    ),
    series(
      r,
      'trace.http.request.duration.by.service.95p',
      tags,
      start,
      minutes,
      (m) => (s.p95Ms + noise(r, s.p95Ms * 0.08)) * (fx(m).latency ?? 1),
      'millisecond',
    ),
    series(
      r,
      'system.cpu.user',
      tags,
      start,
      minutes,
      (m) => Math.min(100, (s.cpuPct + noise(r, 4)) * (fx(m).cpu ?? 1)),
      'percent',
    ),
  ];
}

export type LogTemplate = {
  service: string;
  status: 'error' | 'warn' | 'info' | 'debug';
  /** Expected lines per minute. */
  perMinute: number;
  message: (r: Rng) => string;
  /** Only emit in [from, to) minute indexes. */
  from?: number;
  to?: number;
  host?: (r: Rng) => string;
  attributes?: (r: Rng) => Record<string, unknown>;
};

export function logs(r: Rng, templates: LogTemplate[], start: string, minutes: number) {
  const out: {
    timestamp: string;
    service: string;
    status: LogTemplate['status'];
    host: string;
    message: string;
    tags: string[];
    attributes: Record<string, unknown>;
  }[] = [];
  const t0 = Date.parse(start);
  for (let m = 0; m < minutes; m++) {
    for (const t of templates) {
      if ((t.from !== undefined && m < t.from) || (t.to !== undefined && m >= t.to)) continue;
      let n = Math.floor(t.perMinute);
      if (r() < t.perMinute - n) n += 1;
      for (let i = 0; i < n; i++) {
        out.push({
          timestamp: iso(t0 + m * MINUTE + Math.floor(r() * MINUTE)),
          service: t.service,
          status: t.status,
          host: t.host ? t.host(r) : `${t.service}-${hex(r, 5)}-${Math.floor(r() * 3)}`,
          message: t.message(r),
          tags: [`service:${t.service}`, 'env:prod'],
          attributes: t.attributes ? t.attributes(r) : {},
        });
      }
    }
  }
  return out.sort((a, b) => a.timestamp.localeCompare(b.timestamp));
}

export type SpanTemplate = {
  service: string;
  resource: string;
  perMinute: number;
  durationMs: number;
  /** Error probability per span at minute m, and the error it raises. */
  error?: (m: number) => { p: number; type: string; message: (r: Rng) => string } | undefined;
  slow?: (m: number) => number;
};

export function spans(r: Rng, templates: SpanTemplate[], start: string, minutes: number) {
  const out: {
    timestamp: string;
    service: string;
    resource: string;
    durationMs: number;
    error: boolean;
    errorType?: string;
    errorMessage?: string;
    traceId: string;
    tags: string[];
  }[] = [];
  const t0 = Date.parse(start);
  for (let m = 0; m < minutes; m++) {
    for (const t of templates) {
      let n = Math.floor(t.perMinute);
      if (r() < t.perMinute - n) n += 1;
      for (let i = 0; i < n; i++) {
        const err = t.error?.(m);
        const failed = err !== undefined && r() < err.p;
        out.push({
          timestamp: iso(t0 + m * MINUTE + Math.floor(r() * MINUTE)),
          service: t.service,
          resource: t.resource,
          durationMs: Math.round(
            Math.max(1, (t.durationMs + noise(r, t.durationMs * 0.4)) * (t.slow?.(m) ?? 1)),
          ),
          error: failed,
          ...(failed ? { errorType: err.type, errorMessage: err.message(r) } : {}),
          traceId: hex(r, 16),
          tags: [`service:${t.service}`, 'env:prod'],
        });
      }
    }
  }
  return out.sort((a, b) => a.timestamp.localeCompare(b.timestamp));
}

/** Everyday noise most services emit: keeps the "new pattern" detector honest. */
export function everydayNoise(service: string): LogTemplate[] {
  return [
    {
      service,
      status: 'info',
      perMinute: 0.4,
      message: (r) => `GET /healthz 200 ${Math.floor(r() * 4) + 1}ms`,
    },
    {
      service,
      status: 'info',
      perMinute: 0.5,
      message: (r) =>
        `request completed route=/api/${pick(r, ['cart', 'orders', 'session', 'items'])} status=200 duration_ms=${Math.floor(r() * 180) + 20} request_id=${uuid(r)}`,
    },
    {
      service,
      status: 'warn',
      perMinute: 0.3,
      message: (r) =>
        `slow query detected duration_ms=${Math.floor(r() * 900) + 500} table=${pick(r, ['orders', 'carts', 'users'])}`,
    },
    {
      service,
      status: 'error',
      perMinute: 0.15,
      message: (r) =>
        `upstream connection reset by peer ${ip(r)}:6379, retrying (attempt ${Math.floor(r() * 3) + 1}/3)`,
    },
  ];
}
