import { pick, type Rng } from '../../lib';
import { during, ramp } from '../effects';
import type { Lang, Service } from '../estate';
import { routesOf } from '../log-formats';
import { baseName, pascal, snake } from '../naming';
import { basePoolSize } from '../telemetry';
import {
  alertAfterOnset,
  configPath,
  deployValuesPath,
  errorMonitorKind,
  framesThrough,
  type IncidentClass,
  leadTime,
  pastIncident,
  runbook,
  sourcePath,
} from './kit';
import { shipInRollout, shipUnrelated } from './releases';
import { timeoutError, upstreamError } from './remote-call-errors';

/**
 * A deploy of the alerting service ships a configuration change, and one of its values is
 * wrong for production: the database pool is resized below peak demand (latent: the pool only
 * runs dry 20-90 minutes later as traffic climbs), a client timeout drops below the remote's
 * tail latency, or a rate, concurrency or body-size limit is set below real traffic. The diff
 * of the service's config file shows the key and both values; the errors name the key or the
 * value where the library's own message does.
 */

type Variant = 'pool-size' | 'client-timeout' | 'rate-limit' | 'concurrency-limit' | 'body-limit';

/** One changed setting in the config file's own syntax. */
type Setting = {
  /** The key as written in the file (what a reader greps for). */
  key: string;
  header: string;
  before: string[];
  line: (value: string) => string;
  after: string[];
};

const camel = (s: string) => {
  const p = pascal(s);
  return p.charAt(0).toLowerCase() + p.slice(1);
};
const RUBY_HEADER = 'Rails.application.configure do';

function poolSetting(s: Service, db: Service): Setting {
  const host = `${db.name}.internal`;
  switch (s.lang) {
    case 'java':
      return {
        key: 'maximum-pool-size',
        header: 'spring:',
        before: ['  datasource:', '    hikari:'],
        line: (v) => `      maximum-pool-size: ${v}`,
        after: ['      connection-timeout: 30000'],
      };
    case 'go':
      return {
        key: 'max_open_conns',
        header: 'database:',
        before: ['database:', `  dsn: postgres://${host}:5432/app`],
        line: (v) => `  max_open_conns: ${v}`,
        after: ['  conn_max_lifetime: 5m'],
      };
    case 'python':
      return {
        key: 'pool_size',
        header: '[database]',
        before: ['[database]', `url = "postgresql://${host}/app"`],
        line: (v) => `pool_size = ${v}`,
        after: ['max_overflow = 0', 'pool_timeout = 30'],
      };
    case 'ruby':
      return {
        key: 'db_pool_size',
        header: RUBY_HEADER,
        before: ['  # Connections per process; config/database.yml reads this.'],
        line: (v) => `  config.x.db_pool_size = ${v}`,
        after: ['  config.x.db_checkout_timeout = 5'],
      };
    case 'dotnet':
      return {
        key: 'Maximum Pool Size',
        header: '"ConnectionStrings": {',
        before: ['  "ConnectionStrings": {'],
        line: (v) => `    "Default": "Host=${host};Database=app;Maximum Pool Size=${v};Timeout=15"`,
        after: ['  },'],
      };
    default:
      return {
        key: 'max',
        header: '"database": {',
        before: ['  "database": {', '    "client": "pg",'],
        line: (v) => `    "pool": { "min": 2, "max": ${v} },`,
        after: ['    "acquireConnectionTimeout": 10000'],
      };
  }
}

function timeoutSetting(s: Service, target: string): Setting {
  switch (s.lang) {
    case 'java':
      return {
        key: 'read-timeout',
        header: 'clients:',
        before: ['clients:', `  ${target}:`],
        line: (v) => `    read-timeout: ${v}`,
        after: ['    connect-timeout: 500ms'],
      };
    case 'go':
      return {
        key: 'timeout',
        header: 'clients:',
        before: ['clients:', `  ${snake(target)}:`],
        line: (v) => `    timeout: ${v}`,
        after: ['    retries: 2'],
      };
    case 'python':
      return {
        key: 'timeout_seconds',
        header: `[clients.${snake(target)}]`,
        before: [`[clients.${snake(target)}]`],
        line: (v) => `timeout_seconds = ${v}`,
        after: ['retries = 2'],
      };
    case 'ruby':
      return {
        key: `${snake(target)}_client.timeout`,
        header: RUBY_HEADER,
        before: [],
        line: (v) => `  config.x.${snake(target)}_client.timeout = ${v}`,
        after: [`  config.x.${snake(target)}_client.retries = 2`],
      };
    case 'dotnet':
      return {
        key: 'TimeoutSeconds',
        header: '"Clients": {',
        before: ['  "Clients": {', `    "${pascal(target)}": {`],
        line: (v) => `      "TimeoutSeconds": ${v},`,
        after: ['      "Retries": 2'],
      };
    default:
      return {
        key: 'timeoutMs',
        header: '"clients": {',
        before: ['  "clients": {', `    "${camel(target)}": {`],
        line: (v) => `      "timeoutMs": ${v},`,
        after: ['      "retries": 2'],
      };
  }
}

