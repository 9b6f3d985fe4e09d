import { pick, type Rng } from '../../lib';
import type { WorldDraft } from '../draft';
import { during, ramp } from '../effects';
import type { Lang, Service } from '../estate';
import { baseName } from '../naming';
import {
  configPath,
  errorMonitorKind,
  framesThrough,
  type IncidentClass,
  pastIncident,
  patch,
  podName,
  runbook,
  sourcePath,
} from './kit';
import { shipUnrelated } from './releases';

/**
 * Days ago a commit made the alerting service's client retry harder (1 -> 5 attempts, backoff
 * and jitter removed) and shipped without trouble. Today a short blip of a dependency (a deploy's
 * restarts, a crash-looping pod, a database failover) lasts a minute or three, and the retries
 * turn it into a metastable overload: calls to the dependency multiply while inbound traffic is
 * flat, errors persist long after the blip ended, and the logs are full of "retrying attempt
 * 4/5". The blip is the trigger and a decoy; the retry change is the cause.
 */
type Target =
  | { kind: 'service'; dep: Service; peer: string }
  | { kind: 'database'; db: Service; peer: string };

/** The retry settings as the service's stack spells them, before and after the change. */
function retryPatch(s: Service, name: string, attempts: number): { removed: string[]; added: string[] } {
  switch (s.lang) {
    case 'java':
      // resilience4j
      return {
        removed: [
          `    ${name}:`,
          '      max-attempts: 2',
          '      wait-duration: 200ms',
          '      enable-exponential-backoff: true',
          '      exponential-backoff-multiplier: 2',
          '      enable-randomized-wait: true',
        ],
        added: [`    ${name}:`, `      max-attempts: ${attempts}`, '      wait-duration: 0ms'],
      };
    case 'ruby':
      // faraday-retry
      return {
        removed: [
          `  config.x.${name}_client.retry = { max: 1, interval: 0.2, backoff_factor: 2, interval_randomness: 0.5 }`,
        ],
        added: [
          `  config.x.${name}_client.retry = { max: ${attempts}, interval: 0, retry_statuses: [502, 503, 504] }`,
        ],
      };
    case 'python':
      // urllib3 Retry
      return {
        removed: [`[clients.${name}.retry]`, 'total = 1', 'backoff_factor = 0.5', 'backoff_jitter = 0.3'],
        added: [
          `[clients.${name}.retry]`,
          `total = ${attempts}`,
          'backoff_factor = 0',
          'status_forcelist = [502, 503, 504]',
        ],
      };
    case 'dotnet':
      // Polly
      return {
        removed: [
          `    "${name}": {`,
          '      "RetryCount": 1,',
          '      "BackoffType": "Exponential",',
          '      "MedianFirstRetryDelay": "00:00:00.200",',
          '      "UseJitter": true',
        ],
        added: [
          `    "${name}": {`,
          `      "RetryCount": ${attempts},`,
          '      "BackoffType": "Constant",',
          '      "Delay": "00:00:00"',
        ],
      };
    case 'go':
      return {
        removed: [
          `  ${name}:`,
          '    max_attempts: 1',
          '    backoff: exponential',
          '    base_delay: 200ms',
          '    jitter: true',
        ],
        added: [`  ${name}:`, `    max_attempts: ${attempts}`, '    backoff: none', '    jitter: false'],
      };
    default:
      return {
        removed: [
          `    "${name}": {`,
          '      "retries": 1,',
          '      "retryDelay": "exponential",',
          '      "minTimeoutMs": 200,',
          '      "randomize": true',
        ],
        added: [
          `    "${name}": {`,
          `      "retries": ${attempts},`,
          '      "retryDelay": 0,',
          '      "retryOn": [502, 503, 504, "ECONNRESET"]',
        ],
      };
  }
}

/** The warning a retry library writes before each new attempt. */
function retryLine(
  lang: Lang,
  name: string,
  peer: string,
  attempt: number,
  max: number,
  cause: string,
): string {
  switch (lang) {
    case 'java':
      return `Retry '${name}', waiting PT0S until attempt '${attempt}'. Last attempt failed with exception '${cause}'.`;
    case 'python':
      return `Retrying (Retry(total=${max - attempt}, connect=None, read=None, redirect=None, status=None)) after connection broken by '${cause}': /v1/internal`;
    case 'dotnet':
      return `Execution attempt. Source: '${name}/Retry', Operation Key: '${peer}', Result: '${cause}', Handled: 'True', Attempt: '${attempt}', Execution Time: '${(80 + attempt * 37).toFixed(4)}ms'`;
    case 'ruby':
      return `Retrying request to ${peer} (${cause}): retrying attempt ${attempt}/${max} in 0.0s`;
    case 'go':
      return `request to ${peer} failed: ${cause}; retrying attempt ${attempt}/${max} (backoff 0s)`;
    default:
      return `${cause} calling ${peer}, retrying attempt ${attempt}/${max} in 0ms`;
  }
}

