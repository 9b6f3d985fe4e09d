import type { DocumentBoost } from '../../tools/knowledge/boost';
import type { Alert } from '../alert';
import type { AlertClass } from '../classify';
import type { Confidence, LinkRef, Summary } from '../result';
import { OFFLINE_DEFAULTS } from './defaults';
import type { EvidenceBundle } from './evidence';
import type { ScoredSuspect } from './types';

/** Honest confidence from the top score and its margin over the runner-up. */
export function confidenceOf(
  suspects: readonly ScoredSuspect[],
  opts: { recovered?: boolean; topStillLive?: boolean } = {},
): Confidence {
  const [a, b] = suspects;
  if (!a) return 'none';
  // A blip that recovered by itself, with nothing that hard-links a cause, is not a finding; nor
  // is a dependency's blip that recovered with it (its own errors blipped too, and no change or
  // status page says why), nor a change that is still live: what it broke would still be broken.
  if (opts.recovered && (!a.decisive || a.kind === 'dependency' || opts.topStillLive))
    return a.score >= OFFLINE_DEFAULTS.medium.score ? 'low' : 'none';
  const margin = a.score - (b?.score ?? 0);
  // High needs a mechanism (a hard link) plus timing, not only a high sum of weak features.
  if (a.decisive && a.score >= OFFLINE_DEFAULTS.high.score && margin >= OFFLINE_DEFAULTS.high.margin)
    return 'high';
  if (a.score >= OFFLINE_DEFAULTS.medium.score && margin >= OFFLINE_DEFAULTS.medium.margin) return 'medium';
  if (a.score >= OFFLINE_DEFAULTS.low.score) return 'low';
  return 'none';
}

/**
 * The alert metric came back: its shift ended, or (a spike, which has no end of its own) its
 * latest value is within `recoveredShare` of its rise above the baseline.
 */
function backToBaseline(series: EvidenceBundle['alertSeries'][number]['series']): boolean {
  const o = series.onset;
  if (!o || o.direction !== 'up') return false;
  if (o.recoveredAt !== undefined) return true;
  const rise = series.peak - series.baseline;
  return (
    o.kind === 'spike' && rise > 0 && series.last - series.baseline <= OFFLINE_DEFAULTS.recoveredShare * rise
  );
}

const CHANGE_KINDS = new Set(['commit', 'pull_request', 'deployment', 'config_change', 'feature_flag']);

/**
 * A change is still live when nothing after it undid it: no later change of the same flag or
 * component (a flag turned back, a config reverted), no later rollout of another build of its
 * service (a rollback). The events of its own rollout (started, step, complete) do not count.
 */
function stillLive(top: ScoredSuspect, bundle: EvidenceBundle): boolean {
  if (!CHANGE_KINDS.has(top.kind) || top.time === undefined) return false;
  const after = top.time;
  const rollout = top.kind === 'deployment' || top.kind === 'commit' || top.kind === 'pull_request';
  const own = new Set(
    [
      top.ref,
      ...bundle.changes.filter((c) => c.ref === top.ref || c.sha === top.ref).map((c) => c.sha),
    ].filter((x): x is string => Boolean(x)),
  );
  return !bundle.changes.some((c) => {
    if (c.time <= after) return false;
    if (!rollout) return c.ref === top.ref;
    return c.kind === 'deployment' && c.service === top.service && c.sha !== undefined && !own.has(c.sha);
  });
}

const SYMPTOM: Record<AlertClass, string> = {
  error_rate: 'errors',
  latency: 'latency',
  saturation: 'saturation',
  availability: 'availability loss',
  backlog: 'backlog',
  other: 'the alert',
};

const SHA = /^[0-9a-f]{40}$/i;

function short(ref: string, kind: string): string {
  return kind === 'commit' || SHA.test(ref) ? ref.slice(0, OFFLINE_DEFAULTS.shortShaChars) : ref;
}

/** A rollout named by the commit that explains it reads as that commit, shipped by the rollout. */
function changeNoun(s: ScoredSuspect): string {
  if (s.kind === 'deployment' && SHA.test(s.ref)) return 'commit';
  return s.kind.replace('_', ' ');
}

