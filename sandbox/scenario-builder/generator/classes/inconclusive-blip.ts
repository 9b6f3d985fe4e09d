import { ip, pick } from '../../lib';
import { monitorQuery } from '../alerts';
import type { WorldDraft } from '../draft';
import { during } from '../effects';
import type { Lang, Service } from '../estate';
import { type IncidentClass, type PeerError, pastIncident, runbook, sourcePath, towardsAnyPeer } from './kit';
import { releaseBeforeOnset } from './releases';

/**
 * A short blip: errors or latency of the alerting service rise for a few minutes, enough to
 * fire its monitor, then recover on their own before anyone acts. Traffic stays flat, the
 * errors are generic (timeouts to whichever peer, a few resets) and spread over every host,
 * and no change explains it: the deploys and flag flips the world holds happened well before
 * or after, on the wrong service, or stayed in place after the recovery. The honest answer is
 * "inconclusive", with low confidence.
 */
/** Client timeouts, `t` the client's timeout in ms. */
const TIMEOUT: Record<Lang, (t: number) => PeerError> = {
  node: () => ({ kind: 'Error', message: (r) => `connect ETIMEDOUT ${ip(r)}:443` }),
  java: () => ({ kind: 'java.net.SocketTimeoutException', message: (_, p) => `Read timed out (${p})` }),
  python: (t) => ({
    kind: 'requests.exceptions.ReadTimeout',
    message: (_, p) =>
      `HTTPSConnectionPool(host='${p}', port=443): Read timed out. (read timeout=${t / 1000})`,
  }),
  go: () => ({
    kind: 'context.deadlineExceededError',
    message: (_, p) => `Get "https://${p}/": context deadline exceeded`,
  }),
  ruby: () => ({
    kind: 'Net::ReadTimeout',
    message: (_, p) => `Net::ReadTimeout with #<TCPSocket:(closed)> (${p})`,
  }),
  dotnet: (t) => ({
    kind: 'System.Threading.Tasks.TaskCanceledException',
    message: () =>
      `The request was canceled due to the configured HttpClient.Timeout of ${t / 1000} seconds elapsing.`,
  }),
};

const RESET: Record<Lang, PeerError> = {
  node: { kind: 'Error', message: () => 'read ECONNRESET' },
  java: { kind: 'java.net.SocketException', message: () => 'Connection reset' },
  python: {
    kind: 'requests.exceptions.ConnectionError',
    message: () => "('Connection aborted.', ConnectionResetError(104, 'Connection reset by peer'))",
  },
  go: {
    kind: '*net.OpError',
    message: (r) =>
      `read tcp ${ip(r)}:${30000 + Math.floor(r() * 30000)}->${ip(r)}:443: read: connection reset by peer`,
  },
  ruby: { kind: 'Errno::ECONNRESET', message: () => 'Connection reset by peer' },
  dotnet: {
    kind: 'System.IO.IOException',
    message: () => 'Unable to read data from the transport connection: Connection reset by peer.',
  },
};

/** What a service calls: its dependencies, its database and the third party, in the names they carry. */
function peersOf(d: WorldDraft, s: Service): string[] {
  const e = d.estate;
  return [...s.dependsOn.map((n) => (n === e.database.name ? n : `${n}.internal`)), e.thirdParty.host];
}

