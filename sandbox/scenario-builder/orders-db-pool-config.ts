import { type BundledWorld, doc, monitor, repo, sha, telemetry } from './kit';
import { at, ip, rng, uuid } from './lib';

/** A config change (DB pool max 50 -> 10) shipped by a deployment starves orders of connections. */
export function build(): BundledWorld {
  const r = rng(7701);
  const now = '2026-05-06T09:40:00Z';
  const onset = 336; // 09:16
  const after = (m: number) => m >= onset;
  const poolSha = sha(r, '9e3c5a1');
  const exportSha = sha(r, '41b7d20');
  const invSha = sha(r, 'c0ffee4');
  const t = telemetry(
    r,
    now,
    [
      {
        name: 'orders',
        rpm: 900,
        errors: 2,
        p95Ms: 180,
        cpuPct: 35,
        effect: (m) => (after(m) ? { errors: 25, latency: 6 } : {}),
      },
      { name: 'inventory', rpm: 600, errors: 1, p95Ms: 70, cpuPct: 22 },
      {
        name: 'orders-db',
        rpm: 3000,
        errors: 0.2,
        p95Ms: 8,
        cpuPct: 30,
        effect: (m) => (after(m) ? { rps: 0.5, cpu: 0.7 } : {}),
      },
    ],
    [
      {
        service: 'orders',
        status: 'error',
        perMinute: 3,
        from: onset,
        message: (x) =>
          `TimeoutError: timeout acquiring connection from pool after 5000ms (pool max=10, waiting=${Math.floor(x() * 40) + 10}) order_id=${uuid(x)}`,
      },
      {
        service: 'orders',
        status: 'error',
        perMinute: 0.7,
        from: onset,
        message: (x) =>
          `POST /v1/orders 503 duration_ms=${5000 + Math.floor(x() * 40)} request_id=${uuid(x)}`,
      },
      {
        service: 'orders',
        status: 'warn',
        perMinute: 0.5,
        message: (x) =>
          `payment webhook retry scheduled for order ${uuid(x)} in ${Math.floor(x() * 60) + 5}s`,
      },
      {
        service: 'inventory',
        status: 'error',
        perMinute: 0.3,
        message: (x) => `reservation conflict for sku ${Math.floor(x() * 90000) + 10000} from ${ip(x)}`,
      },
    ],
    [
      {
        service: 'orders',
        resource: 'POST /v1/orders',
        perMinute: 1.2,
        durationMs: 150,
        slow: (m) => (after(m) ? 25 : 1),
        error: (m) =>
          after(m)
            ? {
                p: 0.4,
                type: 'TimeoutError',
                message: () => 'timeout acquiring connection from pool after 5000ms',
              }
            : undefined,
      },
      {
        service: 'orders',
        resource: 'GET /v1/orders/:id',
        perMinute: 1.5,
        durationMs: 40,
        slow: (m) => (after(m) ? 10 : 1),
      },
      { service: 'inventory', resource: 'POST /reserve', perMinute: 0.8, durationMs: 50 },
    ],
  );
  return {
    id: 'orders-db-pool-config',
    files: {
      'scenario.json': {
        id: 'orders-db-pool-config',
        title: 'Orders 503s after a connection pool config change',
        now,
        alert: {
          datadogWebhook: {
            id: '7702123456789',
            title: '[Triggered on {service:orders,env:prod}] [P1] Orders API p95 latency above 2s',
            alert_transition: 'Triggered',
            alert_id: '52210',
            alert_priority: 'P1',
            alert_query:
              'avg(last_5m):avg:trace.http.request.duration.by.service.95p{service:orders,env:prod} > 2000',
            alert_scope: 'env:prod,service:orders',
            date: String(Date.parse(at(now, -20))),
            body: 'Orders API p95 latency is 5.1s. @pagerduty-orders',
            tags: 'service:orders,env:prod,team:commerce',
            link: 'https://app.datadoghq.com/monitors/52210',
            org: { id: '1', name: 'Acme' },
          },
        },
        catalog: {
          services: {
            orders: { repos: ['acme/orders'], team: 'commerce', dependsOn: ['orders-db', 'inventory'] },
            inventory: { repos: ['acme/inventory'], team: 'fulfilment' },
            'orders-db': { repos: [], team: 'data-platform' },
          },
        },
      },
      'datadog/monitors.json': [
        monitor(
          52210,
          'Orders API p95 latency above 2s',
          'avg(last_5m):avg:trace.http.request.duration.by.service.95p{service:orders,env:prod} > 2000',
          'orders',
          'Alert',
          1,
        ),
        monitor(
          52211,
          'Orders error count',
          'sum(last_5m):sum:trace.http.request.errors{service:orders,env:prod}.as_count() > 50',
          'orders',
          'Alert',
          2,
        ),
      ],
      ...t,
      'datadog/events.json': [
        {
          timestamp: at(now, -95),
          title: 'Deployed orders 41b7d20 to prod',
          text: 'Deployment 3290: CSV export endpoint',
          tags: ['service:orders', 'env:prod', 'deployment'],
          source: 'github',
        },
        {
          timestamp: at(now, -30),
          title: 'Deployed orders 9e3c5a1 to prod',
          text: 'Deployment 3301: config change',
          tags: ['service:orders', 'env:prod', 'deployment'],
          source: 'github',
        },
        {
          timestamp: at(now, -22),
          title: 'Deployed inventory c0ffee4 to prod',
          text: 'Deployment 3302',
          tags: ['service:inventory', 'env:prod', 'deployment'],
          source: 'github',
        },
        {
          timestamp: at(now, -200),
          title: 'orders-db minor version upgrade completed',
          text: 'RDS maintenance window',
          tags: ['service:orders-db', 'env:prod'],
          source: 'aws',
        },
      ],
      'github/acme/orders.json': repo(now, [
        {
          sha: exportSha,
          message: 'Add CSV export endpoint for finance',
          author: 'noor',
          minutes: -110,
          files: [
            ['src/export/csv.ts', 120, 0],
            ['src/routes.ts', 4, 0],
          ],
          pr: {
            number: 75,
            title: 'CSV export for finance',
            body: 'New GET /v1/orders/export.csv endpoint.',
          },
          deploy: { id: 3290, minutes: -95 },
        },
        {
          sha: poolSha,
          message: 'Lower database connection pool size to cut idle connections',
          author: 'kai',
          minutes: -40,
          files: [['config/production.yaml', 1, 1]],
          pr: {
            number: 77,
            title: 'Reduce DB connection pool max from 50 to 10',
            body: 'The DB team asked us to cut idle connections. Pool max 50 -> 10 in production config.',
            labels: ['config'],
          },
          deploy: { id: 3301, minutes: -30 },
        },
      ]),
      'github/acme/inventory.json': repo(now, [
        {
          sha: invSha,
          message: 'Tune reservation retry jitter',
          author: 'omar',
          minutes: -28,
          files: [['src/reserve/retry.go', 6, 3]],
          deploy: { id: 3302, minutes: -22 },
        },
      ]),
      'rootly/incidents.json': [
        {
          id: 'a0c1e2f3-1111-4a2b-8c3d-000000000077',
          title: 'Orders timeouts from connection pool exhaustion',
          summary: 'Order creation timed out waiting for database connections during a sale.',
          severity: 'sev2',
          services: ['orders'],
          startedAt: '2025-11-28T18:00:00Z',
          resolvedAt: '2025-11-28T18:40:00Z',
          cause: 'Connection pool too small for peak traffic; requests queued for a connection.',
          mitigation: 'Raised pool max and added a pool-wait alert.',
          url: 'https://acme.rootly.com/incidents/a0c1e2f3',
        },
        {
          id: 'b1d2e3f4-2222-4b3c-9d4e-000000000078',
          title: 'Inventory reservations double-booked',
          summary: 'Race in reservation code.',
          severity: 'sev3',
          services: ['inventory'],
          startedAt: '2025-10-02T10:00:00Z',
          resolvedAt: '2025-10-02T12:00:00Z',
          cause: 'Missing row lock.',
          mitigation: 'Hotfix.',
          url: 'https://acme.rootly.com/incidents/b1d2e3f4',
        },
      ],
      'flags.json': [
        {
          key: 'orders-new-receipt-email',
          service: 'orders',
          changedAt: at(now, -180),
          from: false,
          to: true,
          actor: 'noor',
        },
      ],
      'docs/runbooks/orders-latency.md': doc(
        'Orders API latency runbook',
        'https://wiki.acme.dev/runbooks/orders-latency',
        'runbook',
        `## When orders is slow\nCheck database connection pool saturation first: pool wait time and "timeout acquiring connection" errors mean requests queue for a database connection.\n\n## Mitigation\nRaise the pool size in config/production.yaml or roll back the last config change. Check orders-db CPU.`,
      ),
      'docs/runbooks/orders-db.md': doc(
        'orders-db operations',
        'https://wiki.acme.dev/runbooks/orders-db',
        'runbook',
        `## Maintenance\nMinor version upgrades happen in the weekly window and need no action.\n\n## Connections\nThe database allows 500 connections in total.`,
      ),
      'docs/confluence/commerce-oncall.md': doc(
        'Commerce on-call guide',
        'https://acme.atlassian.net/wiki/spaces/COM/pages/77',
        'confluence',
        `## Escalation\nPage commerce on-call, then data-platform for database issues.`,
      ),
      'slack/incidents.json': [
        {
          ts: '1764352800.000100',
          user: 'U0KAI',
          text: 'During the sale orders queued for DB connections; pool was too small. Bumped it.',
        },
      ],
      'truth.json': {
        kind: 'config_change',
        accept: [poolSha, 'acme/orders#77', '3301'],
        keywords: ['pool'],
        runbook: 'runbooks/orders-latency.md',
        similarIncident: 'a0c1e2f3-1111-4a2b-8c3d-000000000077',
      },
    },
  };
}
