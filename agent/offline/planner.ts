import type { ServiceCatalog, Tool } from '../../tools/contract';
import type { MetricsListData } from '../../tools/datadog/metrics-list';
import type { MonitorData } from '../../tools/datadog/monitors';
import { requestedServices } from '../../tools/github/requested-services';
import type { DocumentBoost } from '../../tools/knowledge/boost';
import { tagValue } from '../alert';
import { type AlertClass, alertService, classifyAlert, metricQueryOf } from '../classify';
import type { Planner, PlannerTurn } from '../planner';
import type { Summary } from '../result';
import type { InvestigationState, StopReason, ToolCall } from '../state';
import { companionQueries, peerCallQuery, SPLIT_TAGS, splitQuery } from './companions';
import { DEFAULT_WEIGHTS, OFFLINE_DEFAULTS } from './defaults';
import { collectEvidence, type EvidenceBundle } from './evidence';
import { errorCorpus } from './mechanism';
import { withDiscoveredDependencies } from './scale';
import { dependenciesOf, rankSuspects } from './score';
import { synthesizeSummary } from './synthesize';
import type { FailureMode, ScoredSuspect, Weights } from './types';

export type OfflinePlannerDeps = {
  tools: readonly Tool[];
  catalog: ServiceCatalog;
  /** The scorer's feature weights; agent/investigate.ts passes learning's calibrated ones. */
  weights?: Weights;
  /** What learning adds, injected by agent/investigate.ts (agent/learning); nothing by default. */
  learned?: LearnedEffects;
};

/** Bounded nudges from past feedback; the planner works the same without any of them. */
export type LearnedEffects = {
  /** Reorders (and may trim) one turn's calls, never adds any; the notes say what changed. */
  orderCalls?(calls: readonly ToolCall[]): { calls: ToolCall[]; notes: string[] };
  /** Re-ranks the scored suspects. */
  calibrate?(suspects: readonly ScoredSuspect[]): ScoredSuspect[];
  /** Pages and past incidents that helped on similar alerts come first in the summary. */
  documentBoosts?: ReadonlyMap<string, DocumentBoost>;
};

/**
 * The deterministic investigator: (1) the monitor, the alert metric, error logs and traces of the
 * service; (2) companion metrics and the dependencies' health; (3) every change around the onset
 * (commits, PRs, deploys, DataDog events, flag flips) plus past incidents and runbooks; then it
 * scores suspects on evidence and synthesizes. The same Planner the LLM uses, so the controller,
 * budgets, guard and presenters are shared.
 */