/** The overload errors the dependency returns once the retries pile up. */
function overloadCause(target: Target, r: Rng): string {
  if (target.kind === 'database')
    return pick(r, [
      'connection refused',
      'remaining connection slots are reserved for non-replication superuser connections',
      'timeout expired',
    ]);
  return pick(r, [
    '503 Service Unavailable',
    '504 Gateway Timeout',
    'read timeout after 2000ms',
    'ECONNRESET',
  ]);
}

function clientError(lang: Lang, target: Target): { kind: string; message: (r: Rng) => string } {
  if (target.kind === 'database') {
    const mysql = target.db.name.startsWith('mysql');
    const kinds: Record<Lang, string> = {
      node: 'KnexTimeoutError',
      java: 'java.sql.SQLTransientConnectionException',
      python: 'sqlalchemy.exc.TimeoutError',
      go: '*errors.errorString',
      ruby: 'ActiveRecord::ConnectionTimeoutError',
      dotnet: mysql ? 'MySqlConnector.MySqlException' : 'Npgsql.NpgsqlException',
    };
    const messages: Record<Lang, string> = {
      node: 'Knex: Timeout acquiring a connection. The pool is probably full. Are you missing a .transacting(trx) call?',
      java: 'HikariPool-1 - Connection is not available, request timed out after 30000ms.',
      python: 'QueuePool limit of size 20 overflow 10 reached, connection timed out, timeout 30.00',
      go: 'sql: database is closed or connection pool exhausted: context deadline exceeded',
      ruby: 'could not obtain a connection from the pool within 5.000 seconds (waited 5.002 seconds); all pooled connections were in use',
      dotnet: mysql
        ? 'Connect Timeout expired. All pooled connections are in use.'
        : 'The connection pool has been exhausted, either raise MaxPoolSize or Timeout.',
    };
    return { kind: kinds[lang], message: () => messages[lang] };
  }
  const host = target.peer;
  const kinds: Record<Lang, string> = {
    node: 'AxiosError',
    java: 'org.springframework.web.client.HttpServerErrorException$ServiceUnavailable',
    python: 'requests.exceptions.RetryError',
    go: '*fmt.wrapError',
    ruby: 'Faraday::ServerError',
    dotnet: 'Polly.Timeout.TimeoutRejectedException',
  };
  const messages: Record<Lang, (r: Rng) => string> = {
    node: () => 'Request failed with status code 503',
    java: () => '503 Service Unavailable: "upstream overloaded"',
    python: () =>
      `HTTPSConnectionPool(host='${host}', port=443): Max retries exceeded with url: /v1/internal (Caused by ResponseError('too many 503 error responses'))`,
    go: (r) =>
      `call ${host}: giving up after 5 attempts: ${pick(r, ['unexpected status 503', 'context deadline exceeded'])}`,
    ruby: () => 'the server responded with status 503',
    dotnet: () =>
      'The delegate executed asynchronously through TimeoutPolicy did not complete within the timeout.',
  };
  return { kind: kinds[lang], message: messages[lang] };
}