function timeoutValue(lang: Lang, ms: number): string {
  switch (lang) {
    case 'java':
      return `${ms}ms`;
    case 'go':
      return ms % 1000 === 0 ? `${ms / 1000}s` : `${ms}ms`;
    case 'python':
    case 'ruby':
    case 'dotnet':
      return String(ms / 1000);
    default:
      return String(ms);
  }
}

function rateSetting(s: Service): Setting {
  switch (s.lang) {
    case 'java':
      return {
        key: 'limit-for-period',
        header: 'resilience4j:',
        before: ['  ratelimiter:', '    instances:', '      per-client:'],
        line: (v) => `        limit-for-period: ${v}`,
        after: ['        limit-refresh-period: 60s'],
      };
    case 'go':
      return {
        key: 'per_client_rpm',
        header: 'ratelimit:',
        before: ['ratelimit:', '  key: client_id'],
        line: (v) => `  per_client_rpm: ${v}`,
        after: ['  burst: 50'],
      };
    case 'python':
      return {
        key: 'default_limit',
        header: '[ratelimit]',
        before: ['[ratelimit]', 'key_func = "client_id"'],
        line: (v) => `default_limit = "${v} per minute"`,
        after: ['storage_uri = "redis://ratelimit-redis:6379"'],
      };
    case 'ruby':
      return {
        key: 'throttle_per_client_rpm',
        header: RUBY_HEADER,
        before: ['  # Rack::Attack throttle, keyed by API client.'],
        line: (v) => `  config.x.throttle_per_client_rpm = ${v}`,
        after: [],
      };
    case 'dotnet':
      return {
        key: 'PermitLimit',
        header: '"RateLimiting": {',
        before: ['  "RateLimiting": {', '    "PerClient": {'],
        line: (v) => `      "PermitLimit": ${v},`,
        after: ['      "WindowSeconds": 60'],
      };
    default:
      return {
        key: 'max',
        header: '"rateLimit": {',
        before: ['  "rateLimit": {', '    "windowMs": 60000,'],
        line: (v) => `    "max": ${v},`,
        after: ['    "keyGenerator": "clientId"'],
      };
  }
}

function concurrencySetting(s: Service): Setting {
  switch (s.lang) {
    case 'java':
      return {
        key: 'max-concurrent-calls',
        header: 'resilience4j:',
        before: ['  bulkhead:', '    instances:', '      api:'],
        line: (v) => `        max-concurrent-calls: ${v}`,
        after: ['        max-wait-duration: 0'],
      };
    case 'go':
      return {
        key: 'max_in_flight',
        header: 'server:',
        before: ['server:', '  port: 8080'],
        line: (v) => `  max_in_flight: ${v}`,
        after: ['  read_timeout: 10s'],
      };
    case 'python':
      return {
        key: 'max_concurrent_requests',
        header: '[server]',
        before: ['[server]', 'workers = 4'],
        line: (v) => `max_concurrent_requests = ${v}`,
        after: ['timeout = 30'],
      };
    case 'ruby':
      return {
        key: 'max_in_flight_requests',
        header: RUBY_HEADER,
        before: [],
        line: (v) => `  config.x.max_in_flight_requests = ${v}`,
        after: ['  config.x.shed_status = 503'],
      };
    case 'dotnet':
      return {
        key: 'PermitLimit',
        header: '"ConcurrencyLimiter": {',
        before: ['  "ConcurrencyLimiter": {'],
        line: (v) => `    "PermitLimit": ${v},`,
        after: ['    "QueueLimit": 0'],
      };
    default:
      return {
        key: 'maxConcurrentRequests',
        header: '"server": {',
        before: ['  "server": {', '    "port": 8080,'],
        line: (v) => `    "maxConcurrentRequests": ${v},`,
        after: ['    "keepAliveTimeout": 65000'],
      };
  }
}