export function createOfflinePlanner(deps: OfflinePlannerDeps): Planner {
  const available = new Set(deps.tools.map((t) => t.name));
  const learned = deps.learned ?? {};
  const weights = deps.weights ?? DEFAULT_WEIGHTS;
  let seq = 0;
  const call = (tool: string, input: unknown): ToolCall[] =>
    available.has(tool) && input !== undefined ? [{ id: `call_${++seq}`, tool, input }] : [];
  const changesCall = (services: readonly string[], since: string, until: string) =>
    call('github.changes', changesInput(services, since, until));

  const monitorOf = (state: InvestigationState): MonitorData | undefined => {
    for (const s of state.steps)
      for (const o of s.outcomes)
        if (o.call.tool === 'datadog.monitor' && o.observation.ok) return o.observation.data as MonitorData;
    return undefined;
  };
  const context = (state: InvestigationState) => {
    const monitor = monitorOf(state);
    const metricQuery = metricQueryOf(state.alert, monitor?.query);
    const known = Object.keys(catalog.services);
    const service =
      alertService(state.alert, monitor?.query, known) ??
      (monitor ? alertService({ ...state.alert, tags: monitor.tags }, undefined, known) : undefined);
    return { monitor, metricQuery, service, cls: classifyAlert(state.alert, monitor?.query) };
  };
  const catalog = deps.catalog;

  const iso = (ms: number) => new Date(ms).toISOString();
  const logWindowFrom = (state: InvestigationState) => {
    const { minMs, marginMs, maxMs } = OFFLINE_DEFAULTS.logWindow;
    const started = Date.parse(state.alert.startedAt);
    const now = state.now.getTime();
    const span = Math.max(minMs, Number.isFinite(started) ? now - started + marginMs : 0);
    return iso(now - Math.min(span, maxMs));
  };

  return {
    kind: 'offline',
    async next(state): Promise<PlannerTurn> {
      const turn = plan(state);
      if (turn.kind !== 'act' || !learned.orderCalls) return turn;
      // Learning reorders (and for rarely useful tools, trims) a turn's calls; never adds any.
      const { calls, notes } = learned.orderCalls(turn.calls);
      return { ...turn, calls, thought: [turn.thought, ...notes].join(' ') };
    },
    async synthesize(state, _reason: StopReason): Promise<Summary> {
      const ctx = context(state);
      const bundle = collectEvidence(state, ctx.metricQuery);
      const { onset, source } = findOnset(bundle, state);
      const ranked = rankSuspects(bundle, {
        onset,
        service: ctx.service,
        env: alertEnv(state),
        catalog: withDiscoveredDependencies(catalog, ctx.service, bundle.signatures),
        weights,
      });
      const suspects = learned.calibrate ? learned.calibrate(ranked) : ranked;
      return synthesizeSummary({
        alert: state.alert,
        cls: ctx.cls,
        service: ctx.service,
        onset,
        onsetSource: source,
        bundle,
        suspects,
        documentBoosts: learned.documentBoosts,
      });
    },
  };

  function plan(state: InvestigationState): PlannerTurn {
    const ctx = context(state);
    const step = state.steps.length;
    const S = ctx.service;
    // What the steps so far found, read once per turn: the evidence, its onset, and the catalog
    // plus the dependencies the alerting service's new errors show.
    const bundle = collectEvidence(state, ctx.metricQuery);
    const { onset } = findOnset(bundle, state);
    const seen = withDiscoveredDependencies(catalog, S, bundle.signatures);
    if (step === 0) {
      const calls = [
        ...(state.alert.monitorId ? call('datadog.monitor', { id: Number(state.alert.monitorId) }) : []),
        ...(S ? call('datadog.monitors', { tags: [`service:${S}`] }) : []),
        ...(S
          ? call('datadog.metrics_list', {
              service: S,
              ...(ctx.metricQuery ? { query: ctx.metricQuery } : {}),
            })
          : []),
        ...(ctx.metricQuery ? call('datadog.metrics', { query: ctx.metricQuery }) : []),
        ...(S
          ? call('datadog.logs', { query: `service:${S} status:error`, from: logWindowFrom(state) })
          : []),
        ...(S ? call('datadog.spans', { query: `service:${S}`, from: logWindowFrom(state) }) : []),
        // The cluster, when one is configured: pods (OOM kills, crash loops) and rollouts.
        ...(S ? call('k8s.pods', { service: S }) : []),
        ...(S ? call('k8s.rollouts', { service: S }) : []),
      ];
      if (calls.length > 0)
        return {
          kind: 'act',
          thought: `Classify the alert (${ctx.cls}) for ${S ?? 'an unknown service'}: read the monitor, the alerting metric, and the service's error logs and traces to find the onset and the error signature.`,
          calls,
        };
    }
    if (step <= 1) {
      const done = new Set(
        state.steps.flatMap((s) => s.outcomes.map((o) => JSON.stringify([o.call.tool, o.call.input]))),
      );
      const fresh = (tool: string, input: unknown) =>
        done.has(JSON.stringify([tool, input])) ? [] : call(tool, input);
      const others = state.steps
        .flatMap((s) => s.outcomes)
        .filter((o) => o.call.tool === 'datadog.monitors' && o.observation.ok)
        .flatMap((o) => (o.observation.data as { monitors: MonitorData[] }).monitors)
        .map((m) => metricQueryOf(state.alert, m.query))
        .filter((q): q is string => !!q && q !== ctx.metricQuery)
        .slice(0, OFFLINE_DEFAULTS.maxCompanionQueries);
      const depNames = dependenciesOf(seen, S).slice(0, OFFLINE_DEFAULTS.maxDependencies);
      const listing = outcomesOf(state, 'datadog.metrics_list')[0] as MetricsListData | undefined;
      const companions = S
        ? companionQueries(listing, S, ctx.metricQuery, OFFLINE_DEFAULTS.maxListedCompanions)
        : [];
      const peerCalls = S ? peerCallQuery(listing, S) : undefined;
      const calls = [
        ...(ctx.metricQuery ? fresh('datadog.metrics', { query: ctx.metricQuery }) : []),
        ...others.flatMap((q) => fresh('datadog.metrics', { query: q })),
        ...companions.flatMap((q) => fresh('datadog.metrics', { query: q })),
        ...(peerCalls ? fresh('datadog.metrics', { query: peerCalls }) : []),
        ...(ctx.metricQuery
          ? SPLIT_TAGS.flatMap((tag) => {
              const q = splitQuery(ctx.metricQuery!, tag);
              return q ? fresh('datadog.metrics', { query: q }) : [];
            })
          : []),
        ...depNames.flatMap((d) =>
          fresh('datadog.spans', { query: `service:${d}`, from: logWindowFrom(state) }),
        ),
        // The dependencies' own errors in one search: each pattern names the services it came from.
        ...(depNames.length
          ? fresh('datadog.logs', {
              query: `service:${depNames.length === 1 ? depNames[0] : `(${depNames.join(' OR ')})`} status:error`,
              from: logWindowFrom(state),
            })
          : []),
        // Every service's new errors: a caller in front of this one (a WAF, a gateway) may be failing its requests.
        ...fresh('datadog.logs', { query: 'status:error', from: logWindowFrom(state) }),
        ...(S ? fresh('k8s.hpa', { service: S }) : []),
        ...(S ? fresh('k8s.nodes', { service: S }) : []),
        ...(S ? fresh('k8s.events', { service: S, warningsOnly: true }) : []),
      ];
      if (calls.length > 0)
        return {
          kind: 'act',
          thought: `Measure the blast radius: companion metrics of ${S ?? 'the service'} and the health of its dependencies (${depNames.join(', ') || 'none in the catalog'}).`,
          calls,
        };
    }
    if (
      !state.steps.some((s) =>
        s.outcomes.some(
          (o) =>
            o.call.tool === 'github.changes' ||
            o.call.tool === 'datadog.events' ||
            o.call.tool === 'flags.changes' ||
            o.call.tool === 'knowledge.search',
        ),
      )
    ) {
      const since = iso(onset - OFFLINE_DEFAULTS.lookbackMs);
      const until = iso(Math.min(state.now.getTime(), onset + OFFLINE_DEFAULTS.lookaheadMs));
      const scope = S ? [S, ...dependenciesOf(seen, S)].filter((s) => seen.services[s]) : [];
      const signature = bundle.signatures.filter((s) => !S || s.services.includes(S))[0]?.text ?? '';
      const query = retrievalQuery(state.alert.title, S, ctx.cls, signature);
      // A failure mode that a setting shapes (retries, pools, timeouts) can have a latent cause:
      // a change days earlier that only bites when something else blips. Look further back in
      // the alerting service for it.
      const latent =
        S && latentModes(bundle).length > 0
          ? call('github.changes', {
              service: S,
              since: iso(onset - OFFLINE_DEFAULTS.latentLookbackMs),
              until: since,
            })
          : [];
      const calls = [
        ...changesCall(
          scope.filter((s) => seen.services[s]?.repos.length),
          since,
          until,
        ),
        ...latent,
        ...call('datadog.events', { from: since, to: until }),
        ...call('flags.changes', { since, until }),
        ...call('rootly.incidents', { query, limit: OFFLINE_DEFAULTS.pastIncidentLimit }),
        ...call('knowledge.search', { query, limit: OFFLINE_DEFAULTS.knowledgeLimit }),
      ];
      if (calls.length > 0)
        return {
          kind: 'act',
          thought: `Onset is ${iso(onset).slice(11, 16)} UTC. Gather every change from ${since.slice(11, 16)} to ${until.slice(11, 16)} across ${scope.join(', ') || 'all services'} (commits, PRs, deploys, config events, flag flips), and look up past incidents and runbooks.`,
          calls,
        };
    }
    // Services whose changes were read are never proposed again, so this step runs at most once.
    const widen = S ? sharedResourceSuspects(state, bundle, onset, seen) : [];
    if (widen.length > 0) {
      const since = iso(onset - OFFLINE_DEFAULTS.lookbackMs);
      const until = iso(Math.min(state.now.getTime(), onset + OFFLINE_DEFAULTS.lookaheadMs));
      const calls = changesCall(widen, since, until);
      if (calls.length > 0)
        return {
          kind: 'act',
          thought: `A shared resource is contended (lock waits, slow queries): read what ${widen.join(', ')} shipped around the onset, since a migration or batch job elsewhere can hold it.`,
          calls,
        };
    }
    return {
      kind: 'answer',
      thought: 'Score the suspects against the onset and the error signatures, then write the summary.',
    };
  }
}

