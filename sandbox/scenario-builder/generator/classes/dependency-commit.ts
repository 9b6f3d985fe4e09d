import { pick, type Rng, uuid } from '../../lib';
import { during, ramp } from '../effects';
import type { Lang, Service } from '../estate';
import { routesOf } from '../log-formats';
import { dbError } from './db-errors';
import {
  alertAfterOnset,
  clientPath,
  type ErrorByLang,
  errorMonitorKind,
  framesThrough,
  type IncidentClass,
  leadTime,
  pastIncident,
  patch,
  runbook,
  sourcePath,
  testPath,
} from './kit';
import { shipInRollout, shipUnrelated } from './releases';
import { timeoutError, upstreamError } from './remote-call-errors';

/**
 * A code change in an internal dependency reaches production and breaks the endpoint the
 * alerting service calls. The dependency's own errors carry a stack through the file the change
 * touched; the alerting service only sees failing (or slow) calls to `<dep>.internal`, raised
 * from its client code, which did not change. A harmless deploy of the alerting service itself
 * sometimes lands near the onset, and in 'range-rollout' the bad commit is not the head of the
 * dependency's rollout.
 */

/** The URL path the alerting service calls on a dependency (workers expose a small intake API). */
function remoteRoute(r: Rng, dep: Service): { method: string; path: string; resource?: string } {
  if (dep.role === 'worker') return { method: 'POST', path: '/v1/jobs' };
  const route = pick(r, routesOf(dep));
  const [method, path] = route.split(' ');
  return { method: method!, path: path!, resource: route };
}

type Bug = {
  area: string;
  file: string;
  fn: string;
  /** Needs the estate's database (only deps[1] uses it). */
  sql: boolean;
  /** The change makes the endpoint slow rather than failing outright. */
  slow: boolean;
  error: (lang: Lang, mysql: boolean) => [string, string];
  ident: string;
  removed: string[];
  added: string[];
  commit: string;
  body: string;
};

const BUGS: Bug[] = [
  {
    area: 'repositories',
    file: 'record-repository',
    fn: 'findActive',
    sql: true,
    slow: false,
    error: (lang, mysql) => dbError(lang, mysql, 'column', 'archived_at'),
    ident: 'archived_at',
    removed: ['  WHERE r.deleted = false'],
    added: ['  WHERE r.archived_at IS NULL', '  -- archived_at replaces the deleted flag (migration 0142)'],
    commit: 'Filter archived records on archived_at',
    body: 'Switches the active-record filter to the new archived_at column added by migration 0142.',
  },
  {
    area: 'repositories',
    file: 'history-query',
    fn: 'listRecent',
    sql: true,
    slow: true,
    error: (lang, mysql) => dbError(lang, mysql, 'timeout', ''),
    ident: 'created_at',
    removed: [
      "  WHERE e.account_id = $1 AND e.created_at > now() - interval '30 days'",
      '  ORDER BY e.created_at DESC LIMIT 100',
    ],
    added: ['  WHERE e.account_id = $1', '  ORDER BY e.created_at DESC'],
    commit: 'Return full history for account exports',
    body: 'Exports need the whole history, so the 30 day window and the LIMIT are dropped.',
  },
  {
    area: 'models',
    file: 'line-item-status',
    fn: 'parseStatus',
    sql: false,
    slow: false,
    error: (lang) =>
      (
        ({
          node: ['Error', 'Unknown LineItemStatus: partially_refunded'],
          java: [
            'java.lang.IllegalArgumentException',
            'No enum constant com.acme.model.LineItemStatus.PARTIALLY_REFUNDED',
          ],
          python: ['ValueError', "'partially_refunded' is not a valid LineItemStatus"],
          go: ['*errors.errorString', 'unknown LineItemStatus "partially_refunded"'],
          ruby: ['ArgumentError', "'partially_refunded' is not a valid status"],
          dotnet: ['System.ArgumentException', "Requested value 'PartiallyRefunded' was not found."],
        }) as ErrorByLang
      )[lang],
    ident: 'LineItemStatus',
    removed: ['status = LineItemStatus.parse(raw, fallback: LineItemStatus.UNKNOWN)'],
    added: ['status = LineItemStatus.valueOf(raw.upcase)  # strict: unknown values are bugs'],
    commit: 'Parse line item status strictly',
    body: 'Unknown statuses used to map to UNKNOWN silently; make them fail loudly.',
  },
  {
    area: 'handlers',
    file: 'account-presenter',
    fn: 'present',
    sql: false,
    slow: false,
    error: (lang) =>
      (
        ({
          node: ['TypeError', "Cannot read properties of null (reading 'locale')"],
          java: [
            'java.lang.NullPointerException',
            'Cannot invoke "com.acme.model.Settings.getLocale()" because "account.settings" is null',
          ],
          python: ['AttributeError', "'NoneType' object has no attribute 'locale'"],
          go: ['runtime.Error', 'runtime error: invalid memory address or nil pointer dereference'],
          ruby: ['NoMethodError', "undefined method `locale' for nil:NilClass"],
          dotnet: ['System.NullReferenceException', 'Object reference not set to an instance of an object.'],
        }) as ErrorByLang
      )[lang],
    ident: 'settings.locale',
    removed: ['locale: account.settings?.locale ?? DEFAULT_LOCALE,'],
    added: ['locale: account.settings.locale,', 'timezone: account.settings.timezone,'],
    commit: 'Include timezone in account payload',
    body: 'Adds timezone next to locale in the account payload for the new scheduling UI.',
  },
];

