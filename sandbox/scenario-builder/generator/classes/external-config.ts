import { hex, pick, type Rng, uuid } from '../../lib';
import type { MonitorKind, WorldDraft } from '../draft';
import { during, type ErrorSpec, ramp } from '../effects';
import { type Lang, regionOf, type Service } from '../estate';
import { routesOf } from '../log-formats';
import { snake } from '../naming';
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
import { shipUnrelated } from './releases';
import { HTTP_REASON } from './remote-call-errors';

/**
 * A configuration change made outside git: a Terraform apply (load balancer idle timeout, WAF
 * rule, security group rule), a Consul KV write (a limit, an upstream address) or a proxy admin
 * change (rate limit, route weights). The only record of it is a DataDog event naming the
 * component and, where the tool has one, a change id; no commit or rollout explains the errors,
 * and a harmless deploy of the alerting service may sit right next to the change.
 */
const B62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';

/** A Terraform Cloud run id: `run-` and 16 base62 characters. */
function runId(r: Rng): string {
  let s = 'run-';
  for (let i = 0; i < 16; i++) s += B62[Math.floor(r() * 62)];
  return s;
}

const ip10 = (r: Rng) => `10.${Math.floor(r() * 250)}.${Math.floor(r() * 250)}.${2 + Math.floor(r() * 250)}`;

/** The error a service's usual HTTP client raises for an upstream status, in its language. */
function httpStatusError(
  lang: Lang,
  status: number,
  host: string,
  body: string,
): Pick<ErrorSpec, 'kind' | 'message'> {
  const reason = HTTP_REASON[status] ?? 'Error';
  const path = () => `/v1/${host.split('.')[0]!.replace(/-(api|svc|service)$/, '')}`;
  switch (lang) {
    case 'java': {
      const cls =
        status === 429
          ? 'org.springframework.web.client.HttpClientErrorException$TooManyRequests'
          : `org.springframework.web.client.HttpServerErrorException$${reason.replace(/ /g, '')}`;
      return { kind: cls, message: () => `${status} ${reason}: "${body}"` };
    }
    case 'python':
      return {
        kind: 'requests.exceptions.HTTPError',
        message: () =>
          `${status} ${status < 500 ? 'Client' : 'Server'} Error: ${reason} for url: https://${host}${path()}`,
      };
    case 'go':
      return {
        kind: '*fmt.wrapError',
        message: () => `call ${host}: unexpected status ${status} ${reason}: ${body}`,
      };
    case 'ruby':
      return {
        kind: status === 429 ? 'Faraday::TooManyRequestsError' : 'Faraday::ServerError',
        message: () => `the server responded with status ${status}`,
      };
    case 'dotnet':
      return {
        kind: 'System.Net.Http.HttpRequestException',
        message: () => `Response status code does not indicate success: ${status} (${reason}).`,
      };
    default:
      return { kind: 'AxiosError', message: () => `Request failed with status code ${status}` };
  }
}

/** Connection refused by an address nothing listens on. */
function refusedError(
  lang: Lang,
  host: string,
  port: number,
  ip: string,
): Pick<ErrorSpec, 'kind' | 'message'> {
  switch (lang) {
    case 'java':
      return {
        kind: 'org.springframework.web.client.ResourceAccessException',
        message: () =>
          `I/O error on POST request for "https://${host}:${port}/v1/internal": Connection refused`,
      };
    case 'python':
      return {
        kind: 'requests.exceptions.ConnectionError',
        message: (r) =>
          `HTTPSConnectionPool(host='${host}', port=${port}): Max retries exceeded with url: /v1/internal (Caused by NewConnectionError('<urllib3.connection.HTTPSConnection object at 0x7f${hex(r, 10)}>: Failed to establish a new connection: [Errno 111] Connection refused'))`,
      };
    case 'go':
      return { kind: '*net.OpError', message: () => `dial tcp ${ip}:${port}: connect: connection refused` };
    case 'ruby':
      return {
        kind: 'Faraday::ConnectionFailed',
        message: () =>
          `Failed to open TCP connection to ${host}:${port} (Connection refused - connect(2) for "${host}" port ${port})`,
      };
    case 'dotnet':
      return {
        kind: 'System.Net.Http.HttpRequestException',
        message: () => `Connection refused (${host}:${port})`,
      };
    default:
      return { kind: 'Error', message: () => `connect ECONNREFUSED ${ip}:${port}` };
  }
}

/** A database connection that cannot be opened because packets are silently dropped. */
function dbConnectTimeout(
  lang: Lang,
  host: string,
  ip: string,
  mysql: boolean,
): Pick<ErrorSpec, 'kind' | 'message'> {
  const port = mysql ? 3306 : 5432;
  switch (lang) {
    case 'java':
      return {
        kind: 'java.sql.SQLTransientConnectionException',
        message: () => 'HikariPool-1 - Connection is not available, request timed out after 30000ms.',
      };
    case 'python':
      return {
        kind: 'sqlalchemy.exc.OperationalError',
        message: () =>
          mysql
            ? `(pymysql.err.OperationalError) (2003, "Can't connect to MySQL server on '${host}' (timed out)")`
            : `(psycopg2.OperationalError) connection to server at "${host}" (${ip}), port ${port} failed: timeout expired`,
      };
    case 'go':
      return { kind: '*net.OpError', message: () => `dial tcp ${ip}:${port}: i/o timeout` };
    case 'ruby':
      return {
        kind: 'ActiveRecord::ConnectionNotEstablished',
        message: () =>
          mysql
            ? `Mysql2::Error::ConnectionError: Can't connect to MySQL server on '${host}' (110)`
            : `connection to server at "${host}" (${ip}), port ${port} failed: timeout expired`,
      };
    case 'dotnet':
      return mysql
        ? { kind: 'MySqlConnector.MySqlException', message: () => 'Connect Timeout expired.' }
        : { kind: 'Npgsql.NpgsqlException', message: () => `Failed to connect to ${ip}:${port}` };
    default:
      return { kind: 'Error', message: () => `connect ETIMEDOUT ${ip}:${port}` };
  }
}

