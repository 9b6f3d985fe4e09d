import { z } from 'zod';
import { fitToBudget } from '../../tools/budget';
import { defineTool, failure, type Observation, type Tool } from '../../tools/contract';
import type { MonitorData } from '../../tools/datadog/monitors';
import { isoMinute } from '../../tools/time';
import { tagValue } from '../alert';
import { metricQueryOf } from '../classify';
import { collectEvidence, type EvidenceBundle } from '../offline/evidence';
import { findOnset } from '../offline/planner';
import { buildChangeUnits } from '../offline/rollouts';
import type { Summary } from '../result';
import type { InvestigationState } from '../state';
import { HYBRID_DEFAULTS } from './defaults';

/**
 * The evidence model as tools the model can call (hybrid runs): read-only views of what the run
 * gathered so far, computed by the offline investigator's own functions, compact (token-budgeted)
 * and citing the evidence ids they stand on. They read the run's state through `current`.
 */
export type AnalysisDeps = {
  current: () => InvestigationState | undefined;
  /** The evidence model's summary over the state as it is now (the offline planner's synthesis). */
  rescore: (state: InvestigationState) => Promise<Summary>;
};

const ids = (xs: readonly string[]) => `[${[...new Set(xs.filter(Boolean))].join(', ')}]`;

function observe(lines: string[], data: unknown): Observation {
  const { text, truncated } = fitToBudget(lines.join('\n'), HYBRID_DEFAULTS.analysisTokens);
  return { ok: true, summary: text, data, citations: [], truncated };
}

/** The bundle the offline scorer reads, with the alert metric told apart as the offline planner does. */
function bundleOf(state: InvestigationState): EvidenceBundle {
  const monitor = state.steps
    .flatMap((s) => s.outcomes)
    .find((o) => o.call.tool === 'datadog.monitor' && o.observation.ok)?.observation.data as
    | MonitorData
    | undefined;
  return collectEvidence(state, metricQueryOf(state.alert, monitor?.query));
}

const NO_RUN = 'no investigation state yet';

