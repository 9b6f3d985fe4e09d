import type { ServiceCatalog } from '../../tools/contract';
import type { Suspect } from '../result';
import { DEFAULT_WEIGHTS, OFFLINE_DEFAULTS } from './defaults';
import type { EvidenceBundle } from './evidence';
import { type ChangeText, combine, errorCorpus, errorEvidence, type Link, linksOf } from './mechanism';
import { scoreNonChanges } from './non-changes';
import { buildChangeUnits, type ChangeUnit } from './rollouts';
import { concentration, dependenciesOf, proximity, relevantSignatures, round3, serviceMatch } from './scale';
import type { ScoredSuspect, ScoringContext } from './types';

export { dependenciesOf } from './scale';

/** Service names never make a link: every error and change of a service names it. */
function serviceNames(catalog: ServiceCatalog, bundle: EvidenceBundle): string[] {
  return [
    ...new Set([
      ...Object.keys(catalog.services),
      ...bundle.changes.flatMap((c) => (c.service ? [c.service] : [])),
    ]),
  ];
}

type Scored = {
  unit: ChangeUnit;
  links: Link[];
  best?: { sha: string; links: Link[] };
  /** The file-risk prior (change-match): below 1 for docs/tests/CI only, above for config and migrations. */
  risk: number;
  riskReason?: string;
};

export function scoreChanges(bundle: EvidenceBundle, ctx: ScoringContext): ScoredSuspect[] {
  const weights = ctx.weights ?? DEFAULT_WEIGHTS;
  const units = buildChangeUnits(bundle.changes, ctx.env);
  const relevant = relevantSignatures(bundle, ctx.service, ctx.catalog);
  const related = new Set([ctx.service, ...dependenciesOf(ctx.catalog, ctx.service)].filter(Boolean));
  const observations = bundle.observations.filter(
    (o) => !o.service || related.has(o.service) || !ctx.service,
  );
  const corpus = errorCorpus(relevant, observations);
  // Every commit, and every unit without commits, is one candidate: rarity is judged across all.
  const texts: ChangeText[] = [];
  units.forEach((u, i) => {
    for (const c of u.commits) {
      const prs = u.members.filter((m) => m.kind === 'pull_request' && m.sha === c.sha);
      texts.push({
        id: c.sha!,
        title: c.title,
        text: `${c.text} ${prs.map((p) => `${p.title} ${p.text}`).join(' ')}`,
        files: c.patches ?? c.files.map((filename) => ({ filename })),
      });
    }
    const own = u.members.filter((m) => m.kind !== 'pull_request' || u.commits.length === 0);
    texts.push({
      id: unitId(i),
      title: u.title,
      text: own.map((m) => `${m.text} ${m.ref}`).join(' '),
      files: [],
    });
  });
  const links = linksOf(texts, errorEvidence(relevant), corpus, serviceNames(ctx.catalog, bundle));
  const scored: Scored[] = units.map((unit, i) => scoreUnit(unit, i, links, bundle));
  const { decisiveMechanism, decisiveTiming } = OFFLINE_DEFAULTS.confidence;
  return scored
    .map(({ unit, links, best, risk, riskReason }): ScoredSuspect => {
      const prox = proximity(ctx.onset, unit.activation);
      const svc = serviceMatch(ctx.catalog, ctx.service, unit.service);
      const mech = combine(links);
      let score = weights.time * prox + weights.service * svc + weights.overlap * mech;
      const f = OFFLINE_DEFAULTS;
      if (unit.failed) score *= f.failedDeployFactor;
      if (unit.undeployed) score *= f.undeployedFactor;
      if (unit.elsewhere) score *= f.elsewhereFactor;
      if (unit.kind === 'unknown') score *= f.unknownEventFactor;
      if (mech < decisiveMechanism) score *= risk;
      const minutes = Math.round((ctx.onset - unit.activation) / 60_000);
      const reasons = [
        minutes >= 0
          ? `went live ${minutes} min before the onset`
          : `went live ${-minutes} min after the onset`,
        svc >= f.serviceMatch.same
          ? 'in the alerting service'
          : svc >= f.serviceMatch.dependency
            ? `in a dependency (${unit.service})`
            : `in ${unit.service ?? 'an unknown service'}`,
        ...links.slice(0, 3).map((l) => l.reason),
        ...(unit.kind === 'rollout' && unit.commits.length > 1
          ? [`the rollout shipped ${unit.commits.length} commits`]
          : []),
        ...(riskReason && mech < decisiveMechanism ? [riskReason] : []),
        ...(unit.failed ? ['its deployment failed (likely rolled back)'] : []),
        ...(unit.undeployed ? ['no deployment shipped it to this environment'] : []),
        ...(unit.elsewhere ? ['deployed to another environment only'] : []),
      ];
      const ref = refOf(unit, best);
      const pr = unit.members.find((m) => m.kind === 'pull_request' && (!best || m.sha === best.sha));
      return {
        kind: suspectKind(unit),
        ref,
        title: titleOf(unit, best),
        ...(unit.service ? { service: unit.service } : {}),
        score: round3(score),
        evidence: [
          ...new Set([
            ...unit.members.flatMap((m) => m.evidence),
            ...unit.commits.flatMap((c) => c.evidence),
            ...(links.length ? relevant.slice(0, 2).map((s) => s.evidence) : []),
          ]),
        ].filter(Boolean),
        ...((pr?.url ?? unit.members[0]?.url ?? unit.commits[0]?.url)
          ? { url: pr?.url ?? unit.members[0]?.url ?? unit.commits[0]?.url }
          : {}),
        reasons,
        overlap: mech,
        time: unit.activation,
        decisive: mech >= decisiveMechanism && prox >= decisiveTiming,
        ...(links.some((l) => l.mode) ? { modes: links.flatMap((l) => (l.mode ? [l.mode] : [])) } : {}),
        features: { time: round3(prox), service: svc, overlap: round3(mech) },
        ...(unit.kind !== 'rollout' && unit.kind !== 'commit'
          ? { says: unit.members.map((m) => `${m.text} ${(m.tags ?? []).join(' ')}`).join(' ') }
          : {}),
      };
    })
    .filter((s) => s.score > 0);
}