/** A circuit breaker refusing calls, in the service's usual resilience library. */
function breakerOpen(lang: Lang, dep: string): Pick<ErrorSpec, 'kind' | 'message'> {
  switch (lang) {
    case 'java':
      return {
        kind: 'io.github.resilience4j.circuitbreaker.CallNotPermittedException',
        message: () => `CircuitBreaker '${dep}' is OPEN and does not permit further calls`,
      };
    case 'python':
      return {
        kind: 'pybreaker.CircuitBreakerError',
        message: () => 'Failures threshold reached, circuit breaker opened',
      };
    case 'go':
      return { kind: '*errors.errorString', message: () => `${dep}: circuit breaker is open` };
    case 'ruby':
      return { kind: 'Circuitbox::OpenCircuitError', message: () => `Service "${dep}" has an open circuit` };
    case 'dotnet':
      return {
        kind: 'Polly.CircuitBreaker.BrokenCircuitException',
        message: () => 'The circuit is now open and is not allowing calls.',
      };
    default:
      return { kind: 'OpenCircuitError', message: () => `Breaker is open (${dep})` };
  }
}

/** An error the service raises itself when a limit rejects a request. */
function limitError(lang: Lang, what: 'rate' | 'batch'): string {
  const base = what === 'rate' ? 'RateLimitExceeded' : 'BatchTooLarge';
  switch (lang) {
    case 'java':
      return `com.acme.limits.${base}Exception`;
    case 'python':
      return `${base}Error`;
    case 'go':
      return `*limits.${base}Error`;
    case 'ruby':
      return `Limits::${base}`;
    case 'dotnet':
      return `Limits.${base}Exception`;
    default:
      return `${base}Error`;
  }
}

type Plan = {
  /** The component as the event names it, and the change id when the tool has one. */
  accept: string[];
  keywords: string[];
  title: string;
  monitor: MonitorKind;
  runbook: { title: string; body: string };
  past: { title: string; summary: string; cause: string; mitigation: string };
};

export const externalConfig: IncidentClass = {
  name: 'external-config',
  variants: [
    'lb-idle-timeout',
    'waf-rule',
    'security-group',
    'consul-limit',
    'consul-upstream',
    'proxy-ratelimit',
    'route-weight',
  ],
  build(d, variant) {
    const r = d.r;
    const e = d.estate;
    const s = e.alerting;
    // Config changes bite within seconds; the onset follows the change by a minute or a few.
    const changeAt = d.onset - 1 - Math.floor(r() * 4);
    const build = PLANS[variant];
    if (!build) throw new Error(`external-config has no variant ${variant}`);
    const plan = build(d, changeAt);
    // A harmless deploy of the alerting service next to the change: the "latest deploy" trap.
    if (r() < 0.5) {
      const message = pick(r, [
        'Add tenant id to structured request logs',
        'Upgrade tracing library to the latest minor',
        'Remove unused feature toggle helpers',
        'Tidy OpenAPI descriptions',
      ]);
      const mergedAt = d.onset - 30 - Math.floor(r() * 40);
      const additions = 9 + Math.floor(r() * 30);
      shipUnrelated(d, s, {
        message,
        filename: sourcePath(s, 'observability', 'request-logging', e.slug),
        additions,
        deletions: 4,
        mergedAt,
        deployAt: d.onset - 12 + Math.floor(r() * 16),
        pr: { body: 'No behaviour change.', labels: ['chore'] },
      });
    }
    alertAfterOnset(d, plan.monitor, s);
    const rb = runbook(
      d,
      `runbooks/${s.name}-${variant}.md`,
      plan.runbook.title,
      plan.runbook.body,
      pick(r, ['runbook', 'confluence'] as const),
    );
    const similar = pastIncident(d, r, { ...plan.past, services: [s.name] });
    d.title = plan.title;
    d.truth = {
      kind: 'config_change',
      accept: plan.accept,
      keywords: plan.keywords,
      runbook: rb,
      similarIncident: similar,
    };
  },
};

type TerraformRun = {
  /** The workspace's area: `network` runs in `<slug>-<env>-network`. */
  area: string;
  run: string;
  component: string;
  /** The apply's resource counts; most runs here update one resource in place. */
  summary?: string;
  plan: string;
  extraTags?: string[];
};

function terraformEvent(d: WorldDraft, minute: number, spec: TerraformRun): void {
  const how = pick(d.r, ['CLI-driven run', 'run queued from the UI', 'API-driven run']);
  const ws = `${d.estate.slug}-${d.estate.env}-${spec.area}`;
  const summary = spec.summary ?? 'Resources: 0 added, 1 changed, 0 destroyed.';
  d.event({
    minute,
    title: `Terraform run ${spec.run} applied in workspace ${ws}`,
    text: `${spec.plan}\n\nApply complete! ${summary}\nTriggered by ${d.person()} (${how})`,
    tags: [
      'terraform',
      `workspace:${ws}`,
      `component:${spec.component}`,
      `run_id:${spec.run}`,
      `env:${d.estate.env}`,
      ...(spec.extraTags ?? []),
    ],
    source: 'terraform',
  });
}

/** The apply that made the change, and someone else's unrelated apply in the same window. */
function terraformChange(d: WorldDraft, minute: number, spec: TerraformRun): void {
  terraformEvent(d, minute, spec);
  unrelatedTerraform(d);
}

/**
 * An unrelated Terraform apply: earlier in the window, or right next to the onset (someone else's
 * change that cannot cause this failure), so "the Terraform run closest to the onset" is no rule.
 */
