import { hex, pick } from '../../lib';
import type { WorldDraft } from '../draft';
import { during, ramp } from '../effects';
import type { Service } from '../estate';
import { routesOf } from '../log-formats';
import {
  errorMonitorKind,
  framesThrough,
  type IncidentClass,
  pastIncident,
  patch,
  runbook,
  sourcePath,
} from './kit';
import {
  callFailure,
  logFailedRequests,
  type RemoteCall,
  type RemoteFailure,
  remoteError,
  retryReason,
  statusFor,
} from './remote-call-errors';

/**
 * The estate's vendor degrades (timeouts, 5xx or connection resets from its API) while nothing
 * changed on our side. The evidence is the failing calls' peer host (client metrics, spans,
 * error messages), the retries and circuit breaker, sometimes a second service of ours failing
 * against the same host, and the vendor's status page, which is often posted late or not at all.
 * A harmless deploy of the alerting service shortly before the onset is the usual trap.
 */
const CALLS: Record<string, { method: 'GET' | 'POST'; path: string; fn: string }> = {
  Stripe: { method: 'POST', path: '/v1/payment_intents', fn: 'createPaymentIntent' },
  Twilio: { method: 'POST', path: '/2010-04-01/Accounts/AC4f1c/Messages.json', fn: 'sendSms' },
  SendGrid: { method: 'POST', path: '/v3/mail/send', fn: 'sendMail' },
  Adyen: { method: 'POST', path: '/v71/payments', fn: 'authorisePayment' },
  Auth0: { method: 'POST', path: '/oauth/token', fn: 'fetchToken' },
  Algolia: { method: 'POST', path: '/1/indexes/*/queries', fn: 'search' },
  Plaid: { method: 'POST', path: '/transactions/sync', fn: 'syncTransactions' },
  Shippo: { method: 'POST', path: '/transactions/', fn: 'purchaseLabel' },
};
const FALLBACK_CALL = { method: 'POST' as const, path: '/v1/requests', fn: 'call' };

const MODE: Record<string, RemoteFailure | undefined> = {
  timeouts: 'timeout',
  'server-errors': 'status',
  'connection-resets': 'reset',
};

/** How the vendor words the same degradation on its status page. */
const SYMPTOM: Record<RemoteFailure, { headline: string[]; detail: string }> = {
  timeout: {
    headline: [
      'Elevated API latency',
      'API requests elevated latency and timeouts',
      'Increased API response times',
    ],
    detail: 'increased latency and timeouts',
  },
  status: {
    headline: [
      'API requests elevated errors',
      'Elevated API error rates',
      'Increased 5xx errors on API requests',
    ],
    detail: 'elevated error rates',
  },
  reset: {
    headline: [
      'Intermittent API connectivity issues',
      'API requests elevated errors',
      'Connection errors for some API requests',
    ],
    detail: 'intermittent connection errors',
  },
  refused: { headline: ['API unavailable'], detail: 'connection failures' },
};