/** The environment the alert fires in: its own field, its tags, or `env:` in its query. */
function alertEnv(state: InvestigationState): string | undefined {
  const a = state.alert;
  return a.env ?? tagValue(a.tags, 'env') ?? /\benv:([\w.-]+)/.exec(`${a.query ?? ''} ${a.text}`)?.[1];
}

/**
 * Services outside the change scope whose rollouts went live near the onset, when the errors
 * show a contended shared resource (locks, slow queries, schema): a migration or a batch job in
 * another service sharing the database is then a suspect whose commits are worth reading.
 */
function sharedResourceSuspects(
  state: InvestigationState,
  bundle: EvidenceBundle,
  onset: number,
  seen: ServiceCatalog,
): string[] {
  if (!state.steps.some((s) => s.outcomes.some((o) => o.call.tool === 'datadog.events'))) return [];
  if (!errorCorpus(bundle.signatures, []).modes.has('schema')) return [];
  const read = new Set(
    state.steps
      .flatMap((s) => s.outcomes)
      .filter((o) => o.call.tool === 'github.changes')
      .flatMap((o) => requestedServices(o.call.input as { service?: string; services?: string[] })),
  );
  const near = bundle.changes
    .filter(
      (c) =>
        c.kind === 'deployment' &&
        c.service !== undefined &&
        !read.has(c.service) &&
        seen.services[c.service]?.repos.length &&
        Math.abs(onset - c.time) <= OFFLINE_DEFAULTS.lookbackMs,
    )
    .sort((a, b) => Math.abs(onset - a.time) - Math.abs(onset - b.time));
  return [...new Set(near.map((c) => c.service!))].slice(0, OFFLINE_DEFAULTS.maxSharedResourceServices);
}