function bodySetting(s: Service): Setting {
  switch (s.lang) {
    case 'java':
      return {
        key: 'max-in-memory-size',
        header: 'spring:',
        before: ['  codec:'],
        line: (v) => `    max-in-memory-size: ${v}`,
        after: [],
      };
    case 'go':
      return {
        key: 'max_body_bytes',
        header: 'http:',
        before: ['http:'],
        line: (v) => `  max_body_bytes: ${v}`,
        after: ['  max_header_bytes: 16384'],
      };
    case 'python':
      return {
        key: 'max_content_length',
        header: '[http]',
        before: ['[http]'],
        line: (v) => `max_content_length = ${v}`,
        after: [],
      };
    case 'ruby':
      return {
        key: 'max_body_bytes',
        header: RUBY_HEADER,
        before: [],
        line: (v) => `  config.x.max_body_bytes = ${v}`,
        after: [],
      };
    case 'dotnet':
      return {
        key: 'MaxRequestBodySize',
        header: '"Kestrel": {',
        before: ['  "Kestrel": {', '    "Limits": {'],
        line: (v) => `      "MaxRequestBodySize": ${v},`,
        after: ['      "MaxRequestHeadersTotalSize": 32768'],
      };
    default:
      return {
        key: 'bodyLimit',
        header: '"http": {',
        before: ['  "http": {'],
        line: (v) => `    "bodyLimit": "${v}",`,
        after: ['    "trustProxy": true'],
      };
  }
}

/** Body limits as each stack writes them, and in bytes. */
function bodyValues(lang: Lang, r: Rng): { old: string; new: string; bytes: number } {
  const kb = pick(r, [100, 256, 512, 1024]);
  const bytes = kb * 1024;
  switch (lang) {
    case 'java':
      return { old: '10MB', new: kb === 1024 ? '1MB' : `${kb}KB`, bytes };
    case 'ruby':
      return { old: '10.megabytes', new: kb === 1024 ? '1.megabyte' : `${kb}.kilobytes`, bytes };
    case 'dotnet':
      return { old: '30000000', new: String(bytes), bytes };
    case 'node':
      return { old: '10mb', new: kb === 1024 ? '1mb' : `${kb}kb`, bytes };
    default:
      return { old: '10485760', new: String(bytes), bytes };
  }
}

/** An unrelated setting that changes in the same diff (real config PRs rarely change one line). */
function sideChange(s: Service): { removed: string; added: string } {
  switch (s.lang) {
    case 'java':
    case 'go':
      return { removed: '  level: info', added: '  level: warn' };
    case 'python':
      return { removed: 'log_level = "info"', added: 'log_level = "warning"' };
    case 'ruby':
      return { removed: '  config.log_level = :info', added: '  config.log_level = :warn' };
    case 'dotnet':
      return { removed: '      "Default": "Information",', added: '      "Default": "Warning",' };
    default:
      return { removed: '    "level": "info",', added: '    "level": "warn",' };
  }
}

/** The same setting passed as an environment variable in Helm values (`DB_POOL_SIZE: "5"`). */
function envVarSetting(set: Setting): Setting {
  const name = set.key
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .replace(/[^A-Za-z0-9]+/g, '_')
    .replace(/^_|_$/g, '')
    .toUpperCase();
  return {
    key: name,
    header: 'env:',
    before: ['  - name: LOG_FORMAT', '    value: json', `  - name: ${name}`],
    line: (v) => `    value: "${v}"`,
    after: [],
  };
}

function configPatch(
  r: Rng,
  set: Setting,
  oldValue: string,
  newValue: string,
  side?: { removed: string; added: string },
): string {
  const at = 8 + Math.floor(r() * 60);
  const n = set.before.length + 1 + set.after.length;
  const hunk = [
    `@@ -${at},${n} +${at},${n} @@ ${set.header}`,
    ...set.before.map((l) => ` ${l}`),
    `-${set.line(oldValue)}`,
    `+${set.line(newValue)}`,
    ...set.after.map((l) => ` ${l}`),
  ];
  if (!side) return hunk.join('\n');
  const at2 = at + n + 10 + Math.floor(r() * 30);
  return [...hunk, `@@ -${at2},1 +${at2},1 @@`, `-${side.removed}`, `+${side.added}`].join('\n');
}