function unrelatedTerraform(d: WorldDraft): void {
  const r = d.fork(4711);
  if (r() > 0.7) return;
  const e = d.estate;
  const b = e.bystander;
  const minute = r() < 0.5 ? -150 + Math.floor(r() * 110) : d.onset - 6 + Math.floor(r() * 12);
  const change = pick(r, [
    {
      area: 'observability',
      component: `${b.name}-logs`,
      plan: `  # aws_cloudwatch_log_group.${snake(b.name)} will be updated in-place\n  ~ resource "aws_cloudwatch_log_group" "${snake(b.name)}" {\n      ~ retention_in_days = 90 -> ${pick(r, [30, 14, 7])}\n    }`,
    },
    {
      area: 'data',
      component: `${b.name}-exports`,
      plan: `  # aws_s3_bucket_lifecycle_configuration.${snake(b.name)}_exports will be updated in-place\n  ~ rule {\n        id     = "expire-old-exports"\n      ~ expiration {\n          ~ days = 30 -> ${pick(r, [7, 14])}\n        }\n    }`,
    },
    {
      area: 'observability',
      component: `${e.alerting.name}-dashboards`,
      plan: `  # datadog_dashboard.${snake(e.alerting.name)}_overview will be updated in-place\n  ~ resource "datadog_dashboard" "${snake(e.alerting.name)}_overview" {\n      ~ title = "${e.alerting.name} overview" -> "${e.alerting.name} overview (${e.env})"\n    }`,
    },
    {
      area: 'network',
      component: `${b.name}.${e.domain}`,
      plan: `  # aws_route53_record.${snake(b.name)} will be updated in-place\n  ~ resource "aws_route53_record" "${snake(b.name)}" {\n        name = "${b.name}.${e.domain}"\n      ~ ttl  = 300 -> 60\n    }`,
    },
  ]);
  terraformEvent(d, minute, {
    area: change.area,
    run: runId(r),
    component: change.component,
    plan: change.plan,
  });
}

/** A Consul KV write: the key, its old and new value, and the ModifyIndex it got. */
type KvWrite = { key: string; from: string; to: string; index: number };

function consulEvent(d: WorldDraft, minute: number, write: KvWrite, service: Service): void {
  const { key, from, to, index } = write;
  // Consul datacenters are usually named after the region the estate runs in.
  const dc = regionOf(d.estate.alerting.hosts[0]!.zone);
  d.event({
    minute,
    title: `Consul KV ${key} updated`,
    text: `${d.person()} set ${key} = ${to} (was ${from}) via ${pick(d.r, ['consul kv put', 'the Consul UI'])}. ModifyIndex ${index}, datacenter ${dc}.`,
    tags: [
      'consul',
      `consul_key:${key}`,
      `service:${service.name}`,
      `datacenter:${dc}`,
      `env:${d.estate.env}`,
    ],
    source: 'consul',
  });
}

/**
 * The Consul write that made the change, the alerting service reloading it, and an unrelated
 * write in the same window.
 */
function consulChange(d: WorldDraft, minute: number, write: KvWrite): void {
  const s = d.estate.alerting;
  consulEvent(d, minute, write, s);
  unrelatedConsul(d, write.index, minute);
  reloadLog(d, s, minute, write.index, write.key);
}

/** An unrelated Consul write, early or next to the onset: the bystander's knob, or the service's own log level. */
function unrelatedConsul(d: WorldDraft, index: number, changeAt: number): void {
  const r = d.fork(4712);
  if (r() > 0.7) return;
  const e = d.estate;
  const near = r() < 0.5;
  const minute = near ? d.onset - 6 + Math.floor(r() * 12) : -170 + Math.floor(r() * 140);
  const [key, from, to, service] = pick(r, [
    [`config/${e.bystander.name}/exports/batch_size`, '100', '250', e.bystander],
    [`config/${e.bystander.name}/features/csv_v2`, 'false', 'true', e.bystander],
    [`config/${e.alerting.name}/logging/level`, 'info', 'debug', e.alerting],
  ] as const);
  // Consul's index grows with every write: later writes have higher indexes.
  const at =
    minute > changeAt ? index + 1 + Math.floor(r() * 40) : index - 1 - Math.floor(r() * (near ? 40 : 4000));
  consulEvent(d, minute, { key, from, to, index: at }, service);
  // The service reloads its own keys, harmless ones included.
  if (service === e.alerting) reloadLog(d, service, minute, at, key);
}

/** The reload line a service writes when its Consul watch picks up a change. */
function reloadLog(d: WorldDraft, s: Service, minute: number, index: number, key: string): void {
  d.log({
    service: s.name,
    from: minute,
    to: minute + 1,
    perMinute: s.hosts.length,
    event: () => ({
      level: 'info',
      message: `dynamic config reloaded from consul (index ${index}): 1 key changed: ${key.split('/').slice(2).join('/')}`,
    }),
  });
}

type Proxy = 'envoy' | 'nginx' | 'haproxy';

type ProxyRoute = { proxy: Proxy; component: string; dep: Service };

/** The internal proxy in front of `dep`: which one the estate runs, and its name as events give it. */
function proxyIn(r: Rng, dep: Service): ProxyRoute {
  const proxy = pick(r, ['envoy', 'nginx', 'haproxy'] as const);
  return { proxy, component: pick(r, [`internal-${proxy}`, `${proxy}-${dep.name}`]), dep };
}

/**
 * A change to `dep`'s route on the proxy, as the proxy's control plane posts it: Envoy tags the
 * route and xDS version, nginx the upstream, HAProxy the backend and Data Plane transaction.
 */