const HEAD_COMMITS = [
  ['Add OpenAPI examples for list endpoints', 'docs', 'openapi-examples'],
  ['Emit request duration histogram per route', 'observability', 'route-metrics'],
  ['Rename internal config helper', 'config', 'settings-loader'],
] as const;

export const dependencyCommit: IncidentClass = {
  name: 'dependency-commit',
  variants: ['api-dependency', 'second-dependency', 'range-rollout', 'slow-endpoint'],
  build(d, variant) {
    const r = d.r;
    const e = d.estate;
    const s = e.alerting;
    const mysql = e.database.name.startsWith('mysql');
    // deps[1] uses the estate's database, so query bugs live there; deps[0] gets code bugs.
    const dep =
      variant === 'api-dependency'
        ? e.deps[0]!
        : variant === 'second-dependency' || variant === 'slow-endpoint'
          ? e.deps[1]!
          : pick(r, e.deps);
    const usesDb = dep.dependsOn.includes(e.database.name);
    const bug =
      variant === 'slow-endpoint'
        ? BUGS.find((b) => b.slow)!
        : pick(
            r,
            BUGS.filter((b) => !b.slow && (usesDb || !b.sql)),
          );
    const [kind, message] = bug.error(dep.lang, mysql);
    const path = sourcePath(dep, bug.area, bug.file, e.slug);
    const call = remoteRoute(r, dep);
    const peer = `${dep.name}.internal`;
    const url = `http://${peer}${call.path}`;

    // Dependency commits predate the distractor's post-onset deploy of deps[0] (its commit sits at
    // onset-25), so that later deploy still contains the bad change rather than rolling it back.
    const deployAt = d.onset - leadTime(r, false);
    const commitAt = d.onset - 32 - Math.floor(r() * 50);
    const pr = { title: bug.commit, body: `${bug.body}\n\nTouches \`${bug.ident}\`.`, labels: ['backend'] };
    // Query text in the database's own dialect.
    const sql = (line: string) =>
      mysql ? line.replace('$1', '?').replace("now() - interval '30 days'", 'NOW() - INTERVAL 30 DAY') : line;
    const files = [
      {
        filename: path,
        additions: bug.added.length + 2,
        deletions: bug.removed.length,
        patch: patch(bug.removed.map(sql), bug.added.map(sql), 30 + Math.floor(r() * 80)),
      },
      { filename: testPath(dep, bug.area, bug.file), additions: 18 + Math.floor(r() * 30), deletions: 3 },
    ];
    // In 'range-rollout' the bad change rides in a rollout whose head is a later, harmless commit.
    const { commit, rolloutId } = shipInRollout(
      d,
      dep,
      { message: bug.commit, files, minute: commitAt, pr },
      deployAt,
      variant === 'range-rollout'
        ? {
            change: () => {
              const [message, area, file] = pick(r, HEAD_COMMITS);
              const pr = { title: message, body: `${message}. No behaviour change.` };
              return { message, filename: sourcePath(dep, area, file, e.slug), pr };
            },
            additions: [10, 40],
            deletions: [0, 10],
            // Merged by onset-27, before the distractor's deploy of deps[0] (see commitAt).
            after: [2, d.onset - 27 - commitAt - 2],
            stagingBefore: [6, 12],
          }
        : undefined,
    );

    // The dependency fails on the endpoint the alerting service calls.
    const slow = bug.slow;
    const depRate = slow ? 0.05 + r() * 0.1 : 0.2 + r() * 0.4;
    const depLatency = slow ? 5 + r() * 8 : 1 + r() * 0.3;
    const depFrames = framesThrough(dep, e.slug, r, { path, fn: bug.fn });
    const onsetRamp = (m: number) => ramp(m, d.onset - 1, d.onset + 2);
    d.effect(dep, (m) =>
      during(m, d.onset)
        ? {
            errorRate: depRate * onsetRamp(m),
            latency: 1 + (depLatency - 1) * onsetRamp(m),
            ...(dep.role === 'worker'
              ? { backlog: Math.min(40000, (m - d.onset) * (150 + depRate * 900)) }
              : {}),
            error: { kind, message: () => message, frames: depFrames, status: 500, resource: call.resource },
          }
        : undefined,
    );
    if (slow)
      d.effect(e.database, (m) => (during(m, d.onset) ? { cpu: 1.5 + 0.5 * onsetRamp(m) } : undefined));
    if (slow)
      d.log({
        service: dep.name,
        from: d.onset,
        perMinute: 2 + r() * 3,
        event: (x) => ({
          level: 'warn',
          message: `slow query (${1500 + Math.floor(x() * 8000)}ms): ${sql('SELECT e.* FROM history_events e WHERE e.account_id = $1 ORDER BY e.created_at DESC')}`,
        }),
      });

    // The alerting service sees the dependency's failures (and, when slow, its own timeouts).
    const share = 0.55 + r() * 0.45;
    const clientFrames = framesThrough(s, e.slug, r, {
      path: clientPath(s, dep, e.slug),
      fn: call.method === 'GET' ? 'fetch' : 'submit',
    });
    // The client's timeout sits below the dependency's new p95, so slow calls end as timeouts, and
    // the alerting service's requests wait that long (and retry) before failing.
    const timeoutMs = Math.min(
      5000,
      Math.max(200, Math.round((dep.p95Ms * depLatency * (0.5 + r() * 0.3)) / 100) * 100),
    );
    const [ckind, cmessage] = slow
      ? timeoutError(r, s, url, call.method, timeoutMs)
      : upstreamError(r, s, url, call.method, 500);
    const alertingRate = slow ? (0.06 + r() * 0.12) * share : depRate * share;
    const alertingLatency = slow ? Math.min(12, Math.max(1.8, (s.p95Ms + timeoutMs * share) / s.p95Ms)) : 1.1;
    const route = r() < 0.6 ? pick(r, routesOf(s)) : undefined;
    const status = pick(r, [500, 502]);
    d.effect(s, (m) =>
      during(m, d.onset)
        ? {
            errorRate: alertingRate * onsetRamp(m),
            latency: 1 + (alertingLatency - 1) * onsetRamp(m),
            peerErrors: { peer, rate: (slow ? alertingRate / share : depRate) * onsetRamp(m) },
            error: { kind: ckind, message: cmessage, frames: clientFrames, peer, status, resource: route },
          }
        : undefined,
    );
    // Retries are what the alerting service's own logs say about the dependency.
    d.log({
      service: s.name,
      from: d.onset,
      perMinute: 1 + r() * 4,
      event: (x) => ({
        level: 'warn',
        message: `retrying ${call.method} ${url.replace(':id', String(10000 + Math.floor(x() * 90000)))} after ${slow ? 'timeout' : 'status 500'} (attempt ${2 + Math.floor(x() * 2)} of 3)`,
        peer,
        extra: { request_id: uuid(x) },
      }),
    });
    // The dependency's own monitor may or may not cross its threshold.
    if (r() < 0.55) d.monitor(e.ratioMonitors ? 'error-ratio' : 'errors', dep, r() < 0.5 ? 'Alert' : 'Warn');

    // A harmless deploy of the alerting service near the onset: the obvious, wrong suspect.
    if (r() < 0.55) {
      const at = d.onset - 4 - Math.floor(r() * 20);
      const mergedAt = at - 10 - Math.floor(r() * 30);
      shipUnrelated(d, s, {
        mergedAt,
        deployAt: at,
        message: [
          'Propagate request id to outbound calls',
          'Tune outbound HTTP keep-alive',
          'Add caller tag to client metrics',
        ],
        filename: sourcePath(s, 'http', 'outbound-headers', e.slug),
        additions: [12, 20],
        deletions: [2, 6],
        pr: {
          title: 'Outbound HTTP hygiene',
          body: 'Small change to how outbound requests are built. No functional change.',
        },
      });
    }

    alertAfterOnset(d, slow && r() < 0.6 ? 'latency' : errorMonitorKind(d, r, alertingRate), s);
    const rb = runbook(
      d,
      `runbooks/${s.name}-upstream-errors.md`,
      `${s.name}: failing calls to internal services`,
      `## Triage\nSplit \`http.client.errors\` by \`peer.hostname\` to find which dependency fails. Open that service's own errors and latency, and its recent rollouts: a dependency's 5xx that start with its deploy are its regression, not ours.\n\n## Mitigation\nAsk the owning team to roll back their release; our client retries up to 3 times, so do not raise retries.`,
      pick(r, ['runbook', 'confluence'] as const),
    );
    const similar = pastIncident(d, r, {
      title: `${s.name} 5xx: ${dep.name} release broke ${call.method} ${call.path}`,
      summary: `${s.name} calls to ${dep.name} failed after a ${dep.name} deploy; ${s.name} itself had not changed.`,
      cause: `A ${dep.name} code change (${bug.area}) made ${call.path} fail${slow ? ' slowly' : ''}.`,
      mitigation: `${dep.team} rolled back ${dep.name}.`,
      services: [s.name, dep.name],
    });
    d.title = `${s.name} ${slow ? 'slow, failing' : 'failing'} calls to ${dep.name}`;
    d.truth = {
      kind: 'commit',
      accept: [commit.sha, `${commit.repo}#${commit.pr}`, rolloutId],
      keywords: [bug.ident, bug.file, dep.name],
      runbook: rb,
      similarIncident: similar,
    };
  },
};