const THIRD_PARTY_PATHS: Record<string, string> = {
  Stripe: '/v1/payment_intents',
  Twilio: '/2010-04-01/Accounts/AC3f9e1a/Messages.json',
  SendGrid: '/v3/mail/send',
  Adyen: '/v71/payments',
  Auth0: '/oauth/token',
  Algolia: '/1/indexes/products/query',
  Plaid: '/transactions/sync',
  Shippo: '/shipments/',
};

function poolError(s: Service, mysql: boolean, size: number): [string, (x: Rng) => string] {
  switch (s.lang) {
    case 'java':
      return [
        'java.sql.SQLTransientConnectionException',
        (x) =>
          `HikariPool-1 - Connection is not available, request timed out after 30000ms (total=${size}, active=${size}, idle=0, waiting=${5 + Math.floor(x() * 60)})`,
      ];
    case 'go':
      return [
        '*fmt.wrapError',
        (x) =>
          `acquire conn: context deadline exceeded (max_open_conns=${size}, in_use=${size}, wait_count=${200 + Math.floor(x() * 4000)})`,
      ];
    case 'python':
      return [
        'sqlalchemy.exc.TimeoutError',
        () =>
          `QueuePool limit of size ${size} overflow 0 reached, connection timed out, timeout 30.00 (Background on this error at: https://sqlalche.me/e/20/3o7r)`,
      ];
    case 'ruby':
      return [
        'ActiveRecord::ConnectionTimeoutError',
        (x) =>
          `could not obtain a connection from the pool within 5.000 seconds (waited 5.00${Math.floor(x() * 9)} seconds); all pooled connections were in use`,
      ];
    case 'dotnet':
      return mysql
        ? [
            'MySqlConnector.MySqlException',
            () => 'Connect Timeout expired. All pooled connections are in use.',
          ]
        : [
            'Npgsql.NpgsqlException',
            () =>
              `The connection pool has been exhausted, either raise 'Max Pool Size' (currently ${size}) or 'Timeout' (currently 15 seconds) in your connection string.`,
          ];
    default:
      return [
        'KnexTimeoutError',
        () =>
          'Knex: Timeout acquiring a connection. The pool is probably full. Are you missing a .transacting(trx) call?',
      ];
  }
}

function rateError(s: Service, client: string, limit: number): [string, () => string] {
  switch (s.lang) {
    case 'java':
      return [
        'io.github.resilience4j.ratelimiter.RequestNotPermitted',
        () => "RateLimiter 'per-client' does not permit further calls",
      ];
    case 'python':
      return ['flask_limiter.errors.RateLimitExceeded', () => `429 Too Many Requests: ${limit} per 1 minute`];
    case 'go':
      return ['*errors.errorString', () => `rate limit exceeded for client ${client}: ${limit} req/min`];
    case 'ruby':
      return [
        'RateLimitExceeded',
        () => `throttle per_client exceeded (limit=${limit}, period=60) for ${client}`,
      ];
    case 'dotnet':
      return [
        'RateLimitRejected',
        () =>
          `Rate limit exceeded for policy 'PerClient' (PermitLimit=${limit}, Window=60s), partition ${client}`,
      ];
    default:
      return [
        'TooManyRequestsError',
        () => `rate limit of ${limit} requests per minute exceeded for client ${client}`,
      ];
  }
}

function concurrencyError(s: Service, limit: number): [string, () => string] {
  switch (s.lang) {
    case 'java':
      return [
        'io.github.resilience4j.bulkhead.BulkheadFullException',
        () => "Bulkhead 'api' is full and does not permit further calls",
      ];
    case 'python':
      return [
        'werkzeug.exceptions.ServiceUnavailable',
        () => `503 Service Unavailable: concurrency limit of ${limit} in-flight requests reached`,
      ];
    case 'go':
      return ['*errors.errorString', () => `too many in-flight requests (max_in_flight=${limit})`];
    case 'ruby':
      return ['ConcurrencyLimitExceeded', () => `in-flight limit of ${limit} requests reached, shedding`];
    case 'dotnet':
      return [
        'ConcurrencyLimiterRejected',
        () => `Request rejected by ConcurrencyLimiter: PermitLimit ${limit} reached, QueueLimit 0`,
      ];
    default:
      return ['ServiceUnavailableError', () => `concurrency limit reached (${limit} requests in flight)`];
  }
}

