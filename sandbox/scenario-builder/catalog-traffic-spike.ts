import { type BundledWorld, doc, monitor, repo, sha, telemetry } from './kit';
import { at, rng, uuid } from './lib';

/** A campaign triples traffic to catalog-api: CPU saturates and requests queue; no change is to blame. */
export function build(): BundledWorld {
  const r = rng(2718);
  const now = '2026-10-10T19:45:00Z';
  const onset = 330; // 19:15
  const after = (m: number) => m >= onset;
  const old = sha(r, '51c0de1');
  // Distractor changes get their own generator, so adding them left the telemetry unchanged.
  const d = rng(2719);
  const logging = sha(d, 'a11e9b0');
  const docs = sha(d, 'd0c5a11');
  const rounding = sha(d, 'b0a7e55');
  const t = telemetry(
    r,
    now,
    [
      {
        name: 'catalog-api',
        rpm: 3000,
        errors: 2,
        p95Ms: 95,
        cpuPct: 32,
        effect: (m) => (after(m) ? { rps: 3.1, cpu: 2.9, latency: 4, errors: 12 } : {}),
      },
      {
        name: 'pricing',
        rpm: 900,
        errors: 1,
        p95Ms: 60,
        cpuPct: 25,
        effect: (m) => (after(m) ? { rps: 1.3 } : {}),
      },
    ],
    [
      {
        service: 'catalog-api',
        status: 'error',
        perMinute: 2.5,
        from: onset + 3,
        message: (x) =>
          `request queue full (capacity 512), rejecting GET /products/${Math.floor(x() * 99999)} request_id=${uuid(x)}`,
      },
      {
        service: 'catalog-api',
        status: 'warn',
        perMinute: 2,
        from: onset,
        message: (x) =>
          `worker pool saturated: ${Math.floor(x() * 40) + 60} active, ${Math.floor(x() * 300) + 100} waiting`,
      },
      {
        service: 'pricing',
        status: 'error',
        perMinute: 0.3,
        message: (x) => `currency rate cache miss for ${['EUR', 'GBP', 'JPY'][Math.floor(x() * 3)]}`,
      },
    ],
    [
      {
        service: 'catalog-api',
        resource: 'GET /products/:id',
        perMinute: 2,
        durationMs: 80,
        slow: (m) => (after(m) ? 4 : 1),
        error: (m) =>
          after(m) ? { p: 0.08, type: 'QueueFullError', message: () => 'request queue full' } : undefined,
      },
    ],
  );
  return {
    id: 'catalog-traffic-spike',
    files: {
      'scenario.json': {
        id: 'catalog-traffic-spike',
        title: 'Campaign traffic saturates catalog-api',
        now,
        alert: {
          datadogWebhook: {
            title: '[Triggered] [P2] catalog-api CPU above 85%',
            alert_transition: 'Triggered',
            alert_id: '80444',
            alert_query: 'avg(last_5m):avg:system.cpu.user{service:catalog-api,env:prod} > 85',
            date: String(Date.parse(at(now, -25))),
            body: 'CPU is 93% on catalog-api',
            tags: 'service:catalog-api,env:prod',
            link: 'https://app.datadoghq.com/monitors/80444',
          },
        },
        catalog: {
          services: {
            'catalog-api': { repos: ['acme/catalog-api'], team: 'catalog', dependsOn: ['pricing'] },
            pricing: { repos: ['acme/pricing'], team: 'catalog' },
          },
        },
      },
      'datadog/monitors.json': [
        monitor(
          80444,
          'catalog-api CPU above 85%',
          'avg(last_5m):avg:system.cpu.user{service:catalog-api,env:prod} > 85',
          'catalog-api',
        ),
      ],
      ...t,
      'datadog/events.json': [
        {
          timestamp: at(now, -40),
          title: 'Marketing email campaign "Autumn Sale" sent to 2.1M recipients',
          tags: ['team:marketing'],
          source: 'my apps',
        },
        {
          timestamp: at(now, -240),
          title: 'Deployed catalog-api 51c0de1 to prod',
          text: 'Deployment 120',
          tags: ['service:catalog-api', 'env:prod', 'deployment'],
          source: 'github',
        },
      ],
      'github/acme/catalog-api.json': repo(now, [
        {
          sha: old,
          message: 'Cache product images metadata',
          author: 'ines',
          minutes: -260,
          files: [['src/cache/images.ts', 30, 4]],
          deploy: { id: 120, minutes: -240 },
        },
        {
          sha: logging,
          message: 'Add request ids to product listing logs',
          author: 'ines',
          minutes: -72,
          files: [['src/listing/logger.ts', 12, 2]],
          pr: { number: 311, title: 'Request ids in listing logs', body: 'Makes listing errors traceable.' },
          deploy: { id: 121, minutes: -58 },
        },
        {
          sha: docs,
          message: 'docs: document catalog pagination limits',
          author: 'tomas',
          minutes: -22,
          files: [['docs/pagination.md', 25, 0]],
        },
      ]),
      'github/acme/pricing.json': repo(now, [
        {
          sha: rounding,
          message: 'Round exported prices to cents',
          author: 'lee',
          minutes: -110,
          files: [['src/export/round.ts', 6, 3]],
          deploy: { id: 77, minutes: -95 },
        },
      ]),
      'rootly/incidents.json': [
        {
          id: 'f6b7c8d9-6666-4f80-9b92-000000000120',
          title: 'catalog-api overloaded during flash sale',
          summary: 'A flash sale tripled traffic; catalog-api CPU hit 100% and requests queued.',
          severity: 'sev2',
          services: ['catalog-api'],
          startedAt: '2025-11-29T20:00:00Z',
          resolvedAt: '2025-11-29T20:45:00Z',
          cause: 'Traffic surge beyond provisioned capacity; autoscaling max too low.',
          mitigation: 'Raised the autoscaling max and scaled out manually.',
          url: 'https://acme.rootly.com/incidents/f6b7c8d9',
        },
      ],
      'docs/runbooks/catalog-capacity.md': doc(
        'catalog-api capacity and scaling',
        'https://wiki.acme.dev/runbooks/catalog-capacity',
        'runbook',
        `## Symptoms of overload\nCPU above 85%, worker pool saturated, request queue full.\n\n## Mitigation\nScale out: raise the HPA max replicas for catalog-api. Ask marketing before large campaigns.`,
      ),
      'docs/runbooks/pricing-cache.md': doc(
        'Pricing cache',
        'https://wiki.acme.dev/runbooks/pricing-cache',
        'runbook',
        `Cache misses for currency rates are normal at the top of the hour.`,
      ),
      'truth.json': {
        kind: 'capacity',
        accept: ['catalog-api', 'traffic'],
        keywords: ['traffic', 'campaign'],
        runbook: 'runbooks/catalog-capacity.md',
        similarIncident: 'f6b7c8d9-6666-4f80-9b92-000000000120',
      },
    },
  };
}
