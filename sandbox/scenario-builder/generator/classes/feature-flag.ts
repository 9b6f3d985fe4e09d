import { pick, type Rng } from '../../lib';
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
  sourcePath,
} from './kit';

/**
 * A feature flag flip or percentage rollout turns on a code path that fails (or is slow), in the
 * alerting service or in the dependency it calls. No deploy: the flag change is in flags.json
 * (and, when the estate mirrors LaunchDarkly into DataDog, as an event of the same change).
 * Only the flagged share of requests fails, so the error share tracks the rollout percentage;
 * the stack runs through the flagged module, and some services log the flag and variation.
 * Another flag of the same service changes near the onset and does nothing.
 */
type Failure = { kind: string; message: (r: Rng) => string };

type Feature = {
  slug: string;
  area: string;
  file: string;
  fn: string;
  /** The error the flagged path raises in a language (and database engine), or none when it is only slow. */
  fails?: (lang: Lang, mysql: boolean) => Failure;
  /** Latency multiplier of the flagged path. */
  slow?: number;
  /** What the path does, for logs, runbook and past incident. */
  what: string;
};

/** A missing field dereferenced, in each language's own words. */
function nullDeref(lang: Lang): Failure {
  const m: Record<Lang, Failure> = {
    node: { kind: 'TypeError', message: () => "Cannot read properties of undefined (reading 'attributes')" },
    java: {
      kind: 'java.lang.NullPointerException',
      message: () =>
        'Cannot invoke "Metadata.getAttributes()" because the return value of "Record.getMetadata()" is null',
    },
    python: { kind: 'AttributeError', message: () => "'NoneType' object has no attribute 'attributes'" },
    go: { kind: 'runtime error', message: () => 'invalid memory address or nil pointer dereference' },
    ruby: { kind: 'NoMethodError', message: () => "undefined method 'attributes' for nil" },
    dotnet: {
      kind: 'System.NullReferenceException',
      message: () => 'Object reference not set to an instance of an object.',
    },
  };
  return m[lang];
}

function badValue(lang: Lang): Failure {
  const kinds: Record<Lang, string> = {
    node: 'Error',
    java: 'java.lang.IllegalArgumentException',
    python: 'ValueError',
    go: '*errors.errorString',
    ruby: 'ArgumentError',
    dotnet: 'System.ArgumentException',
  };
  return {
    kind: kinds[lang],
    message: (r) => `unknown value '${pick(r, ['LEGACY', 'PENDING_REVIEW', 'MIGRATED'])}' for field status`,
  };
}

function uniqueViolation(lang: Lang, mysql: boolean): Failure {
  const key = (r: Rng) => Math.floor(r() * 9e8) + 1e8;
  if (mysql) {
    const kinds: Record<Lang, string> = {
      node: 'Error',
      java: 'org.springframework.dao.DuplicateKeyException',
      python: 'sqlalchemy.exc.IntegrityError',
      go: '*mysql.MySQLError',
      ruby: 'ActiveRecord::RecordNotUnique',
      dotnet: 'MySqlConnector.MySqlException',
    };
    return {
      kind: kinds[lang],
      message: (r) => `Duplicate entry '${key(r)}' for key 'outbox_events.idempotency_key'`,
    };
  }
  const kinds: Record<Lang, string> = {
    node: 'DatabaseError',
    java: 'org.springframework.dao.DuplicateKeyException',
    python: 'sqlalchemy.exc.IntegrityError',
    go: '*pgconn.PgError',
    ruby: 'ActiveRecord::RecordNotUnique',
    dotnet: 'Npgsql.PostgresException',
  };
  return {
    kind: kinds[lang],
    message: (r) =>
      `duplicate key value violates unique constraint "outbox_events_idempotency_key_key" (key ${key(r)})`,
  };
}

const TIMEOUT: Record<Lang, string> = {
  node: 'TimeoutError',
  java: 'java.util.concurrent.TimeoutException',
  python: 'asyncio.TimeoutError',
  go: 'context.deadlineExceededError',
  ruby: 'Timeout::Error',
  dotnet: 'System.Threading.Tasks.TaskCanceledException',
};

const FEATURES: Feature[] = [
  {
    slug: 'serializer-v2',
    area: 'serializers',
    file: 'response-serializer-v2',
    fn: 'serialize',
    fails: (lang) => nullDeref(lang),
    what: 'v2 response serialization',
  },
  {
    slug: 'strict-validation',
    area: 'validation',
    file: 'strict-rules',
    fn: 'validate',
    fails: (lang) => badValue(lang),
    what: 'strict request validation',
  },
  {
    slug: 'outbox-writes',
    area: 'persistence',
    file: 'outbox-writer',
    fn: 'enqueue',
    fails: uniqueViolation,
    what: 'writing events through the transactional outbox',
  },
  {
    slug: 'item-enrichment',
    area: 'enrichment',
    file: 'item-enricher',
    fn: 'enrich',
    slow: 3.5,
    what: 'per-item enrichment (one query per line item)',
  },
  {
    slug: 'sync-audit-trail',
    area: 'audit',
    file: 'sync-audit-writer',
    fn: 'record',
    slow: 4,
    what: 'writing the audit trail synchronously',
  },
];

