import type { ServiceCatalog } from '../../tools/contract';
import type { Suspect } from '../result';
import { COMMON_WORDS, tokensOf } from '../tokens';
import { DEFAULT_WEIGHTS, OFFLINE_DEFAULTS, type Weights } from './defaults';
import type { ChangeCandidate, EvidenceBundle, Signature } from './evidence';

/** A ranked suspect with the reasons that put it there (shown to people, and kept for learning). */
export type ScoredSuspect = Suspect & { reasons: string[]; overlap: number; time?: number };

/** 0..1: how much a change's files and text overlap the new error signatures. A file named in a stack frame is decisive. */
export function overlapScore(change: ChangeCandidate, signatures: readonly Signature[]): number {
  if (signatures.length === 0) return 0;
  const sigText = signatures
    .map((s) => s.text)
    .join('\n')
    .toLowerCase();
  for (const f of change.files) {
    const base = f
      .split('/')
      .pop()!
      .replace(/\.[a-z0-9]+$/i, '')
      .toLowerCase();
    if (
      base.length >= OFFLINE_DEFAULTS.overlap.fileNameMinChars &&
      !COMMON_WORDS.has(base) &&
      (sigText.includes(f.toLowerCase()) || sigText.includes(base))
    )
      return 1;
  }
  const sig = tokensOf(sigText);
  const mine = tokensOf(`${change.text} ${change.files.join(' ')}`);
  let hits = 0;
  for (const t of mine) if (sig.has(t)) hits += 1;
  const { fullTextTokens, textCap } = OFFLINE_DEFAULTS.overlap;
  return Math.min(1, hits / fullTextTokens) * textCap;
}

export function dependenciesOf(catalog: ServiceCatalog, service: string | undefined): string[] {
  if (!service) return [];
  return catalog.services[service]?.dependsOn ?? [];
}

function serviceMatch(
  catalog: ServiceCatalog,
  service: string | undefined,
  candidate: string | undefined,
): number {
  const match = OFFLINE_DEFAULTS.serviceMatch;
  if (!service) return match.unknown;
  if (candidate === undefined) return match.unknown;
  if (candidate === service) return match.same;
  if (dependenciesOf(catalog, service).includes(candidate)) return match.dependency;
  if (dependenciesOf(catalog, candidate).includes(service)) return match.dependent;
  return match.unrelated;
}

const round3 = (n: number) => Math.round(n * 1000) / 1000;

function proximity(onset: number, time: number): number {
  const dt = onset - time;
  if (dt < -OFFLINE_DEFAULTS.skewToleranceMs) return 0;
  return 0.5 ** (Math.max(dt, 0) / OFFLINE_DEFAULTS.proximityHalfLifeMs);
}

type Group = { primary: ChangeCandidate; members: ChangeCandidate[]; activation: number };

/** Collapses a commit, its PR and its deployments into one change; keyed by sha. */
export function groupChanges(changes: readonly ChangeCandidate[]): Group[] {
  const bySha = new Map<string, ChangeCandidate[]>();
  const singles: ChangeCandidate[] = [];
  for (const c of changes) {
    if (c.sha) bySha.set(c.sha, [...(bySha.get(c.sha) ?? []), c]);
    else singles.push(c);
  }
  // DataDog deploy events that name a known sha join that change.
  const rest: ChangeCandidate[] = [];
  for (const c of singles) {
    const sha = [...bySha.keys()].find((s) =>
      c.text.toLowerCase().includes(s.slice(0, OFFLINE_DEFAULTS.shortShaChars).toLowerCase()),
    );
    if (sha && c.kind === 'deployment') bySha.get(sha)!.push(c);
    else rest.push(c);
  }
  const order: ChangeCandidate['kind'][] = ['commit', 'pull_request', 'deployment'];
  const groups: Group[] = [...bySha.values()].map((members) => {
    const primary = [...members].sort((a, b) => order.indexOf(a.kind) - order.indexOf(b.kind))[0]!;
    const deploys = members.filter((m) => m.kind === 'deployment' && m.status !== 'failure');
    const activation =
      deploys.length > 0 ? Math.min(...deploys.map((d) => d.time)) : Math.max(...members.map((m) => m.time));
    return { primary, members, activation };
  });
  return [...groups, ...rest.map((c) => ({ primary: c, members: [c], activation: c.time }))];
}