export function createAnalysisTools(deps: AnalysisDeps): Tool[] {
  const withState =
    <I>(run: (state: InvestigationState, input: I) => Promise<Observation> | Observation) =>
    async (input: I): Promise<Observation> => {
      const state = deps.current();
      return state ? run(state, input) : failure(NO_RUN);
    };

  const rescore = defineTool({
    name: 'analysis.rescore',
    integration: 'builtin',
    description:
      'Re-run the evidence model over ALL evidence gathered so far (including the calls you made) and return its ranked suspects with scores, confidence and the evidence ids behind each. Call it after you fetched new evidence.',
    input: z.object({}),
    run: withState(async (state) => {
      const s = await deps.rescore(state);
      const top = s.suspects.slice(0, HYBRID_DEFAULTS.analysisItems);
      return observe(
        [
          `Evidence model over ${state.evidence.length} evidence items: ${s.headline} (confidence ${s.confidence})`,
          ...top.map(
            (x, i) =>
              `${i + 1}. ${x.kind} ${x.ref}${x.service ? ` (${x.service})` : ''} score ${x.score}: ${x.title} ${ids(x.evidence)}`,
          ),
        ],
        {
          confidence: s.confidence,
          suspects: top.map((x) => ({ kind: x.kind, ref: x.ref, score: x.score, evidence: x.evidence })),
        },
      );
    }),
  });

  const onset = defineTool({
    name: 'analysis.onset',
    integration: 'builtin',
    description:
      'When the problem started: the onset the evidence model uses (and where it comes from), and the onset of each metric series fetched so far (change point or first sustained departure). Optional "query" keeps the series whose query contains it.',
    input: z.object({ query: z.string().max(300).optional() }),
    run: withState((state, input: { query?: string }) => {
      const bundle = bundleOf(state);
      const found = findOnset(bundle, state);
      const series = [...bundle.alertSeries, ...bundle.otherSeries]
        .filter((s) => !input.query || s.query.includes(input.query))
        .slice(0, HYBRID_DEFAULTS.analysisItems);
      return observe(
        [
          `Onset ${isoMinute(found.onset)} UTC, from ${found.source}.`,
          ...series.map((s) => {
            const o = s.series.onset;
            const at = o
              ? `${o.kind} at ${isoMinute(Date.parse(o.time))} UTC (${o.method ?? 'change-point'}, ${o.confidence ?? 'medium'})`
              : `no onset (${s.series.onsetNote ?? 'no significant change'})`;
            return `${s.query} {${s.series.scope}}: ${at}, baseline ${s.series.baseline}, peak ${s.series.peak} ${ids([s.evidence])}`;
          }),
        ],
        { onset: new Date(found.onset).toISOString(), source: found.source },
      );
    }),
  });

  const logPatterns = defineTool({
    name: 'analysis.log_patterns',
    integration: 'builtin',
    description:
      'The NEW error signatures the evidence model clustered from the logs and traces fetched so far (count against baseline, services, hosts, first seen), most frequent first, and how many known (ongoing) patterns were set aside. Optional "service" filters.',
    input: z.object({ service: z.string().max(100).optional() }),
    run: withState((state, input: { service?: string }) => {
      const bundle = bundleOf(state);
      const sigs = bundle.signatures
        .filter((s) => !input.service || s.services.includes(input.service))
        .sort((a, b) => b.count - a.count)
        .slice(0, HYBRID_DEFAULTS.analysisItems);
      return observe(
        [
          `${sigs.length} new error signature(s); ${bundle.ongoing.length} ongoing pattern(s) already in the baseline.`,
          ...sigs.map(
            (s) =>
              `"${s.text.slice(0, HYBRID_DEFAULTS.patternChars)}" x${s.count} (baseline ${s.baseline}) services ${s.services.join(', ') || '-'}${s.hosts.length ? ` hosts ${s.hosts.slice(0, 3).join(', ')}` : ''}, first seen ${Number.isFinite(s.firstSeen) ? `${isoMinute(s.firstSeen)} UTC` : '-'} ${ids([s.evidence])}`,
          ),
        ],
        { signatures: sigs.map((s) => ({ text: s.text, count: s.count, evidence: s.evidence })) },
      );
    }),
  });

  const rolloutCommits = defineTool({
    name: 'analysis.rollout_commits',
    integration: 'builtin',
    description:
      'The rollouts found so far and the commits each shipped (the commits since the previous rollout to the same environment), with files, as the evidence model joins deployments, DataDog deploy events and commits. Optional "service" filters.',
    input: z.object({ service: z.string().max(100).optional() }),
    run: withState((state, input: { service?: string }) => {
      const env = state.alert.env ?? tagValue(state.alert.tags, 'env');
      const rollouts = buildChangeUnits(bundleOf(state).changes, env)
        .filter((u) => u.kind === 'rollout' && (!input.service || u.service === input.service))
        .sort((a, b) => b.activation - a.activation)
        .slice(0, HYBRID_DEFAULTS.analysisItems);
      const lines = rollouts.flatMap((u) => [
        `rollout ${u.ref}${u.service ? ` (${u.service}` : ' ('}${u.env ? `, ${u.env}` : ''}) live ${isoMinute(u.activation)} UTC${u.failed ? ', failed' : ''}${u.elsewhere ? ', not in the alert environment' : ''}: ${u.commits.length} commit(s) ${ids(u.members.flatMap((m) => m.evidence))}`,
        ...u.commits
          .slice(0, HYBRID_DEFAULTS.commitsPerRollout)
          .map(
            (c) =>
              `  ${(c.sha ?? c.ref).slice(0, 10)} ${c.title.slice(0, 100)}${c.files.length ? ` (files: ${c.files.slice(0, 4).join(', ')})` : ''} ${ids(c.evidence)}`,
          ),
      ]);
      return observe([`${rollouts.length} rollout(s) found so far.`, ...lines], {
        rollouts: rollouts.map((u) => ({
          ref: u.ref,
          service: u.service,
          commits: u.commits.map((c) => c.sha ?? c.ref),
        })),
      });
    }),
  });

  return [rescore, onset, logPatterns, rolloutCommits];
}
