import { hex, ip, pick, type Rng } from '../../lib';
import { during, type ErrorSpec, ramp } from '../effects';
import type { Lang } from '../estate';
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
import { releaseBeforeOnset } from './releases';

/**
 * A hostname the alerting service calls stops working below the application: its TLS
 * certificate expires (the internal one cert-manager failed to renew days before, or the
 * third party's), or its name stops resolving (an internal record deleted by external-dns, or
 * the vendor's DNS failing). Every host and version fails alike, only calls to that one
 * hostname fail, and the peer itself sees fewer requests rather than more errors: the calls
 * never reach it.
 */
const VENDOR_PATHS: Record<string, string> = {
  Stripe: '/v1/payment_intents',
  Twilio: '/2010-04-01/Accounts/AC3f1c/Messages.json',
  SendGrid: '/v3/mail/send',
  Adyen: '/v71/payments',
  Auth0: '/oauth/token',
  Algolia: '/1/indexes/products/query',
  Plaid: '/transactions/get',
  Shippo: '/shipments/',
};

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];

/** `Thu Jul 09 10:05:00 UTC 2026`, as java.util.Date prints a certificate's NotAfter. */
function javaDate(at: string): string {
  const t = new Date(at);
  const dd = String(t.getUTCDate()).padStart(2, '0');
  return `${DAYS[t.getUTCDay()]} ${MONTHS[t.getUTCMonth()]} ${dd} ${at.slice(11, 19)} UTC ${t.getUTCFullYear()}`;
}

/** `Jul  9 10:05:00 2026 GMT`, as OpenSSL (and Node's `valid_to`) prints it. */
function opensslDate(at: string): string {
  const t = new Date(at);
  return `${MONTHS[t.getUTCMonth()]} ${String(t.getUTCDate()).padStart(2, ' ')} ${at.slice(11, 19)} ${t.getUTCFullYear()} GMT`;
}

type Call = { host: string; path: string; expiry: string };
type Failure = { kind: string; message: (r: Rng, now: string) => string };

/** Certificate-expired errors as each stack's HTTP client raises them. */
function expiredCert(lang: Lang, c: Call): Failure {
  switch (lang) {
    case 'go':
      return {
        kind: '*url.Error',
        message: (r, now) =>
          `Post "https://${c.host}${c.path}": tls: failed to verify certificate: x509: certificate has expired or is not yet valid: current time ${now.slice(0, 17)}${String(Math.floor(r() * 60)).padStart(2, '0')}Z is after ${c.expiry}`,
      };
    case 'java':
      return {
        kind: 'javax.net.ssl.SSLHandshakeException',
        message: () =>
          'PKIX path validation failed: java.security.cert.CertPathValidatorException: validity check failed',
      };
    case 'python':
      return {
        kind: 'requests.exceptions.SSLError',
        message: () =>
          `HTTPSConnectionPool(host='${c.host}', port=443): Max retries exceeded with url: ${c.path} (Caused by SSLError(SSLCertVerificationError(1, '[SSL: CERTIFICATE_VERIFY_FAILED] certificate verify failed: certificate has expired (_ssl.c:1006)')))`,
      };
    case 'ruby':
      return {
        kind: 'OpenSSL::SSL::SSLError',
        message: (r) =>
          `SSL_connect returned=1 errno=0 peeraddr=${ip(r)}:443 state=error: certificate verify failed (certificate has expired)`,
      };
    case 'dotnet':
      return {
        kind: 'System.Net.Http.HttpRequestException',
        message: () =>
          'The SSL connection could not be established, see inner exception. ---> System.Security.Authentication.AuthenticationException: The remote certificate is invalid because of errors in the certificate chain: NotTimeValid',
      };
    default:
      return {
        kind: 'Error',
        message: () => `request to https://${c.host}${c.path} failed, reason: certificate has expired`,
      };
  }
}