function bodyError(s: Service, bytes: number): [string, (x: Rng) => string] {
  const size = (x: Rng) => bytes + 1 + Math.floor(x() * bytes * 4);
  switch (s.lang) {
    case 'java':
      return [
        'org.springframework.core.io.buffer.DataBufferLimitException',
        () => `Exceeded limit on max bytes to buffer : ${bytes}`,
      ];
    case 'python':
      return [
        'werkzeug.exceptions.RequestEntityTooLarge',
        () => '413 Request Entity Too Large: The data value transmitted exceeds the capacity limit.',
      ];
    case 'go':
      return ['*http.MaxBytesError', () => 'http: request body too large'];
    case 'ruby':
      return ['RequestTooLarge', (x) => `request body of ${size(x)} bytes exceeds max_body_bytes (${bytes})`];
    case 'dotnet':
      return [
        'Microsoft.AspNetCore.Server.Kestrel.Core.BadHttpRequestException',
        () => `Request body too large. The max request body size is ${bytes} bytes.`,
      ];
    default:
      return ['PayloadTooLargeError', (x) => `request entity too large (length ${size(x)}, limit ${bytes})`];
  }
}

/** What the change does, in the terms the rest of the class needs. */
type Change = {
  setting: Setting;
  oldValue: string;
  newValue: string;
  title: string;
  body: string;
  keywords: string[];
  /** The world's title: what responders saw, not why. */
  symptom: string;
};