export function scoreChanges(
  bundle: EvidenceBundle,
  onset: number,
  service: string | undefined,
  catalog: ServiceCatalog,
  weights: Weights = DEFAULT_WEIGHTS,
): ScoredSuspect[] {
  const relevant = bundle.signatures.filter(
    (s) =>
      !service ||
      s.services.length === 0 ||
      s.services.includes(service) ||
      s.services.some((x) => dependenciesOf(catalog, service).includes(x)),
  );
  const reposWithDeploys = new Set(
    bundle.changes.filter((c) => c.kind === 'deployment' && c.sha).map((c) => c.service),
  );
  return groupChanges(bundle.changes)
    .map(({ primary, members, activation }) => {
      const prox = proximity(onset, activation);
      const svc = serviceMatch(catalog, service, primary.service);
      const overlap = Math.max(...members.map((m) => overlapScore(m, relevant)));
      const failed =
        members.some((m) => m.kind === 'deployment' && m.status === 'failure') &&
        !members.some((m) => m.kind === 'deployment' && m.status === 'success');
      const undeployed =
        primary.sha !== undefined &&
        !members.some((m) => m.kind === 'deployment') &&
        reposWithDeploys.has(primary.service);
      let score = weights.time * prox + weights.service * svc + weights.overlap * overlap;
      if (prox === 0) score = 0;
      if (failed) score *= OFFLINE_DEFAULTS.failedDeployFactor;
      if (undeployed) score *= OFFLINE_DEFAULTS.undeployedFactor;
      const minutes = Math.round((onset - activation) / 60_000);
      const reasons = [
        minutes >= 0 ? `${minutes} min before the onset` : `${-minutes} min after the onset`,
        svc >= OFFLINE_DEFAULTS.serviceMatch.same
          ? 'in the alerting service'
          : svc >= OFFLINE_DEFAULTS.serviceMatch.dependency
            ? `in a dependency (${primary.service})`
            : `in ${primary.service ?? 'an unknown service'}`,
        ...(overlap >= 1
          ? ['touches code named in the new errors']
          : overlap > 0
            ? ['its text overlaps the new errors']
            : []),
        ...(failed ? ['its deployment failed (likely rolled back)'] : []),
        ...(undeployed ? ['no deployment of it was found'] : []),
      ];
      const kind = primary.kind === 'infrastructure' ? 'infrastructure' : primary.kind;
      const others = members.filter((m) => m !== primary).map((m) => `${m.kind} ${m.ref}`);
      return {
        kind,
        ref: primary.ref,
        title: others.length ? `${primary.title} (also ${others.join(', ')})` : primary.title,
        service: primary.service,
        score: Math.round(score * 1000) / 1000,
        evidence: [
          ...new Set(
            members
              .flatMap((m) => m.evidence)
              .concat(overlap > 0 ? relevant.slice(0, 2).map((s) => s.evidence) : []),
          ),
        ].filter(Boolean),
        url: (members.find((m) => m.kind === 'pull_request') ?? primary).url,
        reasons,
        overlap,
        time: activation,
        features: { time: round3(prox), service: svc, overlap: round3(overlap) },
      } satisfies ScoredSuspect;
    })
    .filter((s) => s.score > 0);
}

const TRANSPORT =
  /timeout|timed out|connect|connection|refused|unreachable|unavailable|upstream|dns|tls|handshake|reset|503|502|504|bad gateway|gateway/i;

/** Hostnames and dependency names mentioned by transport-style errors: candidate failing dependencies. */
export function mentionedComponents(
  signatures: readonly Signature[],
  known: readonly string[],
): Map<string, { lines: number; evidence: string[] }> {
  const out = new Map<string, { lines: number; evidence: string[] }>();
  for (const s of signatures) {
    if (!TRANSPORT.test(s.text)) continue;
    const names = new Set<string>();
    for (const k of known)
      if (new RegExp(`\\b${k.replace(/[.-]/g, '\\$&')}\\b`, 'i').test(s.text)) names.add(k);
    for (const h of s.text.match(/\b(?:[a-z0-9-]+\.)+(?:com|net|io|org|dev|cloud|internal|local|svc)\b/gi) ??
      [])
      names.add(h.toLowerCase());
    for (const n of names) {
      const cur = out.get(n) ?? { lines: 0, evidence: [] };
      cur.lines += s.count;
      cur.evidence.push(s.evidence);
      out.set(n, cur);
    }
  }
  return out;
}