/** Flag key conventions teams use; one world keeps to one of them. */
const KEY_STYLES = [
  (base: string, slug: string) => `${base}-${slug}`,
  (base: string, slug: string) => `${base}.${slug}`,
  (_base: string, slug: string) => `enable-${slug}`,
  (_base: string, slug: string) => `${slug}-rollout`,
] as const;

function flagKey(style: number, s: Service, slug: string): string {
  return KEY_STYLES[style]!(baseName(s), slug);
}

/** The error a caller's HTTP client raises when the dependency answers 500. */
function upstream500(lang: Lang, host: string): { kind: string; message: () => string } {
  switch (lang) {
    case 'java':
      return {
        kind: 'org.springframework.web.client.HttpServerErrorException$InternalServerError',
        message: () => '500 Internal Server Error: "{"error":"internal_error"}"',
      };
    case 'python':
      return {
        kind: 'requests.exceptions.HTTPError',
        message: () => `500 Server Error: Internal Server Error for url: https://${host}/v1/internal`,
      };
    case 'go':
      return {
        kind: '*fmt.wrapError',
        message: () => `call ${host}: unexpected status 500 Internal Server Error`,
      };
    case 'ruby':
      return { kind: 'Faraday::ServerError', message: () => 'the server responded with status 500' };
    case 'dotnet':
      return {
        kind: 'System.Net.Http.HttpRequestException',
        message: () => 'Response status code does not indicate success: 500 (Internal Server Error).',
      };
    default:
      return { kind: 'AxiosError', message: () => 'Request failed with status code 500' };
  }
}

const LD_ENV = 'Production';