export const inconclusiveBlip: IncidentClass = {
  name: 'inconclusive-blip',
  variants: ['error-blip', 'latency-blip', 'single-spike'],
  build(d, variant) {
    const r = d.r;
    const e = d.estate;
    const s = e.alerting;
    const peers = peersOf(d, s);
    const rpm = s.rpmPerHost * s.hosts.length;
    // Minutes of the blip, from the onset; the spike is the shortest and sharpest.
    const length = variant === 'single-spike' ? 2 : 3 + Math.floor(r() * 4);
    const end = d.onset + length;
    d.recovery = end;
    // How the blip rises and falls, minute by minute (a peak in the middle, ragged edges).
    const shape = Array.from({ length }, (_, i) => {
      const mid = (length - 1) / 2;
      return Math.max(0.35, 1 - Math.abs(i - mid) / (mid + 1)) * (0.85 + r() * 0.3);
    });
    const at = (m: number) => (during(m, d.onset, end) ? shape[m - d.onset]! : 0);
    // The blip's heaviest 5-minute window: what the monitor's `last_5m` sees at its worst.
    const heaviest = Math.max(...shape.map((_, i) => shape.slice(i, i + 5).reduce((a, b) => a + b, 0)));
    // Enough for that window to cross the threshold (50 errors, 5% of hits, or 4x the usual p95),
    // with a margin for the daily traffic curve.
    const rate =
      variant === 'latency-blip'
        ? 0.004 + r() * 0.01
        : Math.min(0.9, Math.max(0.33 / heaviest, 70 / (rpm * heaviest), 0.06) * (1.3 + r() * 0.8));
    const latency =
      variant === 'latency-blip'
        ? 1 + (17.5 / heaviest) * (1.15 + r() * 0.5)
        : variant === 'single-spike'
          ? 2 + r() * 3
          : 1.3 + r();
    // The clients' timeout is about what the slowed requests took, as the logged durations show.
    const timeoutMs = [250, 500, 1000, 2000, 5000].find((t) => t >= s.p95Ms * latency) ?? 5000;
    // Each host gets its own mix of timeouts and resets, with its own jitter: no host, peer or
    // route stands out.
    for (const h of s.hosts) {
      const reset = r() < 0.3;
      const error = towardsAnyPeer(
        reset ? RESET[s.lang] : TIMEOUT[s.lang](timeoutMs),
        peers,
        reset ? 502 : 504,
      );
      const jitter = Array.from({ length }, () => 0.7 + r() * 0.6);
      d.effect(s, (m) => {
        const k = at(m);
        if (!k) return undefined;
        return {
          hosts: [h.name],
          errorRate: rate * k * jitter[m - d.onset]!,
          latency: 1 + (latency - 1) * k,
          error,
        };
      });
    }
    // Client-side errors rise a little towards every peer at once.
    for (const peer of peers) {
      const share = 0.15 + r() * 0.15;
      d.effect(s, (m) =>
        at(m) ? { peerErrors: { peer, rate: Math.min(0.5, rate * at(m) * share) } } : undefined,
      );
    }
    // A trickle of retry warnings, to various peers, only during the blip.
    d.log({
      service: s.name,
      from: d.onset,
      to: end,
      perMinute: 2 + r() * 3,
      event: (x) => ({
        level: 'warn',
        message: `retrying request to ${pick(x, peers)} (attempt 2/3) after ${pick(x, ['timeout', 'timeout', 'connection reset'])}`,
      }),
    });
    // The caller sees a few of the same failures while the blip lasts.
    d.effect(e.caller, (m) =>
      at(m) ? { errorRate: rate * at(m) * 0.2, latency: 1 + (latency - 1) * at(m) * 0.5 } : undefined,
    );
    // A release of the alerting service well before the blip that stays in place after it recovers.
    if (r() < 0.5)
      releaseBeforeOnset(d, s, {
        messages: [
          'Add pagination to list endpoint',
          'Cache lookups for static reference data',
          'Refactor request validation',
        ],
        deployBefore: [45, 60],
        mergeGap: [10, 50],
        filename: sourcePath(s, 'http', 'handlers', e.slug),
        additions: [20, 60],
        deletions: 8,
        pr: { body: (message) => `${message}. Covered by tests.`, labels: ['backend'] },
      });

    const kind = variant === 'latency-blip' ? 'latency' : e.ratioMonitors ? 'error-ratio' : 'errors';
    // It fires in the first minute its 5-minute window holds most of the blip's weight (the
    // magnitudes above clear the threshold from there), and recovers once the window is clean.
    const windowAt = (j: number) => shape.slice(Math.max(0, j - 4), j + 1).reduce((a, b) => a + b, 0);
    let fireAfter = 1;
    while (windowAt(fireAfter) < 0.9 * heaviest) fireAfter++;
    const fired = d.onset + fireAfter;
    const monitor = d.alertOn(kind, s, fired, pick(r, [undefined, 2, 3]));
    const recovered = end + 4 + Math.floor(r() * 2);
    if (recovered <= -1 && r() < 0.7) {
      monitor.state = 'OK';
      d.event({
        minute: recovered,
        title: `[Recovered] ${monitorQuery(monitor, e).name}`,
        text: `${monitorQuery(monitor, e).query}\nThe monitor returned to OK.`,
        tags: [`service:${s.name}`, `env:${e.env}`, `monitor:${monitor.id}`],
        source: 'monitor',
      });
    }
    const rb = runbook(
      d,
      `runbooks/${s.name}-transient-errors.md`,
      `${s.name}: short error or latency spikes`,
      `## Triage\nCheck whether the spike is still going. If it recovered within minutes, with flat traffic, errors spread over hosts and peers, and no deploy, flag or config change lined up with its start, record it and do not roll anything back.\n\n## Follow-up\nIf spikes recur, capture traces during the next one and open a ticket with the ${s.team} team.`,
      pick(r, ['runbook', 'confluence', 'notion'] as const),
    );
    const similar = pastIncident(d, r, {
      title: `${s.name} brief ${variant === 'latency-blip' ? 'latency' : 'error'} spike, self-resolved`,
      summary: `${s.name} alerted for ${length} minutes and recovered before anyone acted.`,
      cause: 'Not determined: no change correlated; timeouts spread across peers.',
      mitigation: 'None needed; monitored.',
      services: [s.name],
    });
    d.title = `${s.name} ${variant === 'latency-blip' ? 'latency' : 'error'} blip that recovered on its own`;
    d.truth = {
      kind: 'inconclusive',
      accept: ['inconclusive'],
      keywords: ['transient', 'recovered', 'no change'],
      runbook: rb,
      similarIncident: similar,
    };
  },
};