/** What the client logs as it retries: the lines that carry the certificate's expiry. */
function tlsRetryWarn(lang: Lang, c: Call): (r: Rng) => string {
  switch (lang) {
    case 'java':
      return () =>
        `SSL handshake with ${c.host}:443 failed, retrying; Caused by: java.security.cert.CertificateExpiredException: NotAfter: ${javaDate(c.expiry)}`;
    case 'python':
      return () =>
        `Retrying (Retry(total=1, connect=None, read=None, redirect=None, status=None)) after connection broken by 'SSLError(SSLCertVerificationError(1, '[SSL: CERTIFICATE_VERIFY_FAILED] certificate verify failed: certificate has expired (_ssl.c:1006)'))': ${c.path}`;
    case 'go':
      return (r) =>
        `retrying ${c.host} (attempt ${2 + Math.floor(r() * 2)}/3): x509: certificate has expired or is not yet valid`;
    case 'ruby':
      return () =>
        `Faraday::SSLError on attempt 1/2 for https://${c.host}${c.path}: certificate verify failed (certificate has expired)`;
    case 'dotnet':
      return (r) =>
        `Retry ${1 + Math.floor(r() * 2)} of 3 for https://${c.host}${c.path} after AuthenticationException: The remote certificate is invalid because of errors in the certificate chain: NotTimeValid`;
    default:
      return () =>
        `TLS handshake with ${c.host}:443 failed: CERT_HAS_EXPIRED (valid_to=${opensslDate(c.expiry)})`;
  }
}

/**
 * Resolution failures: NXDOMAIN when the record is gone, SERVFAIL / timeouts when the
 * authoritative servers fail. Each stack words the two differently.
 */
function dnsFailure(lang: Lang, c: Call, nx: boolean): Failure {
  switch (lang) {
    case 'java':
      return {
        kind: 'java.net.UnknownHostException',
        message: () =>
          `${c.host}: ${nx ? 'Name or service not known' : 'Temporary failure in name resolution'}`,
      };
    case 'go':
      return {
        kind: '*net.DNSError',
        message: () =>
          `dial tcp: lookup ${c.host} on 172.20.0.10:53: ${nx ? 'no such host' : 'server misbehaving'}`,
      };
    case 'python':
      return {
        kind: 'requests.exceptions.ConnectionError',
        message: (r) =>
          `HTTPSConnectionPool(host='${c.host}', port=443): Max retries exceeded with url: ${c.path} (Caused by NameResolutionError("<urllib3.connection.HTTPSConnection object at 0x7f${hex(r, 8)}>: Failed to resolve '${c.host}' (${nx ? '[Errno -2] Name or service not known' : '[Errno -3] Temporary failure in name resolution'})"))`,
      };
    case 'ruby':
      return {
        kind: 'SocketError',
        message: () =>
          `Failed to open TCP connection to ${c.host}:443 (getaddrinfo: ${nx ? 'Name or service not known' : 'Temporary failure in name resolution'})`,
      };
    case 'dotnet':
      return {
        kind: 'System.Net.Http.HttpRequestException',
        message: () =>
          `${nx ? 'Name or service not known' : 'Resource temporarily unavailable'} (${c.host}:443)`,
      };
    default:
      return { kind: 'Error', message: () => `getaddrinfo ${nx ? 'ENOTFOUND' : 'EAI_AGAIN'} ${c.host}` };
  }
}

