import { describe, expect, it } from 'vitest';
import { classifyEvent } from '../../../agent/offline/event-kinds';
import { type EvidenceBundle, emptyBundle } from '../../../agent/offline/evidence';
import { proximity } from '../../../agent/offline/scale';
import { rankSuspects } from '../../../agent/offline/score';
import { confidenceOf } from '../../../agent/offline/synthesize';
import type { ChangeCandidate, Signature } from '../../../agent/offline/types';

const onset = Date.parse('2026-01-01T12:00:00Z');
const min = (m: number) => onset + m * 60_000;
const catalog = {
  services: {
    api: { repos: ['o/api'], dependsOn: ['db', 'ledger'] },
    web: { repos: ['o/web'], dependsOn: ['api'] },
    ledger: { repos: ['o/ledger'] },
  },
};

function bundle(partial: Partial<EvidenceBundle>): EvidenceBundle {
  return { ...emptyBundle(), ...partial };
}

const sig = (text: string, count = 50, extra: Partial<Signature> = {}): Signature => ({
  text,
  count,
  baseline: 0,
  services: ['api'],
  hosts: ['h1', 'h2'],
  firstSeen: min(1),
  evidence: 'ev_1',
  origin: 'log',
  ...extra,
});

const change = (
  c: Partial<ChangeCandidate> & Pick<ChangeCandidate, 'kind' | 'ref' | 'time'>,
): ChangeCandidate => ({
  title: c.ref,
  text: '',
  files: [],
  evidence: [],
  origin: 'github',
  ...c,
});

const commit = (sha: string, time: number, title: string, files: string[] = [], patch = '') =>
  change({
    kind: 'commit',
    ref: sha,
    sha,
    time,
    title,
    text: title,
    files,
    patches: files.map((filename) => ({ filename, ...(patch ? { patch } : {}) })),
    service: 'api',
    repo: 'o/api',
  });
const deploy = (id: string, sha: string, time: number, environment = 'prod', status = 'success') =>
  change({ kind: 'deployment', ref: id, sha, time, environment, status, service: 'api', repo: 'o/api' });

const rank = (b: EvidenceBundle, env = 'prod') => rankSuspects(b, { onset, service: 'api', env, catalog });

