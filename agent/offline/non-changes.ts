import type { Count } from '../../tools/datadog/attributes';
import { DEFAULT_WEIGHTS, OFFLINE_DEFAULTS } from './defaults';
import type { EvidenceBundle, PeerCalls, SeriesEvidence, SpanBreakdowns } from './evidence';
import {
  coincidence,
  componentKey,
  concentration,
  escapeRegExp,
  relevantSignatures,
  round3,
  serviceMatch,
} from './scale';
import type { ScoredSuspect, ScoringContext, Signature } from './types';

/**
 * Causes that are not changes compete on the same scale as changes (issue 13.8): a failing
 * dependency (internal or third-party), a capacity limit, a bad host, an expired certificate or
 * a DNS failure. Each is scored from its own hard evidence (mechanism), its timing and its place
 * relative to the alerting service, with the same weights as a change.
 */

const TRANSPORT =
  /timed? ?out|timeout|deadline|connect|connection|refused|unreachable|unavailable|upstream|reset|handshake|\b50[234]\b|bad gateway|gateway|circuit|econn|eof\b|broken pipe|no route/i;
const CERT =
  /x509|certificate|cert(?:ificate)? (?:has )?expired|ssl|tls handshake|unknown authority|self.signed/i;
const DNS =
  /servfail|nxdomain|no such host|name resolution|could not resolve|getaddrinfo|dns|temporary failure in name/i;
const DB_WAIT =
  /lock wait|deadlock|slow query|statement timeout|canceling statement|lock timeout|too many connections|remaining connection slots/i;
/**
 * Host names as written in errors: lower case (`System.Net.Http` is a .NET namespace, not a
 * host), and ending at the top-level label (`javax.net.ssl` is a Java package, not a host).
 */
const HOST =
  /\b(?:[a-z0-9-]+\.)+(?:com|net|io|org|dev|cloud|internal|local|svc|co|ai|app)\b(?!\.[A-Za-z0-9_$])/g;

/** Calls failing on locks or the schema: what a migration or a batch job on a shared database causes. */
const SCHEMA_TROUBLE =
  /lock ?wait|lock ?not ?available|lock_time|slow query|lock timeout|deadlock|statement timeout|canceling statement|could not obtain lock|does not exist|no such column|unknown column|out of range|data truncat|numeric value out of range/i;

/** A dependency refusing work because it has too much of it. */
const OVERLOAD =
  /overload|too many (?:in-flight|requests|concurrent|connections)|load shed|shedding|rejected request|queue full|over capacity|concurrency limit/i;
const RETRYING = /retrying|retry attempt|attempt \d+\s*(?:\/|of)\s*\d+|giving up after \d+ attempts/i;

/**
 * The peers the service's new span errors go to, when they concentrate on few of them (most of
 * the new errors on one peer): which dependency the failing calls reach, even when no error
 * group alone is large enough to be a signature.
 */
function failingPeers(spans: readonly SpanBreakdowns[]): CallPeer[] {
  const peers = spans.flatMap((s) => s.peers).filter((p) => p.newErrors > 0);
  const total = peers.reduce((a, p) => a + p.newErrors, 0);
  const { peerShare, minTraceErrors } = OFFLINE_DEFAULTS.dependency;
  if (total < minTraceErrors) return [];
  return peers
    .filter((p) => p.newErrors / total >= peerShare)
    .map((p) => ({ value: p.value, count: p.newErrors, how: 'trace' as const }));
}

/** A remote the service's failing calls go to, and what showed it (its traces, its client metrics). */
type CallPeer = Count & { how: 'trace' | 'metric'; evidence?: string };

/**
 * The peers whose outbound-call errors rose at the onset, when the rise concentrates on few of
 * them: the client's own count of the calls that fail, by the peer tags DataDog puts on them.
 */
function failingCallPeers(calls: readonly PeerCalls[], near: (t: string) => boolean): CallPeer[] {
  const rising = calls.filter((c) => c.series.onset?.direction === 'up' && near(c.series.onset.time));
  const rise = (c: PeerCalls) => Math.max(0, c.series.peak - c.series.baseline);
  const total = rising.reduce((a, c) => a + rise(c), 0);
  if (total <= 0) return [];
  return rising
    .filter((c) => rise(c) / total >= OFFLINE_DEFAULTS.dependency.peerShare)
    .map((c) => ({
      value: c.peer,
      count: Math.round(rise(c)),
      how: 'metric' as const,
      evidence: c.evidence,
    }));
}