/** Causes that are not changes: a failing dependency, a traffic surge, one bad host. */
export function scoreNonChanges(
  bundle: EvidenceBundle,
  onset: number,
  service: string | undefined,
  catalog: ServiceCatalog,
): ScoredSuspect[] {
  const out: ScoredSuspect[] = [];
  const deps = dependenciesOf(catalog, service);
  const mine = bundle.signatures.filter(
    (s) => !service || s.services.length === 0 || s.services.includes(service),
  );
  const totalNew = mine.reduce((a, s) => a + s.count, 0) || 1;
  const near = (t: string | undefined) =>
    t !== undefined && Math.abs(Date.parse(t) - onset) <= OFFLINE_DEFAULTS.nearOnsetMs;
  const allSeries = [...bundle.alertSeries, ...bundle.otherSeries];

  for (const [name, m] of mentionedComponents(mine, [
    ...deps,
    ...Object.keys(catalog.services).filter((s) => s !== service),
  ])) {
    const share = m.lines / totalNew;
    const ownOnset = allSeries.find(
      (s) =>
        s.series.scope.includes(`service:${name}`) &&
        s.series.onset?.kind === 'shift' &&
        s.series.onset.direction === 'up' &&
        near(s.series.onset.time),
    );
    const isDep = deps.includes(name) || !catalog.services[name];
    const dep = OFFLINE_DEFAULTS.dependency;
    const score =
      dep.base +
      dep.shareWeight * Math.min(1, share / dep.fullShare) +
      (ownOnset ? dep.ownOnsetBonus : 0) +
      (isDep ? dep.knownDependencyBonus : 0);
    out.push({
      kind: 'dependency',
      ref: name,
      title: `Dependency ${name} failing: ${m.lines} new transport errors from ${service ?? 'the service'} name it${ownOnset ? `, and its own ${ownOnset.series.metric} rose at the same time` : ''}`,
      service,
      score: Math.round(score * 1000) / 1000,
      evidence: [...new Set([...m.evidence, ...(ownOnset ? [ownOnset.evidence] : [])])],
      reasons: [
        `${Math.round(share * 100)}% of new errors name ${name}`,
        ...(ownOnset ? [`${name} degraded at the onset too`] : []),
      ],
      overlap: share,
    });
  }

  const traffic = allSeries.find(
    (s) =>
      /hits|requests?|throughput|rps|\.count\b/i.test(s.series.metric) &&
      !/error|fail|5xx|4xx|latenc|duration|time/i.test(s.series.metric) &&
      (!service || s.series.scope.includes(`service:${service}`)) &&
      s.series.onset?.kind === 'shift' &&
      s.series.onset.direction === 'up' &&
      near(s.series.onset.time),
  );
  if (traffic?.series.onset) {
    const ratio = traffic.series.onset.after / Math.max(traffic.series.onset.before, 1e-9);
    if (ratio >= OFFLINE_DEFAULTS.capacityRatio) {
      const strain = allSeries.filter(
        (s) =>
          s !== traffic &&
          /cpu|memory|latenc|duration|queue|lag|saturation|connections/i.test(s.series.metric) &&
          s.series.onset?.direction === 'up' &&
          near(s.series.onset.time),
      );
      const cap = OFFLINE_DEFAULTS.capacity;
      const score =
        cap.base +
        Math.min(cap.maxRatioBonus, (ratio - OFFLINE_DEFAULTS.capacityRatio) * cap.perRatio) +
        (strain.length > 0 ? cap.strainBonus : 0);
      out.push({
        kind: 'capacity',
        ref: service ?? traffic.series.scope,
        title: `Traffic surge: ${traffic.series.metric} rose ${ratio.toFixed(1)}x at the onset${strain.length ? ` with ${strain.map((s) => s.series.metric).join(', ')} up` : ''}`,
        service,
        score: Math.round(score * 1000) / 1000,
        evidence: [traffic.evidence, ...strain.map((s) => s.evidence)],
        reasons: [
          `request rate ${ratio.toFixed(1)}x baseline`,
          ...(strain.length ? ['saturation signals rose with it'] : []),
        ],
        overlap: 0,
      });
    }
  }

  for (const s of mine) {
    if (
      s.hosts.length === 1 &&
      s.count >= OFFLINE_DEFAULTS.host.minLines &&
      s.count / totalNew >= OFFLINE_DEFAULTS.hostShare
    ) {
      out.push({
        kind: 'infrastructure',
        ref: s.hosts[0]!,
        title: `One host, ${s.hosts[0]}, produces the new errors: ${s.text.slice(0, 120)}`,
        service,
        score: OFFLINE_DEFAULTS.host.score,
        evidence: [s.evidence],
        reasons: ['new errors come from a single host'],
        overlap: 0,
      });
    }
  }
  return out;
}

export function rankSuspects(
  bundle: EvidenceBundle,
  onset: number,
  service: string | undefined,
  catalog: ServiceCatalog,
  weights?: Weights,
): ScoredSuspect[] {
  const all = [
    ...scoreChanges(bundle, onset, service, catalog, weights),
    ...scoreNonChanges(bundle, onset, service, catalog),
  ];
  // A change that explains the errors beats a dependency merely named by them, and vice versa.
  return all.sort((a, b) => b.score - a.score).slice(0, OFFLINE_DEFAULTS.maxSuspects);
}
