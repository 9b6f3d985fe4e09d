import { type BundledWorld, doc, repo, sha, telemetry } from './kit';
import { at, ip, rng, uuid } from './lib';

/**
 * THE DEMO: a refactor of promo-code handling in checkout reads `order.promo.code` when an order
 * has no promo. Deployed at 13:55, errors from 14:00. Distractors: a frontend deploy right at
 * onset, a docs commit, an old dependency bump, a failed inventory deploy, steady card-declined
 * errors and Redis reconnect noise from before the incident.
 */
export function build(): BundledWorld {
  const r = rng(20260312);
  const now = '2026-03-12T14:30:00Z';
  const onset = 330; // 14:00
  const badSha = sha(r, '7c1e9a4');
  const docsSha = sha(r, 'b41d0e2');
  const bumpSha = sha(r, '2f9c3d1');
  const feSha = sha(r, 'e08a77c');
  const invSha = sha(r, '5a0b6f3');
  const after = (m: number) => m >= onset;

  const typeError = (r2: () => number) =>
    `TypeError: Cannot read properties of undefined (reading 'code') at applyDiscount (src/payments/applyDiscount.ts:42:31) at computeTotals (src/cart/totals.ts:88:12) order_id=${uuid(r2)}`;
  const t = telemetry(
    r,
    now,
    [
      {
        name: 'checkout',
        rpm: 1200,
        errors: 4,
        p95Ms: 240,
        cpuPct: 38,
        effect: (m) => (after(m) ? { errors: 18 + (m - onset) * 0.4, latency: 1.15 } : {}),
      },
      {
        name: 'web-frontend',
        rpm: 5200,
        errors: 6,
        p95Ms: 120,
        cpuPct: 30,
        effect: (m) => (after(m) ? { errors: 2.2 } : {}),
      },
      { name: 'inventory', rpm: 800, errors: 2, p95Ms: 90, cpuPct: 25 },
      { name: 'payments', rpm: 700, errors: 1, p95Ms: 310, cpuPct: 41 },
    ],
    [
      {
        service: 'checkout',
        status: 'error',
        perMinute: 0.6,
        message: (x) => `card declined for order ${uuid(x)}: insufficient_funds (processor=stripe)`,
      },
      {
        service: 'checkout',
        status: 'warn',
        perMinute: 0.4,
        message: (x) =>
          `redis connection reset, reconnecting to ${ip(x)}:6379 in ${Math.floor(x() * 400) + 100}ms`,
      },
      {
        service: 'inventory',
        status: 'warn',
        perMinute: 0.5,
        message: (x) =>
          `stock sync slow for warehouse wh-${Math.floor(x() * 9) + 1}: ${Math.floor(x() * 4000) + 2000}ms`,
      },
      { service: 'checkout', status: 'error', perMinute: 2.5, from: onset, message: typeError },
      {
        service: 'checkout',
        status: 'error',
        perMinute: 0.8,
        from: onset,
        message: (x) =>
          `POST /api/checkout 500 duration_ms=${Math.floor(x() * 60) + 15} request_id=${uuid(x)}`,
      },
      {
        service: 'web-frontend',
        status: 'error',
        perMinute: 0.8,
        from: onset,
        message: (x) => `checkout request failed: upstream checkout returned 500 request_id=${uuid(x)}`,
      },
    ],
    [
      {
        service: 'checkout',
        resource: 'POST /api/checkout',
        perMinute: 1.2,
        durationMs: 180,
        error: (m) =>
          after(m)
            ? {
                p: 0.55,
                type: 'TypeError',
                message: () => "Cannot read properties of undefined (reading 'code')",
              }
            : { p: 0.02, type: 'CardDeclinedError', message: () => 'card declined: insufficient_funds' },
      },
      { service: 'checkout', resource: 'GET /api/cart', perMinute: 1.5, durationMs: 60 },
      { service: 'payments', resource: 'POST /v1/charges', perMinute: 0.8, durationMs: 280 },
      { service: 'inventory', resource: 'GET /stock/:sku', perMinute: 0.8, durationMs: 40 },
    ],
  );

  const diffBad = `@@ -38,9 +38,9 @@ export function applyDiscount(order: Order, totals: Totals): Totals {\n-  if (!order.promo) return totals;\n-  const rule = rules.get(order.promo.code);\n+  // Discounts now apply before tax, for every order.\n+  const rule = rules.get(order.promo.code.toUpperCase());\n   if (!rule) return totals;`;
  return {
    id: 'checkout-bad-commit',
    files: {
      'scenario.json': {
        id: 'checkout-bad-commit',
        title: 'Checkout 5xx after a promo-code refactor',
        now,
        alert: {
          slackMessage: {
            type: 'message',
            subtype: 'bot_message',
            bot_id: 'B0DATADOG1',
            bot_profile: { id: 'B0DATADOG1', app_id: 'A0DATADOG1', name: 'Datadog' },
            username: 'Datadog',
            channel: 'C0INCIDENT',
            ts: '1773324300.000200',
            text: '',
            attachments: [
              {
                color: '#e0373c',
                title: '[Triggered] [P2] Checkout error rate is high on service:checkout',
                title_link:
                  'https://app.datadoghq.com/monitors/41235?from_ts=1773323400000&to_ts=1773324300000',
                text: 'Errors on POST /api/checkout crossed 100 in 5 minutes.\nsum(last_5m):sum:trace.http.request.errors{service:checkout,env:prod}.as_count() > 100\n@slack-incidents @pagerduty-checkout',
                fields: [
                  { title: 'service', value: 'checkout', short: true },
                  { title: 'env', value: 'prod', short: true },
                ],
                footer: 'Tags: service:checkout, env:prod, team:payments-core',
                ts: 1773324300,
              },
            ],
          },
        },
        catalog: {
          services: {
            checkout: {
              repos: ['acme/checkout'],
              team: 'payments-core',
              dependsOn: ['payments', 'inventory'],
            },
            'web-frontend': { repos: ['acme/web-frontend'], team: 'web', dependsOn: ['checkout'] },
            inventory: { repos: ['acme/inventory'], team: 'fulfilment' },
            payments: { repos: ['acme/payments'], team: 'payments-core' },
          },
        },
        slackChannels: {
          incidents: { id: 'C0INCIDENT', private: false },
          'payments-oncall': { id: 'G0PAYONCALL', private: true },
        },
      },
      'datadog/monitors.json': [
        {
          id: 41235,
          name: 'Checkout error rate is high on {{service.name}}',
          type: 'query alert',
          query: 'sum(last_5m):sum:trace.http.request.errors{service:checkout,env:prod}.as_count() > 100',
          message:
            'Errors on POST /api/checkout. Runbook: https://wiki.acme.dev/runbooks/checkout-errors @slack-incidents',
          tags: ['service:checkout', 'env:prod', 'team:payments-core'],
          overall_state: 'Alert',
          priority: 2,
          options: { thresholds: { critical: 100, warning: 60 } },
        },
        {
          id: 41236,
          name: 'Checkout p95 latency',
          type: 'query alert',
          query:
            'avg(last_10m):avg:trace.http.request.duration.by.service.95p{service:checkout,env:prod} > 800',
          message: 'Latency',
          tags: ['service:checkout', 'env:prod'],
          overall_state: 'OK',
          priority: 3,
        },
        {
          id: 39001,
          name: 'Inventory stock sync lag',
          type: 'query alert',
          query: 'avg(last_15m):avg:system.cpu.user{service:inventory} > 90',
          message: 'Sync lag',
          tags: ['service:inventory', 'env:prod'],
          overall_state: 'OK',
          priority: 4,
        },
      ],
      ...t,
      'datadog/events.json': [
        {
          timestamp: at(now, -105),
          title: 'Deployed checkout 2f9c3d1 to prod',
          text: 'Deployment 9087 by deploy-bot: bump pino to 10.1',
          tags: ['service:checkout', 'env:prod', 'deployment'],
          source: 'github',
        },
        {
          timestamp: at(now, -70),
          title: 'Autoscaling group web-frontend-asg resized 6 -> 8',
          tags: ['service:web-frontend', 'env:prod'],
          source: 'aws',
        },
        {
          timestamp: at(now, -60),
          title: 'Deployment of inventory 5a0b6f3 failed',
          text: 'Deployment 9095: health checks failed, rolled back automatically',
          tags: ['service:inventory', 'env:prod', 'deployment'],
          source: 'github',
        },
        {
          timestamp: at(now, -35),
          title: 'Deployed checkout 7c1e9a4 to prod',
          text: 'Deployment 9101 by dana: Apply promo discounts before tax (#482)',
          tags: ['service:checkout', 'env:prod', 'deployment'],
          source: 'github',
        },
        {
          timestamp: at(now, -29),
          title: 'Deployed web-frontend e08a77c to prod',
          text: 'Deployment 9102 by li: Tweak checkout button colour (#1290)',
          tags: ['service:web-frontend', 'env:prod', 'deployment'],
          source: 'github',
        },
      ],
      'github/acme/checkout.json': repo(now, [
        {
          sha: bumpSha,
          message: 'chore(deps): bump pino from 10.0.2 to 10.1.0',
          author: 'dependabot',
          minutes: -120,
          files: [
            ['package.json', 1, 1],
            ['package-lock.json', 12, 12],
          ],
          pr: {
            number: 478,
            title: 'chore(deps): bump pino from 10.0.2 to 10.1.0',
            body: 'Bumps pino.',
            labels: ['dependencies'],
            mergedMinutes: 1,
          },
          deploy: { id: 9087, minutes: -105, creator: 'deploy-bot' },
        },
        {
          sha: badSha,
          message:
            'Apply promo discounts before tax in cart totals\n\nMoves discount application ahead of tax calculation and normalises promo codes.',
          author: 'dana',
          minutes: -44,
          files: [
            ['src/payments/applyDiscount.ts', 6, 4, diffBad],
            ['src/cart/totals.ts', 3, 3],
            ['test/payments/applyDiscount.test.ts', 22, 0],
          ],
          pr: {
            number: 482,
            title: 'Apply promo discounts before tax',
            body: 'Finance asked for discounts to be applied before tax. This moves applyDiscount ahead of tax and upper-cases promo codes so lookups are case-insensitive.\n\nTested with promo orders.',
            labels: ['payments'],
            mergedMinutes: 4,
          },
          deploy: { id: 9101, minutes: -35 },
        },
        {
          sha: docsSha,
          message: 'docs: describe the promo code rules in README',
          author: 'sam',
          minutes: -31,
          files: [['README.md', 14, 2]],
          pr: {
            number: 483,
            title: 'docs: promo code rules',
            body: 'README only.',
            labels: ['docs'],
            mergedMinutes: 0,
          },
        },
      ]),
      'github/acme/web-frontend.json': repo(now, [
        {
          sha: feSha,
          message: 'Tweak checkout button colour for contrast',
          author: 'li',
          minutes: -38,
          files: [['src/components/CheckoutButton.css', 3, 3]],
          pr: {
            number: 1290,
            title: 'Tweak checkout button colour',
            body: 'Accessibility: contrast ratio 4.5:1.',
            labels: ['a11y'],
          },
          deploy: { id: 9102, minutes: -29 },
        },
      ]),
      'github/acme/inventory.json': repo(now, [
        {
          sha: invSha,
          message: 'Batch stock sync writes',
          author: 'omar',
          minutes: -75,
          files: [['src/sync/batch.go', 40, 12]],
          deploy: { id: 9095, minutes: -60, status: 'failure' },
        },
      ]),
      'github/acme/payments.json': repo(now, []),
      'rootly/incidents.json': [
        {
          id: '3f6d2a1c-7b0e-4c8f-9a11-5e2d7c0b9f31',
          title: 'Checkout 500s for orders without a promo code',
          summary:
            'Checkout returned 500 for most orders after a discount refactor; orders without promo codes hit an undefined access.',
          severity: 'sev2',
          services: ['checkout'],
          startedAt: '2025-11-04T16:12:00Z',
          resolvedAt: '2025-11-04T16:49:00Z',
          cause: 'A refactor of discount code dereferenced order.promo without a null check.',
          mitigation: 'Rolled back the checkout deployment, then fixed the null check.',
          url: 'https://acme.rootly.com/incidents/3f6d2a1c',
        },
        {
          id: '8b1e4f02-2c3d-4e5f-8a9b-0c1d2e3f4a5b',
          title: 'Payments provider latency',
          summary: 'Stripe API latency raised checkout p95 to 4s.',
          severity: 'sev3',
          services: ['payments', 'checkout'],
          startedAt: '2025-09-18T09:02:00Z',
          resolvedAt: '2025-09-18T10:15:00Z',
          cause: 'Upstream provider degradation.',
          mitigation: 'Waited out; enabled retries with jitter.',
          url: 'https://acme.rootly.com/incidents/8b1e4f02',
        },
        {
          id: 'c7d8e9f0-1a2b-4c3d-9e4f-5a6b7c8d9e0f',
          title: 'Inventory stock sync stuck',
          summary: 'Warehouse sync stalled for an hour.',
          severity: 'sev4',
          services: ['inventory'],
          startedAt: '2025-12-01T02:00:00Z',
          resolvedAt: '2025-12-01T03:10:00Z',
          cause: 'Lock contention in batch writer.',
          mitigation: 'Restarted the sync workers.',
          url: 'https://acme.rootly.com/incidents/c7d8e9f0',
        },
      ],
      'flags.json': [
        {
          key: 'new-recommendations-widget',
          service: 'web-frontend',
          changedAt: at(now, -50),
          from: false,
          to: true,
          actor: 'priya',
        },
      ],
      'docs/runbooks/checkout-errors.md': doc(
        'Checkout 5xx errors runbook',
        'https://wiki.acme.dev/runbooks/checkout-errors',
        'runbook',
        `## Symptoms\nThe checkout error monitor fires when POST /api/checkout returns server errors. Customers cannot place orders.\n\n## First checks\n1. Look at the error logs for service:checkout and group them by exception type.\n2. Compare with the last checkout deployment: most checkout 5xx incidents start minutes after a deploy.\n3. Card declines (insufficient_funds) are business errors and are always present; ignore them.\n\n## Mitigation\n- If a deployment lines up with the onset, roll it back with \`deployctl rollback checkout\`.\n- If the payments provider is slow, see the payments runbook.\n\n## Escalation\nPage #payments-core on-call.\n`,
      ),
      'docs/runbooks/rollback.md': doc(
        'How to roll back a service deployment',
        'https://wiki.acme.dev/runbooks/rollback',
        'runbook',
        `Use deployctl to return a service to its previous release.\n\n## Steps\n1. \`deployctl history <service>\` lists releases.\n2. \`deployctl rollback <service>\` redeploys the previous successful release.\n3. Watch the error rate for ten minutes.\n`,
      ),
      'docs/runbooks/redis.md': doc(
        'Redis connection resets',
        'https://wiki.acme.dev/runbooks/redis',
        'runbook',
        `Occasional connection resets to the session Redis cluster are expected during failovers and are retried by the client. Investigate only if resets exceed 50 per minute.\n`,
      ),
      'docs/architecture/payments-flow.md': doc(
        'Payments flow architecture',
        'https://acme.atlassian.net/wiki/spaces/ENG/pages/1201/Payments+flow',
        'confluence',
        `## Overview\nweb-frontend calls checkout, which computes cart totals (discounts, tax), reserves stock in inventory and charges through payments (Stripe).\n\n## Discounts\nPromo codes are optional on an order. Discount rules live in src/payments/applyDiscount.ts.\n`,
      ),
      'docs/notion/oncall-handbook.md': doc(
        'On-call handbook',
        'https://www.notion.so/acme/On-call-handbook-5c1f',
        'notion',
        `## Paging\nAcknowledge pages within five minutes. Open an incident in Rootly for anything customer-facing.\n\n## Communication\nPost updates in #incidents every 30 minutes.\n`,
      ),
      'slack/incidents.json': [
        {
          ts: '1762272720.000100',
          user: 'U0DANA',
          text: 'Checkout 500s again? Last time it was the promo refactor dereferencing order.promo. Rolling back fixed it.',
        },
        {
          ts: '1762272800.000200',
          user: 'U0SAM',
          text: 'Confirmed: rollback of checkout cleared the errors within 3 minutes.',
          threadTs: '1762272720.000100',
        },
        {
          ts: '1773300000.000100',
          user: 'U0OMAR',
          text: 'inventory deploy failed health checks, auto-rolled back, no customer impact',
        },
      ],
      'slack/payments-oncall.json': [
        {
          ts: '1773290000.000100',
          user: 'U0PRIYA',
          text: 'Private: rotating the Stripe restricted key tonight, expect a brief blip in payments.',
        },
      ],
      'truth.json': {
        kind: 'commit',
        accept: [badSha, 'acme/checkout#482', '9101'],
        keywords: ['applyDiscount', 'promo'],
        runbook: 'runbooks/checkout-errors.md',
        similarIncident: '3f6d2a1c-7b0e-4c8f-9a11-5e2d7c0b9f31',
      },
    },
  };
}