/** Tags every series carries (where it runs, what it is), which never name a resource. */
const PLACEMENT_TAG =
  /^(?:env|service|version|host|availability-zone|region|team|kube_\w+|pod_name|container_\w+|cluster\w*)$/;

/**
 * The resource a saturating series measures, by the tag that is not placement (`queuename:x`,
 * `consumer_group:x`, `pool:x`), the alert's own series first.
 */
function saturatedResource(
  strain: readonly SeriesEvidence[],
  alertSeries: readonly SeriesEvidence[],
): string | undefined {
  const own = strain.filter((s) => alertSeries.includes(s));
  for (const s of [...own, ...strain.filter((x) => !own.includes(x))]) {
    const tag = s.series.scope
      .split(',')
      .map((t) => t.trim().split(':'))
      .find(([k, v]) => k && v && !PLACEMENT_TAG.test(k));
    if (tag) return tag.slice(1).join(':');
  }
  return undefined;
}

/** The service's own errors show it retrying its calls. */
/**
 * The change, live by the onset, whose own words name a place (a zone, a host): it is a change
 * to that place's network or capacity, not a bystander.
 */
function changeNaming(
  changes: readonly ScoredSuspect[],
  place: string,
  minTiming: number,
): ScoredSuspect | undefined {
  const names = new RegExp(`(?:^|[^a-z0-9])${escapeRegExp(place.toLowerCase())}(?:$|[^a-z0-9])`);
  return changes
    .filter(
      (c) =>
        (c.features?.time ?? 0) >= minTiming &&
        names.test(`${c.ref} ${c.title} ${c.says ?? ''}`.toLowerCase()),
    )
    .sort((a, b) => b.score - a.score)[0];
}

function retrying(signatures: readonly Signature[]): boolean {
  return signatures.some((s) => RETRYING.test(s.text));
}

type Mention = { name: string; lines: number; evidence: Set<string>; how: Set<string> };

/**
 * Components the new errors point at: peers in their splits, hosts and dependencies they name,
 * and, for a failing call that names no peer (`502 Bad Gateway` in a log line), the peer the
 * service's traces say its new span errors go to.
 */
function mentionedComponents(
  signatures: readonly Signature[],
  known: readonly string[],
  callPeers: readonly CallPeer[] = [],
): Map<string, Mention> {
  const out = new Map<string, Mention>();
  const unnamed: Signature[] = [];
  const add = (name: string, lines: number, ev: string, how: string) => {
    const key = componentKey(name);
    const cur = out.get(key) ?? { name, lines: 0, evidence: new Set<string>(), how: new Set<string>() };
    if (name.includes('.') && !cur.name.includes('.')) cur.name = name;
    cur.lines += lines;
    cur.evidence.add(ev);
    cur.how.add(how);
    out.set(key, cur);
  };
  for (const s of signatures) {
    const named = new Set<string>();
    const peerTotal = (s.peers ?? []).reduce((a, p) => a + p.count, 0);
    // A stack's frames name code (`com.acme.checkout.ledger.LedgerClient`), not the components
    // called: only its message line is read for them.
    const text = `${s.text}\n${s.stack?.split('\n')[0] ?? ''}\n${Object.values(s.attributes ?? {}).join(' ')}`;
    const hostsNamed = text.match(HOST) ?? [];
    for (const p of s.peers ?? []) {
      if (p.count / Math.max(peerTotal, 1) < OFFLINE_DEFAULTS.dependency.peerShare) continue;
      // A peer.service is often the first label of the host called (`api` for api.stripe.com):
      // the host the same errors name is the component.
      const host = p.value.includes('.') ? p.value : hostsNamed.find((h) => h.startsWith(`${p.value}.`));
      const name = host ?? p.value;
      named.add(componentKey(name));
      add(name, Math.round((s.count * p.count) / Math.max(peerTotal, 1)), s.evidence, 'peer');
    }
    if (!TRANSPORT.test(text) && !CERT.test(text) && !DNS.test(text) && !DB_WAIT.test(text)) continue;
    for (const k of known)
      if (!named.has(componentKey(k)) && new RegExp(`\\b${escapeRegExp(k)}\\b`, 'i').test(text)) {
        named.add(componentKey(k));
        add(k, s.count, s.evidence, 'named');
      }
    for (const h of text.match(HOST) ?? [])
      if (!named.has(componentKey(h))) {
        named.add(componentKey(h));
        add(h, s.count, s.evidence, 'named');
      }
    if (named.size === 0) unnamed.push(s);
  }
  // Only for a peer no error names: what the traces or client metrics add must not inflate a
  // named dependency's share. Both show the same calls: a peer is credited once.
  const unnamedPeers = callPeers.filter(
    (p, i) =>
      !out.has(componentKey(p.value)) &&
      callPeers.findIndex((q) => componentKey(q.value) === componentKey(p.value)) === i,
  );
  for (const s of unnamed)
    for (const p of unnamedPeers) {
      add(p.value, s.count, s.evidence, p.how);
      if (p.evidence) out.get(componentKey(p.value))!.evidence.add(p.evidence);
    }
  return out;
}