export const retryStorm: IncidentClass = {
  name: 'retry-storm',
  variants: ['dep-deploy-blip', 'dep-restart-blip', 'db-failover-blip'],
  build(d, variant) {
    const r = d.r;
    const e = d.estate;
    const s = e.alerting;
    const dep = e.deps[0]!;
    const target: Target =
      variant === 'db-failover-blip'
        ? { kind: 'database', db: e.database, peer: `${e.database.name}.internal` }
        : { kind: 'service', dep, peer: `${dep.name}.internal` };
    const targetName = target.kind === 'database' ? target.db.name : target.dep.name;
    const clientName = target.kind === 'database' ? 'primary-db' : baseName(dep);
    const attempts = 5;

    // The cause: days ago, a retry config change shipped and nothing went wrong at the time.
    const shipAt = retryShipMinute(d, s);
    const cfg = configPath(s, e.env);
    const client = sourcePath(s, 'clients', `${clientName}-client`, e.slug);
    const { removed, added } = retryPatch(s, clientName, attempts);
    const why =
      target.kind === 'database'
        ? 'We saw sporadic connection errors during the last RDS maintenance window.'
        : `We saw sporadic 503s from ${dep.name} during its deploys.`;
    const message = pick(r, [
      `Retry ${clientName} calls up to ${attempts} times`,
      `Make ${clientName} client resilient to transient failures`,
      `Bump ${clientName} retries to ride out deploys`,
    ]);
    const { commit, rollout } = d.ship(
      s,
      {
        message,
        files: [
          {
            filename: cfg,
            additions: added.length + 1,
            deletions: removed.length,
            patch: patch(removed, added, 20 + Math.floor(r() * 60)),
          },
          { filename: client, additions: 6, deletions: 9 },
        ],
        minute: shipAt,
        pr: {
          title: message,
          body: `${why} Retrying ${attempts} times instead of once; dropped the exponential backoff and jitter since they added up to a second to the request path.`,
          labels: ['reliability'],
        },
      },
      25 + Math.floor(r() * 90),
    );
    settleReleaseOrder(d, s);

    // The trigger: a short blip in the dependency at the onset, over in 1-3 minutes.
    const blipLen = 1 + Math.floor(r() * 3);
    const blipEnd = d.onset + blipLen;
    addBlip(d, variant, target, blipEnd);

    // The amplification: every failed call becomes up to five, with no pause between them.
    const factor = 3 + r() * 3;
    const stormRate = 0.12 + r() * 0.25;
    const peerFail = 0.3 + r() * 0.3;
    const grow = (m: number) => ramp(m, d.onset, d.onset + 2);
    const err = clientError(s.lang, target);
    const frames = framesThrough(s, e.slug, r, { path: client, fn: 'withRetry' });
    d.effect(s, (m) =>
      during(m, d.onset)
        ? {
            errorRate: stormRate * (0.5 + 0.5 * grow(m)),
            latency: 1 + (2 + factor * 0.5) * grow(m),
            error: { ...err, frames: frames, peer: target.peer, status: 503 },
            ...(target.kind === 'service'
              ? {
                  peerErrors: { peer: target.peer, rate: peerFail },
                  peerCalls: { peer: target.peer, factor: 1 + (factor - 1) * grow(m) },
                }
              : { poolUsed: 0.9 + 0.1 * grow(m) }),
          }
        : undefined,
    );
    if (target.kind === 'service')
      // The dependency serves 3-6x its usual load and stays overloaded after the blip is over.
      d.effect(dep, (m) =>
        during(m, d.onset)
          ? {
              traffic: 1 + (factor - 1) * grow(m),
              latency: 1 + 2.5 * grow(m),
              cpu: 1.6 + 0.8 * grow(m),
              errorRate: 0.1 + 0.2 * grow(m),
              error: {
                kind: 'ServiceUnavailable',
                message: () => 'server overloaded: too many in-flight requests (limit 256)',
                status: 503,
              },
            }
          : undefined,
      );
    else
      d.effect(target.db, (m) => (during(m, d.onset) ? { cpu: 1.5 + factor * 0.35 * grow(m) } : undefined));
    if (target.kind === 'service')
      d.log({
        service: dep.name,
        from: blipEnd,
        perMinute: 2 + r() * 3,
        event: (x) => ({
          level: 'warn',
          message: `load shedding: rejected request, ${240 + Math.floor(x() * 16)}/256 requests in flight (top caller: ${s.name})`,
        }),
      });
    // Retry warnings, many per minute, with attempts climbing to the maximum and no delay between them.
    d.log({
      service: s.name,
      from: d.onset,
      perMinute: (m) => (m < blipEnd ? 3 : 4 + factor),
      event: (x) => ({
        level: 'warn',
        message: retryLine(
          s.lang,
          clientName,
          target.peer,
          2 + Math.floor(x() * (attempts - 1)),
          attempts,
          overloadCause(target, x),
        ),
      }),
    });

    d.alertOn(
      r() < 0.3 ? 'latency' : errorMonitorKind(d, r, stormRate),
      s,
      blipEnd + 3 + Math.floor(r() * 5),
      pick(r, [undefined, 2, 3]),
    );
    const rb = runbook(
      d,
      `runbooks/${s.name}-dependency-errors.md`,
      `${s.name}: errors calling ${targetName}`,
      `## Triage\nIf ${targetName} had a short disruption but ${s.name} keeps failing long after it recovered, look for amplification: compare ${s.name}'s outbound calls (http.client.requests by peer.hostname) with its inbound hits, and read retry warnings in the logs. Check retry settings (attempts, backoff, jitter) in ${cfg} and when they last changed.\n\n## Mitigation\nShed load or scale ${targetName}, and lower retries / restore exponential backoff with jitter.`,
      pick(r, ['runbook', 'confluence', 'notion'] as const),
    );
    const similar = pastIncident(d, r, {
      title: `Retry storm against ${targetName}`,
      summary: `A brief ${targetName} disruption was amplified by ${s.name}'s client retries into a long overload.`,
      cause: 'Aggressive retries without backoff or jitter.',
      mitigation:
        'Reduced retries, restored exponential backoff with jitter, shed load until the backlog drained.',
      services: [s.name, targetName],
    });
    d.title = `${s.name} errors persist after a short ${targetName} disruption`;
    d.truth = {
      kind: 'config_change',
      accept: [commit.sha, `${commit.repo}#${commit.pr}`, rollout.id],
      keywords: ['retry', 'backoff', 'jitter', targetName],
      runbook: rb,
      similarIncident: similar,
    };
  },
};