export const certDns: IncidentClass = {
  name: 'cert-dns',
  variants: ['expired-cert', 'dns'],
  build(d, variant) {
    const r = d.r;
    const e = d.estate;
    const s = e.alerting;
    const internal = r() < 0.6;
    const dep = pick(r, e.deps);
    const host = internal ? `${dep.name}.internal` : e.thirdParty.host;
    const path = internal ? `/v1/${baseName(dep)}` : (VENDOR_PATHS[e.thirdParty.name] ?? '/v1/');
    // The failure starts when the certificate expires or the record disappears; pooled
    // connections and cached answers keep some calls working for a few minutes.
    const causeAt = d.onset - Math.floor(r() * 4);
    const expiry = d.at(causeAt);
    const call: Call = { host, path, expiry };
    const client = internal
      ? clientPath(s, dep, e.slug)
      : sourcePath(s, 'clients', `${e.thirdParty.name.toLowerCase()}-client`, e.slug);
    // Calls to the host may serve one route or most of them.
    const route = r() < 0.5 ? pick(r, routesOf(s)) : undefined;
    const share = route ? 0.2 + r() * 0.13 : 0.35 + r() * 0.55;
    const settle = d.onset + 1 + Math.floor(r() * 4);
    const nx = variant === 'dns' && internal;
    const failure = variant === 'expired-cert' ? expiredCert(s.lang, call) : dnsFailure(s.lang, call, nx);
    const frames = framesThrough(s, e.slug, r, {
      path: client,
      fn: pick(r, ['request', 'post', 'send', 'call']),
    });
    const status = pick(r, [500, 502, 503]);
    d.effect(s, (m) => {
      if (!during(m, d.onset)) return undefined;
      const now = d.at(m);
      const error: ErrorSpec = {
        kind: failure.kind,
        message: (x) => failure.message(x, now),
        frames,
        peer: host,
        status,
        resource: route,
      };
      return { errorRate: share * ramp(m, d.onset - 1, settle), error };
    });
    d.effect(s, (m) =>
      during(m, d.onset)
        ? { peerErrors: { peer: host, rate: 0.95 * ramp(m, d.onset - 1, settle) } }
        : undefined,
    );
    // The calls never reach the dependency: it sees less traffic, not more errors.
    if (internal) {
      const fromAlerting = 0.4 + r() * 0.45;
      d.effect(dep, (m) =>
        during(m, d.onset) ? { traffic: 1 - fromAlerting * ramp(m, d.onset - 1, settle) } : undefined,
      );
    }
    // The harmless release of the alerting service just before the onset: the "latest deploy" trap.
    if (r() < 0.5)
      releaseBeforeOnset(d, s, {
        messages: ['Upgrade HTTP client library', 'Add request id to audit log', 'Tidy error mapping'],
        deployBefore: [5, 30],
        mergeGap: [10, 40],
        filename: sourcePath(s, 'observability', 'request-logging', e.slug),
        additions: 12,
        deletions: 5,
        pr: { body: 'Housekeeping; no behaviour change.', labels: ['chore'] },
      });

    let rb: string;
    let similar: string;
    let keywords: string[];
    if (variant === 'expired-cert') {
      d.log({
        service: s.name,
        from: d.onset,
        perMinute: 1 + r() * 2,
        event: (x) => ({ level: 'warn', message: tlsRetryWarn(s.lang, call)(x), peer: host }),
      });
      const certName = `${dep.name}-${pick(r, ['tls', 'internal-tls', 'mtls'])}`;
      if (internal) {
        // cert-manager tried to renew days earlier and kept failing, with backoff.
        const ns = pick(r, [dep.team, 'default', e.slug]);
        const reason = pick(r, [
          `Vault failed to sign certificate: Error making API request. URL: PUT https://vault.${e.domain}/v1/pki_int/sign/${baseName(dep)} Code: 403. Errors: * permission denied`,
          'issuer "internal-ca" is not ready: secret "internal-ca-key-pair" not found',
          'ClusterIssuer "vault-issuer" is not ready: failed to initialize Vault client: token expired',
        ]);
        const firstDaysBefore = 1 + Math.floor(r() * 5);
        const attempts = [firstDaysBefore * 1440, firstDaysBefore * 720, 60 * (2 + Math.floor(r() * 8))];
        if (r() < 0.8)
          for (const before of attempts)
            d.event({
              minute: causeAt - before,
              title: `Certificate ${certName} renewal failed`,
              text: `The certificate request has failed to complete and will be retried: ${reason}. Certificate ${ns}/${certName} (dnsNames: ${host}) expires at ${expiry}.`,
              tags: [
                'kubernetes_kind:Certificate',
                `name:${certName}`,
                `kube_namespace:${ns}`,
                'source_component:cert-manager-certificates-issuing',
              ],
              source: 'kubernetes',
            });
        if (r() < 0.4)
          d.knowledge.slack.push({
            channel: 'incidents',
            daysAgo: Math.max(1, firstDaysBefore - 1),
            user: 'U0PLATFRM',
            text: `cert-manager is warning about ${certName} again, probably the Vault token; will look after standup`,
          });
        rb = runbook(
          d,
          'runbooks/tls-certificate-expiry.md',
          'TLS certificate expired',
          `## Symptoms\nCalls to one hostname fail with \`certificate has expired\` / \`x509\` / \`PKIX path validation failed\`, on every host and version of the caller.\n\n## Triage\nCheck the certificate of the failing host (\`openssl s_client -connect <host>:443 | openssl x509 -noout -enddate\`) and the cert-manager events for its Certificate.\n\n## Mitigation\nFix the issuer, then \`cmctl renew ${ns}/<certificate>\` and restart the pods serving it.`,
          'confluence',
        );
        similar = pastIncident(d, r, {
          title: `Expired internal certificate for ${host}`,
          summary: `${s.name} could not call ${dep.name}: its certificate expired after cert-manager failed to renew it.`,
          cause: 'cert-manager renewal failed for days (issuer not ready); nobody acted on the warnings.',
          mitigation: 'Fixed the issuer credentials and forced a renewal.',
          services: [s.name, dep.name],
        });
      } else {
        if (r() < 0.6)
          d.event({
            minute: Math.min(-1, d.onset + 5 + Math.floor(r() * 8)),
            title: `${e.thirdParty.name} status: Investigating - TLS errors connecting to ${host}`,
            text: `Some requests to ${host} fail certificate verification: a certificate in our chain expired at ${expiry.slice(11, 16)} UTC. A renewed certificate is being rolled out.`,
            tags: [`vendor:${e.thirdParty.name.toLowerCase()}`, 'statuspage'],
            source: 'statuspage',
          });
        rb = runbook(
          d,
          'runbooks/tls-certificate-expiry.md',
          'TLS certificate expired',
          `## Symptoms\nCalls to one hostname fail with \`certificate has expired\` / \`x509\` / \`PKIX path validation failed\`, on every host and version.\n\n## Triage\nInspect the remote's chain: \`openssl s_client -connect <host>:443 -showcerts\`. If a vendor's certificate expired, only they can fix it; check their status page.\n\n## Mitigation\nQueue or degrade the calls to that vendor until their certificate is replaced.`,
        );
        similar = pastIncident(d, r, {
          title: `${e.thirdParty.name} calls failing TLS verification`,
          summary: `An expired certificate in ${e.thirdParty.name}'s chain broke calls to ${host}.`,
          cause: `${e.thirdParty.name}'s certificate chain expired.`,
          mitigation: 'Queued the calls until the vendor replaced the certificate.',
          services: [s.name],
        });
      }
      d.title = `${s.name} calls to ${host} fail: certificate expired`;
      keywords = ['certificate has expired', 'x509', host];
    } else {
      d.log({
        service: s.name,
        from: d.onset,
        perMinute: 1 + r() * 2,
        event: (x) => ({
          level: 'warn',
          message: `retrying ${host} (attempt ${2 + Math.floor(x() * 2)}/3): ${nx ? 'name not found (NXDOMAIN)' : 'DNS lookup timed out (SERVFAIL)'}`,
          peer: host,
        }),
      });
      if (internal) {
        const zoneId = `Z0${hex(r, 18).toUpperCase()}`;
        const ttl = pick(r, [60, 300]);
        d.event({
          minute: causeAt - 1,
          title: 'external-dns ran ChangeResourceRecordSets in route53',
          text: `DELETE A ${host}. (TTL ${ttl}) and DELETE TXT external-dns-${host}. in private hosted zone internal. (${zoneId}) by arn:aws:sts::${100000000000 + Math.floor(r() * 8e11)}:assumed-role/external-dns-${e.env}/${hex(r, 16)}`,
          tags: [
            'aws_service:route53',
            `hosted_zone:${zoneId}`,
            'event_name:ChangeResourceRecordSets',
            `region:${pick(r, ['us-east-1', 'eu-west-1'])}`,
          ],
          source: 'cloudtrail',
        });
        if (r() < 0.5)
          d.event({
            minute: Math.min(-1, d.onset + 2 + Math.floor(r() * 5)),
            title: '[Warn] CoreDNS NXDOMAIN responses are elevated',
            text: `sum(last_5m):sum:coredns.response_code_count{rcode:nxdomain}.as_count() > 500`,
            tags: ['kube_service:kube-dns', 'rcode:nxdomain', `env:${e.env}`],
            source: 'monitor',
          });
        rb = runbook(
          d,
          'runbooks/dns-resolution-failures.md',
          'DNS resolution failures',
          `## Symptoms\n\`ENOTFOUND\`, \`UnknownHostException\`, \`no such host\` for one hostname from every pod.\n\n## Triage\n\`dig <host>\` from a pod and from a bastion; look for Route 53 changes (CloudTrail \`ChangeResourceRecordSets\`) and external-dns activity around the first error.\n\n## Mitigation\nRecreate the record (or restore it from the Terraform state) and check external-dns ownership records.`,
          'notion',
        );
        similar = pastIncident(d, r, {
          title: `${host} stopped resolving`,
          summary: `external-dns deleted the record for ${host}; callers got NXDOMAIN.`,
          cause: 'The Route 53 record was removed by external-dns after an ownership (TXT) mismatch.',
          mitigation: 'Recreated the record by hand and fixed the TXT ownership records.',
          services: [s.name, dep.name],
        });
      } else {
        d.event({
          minute: Math.min(-1, d.onset + 2 + Math.floor(r() * 4)),
          title: '[Warn] CoreDNS SERVFAIL responses are elevated',
          text: `sum(last_5m):sum:coredns.response_code_count{rcode:servfail}.as_count() > 200`,
          tags: ['kube_service:kube-dns', 'rcode:servfail', `env:${e.env}`],
          source: 'monitor',
        });
        if (r() < 0.5)
          d.event({
            minute: Math.min(-1, d.onset + 6 + Math.floor(r() * 8)),
            title: `${e.thirdParty.name} status: Investigating - DNS resolution issues for ${host}`,
            text: `Some customers cannot resolve ${host} because of an issue at our DNS provider. Requests that resolve succeed normally.`,
            tags: [`vendor:${e.thirdParty.name.toLowerCase()}`, 'statuspage'],
            source: 'statuspage',
          });
        rb = runbook(
          d,
          'runbooks/dns-resolution-failures.md',
          'DNS resolution failures',
          `## Symptoms\n\`EAI_AGAIN\`, \`Temporary failure in name resolution\`, \`server misbehaving\` for one external hostname.\n\n## Triage\n\`dig <host> @8.8.8.8\` and \`dig +trace <host>\`: if the vendor's authoritative servers fail, it is their DNS provider.\n\n## Mitigation\nPin a known-good address temporarily only if the vendor confirms it; otherwise queue the calls.`,
        );
        similar = pastIncident(d, r, {
          title: `${host} DNS failures`,
          summary: `${e.thirdParty.name}'s DNS provider failed; lookups of ${host} returned SERVFAIL.`,
          cause: "Outage at the vendor's authoritative DNS provider.",
          mitigation: 'Queued the calls until resolution recovered.',
          services: [s.name],
        });
      }
      d.title = `${s.name} cannot resolve ${host}`;
      keywords = [nx ? 'NXDOMAIN' : 'SERVFAIL', 'DNS', host];
    }
    alertAfterOnset(d, errorMonitorKind(d, r, share), s, [3, 4]);
    d.truth = { kind: 'infrastructure', accept: [host], keywords, runbook: rb, similarIncident: similar };
  },
};