export const featureFlag: IncidentClass = {
  name: 'feature-flag',
  variants: ['boolean', 'rollout', 'dependency', 'slow-path'],
  build(d, variant) {
    const r = d.r;
    const e = d.estate;
    const s = e.alerting;
    const inDep = variant === 'dependency';
    const owner = inDep ? e.deps[0]! : s;
    const candidates = FEATURES.filter((f) => (variant === 'slow-path' ? f.slow : f.fails));
    const feature = pick(r, candidates);
    const style = Math.floor(r() * KEY_STYLES.length);
    const key = flagKey(style, owner, feature.slug);
    // Boolean flags target a segment (beta tenants, one region); rollouts a percentage of users.
    const percent = pick(r, [5, 10, 20, 25, 50]);
    const segment = 0.2 + r() * 0.4;
    const boolean = variant === 'boolean' || (inDep && r() < 0.5);
    const share = boolean ? segment : percent / 100;
    const from = boolean ? false : { rollout: 0 };
    const to = boolean ? true : { rollout: percent };
    // Streaming SDKs pick a change up within seconds: the onset is a minute or two later.
    const flagAt = d.onset - 1 - Math.floor(r() * 3);
    const actor = d.person();
    d.flag({ key, service: owner.name, minute: flagAt, from, to, actor });
    // A harmless flag of the alerting service changes near the onset, sometimes after the real one.
    const decoyFeature = pick(
      r,
      FEATURES.filter((f) => f !== feature),
    );
    const decoyKey = flagKey(style, s, decoyFeature.slug);
    const decoyAt = r() < 0.45 ? d.onset - 1 : d.onset - 6 - Math.floor(r() * 40);
    const decoyFrom = r() < 0.5 ? false : { rollout: 0 };
    const decoyTo = decoyFrom === false ? true : { rollout: pick(r, [10, 50, 100]) };
    d.flag({
      key: decoyKey,
      service: s.name,
      minute: decoyAt,
      from: decoyFrom,
      to: decoyTo,
      actor: d.person(),
    });
    // Some estates mirror LaunchDarkly's audit log into DataDog: the same changes, not new ones.
    if (r() < 0.45) {
      const describe = (f: unknown, t: unknown) =>
        typeof t === 'boolean'
          ? 'turned on targeting for segment "beta-tenants"'
          : `changed the percentage rollout of the default rule from ${(f as { rollout: number }).rollout}% to ${(t as { rollout: number }).rollout}% (variation true)`;
      for (const [k, m, f, t, who] of [
        [key, flagAt, from, to, actor],
        [decoyKey, decoyAt, decoyFrom, decoyTo, d.person()],
      ] as const)
        d.event({
          minute: m,
          title: `Flag ${k} updated in ${LD_ENV}`,
          text: `${who} ${describe(f, t)} for flag "${k}" in environment ${LD_ENV}.`,
          tags: ['launchdarkly', `flag:${k}`, `environment:${LD_ENV.toLowerCase()}`, `project:${e.slug}`],
          source: 'launchdarkly',
        });
    }
    const path = sourcePath(owner, feature.area, feature.file, e.slug);
    const route = pick(r, routesOf(owner));
    let alertRate = 0;
    if (feature.slow) {
      // Any share above the p95 cut moves the p95 to the slow path's latency.
      const slow = feature.slow * (0.8 + r() * 0.6) * (share >= 0.1 ? 1 : 0.6);
      const frames = framesThrough(s, e.slug, r, { path, fn: feature.fn });
      d.effect(s, (m) =>
        during(m, d.onset)
          ? {
              latency: 1 + (slow - 1) * ramp(m, d.onset - 1, d.onset + 1),
              cpu: 1.3,
              errorRate: 0.01 + share * 0.05,
              error: {
                kind: TIMEOUT[s.lang],
                message: () => `${feature.fn} exceeded request deadline of 2000ms`,
                frames: frames,
                status: 504,
                resource: route,
              },
            }
          : undefined,
      );
      if (feature.slug === 'item-enrichment')
        d.effect(e.database, (m) => (during(m, d.onset) ? { cpu: 1.4 + share } : undefined));
    } else {
      const fail = 0.55 + r() * 0.4;
      const ownRate = share * fail;
      const frames = framesThrough(owner, e.slug, r, { path, fn: feature.fn });
      const error = {
        ...feature.fails!(owner.lang, e.database.name.startsWith('mysql')),
        frames: frames,
        status: 500,
        resource: route,
      };
      if (inDep) {
        const callShare = 0.5 + r() * 0.4;
        const peer = `${owner.name}.internal`;
        d.effect(owner, (m) => (during(m, d.onset) ? { errorRate: ownRate, error } : undefined));
        alertRate = ownRate * callShare;
        const clientFrames = framesThrough(s, e.slug, r, { path: clientPath(s, owner, e.slug), fn: 'call' });
        d.effect(s, (m) =>
          during(m, d.onset)
            ? {
                errorRate: alertRate,
                peerErrors: { peer, rate: ownRate },
                error: { ...upstream500(s.lang, peer), frames: clientFrames, peer, status: 502 },
              }
            : undefined,
        );
      } else {
        alertRate = ownRate;
        d.effect(s, (m) => (during(m, d.onset) ? { errorRate: ownRate, error } : undefined));
      }
    }
    // Services that tag errors with the evaluated flag, in their own log format.
    if (r() < 0.6) {
      const json = owner.logFormat === 'json';
      d.log({
        service: owner.name,
        from: d.onset,
        perMinute: 1 + r() * 3,
        event: (x) => ({
          level: feature.slow ? 'warn' : 'error',
          message: `${feature.what} ${feature.slow ? `took ${Math.round(1500 + x() * 4000)}ms` : 'failed'} for request ${Math.floor(x() * 9e6) + 1e6}${json ? '' : ` flag=${key} variation=true`}`,
          extra: json ? { flag: key, variation: true } : undefined,
        }),
      });
    }
    alertAfterOnset(d, feature.slow ? 'latency' : errorMonitorKind(d, r, alertRate), s);
    const rb = runbook(
      d,
      `runbooks/${s.name}-feature-flags.md`,
      `${s.name}: errors or latency after a flag change`,
      `## Triage\nFlags change behaviour without a deploy. List flag changes (LaunchDarkly audit log / flags.json) for ${s.name} and the services it calls around the onset; compare the share of failing requests with each rollout percentage, and look for the flagged module in stack traces.\n\n## Mitigation\nTurn the flag off (or roll back to 0%) and confirm the errors stop within a minute.`,
      pick(r, ['runbook', 'confluence', 'notion'] as const),
    );
    const similar = pastIncident(d, r, {
      title: `${owner.name} errors after enabling ${feature.slug}`,
      summary: `Enabling ${feature.what} for ${boolean ? 'a segment' : 'a share of users'} broke the flagged path.`,
      cause: `Feature flag rollout of ${feature.slug}.`,
      mitigation: 'Turned the flag off.',
      services: inDep ? [owner.name, s.name] : [s.name],
    });
    d.title = `${s.name} ${feature.slow ? 'latency' : 'errors'} after a flag change${inDep ? ` in ${owner.name}` : ''}`;
    d.truth = {
      kind: 'feature_flag',
      accept: [key],
      keywords: [feature.slug, feature.file],
      runbook: rb,
      similarIncident: similar,
    };
  },
};