function nextStepFor(s: ScoredSuspect): string {
  switch (s.kind) {
    case 'commit':
    case 'pull_request':
    case 'deployment':
      return `Roll back ${s.service ?? 'the service'} to the release before ${short(s.ref, s.kind)} (or revert it), then watch the error rate for 10 minutes.`;
    case 'feature_flag':
      return `Turn feature flag "${s.ref}" back to its previous value and watch the metric recover.`;
    case 'config_change':
      return `Revert the configuration change "${s.title.slice(0, 80)}".`;
    case 'dependency':
      return `Check ${s.ref}'s status and its owners; fail over, enable the fallback or shed load to it until it recovers.`;
    case 'capacity':
      return `Scale out ${s.ref} and find the traffic source (campaign, bot, retry storm); rate-limit it if it is abusive.`;
    case 'infrastructure':
      return `Drain or replace ${s.ref} and check its node, disk and network.`;
    default:
      return 'Collect more evidence: narrow logs and traces to the onset.';
  }
}

function links(items: readonly { id: string; title: string; url?: string }[], max: number): LinkRef[] {
  const seen = new Set<string>();
  const out: LinkRef[] = [];
  for (const i of items) {
    if (seen.has(i.id)) continue;
    seen.add(i.id);
    out.push({ id: i.id, title: i.title, ...(i.url ? { url: i.url } : {}) });
    if (out.length === max) break;
  }
  return out;
}

/** Retrieval order, nudged toward operational pages about this service (a runbook beats an architecture page). */
export function rankRunbooks<T extends { id: string; title: string; score: number }>(
  docs: readonly T[],
  service?: string,
  boosts?: ReadonlyMap<string, DocumentBoost>,
): T[] {
  const bonus = (d: T) => {
    const text = `${d.id} ${d.title}`.toLowerCase();
    const bonus = OFFLINE_DEFAULTS.runbookBonus;
    return (
      (/runbook|playbook|troubleshoot|how to|mitigat/.test(text) ? bonus.operational : 0) +
      (service && text.includes(service.toLowerCase()) ? bonus.service : 0) +
      // What people found useful for alerts like this outweighs one naming heuristic.
      Math.sign(boosts?.get(d.id)?.value ?? 0) * bonus.learned
    );
  };
  return docs
    .map((d, i) => ({ d, i, b: bonus(d) }))
    .sort((a, b) => b.b - a.b || a.i - b.i)
    .map((x) => x.d);
}

/** "12 min before", "at the same minute as", "3 min after": never "0 min before" for a later change. */
export function whenText(onset: number, time: number | undefined): string {
  if (time === undefined) return 'before';
  const minutes = Math.round((onset - time) / 60_000);
  if (minutes > 0) return `${minutes} min before`;
  if (minutes === 0) return 'in the same minute as';
  return `${-minutes} min after`;
}

function fmt(n: number): string {
  return Math.abs(n) >= 100 ? n.toFixed(0) : n.toFixed(1).replace(/\.0$/, '');
}