export function scoreNonChanges(
  bundle: EvidenceBundle,
  ctx: ScoringContext,
  changes: ScoredSuspect[],
): ScoredSuspect[] {
  const d = OFFLINE_DEFAULTS;
  const w = ctx.weights ?? DEFAULT_WEIGHTS;
  const { service, catalog, onset } = ctx;
  const out: ScoredSuspect[] = [];
  const mine = bundle.signatures.filter(
    (s) => !service || s.services.length === 0 || s.services.includes(service),
  );
  const relevant = relevantSignatures(bundle, service, catalog);
  const totalNew = mine.reduce((a, s) => a + s.count, 0) || 1;
  const allSeries = [...bundle.alertSeries, ...bundle.otherSeries];
  const near = (t: string | number | undefined) =>
    t !== undefined && Math.abs((typeof t === 'number' ? t : Date.parse(t)) - onset) <= d.nearOnsetMs;
  const known = Object.keys(catalog.services).filter((s) => s !== service);
  const callPeers = [
    ...failingPeers(bundle.spans.filter((s) => s.service === service)),
    ...failingCallPeers(bundle.peerCalls, near),
  ];
  const push = (
    s: Omit<ScoredSuspect, 'score' | 'overlap'> & {
      mech: number;
      prox: number;
      svc: number;
      factor?: number;
    },
  ) => {
    // `factor` scales the whole score: evidence that the hypothesis is explained by something else.
    const { mech, prox, svc, factor = 1, ...rest } = s;
    const score = (w.time * prox + w.service * svc + w.overlap * mech) * factor;
    out.push({
      ...rest,
      score: round3(score),
      overlap: mech,
      decisive: mech >= d.confidence.decisiveMechanism && prox >= d.confidence.decisiveTiming,
      features: {
        time: round3(prox),
        service: svc,
        overlap: round3(mech),
      },
    });
  };

  // Error lines (by evidence id) that are calls to a dependency a change explains, and that change.
  const explainedCalls = new Map<string, string>();
  // A failing dependency.
  const ownKey = service ? componentKey(service) : undefined;
  for (const [key, m] of mentionedComponents(mine, known, callPeers)) {
    if (key === ownKey) continue;
    const share = Math.min(1, m.lines / totalNew);
    if (share < d.dependency.minShare || m.lines < d.dependency.minLines) continue;
    const inCatalog = known.find((k) => componentKey(k) === key);
    const ownShift = allSeries.find(
      (s) =>
        inCatalog !== undefined &&
        s.series.scope.includes(`service:${inCatalog}`) &&
        s.series.onset?.direction === 'up' &&
        near(s.series.onset.time),
    );
    const ownErrors = inCatalog ? bundle.signatures.filter((s) => s.services.includes(inCatalog)) : [];
    // The dependency stopped failing while the service kept failing: something in the service
    // (retries, a pool, a breaker) amplifies or holds the failure, so the dependency is not the cause.
    const ownLast = Math.max(...ownErrors.map((s) => s.lastSeen ?? Number.NEGATIVE_INFINITY));
    const mineLast = Math.max(...mine.map((s) => s.lastSeen ?? Number.NEGATIVE_INFINITY));
    const recovered =
      Number.isFinite(ownLast) &&
      Number.isFinite(mineLast) &&
      mineLast - ownLast >= d.dependency.recoveredGapMs;
    // Or it fails from overload while the service retries into it: the calls are the load.
    // Or the service's own retry setting turns the blip into a storm: a change there that set
    // its retries and hard-links to how it fails.
    // (A change gets the retry mode only when the errors show retries.) It must hard-link to the
    // errors or name this dependency: "Retry tracking calls up to 5 times", not "Extract retry helper".
    const depName = (inCatalog ?? key).toLowerCase();
    // The dependency's first word, unless the service's own name has it (`catalog` of
    // `catalog-postgres` names the service itself in every rollout title, 13.6).
    const ownWords = new Set((service ?? '').toLowerCase().split(/[-_.]/));
    const firstWord = depName.split(/[-_.]/)[0]!;
    const depWord = ownWords.has(firstWord) ? '' : firstWord;
    const amplifier = changes
      .filter(
        (c) =>
          c.service === service &&
          c.modes?.includes('retry') &&
          (c.overlap >= d.confidence.decisiveMechanism ||
            `${c.title} ${c.ref}`.toLowerCase().includes(depName) ||
            (depWord.length >= 4 &&
              new RegExp(`\\b${escapeRegExp(depWord)}\\b`).test(c.title.toLowerCase()))),
      )
      .sort((a, b) => b.overlap - a.overlap)[0];
    const overloaded =
      amplifier !== undefined ||
      (retrying(mine) &&
        inCatalog !== undefined &&
        [...ownErrors, ...bundle.ongoing.filter((o) => o.services.includes(inCatalog))].some((s) =>
          OVERLOAD.test(s.text),
        ));
    const status = bundle.observations.find(
      (o) =>
        (o.kind === 'status_page' || o.kind === 'cloud_health') &&
        `${o.title} ${o.text}`.toLowerCase().includes(key),
    );
    // The change that broke the dependency is a deeper cause than the dependency itself.
    // The change that broke the dependency is a deeper cause than the dependency itself: one
    // in it, one whose ref or title names it (an upstream address, a breaker or a route for it),
    // or a migration when the calls fail on locks or the schema.
    // Configs spell names their own way: `be_reviews_api` is the backend for reviews-api.
    const spelled = (inCatalog ?? key).split(/[-_]/).map(escapeRegExp).join('[-_]');
    const namesIt = new RegExp(`(?:^|[^a-z0-9])(?:[a-z]{1,3}_)?${spelled}(?:$|[^a-z0-9])`, 'i');
    const schemaTrouble = mine.some((s) => m.evidence.has(s.evidence) && SCHEMA_TROUBLE.test(s.text));
    const explainedBy = changes
      .filter(
        (c) =>
          ((c.features?.time ?? 0) >= d.dependency.explainingChangeTiming &&
            ((c.service !== undefined && componentKey(c.service) === key) ||
              (c.kind !== 'deployment' &&
                c.kind !== 'commit' &&
                namesIt.test(`${c.ref} ${c.title} ${c.says ?? ''}`)))) ||
          // Lock contention builds while a backfill or batch runs: a latent cause with a hard link.
          (schemaTrouble &&
            c.modes?.includes('schema') &&
            c.overlap >= d.dependency.latentExplainingMechanism &&
            (c.features?.time ?? 0) >= d.dependency.latentExplainingTiming),
      )
      .sort((a, b) => b.score - a.score)[0];
    // A peer only the traces name is a finding when a change on the path to it explains it:
    // alone it is the caller's own failure (its timeout, its pool) seen from the outside.
    const onlyCalls = !m.how.has('peer') && !m.how.has('named');
    if (onlyCalls && (!explainedBy || recovered || overloaded)) continue;
    const mech = Math.min(
      1,
      d.dependency.shareWeight * Math.min(1, share / d.dependency.fullShare) +
        (ownShift ? d.dependency.ownShift : 0) +
        (ownErrors.length ? d.dependency.ownErrors : 0) +
        (status ? d.dependency.statusPage : 0),
    );
    const first = Math.min(...mine.filter((s) => m.evidence.has(s.evidence)).map((s) => s.firstSeen));
    const prox = Number.isFinite(first) ? coincidence(onset, first) : 0.5;
    const svc = inCatalog ? serviceMatch(catalog, service, inCatalog) : d.serviceMatch.dependency;
    if (amplifier && !amplifier.reasons.some((r) => r.includes('amplify'))) {
      amplifier.score = round3(Math.min(1, amplifier.score + d.dependency.explainingChangeBonus * mech));
      amplifier.reasons.push(`its retries amplify ${m.name}'s blip into this failure`);
    }
    // A dependency overloaded by the service's own retries is not explained by its own change.
    // The dependency shows no failure of its own (no errors, no shift): only the path to it broke.
    const healthyItself = !ownShift && ownErrors.length === 0;
    if (explainedBy && !(recovered || overloaded)) {
      // The change takes the dependency's hard link: the errors that point at the dependency are its.
      const f = explainedBy.features ?? { time: 0, service: 0, overlap: 0 };
      const linked = Math.max(explainedBy.overlap, mech);
      const transferred = w.time * f.time + w.service * Math.max(f.service, svc) + w.overlap * linked;
      explainedBy.score = round3(
        Math.min(1, Math.max(transferred, explainedBy.score + d.dependency.explainingChangeBonus * mech)),
      );
      explainedBy.reasons.push(`${m.name} is failing and this change is on the path to it`);
      explainedBy.overlap = linked;
      for (const ev of m.evidence) explainedCalls.set(ev, explainedBy.ref);
    }
    push({
      kind: 'dependency',
      // A catalog service is named as the catalog names it; an outside host as the errors do.
      ref: inCatalog ?? m.name,
      title: `Dependency ${m.name} failing: ${m.lines} new errors from ${service ?? 'the service'} point at it${ownShift ? `, and its own ${ownShift.series.metric} rose at the same time` : ''}`,
      ...(service ? { service } : {}),
      evidence: [
        ...m.evidence,
        ...(ownShift ? [ownShift.evidence] : []),
        ...(status ? [status.evidence] : []),
      ],
      reasons: [
        `${Math.round(share * 100)}% of new errors ${m.how.has('peer') || m.how.has('trace') || m.how.has('metric') ? 'are calls to' : 'name'} ${m.name}${m.how.has('metric') ? ` (its client's errors to ${m.name} rose at the onset)` : ''}`,
        ...(ownShift ? [`${m.name} degraded at the onset too`] : []),
        ...(ownErrors.length ? [`${m.name} logs new errors of its own`] : []),
        ...(status ? [`status: ${status.title.slice(0, 80)}`] : []),
        ...(explainedBy && !(recovered || overloaded)
          ? [`a change in ${m.name} went live just before (${explainedBy.ref.slice(0, 12)})`]
          : []),
        ...(recovered
          ? [`but ${m.name} stopped failing while ${service ?? 'the service'} kept failing`]
          : []),
        ...(overloaded
          ? [`but ${m.name} is shedding load while ${service ?? 'the service'} retries into it`]
          : []),
      ],
      corroborated: !healthyItself || status !== undefined,
      mech:
        mech *
        (explainedBy && !(recovered || overloaded)
          ? healthyItself
            ? d.dependency.explainedHealthyFactor
            : d.dependency.explainedFactor
          : 1) *
        (recovered || overloaded ? d.dependency.recoveredFactor : 1),
      prox,
      svc,
    });
  }

  // Infrastructure: one host, or an expired certificate / DNS failure.
  const hostLines = new Map<string, { lines: number; ev: Set<string> }>();
  let withHosts = 0;
  for (const s of mine)
    for (const h of s.hostCounts ?? (s.hosts.length === 1 ? [{ value: s.hosts[0]!, count: s.count }] : [])) {
      withHosts += h.count;
      const cur = hostLines.get(h.value) ?? { lines: 0, ev: new Set<string>() };
      cur.lines += h.count;
      cur.ev.add(s.evidence);
      hostLines.set(h.value, cur);
    }
  const servingHosts = new Set(
    bundle.spans.filter((s) => s.service === service).flatMap((s) => s.hosts.map((h) => h.value)),
  );
  // The alert metric counts every request; logs may come from a few hosts only. When the metric
  // split by host shows the rise spread over hosts, one host's share of the log lines is sampling.
  const hostSplit = bundle.splits.find((x) => x.tag === 'host' && x.groups.length >= 2);
  const metricHost = hostSplit ? concentration(hostSplit, d.hostShare)?.value : undefined;
  for (const [host, h] of hostLines) {
    const share = h.lines / Math.max(withHosts, 1);
    if (share < d.hostShare || h.lines < d.host.minLines) continue;
    if (hostSplit && metricHost !== host) continue;
    const others = [...servingHosts].filter((x) => x !== host).length;
    // The platform's word about the host itself (NotReady, disk, retirement, cloud health); a
    // container of the service restarting there points at the release, not the host.
    const node = bundle.observations.find(
      (o) =>
        (o.kind === 'node' || o.kind === 'cloud_health') &&
        (o.host === host || `${o.title} ${o.text}`.includes(host)),
    );
    // The service's own containers being OOM-killed or restarted, with nothing wrong reported of
    // the host, makes one host's errors the dying container's, not the machine's.
    const containerTrouble =
      !node &&
      bundle.observations.some((o) => (o.kind === 'oom' || o.kind === 'restart') && o.service === service);
    const mech = Math.min(
      1,
      d.host.concentration * share + (others > 0 ? d.host.healthyPeers : 0) + (node ? d.host.nodeEvent : 0),
    );
    // Every error line of the host is a call to a dependency a change broke, and the platform
    // says nothing of the host: the change (a rule that dropped the host's subnet) bit there.
    const explainedBy = node ? undefined : [...h.ev].map((ev) => explainedCalls.get(ev));
    const byChange = explainedBy?.every(Boolean) ? explainedBy[0] : undefined;
    push({
      kind: 'infrastructure',
      ref: host,
      title: `One host, ${host}, produces ${Math.round(share * 100)}% of the new errors${node ? `; ${node.title.slice(0, 80)}` : ''}`,
      ...(service ? { service } : {}),
      evidence: [...h.ev, ...(node ? [node.evidence] : [])],
      reasons: [
        `${Math.round(share * 100)}% of new error lines come from ${host}`,
        ...(others > 0 ? [`${others} other host(s) serve the same traffic without them`] : []),
        ...(node ? [`the platform reported: ${node.title.slice(0, 80)}`] : []),
        ...(byChange ? [`but its errors are calls a change explains (${byChange.slice(0, 12)})`] : []),
      ],
      mech,
      prox: 1,
      svc: d.serviceMatch.same,
      factor:
        (containerTrouble ? d.host.containerTroubleFactor : 1) *
        (byChange ? d.host.explainedByChangeFactor : 1),
    });
  }
  // The alert metric's rise concentrated on one host or one zone while the rest kept serving.
  for (const split of bundle.splits.filter((x) => x.tag !== 'version')) {
    const c = concentration(split, d.hostShare);
    if (!c || out.some((o) => o.kind === 'infrastructure' && o.ref === c.value)) continue;
    // A host's own event names the host; a zone's is one that names the zone and no host.
    const platform = bundle.observations.find(
      (o) =>
        (o.kind === 'node' || o.kind === 'cloud_health') &&
        (split.tag === 'host'
          ? o.host === c.value || `${o.title} ${o.text}`.toLowerCase().includes(c.value.toLowerCase())
          : o.host === undefined && o.tags.some((t) => t.endsWith(`:${c.value}`))),
    );
    const what = split.tag === 'host' ? 'host' : 'zone';
    // With nothing reported of the host or zone itself, a change at the onset is where the
    // concentration comes from when it names the place (a rule for one subnet's CIDR, `# private-
    // us-east-1c`) or explains the calls failing there (the rule that dropped the database's clients).
    const namer = platform ? undefined : changeNaming(changes, c.value, d.dependency.explainingChangeTiming);
    if (namer && !namer.reasons.some((x) => x.includes(c.value)))
      namer.reasons.push(`it names ${what} ${c.value}, where the rise concentrates`);
    const explainedLines = mine
      .filter((s) => explainedCalls.has(s.evidence))
      .reduce((a, s) => a + s.count, 0);
    const byChange =
      namer?.ref ??
      (platform || explainedLines / totalNew < d.hostShare
        ? undefined
        : explainedCalls.get(mine.find((s) => explainedCalls.has(s.evidence))!.evidence));
    push({
      kind: 'infrastructure',
      ref: c.value,
      title: `One ${what}, ${c.value}, carries ${Math.round(100 * c.share)}% of the rise${platform ? `; ${platform.title.slice(0, 80)}` : ''}`,
      ...(service ? { service } : {}),
      evidence: [split.evidence, ...(platform ? [platform.evidence] : [])],
      reasons: [
        `${Math.round(100 * c.share)}% of the alert metric's rise is on ${what} ${c.value}`,
        `${c.others} other ${what}(s) kept serving without it`,
        ...(platform ? [`the platform reported: ${platform.title.slice(0, 80)}`] : []),
        ...(byChange ? [`but a change explains why it fails there (${byChange.slice(0, 24)})`] : []),
      ],
      mech: Math.min(
        1,
        d.host.concentration * c.share + d.host.healthyPeers + (platform ? d.host.nodeEvent : 0),
      ),
      // The rise itself is at the onset; a platform notice may predate it (a retirement scheduled hours ago).
      prox: 1,
      svc: d.serviceMatch.same,
      factor: byChange ? d.host.explainedByChangeFactor : 1,
    });
  }
  for (const [re, what] of [
    [CERT, 'certificate'],
    [DNS, 'DNS resolution'],
  ] as const) {
    const sigs = relevant.filter((s) => re.test(`${s.text} ${s.stack ?? ''}`));
    const lines = sigs.reduce((a, s) => a + s.count, 0);
    if (lines / totalNew < d.dependency.minShare) continue;
    const hosts = new Map<string, number>();
    for (const s of sigs)
      for (const h of `${s.text} ${s.stack ?? ''}`.match(HOST) ?? [])
        hosts.set(h.toLowerCase(), (hosts.get(h.toLowerCase()) ?? 0) + s.count);
    const host = [...hosts].sort((a, b) => b[1] - a[1])[0]?.[0];
    if (!host) continue;
    const share = Math.min(1, lines / totalNew);
    push({
      kind: 'infrastructure',
      ref: host,
      title: `${what === 'certificate' ? 'TLS certificate' : 'DNS'} failure for ${host}: ${lines} new errors`,
      ...(service ? { service } : {}),
      evidence: sigs.slice(0, 3).map((s) => s.evidence),
      reasons: [`${Math.round(share * 100)}% of new errors are ${what} failures naming ${host}`],
      mech: Math.min(1, d.infrastructure.signature + d.infrastructure.shareWeight * share),
      prox: coincidence(onset, Math.min(...sigs.map((s) => s.firstSeen))),
      svc: d.serviceMatch.same,
    });
  }

  // Capacity: demand up at the onset, a resource pinned, work per request unchanged.
  const traffic = allSeries.find(
    (s) =>
      /hits|requests?|throughput|rps|\.count\b|received|published|enqueued|incoming/i.test(s.series.metric) &&
      !/error|fail|5xx|4xx|latenc|duration|time/i.test(s.series.metric) &&
      (!service || s.series.scope.includes(`service:${service}`)) &&
      s.series.onset?.direction === 'up' &&
      near(s.series.onset.time),
  );
  if (traffic?.series.onset) {
    const ratio = traffic.series.onset.after / Math.max(traffic.series.onset.before, 1e-9);
    const strain = allSeries.filter(
      (s) =>
        s !== traffic &&
        /cpu|memory|latenc|duration|queue|lag|saturation|connections|backlog|depth|pending|utiliz|messages/i.test(
          s.series.metric,
        ) &&
        s.series.onset?.direction === 'up' &&
        near(s.series.onset.time),
    );
    if (ratio >= (strain.length > 0 ? d.capacity.strainedRatio : d.capacityRatio)) {
      const autoscaler = bundle.observations.find(
        (o) => o.kind === 'autoscaler' && (!service || o.service === service),
      );
      const cap = d.capacity;
      const mech = Math.min(
        1,
        cap.base +
          Math.max(0, Math.min(cap.maxRatioBonus, (ratio - d.capacityRatio) * cap.perRatio)) +
          (strain.length > 0 ? cap.strainBonus : 0) +
          (autoscaler ? cap.autoscalerBonus : 0) -
          (relevant.length > 0 && !strain.length ? cap.newErrorPenalty : 0),
      );
      push({
        kind: 'capacity',
        // The saturated resource is the ref (a queue, a pool), else the service that ran out.
        ref: saturatedResource(strain, bundle.alertSeries) ?? service ?? traffic.series.scope,
        title: `Demand surge: ${traffic.series.metric} rose ${ratio.toFixed(1)}x at the onset${strain.length ? ` with ${strain.map((s) => s.series.metric).join(', ')} up` : ''}`,
        ...(service ? { service } : {}),
        evidence: [
          traffic.evidence,
          ...strain.map((s) => s.evidence),
          ...(autoscaler ? [autoscaler.evidence] : []),
        ],
        reasons: [
          `demand ${ratio.toFixed(1)}x baseline`,
          ...(strain.length ? ['saturation signals rose with it'] : []),
          ...(autoscaler ? [`autoscaler: ${autoscaler.title.slice(0, 60)}`] : []),
        ],
        mech,
        prox: coincidence(onset, Date.parse(traffic.series.onset.time)),
        svc: d.serviceMatch.same,
      });
    }
  }
  return out;
}