export const deployConfig: IncidentClass = {
  name: 'deploy-config',
  variants: ['pool-size', 'client-timeout', 'rate-limit', 'concurrency-limit', 'body-limit'],
  build(d, v) {
    const variant = v as Variant;
    const r = d.r;
    const e = d.estate;
    const s = e.alerting;
    const mysql = e.database.name.startsWith('mysql');
    const latent = variant === 'pool-size';
    // The pool runs dry 20-90 minutes after the deploy; the other limits bite as soon as pods roll.
    const lead = latent ? 20 + Math.floor(r() * 71) : leadTime(r, false);
    const deployAt = d.onset - lead;
    const onsetRamp = (m: number, width = 2) => ramp(m, d.onset - 1, d.onset + width);
    const route = pick(r, routesOf(s));
    let change: Change;
    let monitorShare = 0.1;
    let alertKind: 'latency' | undefined;

    if (variant === 'pool-size') {
      const size = basePoolSize(s);
      const demand = 0.25 * size;
      // Traffic climbs through the morning; the old pool had room for it, the new one does not.
      const rise = 0.2 + r() * 0.5;
      const trafficAt = (m: number) => 1 + rise * ramp(m, deployAt - 20, d.onset + 25);
      const newSize = Math.max(3, Math.round(demand * trafficAt(d.onset) * 1.04));
      d.effect(s, (m) => ({ traffic: trafficAt(m), ...(m >= deployAt ? { poolSize: newSize } : {}) }));
      const rate = 0.06 + r() * 0.2;
      const slow = 3 + r() * 5;
      const [kind, message] = poolError(s, mysql, newSize);
      // The stack runs through ordinary data-access code, which did not change.
      const frames = framesThrough(s, e.slug, r, {
        path: sourcePath(
          s,
          'repositories',
          pick(r, ['account-repository', 'order-store', 'records-dao']),
          e.slug,
        ),
        fn: 'query',
      });
      d.effect(s, (m) =>
        during(m, d.onset)
          ? {
              poolUsed: 1,
              errorRate: rate * onsetRamp(m, 6) * (1 + 0.5 * ramp(m, d.onset, d.onset + 30)),
              latency: 1 + (slow - 1) * onsetRamp(m, 4),
              error: { kind, message, frames, status: 500 },
            }
          : undefined,
      );
      monitorShare = rate;
      // Not the saturation monitor: its busy/max ratio jumps at the deploy (max drops), long before
      // requests fail, and the busy count itself only grows with traffic. Errors or latency page.
      alertKind = r() < 0.35 ? 'latency' : undefined;
      const hosts = s.hosts.length;
      change = {
        setting: poolSetting(s, e.database),
        oldValue: String(size),
        newValue: String(newSize),
        title: `Lower ${s.name} database pool to ${newSize} per pod`,
        body: `We run ${hosts} pods (up to ${hosts * 3} with the autoscaler) × ${size} connections against ${e.database.name}, too close to its max_connections. Busy connections peak around ${Math.round(demand)} per pod, so ${newSize} leaves headroom.`,
        keywords: [poolSetting(s, e.database).key, 'pool'],
        symptom: `${s.name} requests failing while waiting for database connections`,
      };
      if (r() < 0.6)
        d.log({
          service: s.name,
          from: d.onset - 6,
          to: d.onset + 2,
          perMinute: 0.7,
          event: (x) => ({
            level: 'warn',
            message: `slow request: waited ${800 + Math.floor(x() * 3000)}ms for a database connection`,
          }),
        });
    } else if (variant === 'client-timeout') {
      const third = r() < 0.3;
      const dep = pick(r, e.deps);
      const target = third ? e.thirdParty.name.toLowerCase() : baseName(dep);
      const peer = third ? e.thirdParty.host : `${dep.name}.internal`;
      const path = third
        ? (THIRD_PARTY_PATHS[e.thirdParty.name] ?? '/v1/requests')
        : routesOf(dep)[0]!.split(' ')[1]!;
      const url = `${third ? 'https' : 'http'}://${peer}${path}`;
      const remoteP95 = third ? 300 + Math.floor(r() * 500) : dep.p95Ms;
      const oldMs = pick(r, [2000, 3000, 5000, 10000]);
      // Someone sized the timeout on the median, not the tail: a slice of ordinary calls now times out.
      const newMs = Math.max(100, Math.round((remoteP95 * (0.6 + r() * 0.5)) / 50) * 50);
      const share = 0.5 + r() * 0.5;
      const callRate = 0.06 + r() * 0.25;
      const rate = callRate * share;
      const [kind, message] = timeoutError(r, s, url, 'POST', newMs);
      const resource = r() < 0.5 ? route : undefined;
      const frames = [
        {
          file: sourcePath(s, 'clients', `${target}-client`, e.slug),
          fn: 'send',
          line: 40 + Math.floor(r() * 120),
        },
        { file: sourcePath(s, 'http', 'router', e.slug), fn: 'handle', line: 20 + Math.floor(r() * 90) },
      ];
      // Timed-out requests last the timeout times the attempts, which lifts p95 once enough of them fail.
      const slowdown = 1 + (Math.max(1, (newMs * 2) / s.p95Ms) - 1) * Math.min(1, rate / 0.1);
      d.effect(s, (m) =>
        during(m, d.onset)
          ? {
              errorRate: rate * onsetRamp(m),
              latency: 1 + (slowdown - 1) * onsetRamp(m),
              peerErrors: { peer, rate: callRate * onsetRamp(m) },
              error: { kind, message, frames, peer, status: 504, resource },
            }
          : undefined,
      );
      d.log({
        service: s.name,
        from: d.onset,
        perMinute: 1 + r() * 3,
        event: (x) => ({
          level: 'warn',
          message: `${target} call exceeded ${newMs}ms timeout after ${newMs + Math.floor(x() * 15)}ms, retrying (attempt 2 of 3)`,
          peer,
        }),
      });
      monitorShare = rate;
      change = {
        setting: timeoutSetting(s, target),
        oldValue: timeoutValue(s.lang, oldMs),
        newValue: timeoutValue(s.lang, newMs),
        title: `Fail fast on ${target} calls`,
        body: `${target} answers in ~${Math.round(remoteP95 / 3)}ms at the median; a ${oldMs / 1000}s timeout ties up request workers whenever it is degraded. Lowering it to ${newMs}ms.`,
        keywords: [timeoutSetting(s, target).key, 'timeout', target],
        symptom: `${s.name} timing out on calls to ${target}`,
      };
    } else if (variant === 'rate-limit' || variant === 'concurrency-limit') {
      const caller = e.caller;
      const total = s.rpmPerHost * s.hosts.length;
      const rejected = 0.12 + r() * 0.3;
      let limit: number;
      let oldLimit: number;
      let kind: string;
      let message: () => string;
      let status: number;
      if (variant === 'rate-limit') {
        limit = Math.max(50, Math.round((total * (1 - rejected)) / 50) * 50);
        oldLimit = Math.round((total * (4 + r() * 6)) / 500) * 500;
        [kind, message] = rateError(s, caller.name, limit);
        status = 429;
        change = {
          setting: rateSetting(s),
          oldValue: String(oldLimit),
          newValue: String(limit),
          title: `Tighten per-client rate limit to ${limit}/min`,
          body: `Scrapers hit ${s.name} hard last week. ${limit} requests per minute per client is above what our own clients need.`,
          keywords: [rateSetting(s).key, 'rate limit', '429'],
          symptom: `${s.name} answering 429 to its clients`,
        };
      } else {
        // In-flight requests per pod are rps × duration, and bursts reach several times the mean:
        // the new cap sits below the burst peak.
        const mean = (s.rpmPerHost / 60) * (s.p95Ms / 1000) * 0.6;
        limit = Math.min(24, Math.max(4, Math.round(mean * (3 + r() * 2))));
        oldLimit = pick(r, [128, 200, 256, 512]);
        [kind, message] = concurrencyError(s, limit);
        status = 503;
        change = {
          setting: concurrencySetting(s),
          oldValue: String(oldLimit),
          newValue: String(limit),
          title: `Cap in-flight requests at ${limit} per pod`,
          body: `Load shedding: under overload we would rather answer 503 quickly than queue. ${limit} concurrent requests per pod is what a pod handled in the last load test.`,
          keywords: [concurrencySetting(s).key, 'concurrency', '503'],
          symptom: `${s.name} shedding requests with 503`,
        };
      }
      const latency = variant === 'concurrency-limit' ? 1.4 + r() * 1.2 : 1;
      d.effect(s, (m) =>
        during(m, d.onset)
          ? {
              errorRate: rejected * onsetRamp(m),
              latency: 1 + (latency - 1) * onsetRamp(m),
              error: { kind, message, status },
            }
          : undefined,
      );
      // The main client sees the rejections as failed calls.
      const [ckind, cmessage] = upstreamError(
        r,
        caller,
        `http://${s.name}.internal${route.split(' ')[1]}`,
        route.split(' ')[0]!,
        status,
      );
      d.effect(caller, (m) =>
        during(m, d.onset + 1)
          ? {
              errorRate: rejected * 0.7,
              error: { kind: ckind, message: cmessage, peer: `${s.name}.internal`, status: 502 },
            }
          : undefined,
      );
      d.log({
        service: s.name,
        from: d.onset,
        perMinute: 1 + r() * 2,
        event: (x) => ({
          level: 'warn',
          message:
            variant === 'rate-limit'
              ? `throttled client ${caller.name}: ${limit + 1 + Math.floor(x() * limit * 0.4)} requests in the last 60s (limit ${limit})`
              : `shedding request: ${limit} requests in flight (limit ${limit})`,
        }),
      });
      monitorShare = rejected;
    } else {
      const values = bodyValues(s.lang, r);
      const post = routesOf(s).find((x) => x.startsWith('POST')) ?? route;
      const rate = 0.05 + r() * 0.15;
      const [kind, message] = bodyError(s, values.bytes);
      d.effect(s, (m) =>
        during(m, d.onset)
          ? { errorRate: rate * onsetRamp(m), error: { kind, message, status: 413, resource: post } }
          : undefined,
      );
      const [ckind, cmessage] = upstreamError(
        r,
        e.caller,
        `http://${s.name}.internal${post.split(' ')[1]}`,
        'POST',
        413,
      );
      d.effect(e.caller, (m) =>
        during(m, d.onset + 1)
          ? {
              errorRate: rate * 0.6,
              error: { kind: ckind, message: cmessage, peer: `${s.name}.internal`, status: 502 },
            }
          : undefined,
      );
      monitorShare = rate;
      change = {
        setting: bodySetting(s),
        oldValue: values.old,
        newValue: values.new,
        title: `Reduce max request body to ${values.new}`,
        body: `Large bodies are an easy memory DoS. Our p99 request body is well under ${values.new}, so lowering the limit from ${values.old}.`,
        keywords: [bodySetting(s).key, 'body', '413'],
        symptom: `${s.name} rejecting requests with 413`,
      };
    }

    // The config change ships as a commit of the service's config file; sometimes a later code
    // commit rides in the same rollout and is its head. A service with a deploy-config repository
    // often sets it there instead, as an environment variable in its Helm values, applied by a
    // rollout of that repository (same image, new settings).
    const inDeployRepo = s.deployRepo !== null && r() < 0.6;
    if (inDeployRepo) change = { ...change, setting: envVarSetting(change.setting) };
    const file = inDeployRepo ? deployValuesPath(s, e.env) : configPath(s, e.env);
    const side = !inDeployRepo && r() < 0.5 ? sideChange(s) : undefined;
    const commitAt = deployAt - 15 - Math.floor(r() * 60);
    const spec = {
      message: change.title,
      files: [
        {
          filename: file,
          additions: side ? 2 : 1,
          deletions: side ? 2 : 1,
          patch: configPatch(r, change.setting, change.oldValue, change.newValue, side),
        },
      ],
      minute: commitAt,
      pr: {
        title: change.title,
        body: `${change.body}\n\nChanges \`${change.setting.key}\` in \`${file}\`: ${change.oldValue} → ${change.newValue}.`,
        labels: ['config'],
      },
      deployRepo: inDeployRepo,
    };
    const { commit, rolloutId } = shipInRollout(
      d,
      s,
      spec,
      deployAt,
      !inDeployRepo && r() < 0.4
        ? {
            change: () => ({
              message: pick(r, [
                'Add pagination metadata to list responses',
                'Extract money formatting helper',
                'Log request ids on validation errors',
              ]),
              filename: sourcePath(s, 'http', 'responses', e.slug),
              pr: { title: 'Small API tidy-ups', body: 'No behaviour change for existing clients.' },
            }),
            additions: [15, 40],
            deletions: [3, 10],
            after: [3, 10],
            stagingBefore: [8, 10],
          }
        : undefined,
    );
    // Services print their effective settings at boot, which is the new value in the new pods.
    if (r() < 0.5)
      d.log({
        service: s.name,
        from: deployAt + 1,
        to: deployAt + 3,
        perMinute: 1,
        event: () => ({
          level: 'info',
          message: `config loaded from ${file.split('/').at(-1)}: ${change.setting.key}=${change.newValue}`,
        }),
      });
    // For the latent pool, a harmless code deploy lands closer to the onset than the config deploy.
    if (latent && r() < 0.6) {
      const at = d.onset - 3 - Math.floor(r() * Math.min(12, lead - 5));
      const mergedAt = at - 10 - Math.floor(r() * 20);
      shipUnrelated(d, s, {
        mergedAt,
        deployAt: at,
        message: [
          'Return 404 for archived resources',
          'Add locale to error responses',
          'Refactor list endpoint filters',
        ],
        filename: sourcePath(s, 'http', 'handlers', e.slug),
        additions: [20, 60],
        deletions: [5, 20],
        pr: { title: 'Handler tidy-ups', body: 'Small handler changes, covered by tests.' },
      });
    }

    alertAfterOnset(d, alertKind ?? errorMonitorKind(d, r, monitorShare), s);
    const rb = runbook(
      d,
      `runbooks/${s.name}-config.md`,
      `${s.name} configuration and limits`,
      `## Where settings live\n\`${file}\` per environment; changes ship with the next deploy.\n\n## Triage\nIf errors name a limit, pool or timeout, diff \`${file}\` between the running release and the previous one. Pool exhaustion can appear long after the deploy, once traffic peaks.\n\n## Mitigation\nRevert the config commit and redeploy, or roll back the release.`,
      pick(r, ['runbook', 'confluence', 'notion'] as const),
    );
    const similar = pastIncident(d, r, {
      title: `${s.name} ${variant === 'pool-size' ? 'pool exhaustion' : variant === 'client-timeout' ? 'timeouts' : 'rejections'} after a config change`,
      summary: `A value in ${file} was set below what production traffic needs.`,
      cause: `${change.setting.key} lowered in a deploy (${variant.replace('-', ' ')}).`,
      mitigation: 'Reverted the setting and redeployed.',
      services: [s.name],
    });
    d.title = change.symptom;
    d.truth = {
      kind: 'config_change',
      accept: [commit.sha, `${commit.repo}#${commit.pr}`, rolloutId],
      keywords: change.keywords,
      runbook: rb,
      similarIncident: similar,
    };
  },
};