export const thirdPartyOutage: IncidentClass = {
  name: 'third-party-outage',
  variants: ['timeouts', 'server-errors', 'connection-resets', 'no-status-page'],
  build(d, variant) {
    const r = d.r;
    const e = d.estate;
    const s = e.alerting;
    const tp = e.thirdParty;
    const short = tp.name.toLowerCase();
    const mode: RemoteFailure = MODE[variant] ?? pick(r, ['timeout', 'status', 'reset'] as const);
    const base = CALLS[tp.name] ?? FALLBACK_CALL;
    const call: RemoteCall = {
      host: tp.host,
      url: `https://${tp.host}${base.path}`,
      method: base.method,
      port: 443,
      timeoutMs: pick(r, [2000, 3000, 5000, 8000, 10000]),
      status: pick(r, [500, 502, 503, 503, 504]),
    };
    // The route that needs the vendor: usually the write path, sometimes a read that enriches.
    const routes = routesOf(s);
    const route = r() < 0.7 ? routes[0]! : pick(r, routes);
    // Share of the vendor's calls that fail, and share of our requests that make such a call.
    const peerRate =
      mode === 'timeout' ? 0.35 + r() * 0.55 : mode === 'status' ? 0.3 + r() * 0.55 : 0.2 + r() * 0.4;
    const exposure = 0.2 + r() * 0.13;
    const rate = Math.max(0.04, peerRate * exposure);
    // Requests that wait for the client timeout drag the service's p95 towards it.
    const slow =
      mode === 'timeout' ? Math.min(30, Math.max(3, (0.6 * call.timeoutMs) / s.p95Ms)) : 1.1 + r() * 0.4;
    // Vendor degradations come in waves rather than as a flat line.
    const waves = Array.from({ length: 40 }, () => 0.65 + 0.35 * r());
    const wave = (m: number) => waves[Math.abs(m - d.onset) % waves.length]!;
    const rise = 1 + Math.floor(r() * 3);
    const clientPath = sourcePath(s, 'clients', `${short}-client`, e.slug);
    const spec = remoteError(r, s.lang, mode, call, false);
    const status = statusFor(mode, r);
    // Drawn once: the same code path throws every time.
    const frames = framesThrough(s, e.slug, r, { path: clientPath, fn: base.fn });
    d.effect(s, (m) => {
      if (!during(m, d.onset)) return undefined;
      const f = ramp(m, d.onset - 1, d.onset + rise) * wave(m);
      return {
        errorRate: rate * f,
        latency: 1 + (slow - 1) * f,
        peerErrors: { peer: tp.host, rate: peerRate * f },
        error: { ...spec, frames, peer: tp.host, status, resource: route },
      };
    });
    // The client retries and, when the failures persist, its circuit breaker opens.
    const reason = retryReason(mode, call);
    d.log({
      service: s.name,
      from: d.onset,
      perMinute: (m) => 2 * wave(m),
      event: (x) => ({
        level: 'warn',
        message: `retrying ${call.method} ${call.url} after ${reason} (attempt ${1 + Math.floor(x() * 2)}/3, backoff ${100 * 2 ** Math.floor(x() * 4)}ms)`,
        peer: tp.host,
      }),
    });
    if (r() < 0.6) {
      const opensAt = d.onset + 2 + Math.floor(r() * 4);
      d.log({
        service: s.name,
        from: opensAt,
        perMinute: 0.35,
        event: (x) => ({
          level: 'error',
          message: `circuit breaker "${short}" OPEN: ${Math.round((0.5 + x() * 0.4) * 100)}% of calls to ${tp.host} failed in the last 60s; short-circuiting for 30s`,
          peer: tp.host,
        }),
      });
    }
    // Another service of ours that uses the same vendor fails the same way: a cross-check a human
    // makes (two unrelated callers, one common remote).
    if (r() < 0.4) {
      const other: Service = r() < 0.5 ? e.bystander : e.deps[0]!;
      const otherRate = 0.02 + r() * 0.04;
      const error = callFailure(
        r,
        other,
        e.slug,
        { mode, call, internal: false },
        { path: sourcePath(other, 'integrations', short, e.slug), fn: base.fn },
      );
      // Its error count rises through the effect; its error lines come as sampled logs.
      d.effect(other, (m) => (during(m, d.onset + 1) ? { errorRate: otherRate * wave(m) } : undefined));
      logFailedRequests(d, other, d.onset + 1, error, (m) => 1.5 * wave(m));
    }
    statusPage(d, variant, mode, short);
    if (r() < 0.55) redHerringDeploy(d, short, clientPath);
    const kind = mode === 'timeout' && r() < 0.45 ? 'latency' : errorMonitorKind(d, r, rate);
    d.alertOn(kind, s, d.onset + 2 + Math.floor(r() * 5), pick(r, [undefined, 1, 2, 3]));
    const rb = runbook(
      d,
      `runbooks/${s.name}-${short}-degradation.md`,
      `${s.name}: ${tp.name} degradation`,
      `## Symptoms\n${s.name} calls ${tp.name} (${tp.host}) for ${tp.what}. When ${tp.name} degrades, ${route} fails with timeouts or 5xx from ${tp.host} while other routes stay healthy.\n\n## Triage\n1. Split outbound errors by peer: \`http.client.errors\` by \`peer.hostname\`. A single remote host failing points at the vendor.\n2. Check ${tp.statusPage}; vendors often post 10-20 minutes after their errors start.\n3. Check whether other services calling ${tp.host} fail too.\n4. A recent deploy of ${s.name} is only suspect if the errors follow its version.\n\n## Mitigation\nDo not roll back for a vendor outage. Keep the circuit breaker open, queue retries, enable the fallback path if there is one, and open a ticket with ${tp.name} support.`,
      pick(r, ['runbook', 'confluence', 'notion'] as const),
    );
    const similar = pastIncident(d, r, {
      title: `${tp.name} API degraded: ${s.name} ${tp.what} failing`,
      summary: `${s.name} saw ${SYMPTOM[mode].detail} from ${tp.host}; ${tp.name} confirmed an incident on ${tp.statusPage} some minutes later.`,
      cause: `${tp.name} incident: ${SYMPTOM[mode].detail} on their API. No change on our side.`,
      mitigation: 'Opened the circuit breaker, queued retries, waited for the vendor to recover.',
      services: [s.name],
    });
    d.title = `${s.name} failing on ${route}`;
    d.truth = {
      kind: 'dependency',
      accept: [tp.host, short],
      keywords: [short, mode === 'timeout' ? 'timeout' : mode === 'status' ? String(call.status) : 'reset'],
      runbook: rb,
      similarIncident: similar,
    };
  },
};