describe('the evidence model', () => {
  it('Symptoms are not changes: monitor transitions, probes and autoscaler actions are observations, notices are dropped', () => {
    const e = (source: string, title: string, tags: string[] = [], time = '2026-01-01T11:59:00Z') => ({
      id: '1',
      time,
      title,
      text: '',
      tags,
      source,
      url: '',
    });
    expect(classifyEvent(e('monitor', '[Triggered] api error count is high'))).toEqual({
      role: 'observation',
      kind: 'monitor',
    });
    expect(classifyEvent(e('synthetics', '[Synthetics] API test "api health" is failing')).role).toBe(
      'observation',
    );
    expect(
      classifyEvent(e('kubernetes', 'HorizontalPodAutoscaler api: New size: 6; reason: cpu above target')),
    ).toEqual({
      role: 'observation',
      kind: 'autoscaler',
    });
    expect(classifyEvent(e('kubernetes', 'Container api in pod api-1 was OOMKilled'))).toEqual({
      role: 'observation',
      kind: 'oom',
    });
    expect(
      classifyEvent(e('aws', 'Scheduled maintenance: db minor version upgrade tomorrow 02:00 UTC')),
    ).toEqual({ role: 'notice' });
    expect(classifyEvent(e('custom', 'Something happened'))).toEqual({ role: 'change', kind: 'unknown' });
    const d = classifyEvent(
      e('argocd', 'Application api-prod sync started', [
        'deployment_id:7',
        'git.commit.sha:abc1234def',
        'env:prod',
      ]),
    );
    expect(d).toMatchObject({
      role: 'change',
      kind: 'deployment',
      deployment: { id: '7', phase: 'start', env: 'prod' },
    });
  });

  it('A rollout ships a range of commits: a bad commit shipped with others is found and named by its sha', () => {
    const bad = 'b'.repeat(40);
    const ranked = rank(
      bundle({
        signatures: [
          sig('TypeError: cannot read properties of undefined at computeTax (src/billing/tax.ts:10:5)'),
        ],
        changes: [
          commit('a'.repeat(40), min(-80), 'old work'),
          deploy('1', 'a'.repeat(40), min(-70)),
          commit(bad, min(-40), 'Rework tax rounding', ['src/billing/tax.ts']),
          commit('c'.repeat(40), min(-30), 'docs: typo', ['README.md']),
          deploy('2', 'c'.repeat(40), min(-10)),
          deploy('3', 'c'.repeat(40), min(-12), 'staging'),
        ],
      }),
    );
    expect(ranked[0]).toMatchObject({ kind: 'deployment', ref: bad });
    expect(ranked[0]!.reasons.join(' ')).toContain('src/billing/tax.ts');
    expect(ranked[0]!.decisive).toBe(true);
    // The older rollout shipped only the old commit: it does not take the bad commit's credit.
    const older = ranked.find((s) => s.ref === '1');
    expect(older === undefined || older.score < ranked[0]!.score).toBe(true);
  });

  it('A rollout ships a range of commits: only deployments to the alert environment make a change live', () => {
    const sha = 'd'.repeat(40);
    const ranked = rank(
      bundle({
        signatures: [sig('boom')],
        changes: [
          commit(sha, min(-20), 'x'),
          deploy('9', sha, min(-10), 'staging'),
          deploy('8', 'e'.repeat(40), min(-60)),
        ],
      }),
    );
    const staged = ranked.find((s) => s.ref === sha || s.ref === '9');
    expect(staged?.reasons.join(' ')).toMatch(
      /no deployment shipped it to this environment|another environment/,
    );
  });

  it('A rollout ships a range of commits: the same version rolled again with new settings is another rollout, live in its own environment', () => {
    // A deploy-config repository's change: the pipeline rolls the running version (3.0.8) to
    // staging, then to prod, each with its own deployment id and the config commit's sha.
    const sha = '9'.repeat(40);
    const rolled = (id: string, env: string, at: number) =>
      change({
        kind: 'deployment',
        origin: 'event',
        ref: `event-${id}`,
        title: `Pipeline deploy-api started: deploying 3.0.8 to ${env}`,
        service: 'api',
        time: at,
        deployment: { id, sha, version: '3.0.8', env, phase: 'start' },
      });
    const ranked = rank(
      bundle({
        signatures: [sig('413 Request Entity Too Large: body exceeds MAX_CONTENT_LENGTH')],
        changes: [
          {
            ...commit(sha, min(-60), 'Reduce max request body', ['charts/api/values-prod.yaml']),
            repo: 'o/api-deploy',
          },
          rolled('46215', 'staging', min(-35)),
          rolled('46216', 'prod', min(-6)),
        ],
      }),
    );
    expect(ranked[0]).toMatchObject({ kind: 'deployment' });
    expect([sha, '46216']).toContain(ranked[0]!.ref);
    expect(ranked[0]!.reasons.join(' ')).not.toMatch(/another environment|no deployment shipped it/);
  });

  it('Time is asymmetric: a change minutes after the onset gets steeply less credit than one as far before it', () => {
    expect(proximity(onset, min(-6))).toBeGreaterThan(0.8);
    expect(proximity(onset, min(6))).toBeLessThan(0.3);
    expect(proximity(onset, min(1))).toBe(1);
  });

  it('Time is asymmetric: timing alone never outranks a mechanism; a change linked only by its timing gives way to a decisive suspect', () => {
    const ranked = rank(
      bundle({
        signatures: [
          sig('upstream checkout-live.adyen.com connect timeout after 3000ms', 80, {
            peers: [{ value: 'checkout-live.adyen.com', count: 80 }],
          }),
        ],
        changes: [commit('6'.repeat(40), min(-1), 'Translate validation messages', ['src/i18n/de.ts'])],
      }),
    );
    const deploy = ranked.find((s) => s.ref === '6'.repeat(40));
    expect(ranked[0]!.decisive).toBe(true);
    expect(deploy?.reasons.join(' ')).toMatch(/only its timing links it/);
  });

  it('Time is asymmetric: a latent cause with a hard link outranks a change that only lines up in time', () => {
    const leak = 'f'.repeat(40);
    const ranked = rank(
      bundle({
        signatures: [sig('java.lang.OutOfMemoryError: Java heap space')],
        changes: [
          commit(leak, min(-80), 'Buffer audit events in memory before flush', [
            'src/audit/AuditBuffer.java',
          ]),
          commit('1'.repeat(40), min(-3), 'Rename metrics helper', ['src/metrics/Helper.java']),
        ],
      }),
    );
    expect(ranked[0]!.ref).toBe(leak);
  });

  it('Causes that are not changes compete: a third-party host in the errors beats an unrelated deploy', () => {
    const ranked = rank(
      bundle({
        signatures: [
          sig('upstream checkout-live.adyen.com connect timeout after 3000ms', 80, {
            peers: [{ value: 'checkout-live.adyen.com', count: 80 }],
          }),
        ],
        changes: [commit('2'.repeat(40), min(-5), 'Translate validation messages', ['src/i18n/de.ts'])],
      }),
    );
    expect(ranked[0]).toMatchObject({ kind: 'dependency', ref: 'checkout-live.adyen.com' });
  });

  it('Causes that are not changes compete: one host failing only on calls a network change broke points at the change', () => {
    const ranked = rank(
      bundle({
        signatures: [
          sig('connection to server at "ledger-db" timed out', 80, {
            hosts: ['h1'],
            hostCounts: [{ value: 'h1', count: 80 }],
            peers: [{ value: 'ledger-db', count: 80 }],
          }),
        ],
        changes: [
          change({
            kind: 'config_change',
            origin: 'event',
            ref: 'ledger-db-clients',
            title: 'Terraform run applied: security group ledger-db-clients',
            text: 'aws_security_group_rule.ledger_db_from_private_a will be destroyed',
            tags: ['component:ledger-db-clients'],
            time: min(-3),
          }),
        ],
      }),
    );
    expect(ranked[0]).toMatchObject({ kind: 'config_change', ref: 'ledger-db-clients' });
    const host = ranked.find((s) => s.kind === 'infrastructure' && s.ref === 'h1');
    expect(host?.reasons.join(' ')).toMatch(/calls a change explains/);
  });

  /** The alert metric split by zone: all of the rise on us-east-1c, us-east-1a still serving. */
  const zoneSplit = {
    tag: 'availability-zone' as const,
    groups: [
      { value: 'us-east-1c', rise: 90, baseline: 2, peak: 92, lastAt: min(15) },
      { value: 'us-east-1a', rise: 1, baseline: 2, peak: 3, lastAt: min(15) },
    ],
    evidence: 'ev_5',
  };
  const subnetRuleRemoved = change({
    kind: 'config_change',
    origin: 'event',
    ref: 'orders-db-clients',
    title: 'Terraform run applied in workspace prod-data',
    text: '- cidr_blocks = ["10.4.32.0/20"] # private-us-east-1c\n- from_port = 5432',
    tags: ['component:orders-db-clients'],
    time: min(-4),
  });

  it('Causes that are not changes compete: one zone carrying the rise defers to a change that names the zone', () => {
    const ranked = rank(
      bundle({
        signatures: [sig('connection attempt to db.internal:5432 timed out after 10000ms', 80)],
        splits: [zoneSplit],
        changes: [subnetRuleRemoved],
      }),
    );
    expect(ranked[0]).toMatchObject({ kind: 'config_change', ref: 'orders-db-clients' });
    expect(ranked[0]!.reasons.join(' ')).toMatch(/names zone us-east-1c/);
    const zone = ranked.find((s) => s.ref === 'us-east-1c');
    expect(zone?.reasons.join(' ')).toMatch(/a change explains why it fails there/);
  });

  it('Causes that are not changes compete: a zone the platform reported keeps its rank over a change naming it', () => {
    const ranked = rank(
      bundle({
        signatures: [sig('connection attempt to db.internal:5432 timed out after 10000ms', 80)],
        splits: [zoneSplit],
        changes: [subnetRuleRemoved],
        observations: [
          {
            kind: 'cloud_health',
            title: 'AWS Health: [Investigating] Network connectivity in US-EAST-1',
            text: 'Packet loss in one zone',
            tags: ['availability-zone:us-east-1c'],
            time: min(-2),
            evidence: 'ev_6',
          },
        ],
      }),
    );
    expect(ranked[0]).toMatchObject({ kind: 'infrastructure', ref: 'us-east-1c' });
  });

  it("Matching means something: a database named after the service (ledger-postgres) does not make the service's rollouts its retry amplifier", () => {
    const inLedger = <T extends ChangeCandidate>(c: T): T => ({ ...c, service: 'ledger', repo: 'o/ledger' });
    const ranked = rankSuspects(
      bundle({
        signatures: [
          sig('database connection attempt to ledger-postgres.internal:5432 timed out; retrying', 120, {
            services: ['ledger'],
            peers: [{ value: 'ledger-postgres.internal', count: 120 }],
          }),
        ],
        changes: [
          inLedger(deploy('31', 'd'.repeat(40), min(-6))),
          inLedger(commit('d'.repeat(40), min(-40), 'Extract retry helper', ['src/clients/retry.ts'])),
          change({
            kind: 'config_change',
            origin: 'event',
            ref: 'ledger-postgres-clients',
            title: 'Terraform run applied in workspace prod-data',
            text: 'aws_security_group_rule.ledger_postgres_from_ledger_nodes will be destroyed',
            tags: ['component:ledger-postgres-clients'],
            time: min(-3),
          }),
        ],
      }),
      { onset, service: 'ledger', env: 'prod', catalog },
    );
    expect(ranked.flatMap((s) => s.reasons).join(' ')).not.toMatch(/amplify/);
    expect(ranked[0]).toMatchObject({ kind: 'config_change', ref: 'ledger-postgres-clients' });
  });

  /** The api's traces: its new span errors, all on calls to ledger.internal. */
  const tracesToLedger = {
    service: 'api',
    peers: [
      {
        value: 'ledger.internal',
        service: 'api',
        count: 400,
        errors: 40,
        newErrors: 40,
        baselineCount: 400,
        baselineErrors: 0,
        p95Ms: 120,
        baselineP95Ms: 110,
      },
    ],
    versions: [],
    hosts: [],
    from: min(-30),
    to: min(15),
    evidence: 'ev_9',
  };
  const loadBalancerChange = change({
    kind: 'config_change',
    origin: 'event',
    ref: 'ledger-internal-alb',
    title: 'Terraform run applied in workspace prod-network',
    text: 'aws_lb.ledger_internal: idle_timeout = 60 -> 1800',
    tags: ['component:ledger-internal-alb', 'service:ledger'],
    service: 'ledger',
    time: min(-1),
  });

  it('Causes that are not changes compete: a 502 naming no peer is a call to the peer the traces name, and a change on the path to it explains it', () => {
    const ranked = rank(
      bundle({
        signatures: [sig('request failed GET /v1/items 502 Bad Gateway', 60)],
        spans: [tracesToLedger],
        changes: [
          loadBalancerChange,
          commit('3'.repeat(40), min(-10), 'Tidy request logging', ['src/observability/logging.ts']),
        ],
      }),
    );
    expect(ranked[0]).toMatchObject({ kind: 'config_change', ref: 'ledger-internal-alb' });
    expect(ranked[0]!.reasons.join(' ')).toMatch(/on the path to it/);
  });

  it('Causes that are not changes compete: a 503 naming no peer is a call to the peer whose client errors rose, and a proxy change for it explains it', () => {
    const clientErrors = (peer: string, before: number, after: number) => ({
      peer,
      evidence: 'ev_12',
      series: {
        ...shifted('http.client.errors', `service:api,peer.hostname:${peer}`, before, after, 0).series,
      },
    });
    const ranked = rank(
      bundle({
        signatures: [
          sig(
            'HttpRequestException: Response status code does not indicate success: 503 (Service Unavailable).',
            60,
          ),
        ],
        peerCalls: [clientErrors('ledger.internal', 0, 40), clientErrors('login.auth0.com', 1, 1)],
        changes: [
          change({
            kind: 'config_change',
            origin: 'event',
            ref: 'internal-haproxy',
            title: 'HAProxy runtime change on internal-haproxy: backend be_ledger',
            text: 'set weight be_ledger/green 25; set weight be_ledger/blue 75',
            tags: ['component:internal-haproxy'],
            time: min(-2),
          }),
          commit('7'.repeat(40), min(-8), 'Tidy OpenAPI descriptions', ['docs/openapi.yaml']),
        ],
      }),
    );
    expect(ranked[0]).toMatchObject({ kind: 'config_change', ref: 'internal-haproxy' });
    expect(ranked[0]!.reasons.join(' ')).toMatch(/ledger.* is failing and this change is on the path to it/);
  });

  it('Causes that are not changes compete: a proxy change that names the failing backend its own way (be_ledger) explains it', () => {
    const ranked = rank(
      bundle({
        signatures: [
          sig('call ledger.internal: unexpected status 429 Too Many Requests', 80, {
            peers: [{ value: 'ledger.internal', count: 80 }],
          }),
        ],
        changes: [
          change({
            kind: 'config_change',
            origin: 'event',
            ref: 'internal-haproxy',
            title: 'HAProxy configuration committed on internal-haproxy',
            text: 'backend be_ledger http-request deny deny_status 429 if { sc_http_req_rate(0) gt 300 } (was gt 1500)',
            tags: ['component:internal-haproxy', 'backend:be_ledger'],
            time: min(-1),
          }),
        ],
      }),
    );
    expect(ranked[0]).toMatchObject({ kind: 'config_change', ref: 'internal-haproxy' });
    expect(ranked[0]!.reasons.join(' ')).toMatch(
      /ledger.internal is failing and this change is on the path to it/,
    );
  });

  it('Causes that are not changes compete: a peer only the traces name is no suspect of its own', () => {
    // The api's own client timeout, lowered by its deploy, fails the calls: the peer is healthy.
    const ranked = rank(
      bundle({
        signatures: [sig('request failed: deadline exceeded after 200ms', 60)],
        spans: [tracesToLedger],
        changes: [commit('4'.repeat(40), min(-4), 'Lower client deadline', ['config/client.yaml'])],
      }),
    );
    expect(ranked.some((s) => s.kind === 'dependency')).toBe(false);
    expect(ranked[0]).toMatchObject({ kind: 'commit', ref: '4'.repeat(40) });
  });

  it('Causes that are not changes compete: a Java package in a stack (javax.net.ssl) is not a host', () => {
    const ranked = rank(
      bundle({
        signatures: [
          sig(
            'javax.net.ssl.SSLHandshakeException: PKIX path validation failed: certificate expired calling ledger.internal',
            80,
          ),
        ],
      }),
    );
    expect(ranked.map((s) => s.ref)).not.toContain('javax.net');
    expect(ranked.some((s) => s.ref.startsWith('ledger'))).toBe(true);
  });

  /** A series whose level shifted up at `at` minutes from `before` to `after`. */
  const shifted = (metric: string, scope: string, before: number, after: number, at = 0) => ({
    query: `max:${metric}{${scope}}`,
    evidence: `ev_${metric}`,
    series: {
      scope,
      metric,
      points: [] as [number, number][],
      baseline: before,
      peak: after,
      last: after,
      onset: {
        time: new Date(min(at)).toISOString(),
        kind: 'shift' as const,
        before,
        after,
        direction: 'up' as const,
        magnitude: 10,
      },
    },
  });

  it("Causes that are not changes compete: demand up by a third while the alert's queue backs up is capacity, named by the queue", () => {
    const ranked = rank(
      bundle({
        alertSeries: [
          shifted(
            'aws.sqs.approximate_number_of_messages_visible',
            'env:prod,queuename:api-jobs',
            40,
            26_000,
          ),
        ],
        otherSeries: [shifted('trace.http.request.hits', 'service:api', 1_000, 1_350, 1)],
        changes: [commit('5'.repeat(40), min(-20), 'Replace CSV writer', ['src/export/csv.ts'])],
      }),
    );
    expect(ranked[0]).toMatchObject({ kind: 'capacity', ref: 'api-jobs' });
  });

  it('Causes that are not changes compete: demand up by a third with nothing saturating is no surge', () => {
    const ranked = rank(
      bundle({ otherSeries: [shifted('trace.http.request.hits', 'service:api', 1_000, 1_350, 1)] }),
    );
    expect(ranked.some((s) => s.kind === 'capacity')).toBe(false);
  });

  /** A deploy event of api 1.2.0 six minutes before the onset, and the api's traces by version. */
  const rollout120 = change({
    kind: 'deployment',
    origin: 'event',
    ref: 'deploy-88',
    title: 'Deployed api 1.2.0',
    service: 'api',
    time: min(-6),
    deployment: { id: '88', version: '1.2.0', env: 'prod', phase: 'start' },
  });
  const byVersion = (oldLastSeen: number) => ({
    service: 'api',
    peers: [],
    hosts: [],
    versions: [
      {
        value: '1.2.0',
        service: 'api',
        count: 200,
        errors: 60,
        newErrors: 60,
        baselineCount: 0,
        baselineErrors: 0,
        p95Ms: 90,
        baselineP95Ms: 0,
      },
      {
        value: '1.1.0',
        service: 'api',
        count: 800,
        errors: 0,
        newErrors: 0,
        baselineCount: 700,
        baselineErrors: 0,
        p95Ms: 80,
        baselineP95Ms: 80,
        lastSeen: new Date(oldLastSeen).toISOString(),
      },
    ],
    from: min(-40),
    to: min(20),
    evidence: 'ev_7',
  });
  const onNewVersion = sig('TypeError: cannot read properties of undefined', 60, {
    versions: [{ value: '1.2.0', count: 60 }],
  });
  const partialReason = (ranked: ReturnType<typeof rank>) =>
    ranked.find((s) => s.ref === 'deploy-88' || s.ref === '88')?.reasons.join(' ') ?? '';

  it('Decisive evidence is kept: new errors on the version a partial rollout shipped point at it', () => {
    const ranked = rank(
      bundle({ signatures: [onNewVersion], spans: [byVersion(min(18))], changes: [rollout120] }),
    );
    expect(partialReason(ranked)).toMatch(/a partial rollout/);
  });

  it('Decisive evidence is kept: a rolling deploy that replaced every old host before the first error is no partial rollout', () => {
    const ranked = rank(
      bundle({ signatures: [onNewVersion], spans: [byVersion(min(-2))], changes: [rollout120] }),
    );
    expect(partialReason(ranked)).not.toMatch(/a partial rollout/);
  });

  it('Refs follow the contract: a config event names the component it changed', () => {
    const ranked = rank(
      bundle({
        signatures: [sig('429 Too Many Requests: per_tenant_rpm exceeded')],
        changes: [
          change({
            kind: 'config_change',
            origin: 'event',
            ref: 'Consul KV config/api/ratelimit/per_tenant_rpm updated',
            title: 'Consul KV config/api/ratelimit/per_tenant_rpm updated',
            text: 'set config/api/ratelimit/per_tenant_rpm = 60 (was 600)',
            tags: ['consul_key:config/api/ratelimit/per_tenant_rpm', 'service:api'],
            service: 'api',
            time: min(-2),
          }),
        ],
      }),
    );
    expect(ranked[0]).toMatchObject({ kind: 'config_change', ref: 'config/api/ratelimit/per_tenant_rpm' });
  });

  it('Confidence is calibrated: high needs a decisive suspect, nothing stands out means none', () => {
    expect(confidenceOf([])).toBe('none');
    const base = { kind: 'commit' as const, ref: 'x', title: 'x', evidence: [], reasons: [], overlap: 0 };
    expect(confidenceOf([{ ...base, score: 0.2 }])).toBe('none');
    expect(confidenceOf([{ ...base, score: 0.95 }])).not.toBe('high');
    expect(confidenceOf([{ ...base, score: 0.95, overlap: 0.9, decisive: true }])).toBe('high');
  });

  it('Confidence is calibrated: a dependency blip that recovered by itself is at most low', () => {
    const blip = {
      kind: 'dependency' as const,
      ref: 'ledger',
      title: 'Dependency ledger failing',
      evidence: [],
      reasons: [],
      score: 0.85,
      overlap: 0.8,
      decisive: true,
      corroborated: true,
    };
    expect(confidenceOf([blip])).not.toBe('low');
    expect(confidenceOf([blip], { recovered: true })).toBe('low');
  });
});