export function synthesizeSummary(input: {
  alert: Alert;
  cls: AlertClass;
  service?: string;
  onset: number;
  onsetSource: string;
  bundle: EvidenceBundle;
  suspects: ScoredSuspect[];
  /** Learned document boosts: pages and past incidents that helped on similar alerts come first. */
  documentBoosts?: ReadonlyMap<string, DocumentBoost>;
}): Summary {
  const { alert, cls, service, onset, bundle, suspects, documentBoosts } = input;
  // Recovered by itself: the alert metric came back and the platform reported nothing (no OOM
  // kills, restarts or node trouble that would make a recovery only a pause).
  const recovered =
    bundle.alertSeries.some((s) => backToBaseline(s.series)) &&
    !bundle.observations.some((o) => o.kind === 'oom' || o.kind === 'restart' || o.kind === 'node');
  const top = suspects[0];
  const topStillLive = top !== undefined && recovered && stillLive(top, bundle);
  const confidence = confidenceOf(suspects, { recovered, topStillLive });
  const where = service ?? 'the service';
  const onsetText = new Date(onset).toISOString().slice(11, 16);
  const main = bundle.alertSeries.find((s) => s.series.onset) ?? bundle.alertSeries[0];
  const newErrors = bundle.signatures.filter((s) => !service || s.services.includes(service));
  const blast = [...new Set(bundle.signatures.flatMap((s) => s.services))];
  const impact = [
    main
      ? `${main.series.metric} on ${where}: ${fmt(main.series.baseline)} before, peak ${fmt(main.series.peak)} (onset ${onsetText} UTC, from ${input.onsetSource}).`
      : `Onset ${onsetText} UTC (from ${input.onsetSource}).`,
    newErrors.length
      ? `${newErrors.reduce((a, s) => a + s.count, 0)} new error lines in ${newErrors.length} new signature(s); top: "${newErrors[0]!.text.slice(0, 140)}".`
      : 'No new error signature in the logs.',
    blast.length > 1 ? `Services with new errors: ${blast.join(', ')}.` : '',
  ]
    .filter(Boolean)
    .join(' ');
  const runbooks = links(
    rankRunbooks(
      bundle.docs.filter((d) => d.source !== 'rootly' && d.source !== 'slack'),
      service,
      documentBoosts,
    ),
    OFFLINE_DEFAULTS.maxRunbooks,
  );
  const boostOf = (id: string) => documentBoosts?.get(id)?.value ?? 0;
  const similar = links(
    [
      ...bundle.incidents,
      ...bundle.docs
        .filter((d) => d.source === 'rootly')
        .map((d) => ({ id: d.id, title: d.title, url: d.url })),
    ]
      .map((item, i) => ({ item, i }))
      .sort((a, b) => boostOf(b.item.id) - boostOf(a.item.id) || a.i - b.i)
      .map((x) => x.item),
    OFFLINE_DEFAULTS.maxSimilarIncidents,
  );
  const suspectsOut =
    confidence === 'none'
      ? []
      : suspects.map(
          ({
            reasons: _r,
            overlap: _o,
            time: _t,
            decisive: _d,
            corroborated: _c,
            modes: _m,
            says: _s,
            ...s
          }) => s,
        );
  if (!top || confidence === 'none') {
    return {
      headline: `Inconclusive: no change or component stands out for ${SYMPTOM[cls]} on ${where}`,
      rootCause: `The evidence is inconclusive. Checked metrics, logs, traces, code changes, deploys, config events and flag changes around the ${onsetText} UTC onset; nothing lines up strongly enough to name a cause${top ? ` (best guess: ${top.title}, score ${top.score})` : ''}.`,
      confidence: 'none',
      suspects: suspectsOut,
      impact,
      nextSteps: [
        'Narrow the logs and traces to the onset minute and look for the first failing request.',
        ...(runbooks[0] ? [`Follow the runbook "${runbooks[0].title}".`] : []),
        'Ask the owning team whether anything changed outside GitHub, DataDog and the flag system.',
      ],
      similarIncidents: similar,
      runbooks,
      unchecked: bundle.failed,
    };
  }
  const verb: Record<string, string> = {
    commit: 'shipped',
    pull_request: 'merged',
    deployment: 'deployed',
    config_change: 'applied',
    feature_flag: 'flipped',
    infrastructure: 'happened',
  };
  const headline =
    top.kind === 'dependency'
      ? `${alert.title.replace(/^\[[^\]]+\]\s*/g, '').slice(0, 60)}: upstream dependency ${top.ref} is failing`
      : top.kind === 'capacity'
        ? `Traffic surge is overloading ${top.ref}`
        : top.kind === 'infrastructure' && !verb[top.kind]
          ? `Host ${top.ref} is failing`
          : `${changeNoun(top)} ${short(top.ref, top.kind)} ${verb[changeNoun(top) === 'commit' ? 'commit' : top.kind] ?? 'changed'} ${whenText(onset, top.time)} ${SYMPTOM[cls]} rose on ${where}`;
  const rootCause = `Most likely cause: ${top.title}. Why: ${top.reasons.join('; ')}.${topStillLive ? ' But the alert recovered by itself while this change is still live: it may only have been a trigger, or not the cause.' : ''}${suspects[1] ? ` Runner-up: ${suspects[1].title.slice(0, 100)} (score ${suspects[1].score} vs ${top.score}).` : ''}`;
  return {
    headline: headline.charAt(0).toUpperCase() + headline.slice(1),
    rootCause,
    confidence,
    suspects: suspectsOut,
    impact,
    nextSteps: [
      nextStepFor(top),
      ...(runbooks[0] ? [`Follow the runbook "${runbooks[0].title}".`] : []),
      ...(similar[0] ? [`Compare with the past incident "${similar[0].title}".`] : []),
    ],
    similarIncidents: similar,
    runbooks,
    unchecked: bundle.failed,
  };
}