const unitId = (i: number) => `unit:${i}`;

function scoreUnit(
  unit: ChangeUnit,
  index: number,
  all: ReturnType<typeof linksOf>,
  bundle: EvidenceBundle,
): Scored {
  let best: Scored['best'];
  let risk = 1;
  let riskReason: string | undefined;
  for (const c of unit.commits) {
    const found = all.get(c.sha!);
    if (!found) continue;
    if (!best || combine(found.links) > combine(best.links)) best = { sha: c.sha!, links: found.links };
    // A rollout is as risky as its riskiest commit; a lone commit as its own files.
    if (found.risk > risk || unit.commits.length === 1) {
      risk = found.risk;
      riskReason = found.riskReason;
    }
  }
  const own = all.get(unitId(index));
  const versionLink = versionLinkOf(unit, bundle);
  const oomLink = oomAfter(unit, bundle);
  const links = [
    ...(best?.links ?? []),
    ...(own?.links ?? []),
    ...(versionLink ? [versionLink] : []),
    ...(oomLink ? [oomLink] : []),
  ];
  return { unit, links: dedupeReasons(links), best, risk, ...(riskReason ? { riskReason } : {}) };
}

/**
 * New errors concentrated on the version a rollout shipped point at that rollout, but only when
 * the rollout was partial (a canary, a rollout halted part way): then the previous version kept
 * serving without those errors. When the new version took all traffic every later error carries
 * it, so the split says nothing. Partial means the version served clearly less of the window's
 * requests than a full cutover at its start would have.
 */
function versionLinkOf(unit: ChangeUnit, bundle: EvidenceBundle): Link | undefined {
  const version = unit.version;
  if (!version) return undefined;
  for (const split of bundle.splits.filter((s) => s.tag === 'version')) {
    const c = concentration(split, OFFLINE_DEFAULTS.versionShare);
    if (c?.value === version)
      return {
        strength: OFFLINE_DEFAULTS.mechanism.version,
        reason: `${Math.round(100 * c.share)}% of the alert metric's rise is on version ${version}, while ${c.others} other version(s) kept serving`,
      };
  }
  let on = 0;
  let all = 0;
  for (const s of bundle.signatures)
    for (const v of s.versions ?? []) {
      all += v.count;
      if (v.value === version) on += v.count;
    }
  if (all === 0 || on / all < OFFLINE_DEFAULTS.versionShare) return undefined;
  const spans = bundle.spans.filter((s) => !unit.service || s.service === unit.service);
  const served = spans.flatMap((s) => s.versions).reduce((a, v) => a + v.count, 0);
  const mine = spans
    .flatMap((s) => s.versions.filter((v) => v.value === version))
    .reduce((a, v) => a + v.count, 0);
  const window = spans[0];
  if (served === 0 || !window) return undefined;
  const fullCutover = Math.max(
    0,
    Math.min(1, (window.to - unit.activation) / Math.max(window.to - window.from, 1)),
  );
  const share = mine / served;
  if (share > fullCutover - OFFLINE_DEFAULTS.partialRolloutMargin) return undefined;
  // Partial means the other versions kept serving while the errors came: a rolling deploy that
  // replaced them all before the first error served little of the window, but took all traffic.
  const firstError = Math.min(
    ...bundle.signatures.filter((s) => s.versions?.some((v) => v.value === version)).map((s) => s.firstSeen),
  );
  const othersServing = spans
    .flatMap((s) => s.versions.filter((v) => v.value !== version))
    .some((v) => v.lastSeen === undefined || Date.parse(v.lastSeen) >= firstError);
  if (Number.isFinite(firstError) && !othersServing) return undefined;
  return {
    strength: OFFLINE_DEFAULTS.mechanism.version,
    reason: `${Math.round((100 * on) / all)}% of new errors are on version ${version}, which served only ${Math.round(100 * share)}% of requests (a partial rollout)`,
  };
}