/** One github.changes input for every service to read (a service with no repository has nothing). */
function changesInput(services: readonly string[], since: string, until: string) {
  if (services.length === 0) return undefined;
  return services.length === 1
    ? { service: services[0], since, until }
    : { services: [...services], since, until };
}

/** Failure modes in the new errors whose cause is often a setting changed long before. */
function latentModes(bundle: EvidenceBundle): FailureMode[] {
  const modes = errorCorpus(bundle.signatures, []).modes;
  return OFFLINE_DEFAULTS.latentModes.filter((m) => modes.has(m));
}

/** The structured data of every successful call of one tool, in call order. */
function outcomesOf(state: InvestigationState, tool: string): unknown[] {
  return state.steps
    .flatMap((s) => s.outcomes)
    .filter((o) => o.call.tool === tool && o.observation.ok)
    .map((o) => o.observation.data);
}

/** Words that help retrieval find the runbook and past incidents: service, symptom, error signature. */
export function retrievalQuery(
  title: string,
  service: string | undefined,
  cls: AlertClass,
  signature: string,
): string {
  const cleanTitle = title.replace(/\[[^\]]*\]/g, ' ').replace(/\{\{[^}]*\}\}/g, ' ');
  const { signatureChars, maxChars } = OFFLINE_DEFAULTS.retrievalQuery;
  const sig = signature
    .replace(/\b[0-9a-f-]{8,}\b|\d+(\.\d+)?|[^\w\s.:'()-]/gi, ' ')
    .slice(0, signatureChars);
  const symptom = {
    error_rate: 'errors',
    latency: 'latency slow',
    saturation: 'saturation',
    availability: 'down unavailable',
    backlog: 'queue backlog',
    other: '',
  }[cls];
  return `${service ?? ''} ${symptom} ${cleanTitle} ${sig}`.replace(/\s+/g, ' ').trim().slice(0, maxChars);
}

/**
 * The onset (issue 13.4): the alert metric's shift (a change point, or the first sustained
 * departure of a ramp, as datadog.metrics found it), else another metric's, checked against the
 * alert time: a shift far earlier than the alert and than the first new error is a different
 * episode, and the first new error (else the alert time) is used instead. The source says which.
 */
export function findOnset(
  bundle: EvidenceBundle,
  state: InvestigationState,
): { onset: number; source: string } {
  const started = Date.parse(state.alert.startedAt);
  const alertAt = Number.isFinite(started) ? started : state.now.getTime();
  const firstNew = bundle.signatures
    .map((s) => s.firstSeen)
    .filter(Number.isFinite)
    .sort((a, b) => a - b)[0];
  const earliest = Math.min(alertAt, firstNew ?? alertAt) - OFFLINE_DEFAULTS.onsetBeforeAlertMaxMs;
  const shifts = [...bundle.alertSeries, ...bundle.otherSeries]
    .map((s, i) => ({ s, primary: i < bundle.alertSeries.length }))
    .filter(({ s }) => s.series.onset?.kind === 'shift' && Date.parse(s.series.onset.time) >= earliest)
    .sort(
      (a, b) =>
        Number(b.primary) - Number(a.primary) || b.s.series.onset!.magnitude - a.s.series.onset!.magnitude,
    );
  const top = shifts[0]?.s.series;
  if (top?.onset) {
    const how = top.onset.method === 'first-departure' ? 'the first sustained departure' : 'the change point';
    return { onset: Date.parse(top.onset.time), source: `${how} of ${top.metric}` };
  }
  if (firstNew !== undefined) return { onset: firstNew, source: 'the first new error signature' };
  return { onset: alertAt, source: 'the alert time' };
}