function proxyEvent(
  d: WorldDraft,
  at: ProxyRoute,
  change: { minute: number; title: string; text: string; changeId?: string },
): void {
  const { proxy, component, dep } = at;
  const env = `env:${d.estate.env}`;
  const tags =
    proxy === 'envoy'
      ? [proxy, `component:${component}`, `route:${dep.name}`, `version_info:${change.changeId}`, env]
      : proxy === 'nginx'
        ? [proxy, `component:${component}`, `upstream:${dep.name}`, env]
        : [
            proxy,
            `component:${component}`,
            `backend:be_${snake(dep.name)}`,
            `transaction_id:${change.changeId}`,
            env,
          ];
  d.event({ minute: change.minute, title: change.title, text: change.text, tags, source: proxy });
}

const PLANS: Record<string, (d: WorldDraft, changeAt: number) => Plan> = {
  /** The internal ALB in front of deps[0]: its idle timeout now disagrees with the backend's keep-alive. */
  'lb-idle-timeout'(d, changeAt) {
    const r = d.r;
    const e = d.estate;
    const s = e.alerting;
    const dep = e.deps[0]!;
    const peer = `${dep.name}.internal`;
    const component = `${dep.name}-internal-alb`;
    const run = runId(r);
    // Raised above the backend's keep-alive timeout: the ALB reuses connections the backend has
    // already closed, and those requests fail with 502 (the classic idle-timeout mismatch).
    const to = pick(r, [350, 900, 1800, 4000]);
    const status = 502;
    const rate = 0.05 + r() * 0.12;
    const html =
      '<html><head><title>502 Bad Gateway</title></head><body><center><h1>502 Bad Gateway</h1></center></body></html>';
    terraformChange(d, changeAt, {
      area: 'network',
      run,
      component,
      plan: `  # aws_lb.${snake(dep.name)}_internal will be updated in-place\n  ~ resource "aws_lb" "${snake(dep.name)}_internal" {\n      ~ idle_timeout = 60 -> ${to}\n        name         = "${component}"\n        internal     = true\n    }`,
      extraTags: [`service:${dep.name}`],
    });
    const client = clientPath(s, dep, e.slug);
    const err = httpStatusError(s.lang, status, peer, html);
    const frames = framesThrough(s, e.slug, r, { path: client, fn: 'send' });
    d.effect(s, (m) =>
      during(m, d.onset)
        ? {
            errorRate: rate,
            latency: 1.1,
            peerErrors: { peer, rate: rate * 2 },
            error: { ...err, frames: frames, peer, status: 502 },
          }
        : undefined,
    );
    return {
      accept: [component, run],
      keywords: ['idle_timeout', '502', 'keep-alive'],
      title: `${s.name} ${status}s calling ${dep.name} after a load balancer change`,
      monitor: errorMonitorKind(d, r, rate),
      runbook: {
        title: `${s.name}: 502/504 from internal load balancers`,
        body: `## Triage\nA 502/504 with an HTML body comes from the load balancer, not from the service behind it: compare with that service's own error rate. If it is healthy, look for changes to the load balancer (Terraform runs in the network workspace: idle_timeout, listeners, target groups).\n\n## Background\nThe ALB idle timeout must stay below the backend's keep-alive timeout, and above the slowest legitimate request.\n\n## Mitigation\nRevert the Terraform change (re-apply the previous idle_timeout).`,
      },
      past: {
        title: `Intermittent ${status}s between ${s.name} and ${dep.name}`,
        summary: `Calls through ${component} failed with ${status} although ${dep.name} was healthy.`,
        cause: `An ALB idle_timeout change made in Terraform outside the usual review.`,
        mitigation: 'Re-applied the previous idle_timeout.',
      },
    };
  },

  /** A WAF rule on the edge blocks part of the alerting service's traffic before it arrives. */
  'waf-rule'(d, changeAt) {
    const r = d.r;
    const e = d.estate;
    const s = e.alerting;
    const c = e.caller;
    const component = `${c.name}-waf`;
    const run = runId(r);
    const post = routesOf(s)[0]!.split(' ')[1]!;
    const rule = pick(r, [
      {
        id: 'SizeRestrictions_BODY',
        plan: `  # aws_wafv2_web_acl.${snake(c.name)} will be updated in-place\n  ~ resource "aws_wafv2_web_acl" "${snake(c.name)}" {\n      ~ rule {\n            name = "AWS-AWSManagedRulesCommonRuleSet"\n          ~ override_action {\n              - count {}\n              + none {}\n            }\n        }\n    }`,
        what: 'request bodies over 8 KB',
        detail: (x: Rng) => `size=${9000 + Math.floor(x() * 40000)}`,
      },
      {
        id: 'per-ip-rate-limit',
        plan: `  # aws_wafv2_web_acl.${snake(c.name)} will be updated in-place\n  ~ resource "aws_wafv2_web_acl" "${snake(c.name)}" {\n      ~ rule {\n            name = "per-ip-rate-limit"\n          ~ statement {\n              ~ rate_based_statement {\n                  ~ limit = 2000 -> 300\n                }\n            }\n        }\n    }`,
        what: 'clients behind shared NAT addresses (partners, mobile carriers)',
        detail: (x: Rng) => `rate=${310 + Math.floor(x() * 2000)}/5m`,
      },
      {
        id: 'block-embargoed-countries',
        plan: `  # aws_wafv2_web_acl.${snake(c.name)} will be updated in-place\n  ~ resource "aws_wafv2_web_acl" "${snake(c.name)}" {\n      ~ rule {\n            name = "block-embargoed-countries"\n          ~ statement {\n              ~ geo_match_statement {\n                  ~ country_codes = [\n                        "CU",\n                      + "GB",\n                        "IR",\n                        "KP",\n                    ]\n                }\n            }\n        }\n    }`,
        what: 'every request from GB (the change meant GE)',
        detail: () => 'country=GB',
      },
    ]);
    const share = 0.35 + r() * 0.3;
    terraformChange(d, changeAt, {
      area: 'edge',
      run,
      component,
      plan: rule.plan,
      extraTags: [`service:${c.name}`],
    });
    // Blocked requests never reach either service: traffic drops, errors do not rise.
    d.effect(s, (m) =>
      during(m, d.onset) ? { traffic: 1 - share * ramp(m, d.onset - 1, d.onset + 1) } : undefined,
    );
    d.effect(c, (m) => (during(m, d.onset) ? { traffic: 1 - share * 0.6 } : undefined));
    // WAF logs shipped to DataDog under the edge's service.
    d.log({
      service: c.name,
      from: d.onset,
      perMinute: 6 + r() * 10,
      event: (x) => ({
        level: 'warn',
        message: `aws-waf action=BLOCK webacl=${component} terminatingRuleId=${rule.id} httpMethod=POST uri=${post.replace(':id', String(Math.floor(x() * 90000)))} clientIp=${ip10(x).replace(/^10\./, `${80 + Math.floor(x() * 100)}.`)} ${rule.detail(x)}`,
      }),
    });
    return {
      accept: [component, run],
      keywords: ['waf', rule.id, 'terraform'],
      title: `${s.name} requests dropped: blocked at the edge`,
      // The drop pages as fewer completions (a business metric) or fewer requests (availability).
      monitor: r() < 0.5 ? 'availability' : 'business',
      runbook: {
        title: `${s.name}: requests or completions dropped without errors`,
        body: `## Triage\nA drop in completions with no rise in errors means requests are not arriving. Compare ${s.name}'s hits with ${c.name}'s, then check the edge: WAF logs (action=BLOCK, terminatingRuleId) and recent Terraform runs in the edge workspace.\n\n## Mitigation\nSet the offending rule back to count mode, or revert the Terraform run.`,
      },
      past: {
        title: `Legitimate traffic blocked by ${component}`,
        summary: `A WAF rule change blocked ${rule.what}; ${s.name} saw fewer requests and no errors.`,
        cause: 'WAF rule moved to block mode without a count-mode trial.',
        mitigation: 'Reverted the rule to count mode.',
      },
    };
  },

  /** A security group rule for database clients is removed: new connections time out. */
  'security-group'(d, changeAt) {
    const r = d.r;
    const e = d.estate;
    const s = e.alerting;
    const db = e.database;
    const mysql = db.name.startsWith('mysql');
    const port = mysql ? 3306 : 5432;
    const sgName = `${db.name}-clients`;
    const sgId = `sg-0${hex(r, 16)}`;
    const run = runId(r);
    const region = regionOf(s.hosts[0]!.zone);
    const endpoint = `${db.name}.cluster-c${hex(r, 10)}.${region}.rds.amazonaws.com`;
    const dbIp = ip10(r);
    // Either one subnet's CIDR falls out of the rule (one zone fails) or the node group's SG reference does.
    const zone = pick(r, s.hosts).zone as string | undefined;
    const zoneOnly = r() < 0.6 && zone !== undefined && s.hosts.some((h) => h.zone !== zone);
    const cidr = `10.${Math.floor(r() * 250)}.${16 * Math.floor(r() * 15)}.0/20`;
    const hostsIn = (x: Service) =>
      zoneOnly ? x.hosts.filter((h) => h.zone === zone).map((h) => h.name) : x.hosts.map((h) => h.name);
    const removed = zoneOnly
      ? `      - cidr_blocks       = ["${cidr}"] # private-${zone}\n      - from_port         = ${port}\n      - to_port           = ${port}\n      - protocol          = "tcp"\n      - security_group_id = "${sgId}"`
      : `      - source_security_group_id = "sg-0${hex(r, 16)}" # ${s.name}-nodes\n      - from_port                = ${port}\n      - to_port                  = ${port}\n      - protocol                 = "tcp"\n      - security_group_id        = "${sgId}"`;
    const ruleName = zoneOnly
      ? `${snake(db.name)}_from_private_${zone!.slice(-1)}`
      : `${snake(db.name)}_from_${snake(s.name)}_nodes`;
    terraformChange(d, changeAt, {
      area: 'data',
      run,
      component: sgName,
      summary: 'Resources: 1 added, 0 changed, 1 destroyed.',
      plan: `  # aws_security_group_rule.${ruleName} will be destroyed\n  - resource "aws_security_group_rule" "${ruleName}" {\n${removed}\n    }\n\n  # aws_vpc_security_group_ingress_rule.${snake(db.name)}_from_prefix_list will be created\n  + resource "aws_vpc_security_group_ingress_rule" "${snake(db.name)}_from_prefix_list" {\n      + prefix_list_id    = "pl-0${hex(r, 16)}"\n      + security_group_id = "${sgId}"\n    }`,
      extraTags: [`security_group_id:${sgId}`, `service:${db.name}`],
    });
    // Established connections survive (security groups are stateful); errors grow as the pool recycles them.
    const rate = 0.25 + r() * 0.35;
    const err = dbConnectTimeout(s.lang, endpoint, dbIp, mysql);
    const repo = sourcePath(s, 'db', 'connection-pool', e.slug);
    const hosts = hostsIn(s);
    const share = hosts.length / s.hosts.length;
    const frames = framesThrough(s, e.slug, r, { path: repo, fn: 'acquire' });
    d.effect(s, (m) =>
      during(m, d.onset)
        ? {
            errorRate: rate * ramp(m, d.onset - 1, d.onset + 3),
            latency: 1 + 4 * ramp(m, d.onset - 1, d.onset + 3),
            hosts,
            error: { ...err, frames: frames, peer: endpoint, status: 503 },
          }
        : undefined,
    );
    d.effect(s, (m) => (during(m, d.onset + 1) ? { poolUsed: Math.min(1, 0.3 + share * 0.75) } : undefined));
    d.log({
      service: s.name,
      from: d.onset,
      perMinute: 2 + hosts.length * 2,
      hosts,
      event: () => ({
        level: 'warn',
        message: `database connection attempt to ${endpoint}:${port} timed out after 10000ms; retrying`,
      }),
    });
    // The other client of the database in that zone loses its connections too.
    const other = e.deps[1]!;
    const otherHosts = hostsIn(other);
    if (zoneOnly && otherHosts.length)
      d.effect(other, (m) =>
        during(m, d.onset)
          ? {
              errorRate: rate * 0.8 * ramp(m, d.onset, d.onset + 4),
              hosts: otherHosts,
              error: { ...dbConnectTimeout(other.lang, endpoint, dbIp, mysql), peer: endpoint, status: 503 },
            }
          : undefined,
      );
    return {
      accept: [sgName, sgId, run],
      keywords: ['security group', String(port), zoneOnly ? zone! : 'terraform'],
      title: `${s.name} cannot open database connections${zoneOnly ? ` in ${zone}` : ''}`,
      monitor: errorMonitorKind(d, r, rate * share),
      runbook: {
        title: `${s.name}: database connection timeouts`,
        body: `## Triage\nTimeouts (not refusals) opening connections to ${db.name} mean packets are dropped: check security group rules and NACLs for the database (Terraform data workspace), and whether only some zones or subnets are affected. Existing connections keep working until the pool recycles them, so failures grow over minutes.\n\n## Mitigation\nRestore the ingress rule (re-apply the previous Terraform state).`,
      },
      past: {
        title: `${s.name} lost database connectivity after a security group refactor`,
        summary: `New connections to ${db.name} timed out from ${zoneOnly ? 'one subnet' : 'one node group'}; errors grew as pools recycled.`,
        cause: 'An ingress rule was dropped from the database security group by a Terraform refactor.',
        mitigation: 'Re-added the ingress rule.',
      },
    };
  },

  /** A limit in Consul KV tightened by hand: the service rejects requests or opens its breaker. */
  'consul-limit'(d, changeAt) {
    const r = d.r;
    const e = d.estate;
    const s = e.alerting;
    const dep = e.deps[0]!;
    const index = 4_000_000 + Math.floor(r() * 5_000_000);
    const route = routesOf(s)[0]!;
    const limit = pick(r, [
      {
        key: `config/${s.name}/ratelimit/per_tenant_rpm`,
        from: '600',
        to: '60',
        status: 429,
        kind: limitError(s.lang, 'rate'),
        message: (x: Rng) => `tenant ${1000 + Math.floor(x() * 9000)} exceeded 60 requests per minute`,
        rate: 0.2 + r() * 0.3,
        monitor: 'business' as MonitorKind,
        resource: undefined as string | undefined,
        what: 'per-tenant rate limit',
      },
      {
        key: `config/${s.name}/limits/max_batch_size`,
        from: '500',
        to: '50',
        status: 422,
        kind: limitError(s.lang, 'batch'),
        message: (x: Rng) => `batch of ${51 + Math.floor(x() * 400)} items exceeds max_batch_size (50)`,
        rate: 0.25 + r() * 0.25,
        monitor: 'business' as MonitorKind,
        resource: route,
        what: 'maximum batch size',
      },
      {
        key: `config/${s.name}/circuit_breaker/${dep.name}/failure_rate_threshold`,
        from: '50',
        to: '5',
        status: 503,
        ...breakerOpen(s.lang, dep.name),
        rate: 0.15 + r() * 0.25,
        monitor: errorMonitorKind(d, r, 0.3),
        resource: undefined as string | undefined,
        what: `circuit breaker threshold for ${dep.name}`,
      },
    ]);
    consulChange(d, changeAt, { key: limit.key, from: limit.from, to: limit.to, index });
    const breaker = limit.key.includes('circuit_breaker');
    d.effect(s, (m) =>
      during(m, d.onset)
        ? {
            errorRate: limit.rate * ramp(m, d.onset - 1, d.onset + 1),
            error: {
              kind: limit.kind,
              message: limit.message,
              status: limit.status,
              resource: limit.resource,
              ...(breaker ? { peer: `${dep.name}.internal` } : {}),
            },
          }
        : undefined,
    );
    if (breaker)
      // The breaker flaps: ordinary baseline failures now cross a 5% threshold.
      d.log({
        service: s.name,
        from: d.onset,
        perMinute: 1 + r() * 2,
        event: (x) => ({
          level: 'warn',
          message: `circuit breaker ${dep.name} transitioned CLOSED -> OPEN: failure rate ${(5 + x() * 4).toFixed(1)}% above threshold 5.0%`,
        }),
      });
    const shortKey = limit.key.split('/').at(-1)!;
    return {
      accept: [limit.key],
      keywords: ['consul', shortKey],
      title: `${s.name} rejecting requests after a ${limit.what} change`,
      monitor: limit.monitor,
      runbook: {
        title: `${s.name}: dynamic configuration (Consul KV)`,
        body: `## What lives in Consul\nRate limits, batch sizes and circuit breaker thresholds under config/${s.name}/ are read at runtime; a write takes effect within seconds, without a deploy. The service logs "dynamic config reloaded from consul" with the index.\n\n## Triage\nIf errors start without a deploy, look for Consul KV writes (DataDog events from the Consul watch) just before the onset.\n\n## Mitigation\nRestore the previous value with consul kv put.`,
      },
      past: {
        title: `${s.name} errors after a Consul KV edit`,
        summary: `The ${limit.what} was changed by hand in Consul and ${s.name} started rejecting requests.`,
        cause: `${shortKey} lowered in Consul KV.`,
        mitigation: 'Restored the previous value.',
      },
    };
  },

  /** The upstream address the service reads from Consul now points where nothing listens. */
  'consul-upstream'(d, changeAt) {
    const r = d.r;
    const e = d.estate;
    const s = e.alerting;
    const dep = e.deps[0]!;
    const index = 4_000_000 + Math.floor(r() * 5_000_000);
    const key = `config/${s.name}/upstreams/${dep.name}/address`;
    const from = `${dep.name}.internal:8443`;
    const [host, port] = pick(r, [
      [`${dep.name}-v2.internal`, 8443],
      [`${dep.name}.internal`, 9443],
      [ip10(r), 8443],
    ] as const);
    const ip = /^\d/.test(host) ? host : ip10(r);
    consulChange(d, changeAt, { key, from, to: `${host}:${port}`, index });
    const callShare = 0.3 + r() * 0.4;
    const err = refusedError(s.lang, host, port, ip);
    const client = clientPath(s, dep, e.slug);
    const frames = framesThrough(s, e.slug, r, { path: client, fn: 'connect' });
    d.effect(s, (m) =>
      during(m, d.onset)
        ? {
            errorRate: callShare,
            error: { ...err, frames: frames, peer: host, status: 502 },
          }
        : undefined,
    );
    // Calls that never leave the alerting service: the dependency sees less traffic, no errors.
    d.effect(dep, (m) => (during(m, d.onset) ? { traffic: 1 - callShare * 0.6 } : undefined));
    return {
      accept: [key],
      keywords: ['consul', 'upstream', 'connection refused'],
      title: `${s.name} cannot reach ${dep.name}: connection refused`,
      monitor: errorMonitorKind(d, r, callShare),
      runbook: {
        title: `${s.name}: upstream addresses`,
        body: `## Where addresses come from\n${s.name} reads its upstream addresses from Consul KV (config/${s.name}/upstreams/) and reloads them live.\n\n## Triage\nConnection refused to an address the dependency does not serve on: compare the failing peer in the errors with the dependency's real address, then look for Consul KV writes before the onset.\n\n## Mitigation\nRestore the previous address in Consul.`,
      },
      past: {
        title: `${s.name} pointed at the wrong ${dep.name} address`,
        summary: 'An upstream address in Consul was edited ahead of a migration; calls were refused.',
        cause: 'Consul KV upstream address changed by hand.',
        mitigation: 'Restored the previous address.',
      },
    };
  },

  /** The internal proxy in front of deps[0] gets a much lower rate limit through its admin API. */
  'proxy-ratelimit'(d, changeAt) {
    const r = d.r;
    const e = d.estate;
    const s = e.alerting;
    const dep = e.deps[0]!;
    const peer = `${dep.name}.internal`;
    const via = proxyIn(r, dep);
    const { proxy, component } = via;
    const from = pick(r, [1500, 2000, 3000]);
    const to = pick(r, [100, 200, 300]);
    const share = 0.2 + r() * 0.4;
    let changeId: string | undefined;
    let status = 429;
    let body = '';
    if (proxy === 'envoy') {
      changeId = hex(r, 12);
      body = 'local_rate_limited';
      proxyEvent(d, via, {
        minute: changeAt,
        title: `Envoy config updated on ${component}: local_ratelimit for route ${dep.name}`,
        text: `token_bucket max_tokens ${from} -> ${to}, tokens_per_fill ${from} -> ${to}, fill_interval 1s. Pushed by ${d.person()} through the control plane admin API (xDS version_info ${changeId}).`,
        changeId,
      });
    } else if (proxy === 'nginx') {
      status = 503;
      body =
        '<html><head><title>503 Service Temporarily Unavailable</title></head><body><center><h1>503 Service Temporarily Unavailable</h1></center><hr><center>nginx</center></body></html>';
      proxyEvent(d, via, {
        minute: changeAt,
        title: `nginx configuration reloaded on ${component}`,
        text: `limit_req_zone $binary_remote_addr zone=${dep.name}: rate ${from}r/s -> ${to}r/s (burst 50). Edited on the host and reloaded with nginx -s reload by ${d.person()}.`,
      });
    } else {
      changeId = uuid(r);
      body =
        '<html><body><h1>429 Too Many Requests</h1>\nYou have sent too many requests in a given amount of time.\n</body></html>';
      const version = 30 + Math.floor(r() * 200);
      proxyEvent(d, via, {
        minute: changeAt,
        title: `HAProxy configuration committed on ${component}`,
        text: `Data Plane API transaction ${changeId} committed by ${d.person()}: backend be_${snake(dep.name)} http-request deny deny_status 429 if { sc_http_req_rate(0) gt ${to} } (was gt ${from}). Configuration version ${version} -> ${version + 1}.`,
        changeId,
      });
    }
    const err = httpStatusError(s.lang, status, peer, body);
    const client = clientPath(s, dep, e.slug);
    const frames = framesThrough(s, e.slug, r, { path: client, fn: 'send' });
    d.effect(s, (m) =>
      during(m, d.onset)
        ? {
            errorRate: share * ramp(m, d.onset - 1, d.onset + 1),
            peerErrors: { peer, rate: share * 1.4 },
            error: { ...err, frames: frames, peer, status: 503 },
          }
        : undefined,
    );
    d.effect(dep, (m) => (during(m, d.onset) ? { traffic: 1 - share * 0.6 } : undefined));
    return {
      accept: changeId ? [component, changeId] : [component],
      keywords: ['rate limit', proxy, String(to)],
      title: `${s.name} calls to ${dep.name} throttled by ${component}`,
      monitor: errorMonitorKind(d, r, share),
      runbook: {
        title: `${component} (internal proxy)`,
        body: `## What it does\n${component} fronts internal services and enforces per-route rate limits. Changes through its admin API take effect immediately and are posted as DataDog events.\n\n## Triage\n${status}s from the proxy (${proxy === 'envoy' ? 'body "local_rate_limited", header x-envoy-ratelimited' : proxy === 'nginx' ? 'nginx limit_req answers 503 by default' : 'the HAProxy 429 page'}) while the upstream itself is healthy and sees less traffic point to the proxy's limits.\n\n## Mitigation\nRestore the previous limit.`,
      },
      past: {
        title: `${dep.name} calls rejected by ${component}`,
        summary: `A rate limit on ${component} was lowered below normal traffic; ${s.name} failed part of its calls.`,
        cause: 'Proxy rate limit lowered through the admin API.',
        mitigation: 'Restored the limit.',
      },
    };
  },

  /** Route weights on the proxy shift part of deps[0]'s traffic to a pool that is not serving. */
  'route-weight'(d, changeAt) {
    const r = d.r;
    const e = d.estate;
    const s = e.alerting;
    const dep = e.deps[0]!;
    const peer = `${dep.name}.internal`;
    const via = proxyIn(r, dep);
    const { proxy, component } = via;
    const [oldPool, newPool] = pick(r, [
      ['blue', 'green'],
      ['primary', 'canary'],
    ] as const).map((p) => `${dep.name}-${p}`);
    const weight = pick(r, [10, 25, 50]);
    const share = (weight / 100) * (0.85 + r() * 0.15);
    let changeId: string | undefined;
    let status = 503;
    let body = 'no healthy upstream';
    if (proxy === 'envoy') {
      changeId = hex(r, 12);
      proxyEvent(d, via, {
        minute: changeAt,
        title: `Envoy route weights updated on ${component}: ${dep.name}`,
        text: `weighted_clusters: ${oldPool} 100 -> ${100 - weight}, ${newPool} 0 -> ${weight}. Pushed by ${d.person()} through the control plane admin API (xDS version_info ${changeId}).`,
        changeId,
      });
    } else if (proxy === 'nginx') {
      status = 502;
      body =
        '<html><head><title>502 Bad Gateway</title></head><body><center><h1>502 Bad Gateway</h1></center><hr><center>nginx</center></body></html>';
      proxyEvent(d, via, {
        minute: changeAt,
        title: `NGINX Plus upstream ${dep.name} changed on ${component}`,
        text: `PATCH /api/9/http/upstreams/${dep.name}/servers/${2 + Math.floor(r() * 6)} {"server": "${newPool}.internal:8443", "weight": ${weight}, "down": false} by ${d.person()}. Upstream ${dep.name}: ${oldPool} weight ${100 - weight}, ${newPool} weight ${weight}.`,
      });
    } else {
      changeId = uuid(r);
      body =
        '<html><body><h1>503 Service Unavailable</h1>\nNo server is available to handle this request.\n</body></html>';
      proxyEvent(d, via, {
        minute: changeAt,
        title: `HAProxy runtime change on ${component}: backend be_${snake(dep.name)}`,
        text: `Runtime API by ${d.person()} (transaction ${changeId}): set server be_${snake(dep.name)}/${newPool} state ready; set weight be_${snake(dep.name)}/${newPool} ${weight}; set weight be_${snake(dep.name)}/${oldPool} ${100 - weight}.`,
        changeId,
      });
    }
    // A weight change on an unrelated route, earlier: not every proxy change is the cause.
    if (r() < 0.6) {
      const b = e.bystander;
      const shared = `internal-${proxy}`;
      d.event({
        minute: -160 + Math.floor(r() * 100),
        title: `${proxy === 'envoy' ? 'Envoy route weights updated' : proxy === 'nginx' ? `NGINX Plus upstream ${b.name} changed` : 'HAProxy runtime change'} on ${shared}: ${b.name}`,
        text: `${b.name}-blue 50 -> 100, ${b.name}-green 50 -> 0 (rollout of ${b.name} finished).`,
        tags: [proxy, `component:${shared}`, `route:${b.name}`, `env:${e.env}`],
        source: proxy,
      });
    }
    const err = httpStatusError(s.lang, status, peer, body);
    const client = clientPath(s, dep, e.slug);
    const frames = framesThrough(s, e.slug, r, { path: client, fn: 'send' });
    d.effect(s, (m) =>
      during(m, d.onset)
        ? {
            errorRate: share * 0.8,
            peerErrors: { peer, rate: share },
            error: { ...err, frames: frames, peer, status: 502 },
          }
        : undefined,
    );
    // The healthy pool gets the rest: the dependency's own APM sees fewer requests and no errors.
    d.effect(dep, (m) => (during(m, d.onset) ? { traffic: 1 - share * 0.6 } : undefined));
    return {
      accept: changeId ? [component, changeId] : [component],
      keywords: ['weight', newPool!, proxy],
      title: `${s.name} errors calling ${dep.name} after a routing change`,
      monitor: errorMonitorKind(d, r, share),
      runbook: {
        title: `${component} (internal proxy)`,
        body: `## What it does\n${component} routes internal traffic between pools (blue/green, canary). Weight changes through its admin API take effect immediately and are posted as DataDog events.\n\n## Triage\nIf a fixed share of calls fails with ${status} "${proxy === 'envoy' ? 'no healthy upstream' : proxy === 'nginx' ? 'Bad Gateway' : 'No server is available'}" while the upstream's own APM is healthy, compare the share with the route weights.\n\n## Mitigation\nSet the new pool's weight back to 0.`,
      },
      past: {
        title: `${dep.name} traffic shifted to an empty pool`,
        summary: `A route weight change on ${component} sent part of ${dep.name}'s traffic to ${newPool}, which had no healthy endpoints.`,
        cause: 'Weight raised before the new pool was serving.',
        mitigation: 'Weights restored.',
      },
    };
  },
};
