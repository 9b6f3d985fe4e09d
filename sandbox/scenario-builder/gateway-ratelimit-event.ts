import { type BundledWorld, doc, monitor, repo, sha, telemetry } from './kit';
import { at, ip, rng, uuid } from './lib';

/** A Terraform change to the gateway's rate limit (a DataDog event, not a GitHub deploy) causes 429s. */
export function build(): BundledWorld {
  const r = rng(4242);
  const now = '2026-04-15T08:50:00Z';
  const onset = 338; // 08:28
  const after = (m: number) => m >= onset;
  const logSha = sha(r, '7f7f310');
  const billing = sha(r, 'b111a77');
  const t = telemetry(
    r,
    now,
    [
      {
        name: 'api-gateway',
        rpm: 8000,
        errors: 6,
        p95Ms: 60,
        cpuPct: 45,
        effect: (m) => (after(m) ? { errors: 30 } : {}),
      },
      { name: 'billing', rpm: 400, errors: 1, p95Ms: 150, cpuPct: 20 },
    ],
    [
      {
        service: 'api-gateway',
        status: 'warn',
        perMinute: 4,
        from: onset,
        message: (x) =>
          `429 Too Many Requests: rate limit exceeded for client ${uuid(x)} (limit 200 req/s) route=/v1/${['orders', 'users', 'products'][Math.floor(x() * 3)]}`,
      },
      {
        service: 'api-gateway',
        status: 'error',
        perMinute: 0.5,
        message: (x) => `TLS handshake failed from ${ip(x)}: unknown certificate authority`,
      },
    ],
    [{ service: 'api-gateway', resource: 'proxy', perMinute: 3, durationMs: 40 }],
  );
  return {
    id: 'gateway-ratelimit-event',
    files: {
      'scenario.json': {
        id: 'gateway-ratelimit-event',
        title: 'Clients throttled after a rate limit config change',
        now,
        alert: { text: 'api-gateway is returning lots of 429 errors to customers' },
        catalog: {
          services: {
            'api-gateway': { repos: ['acme/api-gateway'], team: 'edge' },
            billing: { repos: ['acme/billing'], team: 'billing', dependsOn: ['api-gateway'] },
          },
        },
      },
      'datadog/monitors.json': [
        monitor(
          90210,
          'api-gateway 4xx/5xx error count',
          'sum(last_5m):sum:trace.http.request.errors{service:api-gateway,env:prod}.as_count() > 300',
          'api-gateway',
        ),
      ],
      ...t,
      'datadog/events.json': [
        {
          timestamp: at(now, -25),
          title: 'Rate limit config updated for api-gateway: per-client limit 2000 -> 200 req/s',
          text: 'terraform apply by ci: module.edge.rate_limits',
          tags: ['service:api-gateway', 'env:prod', 'terraform'],
          source: 'terraform',
        },
        {
          timestamp: at(now, -18),
          title: 'Deployed billing b111a77 to prod',
          text: 'Deployment 5001',
          tags: ['service:billing', 'env:prod', 'deployment'],
          source: 'github',
        },
        {
          timestamp: at(now, -300),
          title: 'TLS certificate rotated for api.acme.dev',
          tags: ['service:api-gateway'],
          source: 'config',
        },
      ],
      'github/acme/api-gateway.json': repo(now, [
        {
          sha: logSha,
          message: 'Structured access logs for the proxy',
          author: 'femi',
          minutes: -70,
          files: [['src/proxy/access_log.go', 40, 12]],
          pr: { number: 330, title: 'Structured access logs', body: 'JSON access logs.' },
          deploy: { id: 4990, minutes: -60 },
        },
      ]),
      'github/acme/billing.json': repo(now, [
        {
          sha: billing,
          message: 'Invoice PDF footer',
          author: 'zoe',
          minutes: -30,
          files: [['src/pdf/footer.ts', 5, 2]],
          deploy: { id: 5001, minutes: -18 },
        },
      ]),
      'rootly/incidents.json': [
        {
          id: 'a7c8d9e0-7777-4091-8ca3-000000000330',
          title: 'Customers throttled with 429 after rate limit change',
          summary: 'A per-client rate limit was lowered by mistake; partners got 429 Too Many Requests.',
          severity: 'sev2',
          services: ['api-gateway'],
          startedAt: '2025-12-03T10:00:00Z',
          resolvedAt: '2025-12-03T10:25:00Z',
          cause: 'Rate limit config lowered by a Terraform change.',
          mitigation: 'Reverted the Terraform change.',
          url: 'https://acme.rootly.com/incidents/a7c8d9e0',
        },
      ],
      'docs/runbooks/gateway-429.md': doc(
        'api-gateway 429 runbook',
        'https://wiki.acme.dev/runbooks/gateway-429',
        'runbook',
        `## Too many 429s\nCompare the per-client rate limit in terraform (module.edge.rate_limits) with recent changes. A lowered limit throttles legitimate clients.\n\n## Mitigation\nRevert the terraform change or raise the limit.`,
      ),
      'docs/runbooks/tls.md': doc(
        'TLS certificate rotation',
        'https://wiki.acme.dev/runbooks/tls',
        'runbook',
        `Handshake failures from old clients after rotation are expected.`,
      ),
      'truth.json': {
        kind: 'config_change',
        accept: ['Rate limit config updated for api-gateway: per-client limit 2000 -> 200 req/s'],
        keywords: ['rate limit'],
        runbook: 'runbooks/gateway-429.md',
        similarIncident: 'a7c8d9e0-7777-4091-8ca3-000000000330',
      },
    },
  };
}