/**
 * When the retry change shipped: 1-10 days ago, clear of the routine release already made for
 * the service (history), so each rollout ships only its own commits.
 */
function retryShipMinute(d: WorldDraft, s: Service): number {
  const r = d.r;
  const history = d.rollouts.filter((x) => x.service === s.name).map((x) => x.minute);
  const day = 24 * 60;
  for (let i = 0; i < 40; i++) {
    const at = -(1 + Math.floor(r() * 10)) * day + Math.floor(r() * 300);
    // History commits precede their rollout by up to ~8 hours: stay well before them or after the rollout.
    if (history.every((h) => at < h - 10 * 60 || at > h + 6 * 60)) return at;
  }
  return -10 * day;
}

/**
 * A rollout made in the past after the history was drawn got the next version and id although
 * it happened first. Reassign this service's versions and ids in time order (and keep the
 * rollout list in time order, which is how the running version is looked up), so the release
 * history reads the way it happened.
 */
function settleReleaseOrder(d: WorldDraft, s: Service): void {
  const semver = (v: string) => v.replace(/-rc$/, '').split('.').map(Number);
  const cmp = (a: string, b: string) => {
    const [x, y] = [semver(a), semver(b)];
    for (let i = 0; i < 3; i++) if ((x[i] ?? 0) !== (y[i] ?? 0)) return (x[i] ?? 0) - (y[i] ?? 0);
    return 0;
  };
  const mine = d.rollouts.filter((x) => x.service === s.name).sort((a, b) => a.minute - b.minute);
  const ids = mine.map((x) => Number(x.id)).sort((a, b) => a - b);
  mine.forEach((x, i) => {
    x.id = String(ids[i]);
  });
  for (const env of new Set(mine.map((x) => x.env))) {
    const inEnv = mine.filter((x) => x.env === env);
    const versions = inEnv.map((x) => x.version).sort(cmp);
    inEnv.forEach((x, i) => {
      x.version = versions[i]!;
    });
  }
  d.rollouts.sort((a, b) => a.minute - b.minute);
}

/** What a database client says when the primary goes away under it. */
function connectionLost(lang: Lang, mysql: boolean): { kind: string; message: () => string } {
  const m: Record<Lang, [string, string]> = mysql
    ? {
        node: ['Error', 'Connection lost: The server closed the connection.'],
        java: ['com.mysql.cj.jdbc.exceptions.CommunicationsException', 'Communications link failure'],
        python: [
          'sqlalchemy.exc.OperationalError',
          "(pymysql.err.OperationalError) (2013, 'Lost connection to MySQL server during query')",
        ],
        go: ['*errors.errorString', 'invalid connection'],
        ruby: [
          'ActiveRecord::ConnectionFailed',
          'Mysql2::Error::ConnectionError: MySQL server has gone away',
        ],
        dotnet: ['MySqlConnector.MySqlException', 'Connection must be Open; current state is Closed'],
      }
    : {
        node: ['Error', 'Connection terminated unexpectedly'],
        java: ['org.postgresql.util.PSQLException', 'An I/O error occurred while sending to the backend.'],
        python: [
          'sqlalchemy.exc.OperationalError',
          '(psycopg2.OperationalError) server closed the connection unexpectedly',
        ],
        go: ['*errors.errorString', 'driver: bad connection'],
        ruby: [
          'ActiveRecord::ConnectionFailed',
          'PG::UnableToSend: server closed the connection unexpectedly',
        ],
        dotnet: ['Npgsql.NpgsqlException', 'Exception while reading from stream'],
      };
  const [kind, message] = m[lang];
  return { kind, message: () => message };
}