/**
 * A release that leaks shows it after it goes live: the service's containers are OOM-killed or
 * restarted in the hours after, not before. Only code releases (rollouts, commits) can leak.
 */
function oomAfter(unit: ChangeUnit, bundle: EvidenceBundle): Link | undefined {
  if ((unit.kind !== 'rollout' && unit.kind !== 'commit') || !unit.service) return undefined;
  const kills = bundle.observations.filter(
    (o) =>
      (o.kind === 'oom' || o.kind === 'restart') &&
      (o.service === unit.service || `${o.title} ${o.text}`.includes(unit.service!)) &&
      o.time > unit.activation &&
      o.time - unit.activation <= OFFLINE_DEFAULTS.leakWindowMs,
  );
  const before = bundle.observations.some(
    (o) => o.kind === 'oom' && o.service === unit.service && o.time <= unit.activation,
  );
  if (kills.length === 0 || before) return undefined;
  return {
    strength: OFFLINE_DEFAULTS.mechanism.oomAfterRelease,
    reason: `${kills.length} OOM kill(s) or restarts of ${unit.service} followed it, none before`,
  };
}

function dedupeReasons(links: Link[]): Link[] {
  const byReason = new Map<string, Link>();
  for (const l of links) if (!byReason.has(l.reason)) byReason.set(l.reason, l);
  return [...byReason.values()].sort((a, b) => b.strength - a.strength);
}

function suspectKind(unit: ChangeUnit): Suspect['kind'] {
  switch (unit.kind) {
    case 'rollout':
      return 'deployment';
    case 'commit':
      return 'commit';
    case 'unknown':
      return 'config_change';
    default:
      return unit.kind;
  }
}

/**
 * Refs follow the contract (issue 13.10): a rollout names the member commit that best explains
 * the evidence (full sha) when one stands out, else its deployment id; events name their component.
 */
function refOf(unit: ChangeUnit, best: Scored['best']): string {
  if (unit.kind !== 'rollout') return unit.ref;
  // A rollout of one commit is that commit; of several, the one the evidence points at.
  if (unit.commits.length === 1) return unit.commits[0]!.sha!;
  if (best && combine(best.links) >= OFFLINE_DEFAULTS.mechanism.memberStandsOut) return best.sha;
  return unit.deploymentId ?? unit.sha ?? unit.ref;
}

function titleOf(unit: ChangeUnit, best: Scored['best']): string {
  if (unit.kind !== 'rollout' || !best) return unit.title;
  const c = unit.commits.find((x) => x.sha === best.sha);
  if (!c || combine(best.links) < OFFLINE_DEFAULTS.mechanism.memberStandsOut) return unit.title;
  return `${c.title} (commit ${c.sha!.slice(0, 7)}, shipped by ${unit.title.split(':')[0]})`;
}

/** Every suspect on one scale, best first. */
export function rankSuspects(bundle: EvidenceBundle, ctx: ScoringContext): ScoredSuspect[] {
  const changes = scoreChanges(bundle, ctx);
  const others = scoreNonChanges(bundle, ctx, changes);
  const all = [...changes, ...others];
  // Timing alone never outranks a mechanism (13.3): a change with no hard link at all keeps a
  // share of its score when another suspect is decisively linked to the failure.
  const { decisiveMechanism } = OFFLINE_DEFAULTS.confidence;
  if (all.some((s) => s.decisive))
    for (const s of changes)
      if (s.overlap === 0 && !s.decisive) {
        s.score = round3(s.score * OFFLINE_DEFAULTS.timingOnlyFactor);
        s.reasons.push(`only its timing links it, and another suspect's link is ${decisiveMechanism}+`);
      }
  return all.sort((a, b) => b.score - a.score).slice(0, OFFLINE_DEFAULTS.maxSuspects);
}