/** The vendor's status page, as DataDog's status page integration posts it: late, or never. */
function statusPage(d: WorldDraft, variant: string, mode: RemoteFailure, short: string): void {
  if (variant === 'no-status-page') return;
  const r = d.r;
  const tp = d.estate.thirdParty;
  const first = d.onset + 3 + Math.floor(r() * 20);
  // A vendor that has not posted by the time we investigate looks the same as one that never does.
  if (first > -1) return;
  const headline = pick(r, SYMPTOM[mode].headline);
  const impact = pick(r, ['Degraded performance', 'Degraded performance', 'Partial outage']);
  const incident = hex(r, 12);
  const tags = [
    `statuspage:${short}`,
    `impact:${impact.toLowerCase().replace(/ /g, '_')}`,
    'source:statuspage',
  ];
  d.event({
    minute: first,
    title: `${tp.name} status: ${impact} - ${headline}`,
    text: `Investigating - We are currently investigating ${SYMPTOM[mode].detail} for ${tp.what} API requests (${tp.host}). Some requests may fail or time out. https://${tp.statusPage}/incidents/${incident}`,
    tags,
    source: 'statuspage',
  });
  const update = first + 6 + Math.floor(r() * 10);
  if (update <= -1)
    d.event({
      minute: update,
      title: `${tp.name} status: ${impact} - ${headline}`,
      text: `Identified - The issue has been identified and a fix is being implemented. We will provide an update in 30 minutes. https://${tp.statusPage}/incidents/${incident}`,
      tags,
      source: 'statuspage',
    });
}

/** A harmless rollout of the alerting service a few minutes before the onset. */
function redHerringDeploy(d: WorldDraft, short: string, clientPath: string): void {
  const r = d.r;
  const e = d.estate;
  const s = e.alerting;
  const tp = e.thirdParty;
  // Sometimes the harmless change even touches the vendor client (logging only), the strongest trap.
  const touchesClient = r() < 0.3;
  const change = touchesClient
    ? {
        message: `Log ${tp.name} request ids at debug`,
        files: [
          {
            filename: clientPath,
            additions: 3,
            deletions: 1,
            patch: patch(
              ['log.debug("vendor call done")'],
              ['log.debug("vendor call done", { requestId: res.headers["request-id"] })'],
            ),
          },
        ],
        pr: {
          title: `Log ${tp.name} request ids`,
          body: `Makes ${short} support tickets easier: we can quote their request id.`,
          labels: ['observability'],
        },
      }
    : pick(r, [
        {
          message: 'Add pagination metadata to list responses',
          files: [{ filename: sourcePath(s, 'http', 'pagination', e.slug), additions: 24, deletions: 6 }],
          pr: {
            title: 'Pagination metadata',
            body: 'Adds total and next cursor to list responses.',
            labels: ['api'],
          },
        },
        {
          message: 'Rename internal metrics helper',
          files: [
            { filename: sourcePath(s, 'observability', 'metrics', e.slug), additions: 11, deletions: 11 },
          ],
          pr: { title: 'Rename metrics helper', body: 'No behaviour change.', labels: ['chore'] },
        },
        {
          message: 'Translate validation messages (de, fr)',
          files: [{ filename: sourcePath(s, 'i18n', 'messages', e.slug), additions: 64, deletions: 0 }],
          pr: { title: 'i18n: validation messages', body: 'German and French copy.', labels: ['i18n'] },
        },
      ]);
  const deployAt = d.onset - 2 - Math.floor(r() * 11);
  const commitAt = deployAt - 10 - Math.floor(r() * 40);
  d.ship(s, { ...change, minute: commitAt }, deployAt - commitAt);
}