/** The short disruption that triggers the storm: a decoy with its own evidence. */
function addBlip(d: WorldDraft, variant: string, target: Target, blipEnd: number): void {
  const r = d.r;
  const e = d.estate;
  if (target.kind === 'database') {
    const db = target.db;
    d.event({
      minute: d.onset,
      title: `RDS event: Multi-AZ instance failover started for ${db.name}`,
      text: 'A Multi-AZ failover has started.',
      tags: [`dbinstanceidentifier:${db.name}`, `service:${db.name}`, 'rds', `env:${e.env}`],
      source: 'aws',
    });
    d.event({
      minute: blipEnd,
      title: `RDS event: Multi-AZ instance failover completed for ${db.name}`,
      text: 'The instance is available again; the endpoint now points at the new primary.',
      tags: [`dbinstanceidentifier:${db.name}`, `service:${db.name}`, 'rds', `env:${e.env}`],
      source: 'aws',
    });
    // Every client of the database loses its connections during the failover, then recovers.
    for (const c of [e.alerting, e.deps[1]!]) {
      const lost = 0.3 + r() * 0.2;
      d.effect(c, (m) =>
        during(m, d.onset, blipEnd)
          ? {
              errorRate: lost,
              error: { ...connectionLost(c.lang, db.name.startsWith('mysql')), status: 503 },
            }
          : undefined,
      );
    }
    return;
  }
  const dep = target.dep;
  // Requests in flight on the pods going away fail; the rest is absorbed by the remaining pods.
  const blipError = { kind: 'ServiceUnavailable', message: () => 'server is shutting down', status: 503 };
  const blipRate = 0.4 + r() * 0.3;
  d.effect(dep, (m) => (during(m, d.onset, blipEnd) ? { errorRate: blipRate, error: blipError } : undefined));
  if (variant === 'dep-deploy-blip') {
    // A routine deploy of the dependency whose rolling restart briefly left too few ready pods.
    const msg = pick(r, [
      'Bump base image to the latest patch release',
      'Update dependencies',
      'Tune readiness probe thresholds',
    ]);
    const mergedAt = d.onset - 40 - Math.floor(r() * 60);
    shipUnrelated(d, dep, {
      message: msg,
      filename: pick(r, ['Dockerfile', 'deploy/values.yaml']),
      additions: 3,
      deletions: 3,
      mergedAt,
      deployAt: d.onset - 1,
      pr: { body: 'Routine maintenance.' },
    });
    d.event({
      minute: d.onset,
      title: `Readiness probe failed for ${dep.name}`,
      text: `Readiness probe failed: HTTP probe failed with statuscode: 503 (pod ${podName(r, dep)})`,
      tags: [`service:${dep.name}`, `kube_deployment:${dep.name}`, `env:${e.env}`],
      source: 'kubernetes',
    });
    return;
  }
  // A pod crash-looping for a couple of minutes (an OOM kill and a slow restart).
  const pod = podName(r, dep);
  d.event({
    minute: d.onset,
    title: `Container ${dep.name} in pod ${pod} was OOMKilled`,
    text: `Back-off restarting failed container ${dep.name} in pod ${pod}`,
    tags: [`service:${dep.name}`, `kube_deployment:${dep.name}`, `pod_name:${pod}`, `env:${e.env}`],
    source: 'kubernetes',
  });
  const restarts = 1 + Math.floor(r() * 2);
  d.effect(dep, (m) => (during(m, d.onset, d.onset + 1) ? { restarts } : undefined));
  // An OOM kill leaves no last words; the restarted container announces itself.
  d.log({
    service: dep.name,
    from: blipEnd - 1,
    to: blipEnd,
    perMinute: 1,
    event: () => ({ level: 'info', message: `${dep.name} starting: warming caches before reporting ready` }),
  });
}
