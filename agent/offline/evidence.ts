import type { EventData } from '../../tools/datadog/events';
import type { LogsData } from '../../tools/datadog/logs';
import type { MetricSeriesData, MetricsData } from '../../tools/datadog/metrics';
import type { MonitorData } from '../../tools/datadog/monitors';
import type { Breakdown } from '../../tools/datadog/span-breakdown';
import type { SpansData } from '../../tools/datadog/spans';
import type { FlagChangeData } from '../../tools/flags/index';
import type { ChangesData } from '../../tools/github/changes';
import type { K8sEventsData } from '../../tools/k8s/events';
import type { HpasData } from '../../tools/k8s/hpa';
import type { NodesData } from '../../tools/k8s/nodes';
import type { PodsData } from '../../tools/k8s/pods';
import type { RolloutsData } from '../../tools/k8s/rollouts';
import type { KnowledgeHit } from '../../tools/knowledge/search';
import type { PastIncident } from '../../tools/rootly/index';
import type { InvestigationState } from '../state';
import {
  type ClusterEvidence,
  fromEvents,
  fromHpa,
  fromNodes,
  fromPods,
  fromRollouts,
} from './cluster-evidence';
import { isPeerSplit, PEER_TAGS, type SplitTag, splitTagOf } from './companions';
import { OFFLINE_DEFAULTS } from './defaults';
import { classifyEvent } from './event-kinds';
import type { ChangeCandidate, Observation, Signature } from './types';

/** One service's traces, broken down by resource, peer, version and host. */
export type SpanBreakdowns = {
  service: string;
  peers: Breakdown[];
  versions: Breakdown[];
  hosts: Breakdown[];
  /** The window the breakdowns cover. */
  from: number;
  to: number;
  evidence: string;
};

export type SeriesEvidence = { query: string; series: MetricSeriesData; evidence: string };

/** The alert metric split by one tag: how much of the rise each value (a host, a zone, a version) carries. */
export type Split = {
  tag: SplitTag;
  /** Each value's rise (peak over baseline) and when it last reported (a replaced version stops). */
  groups: { value: string; rise: number; baseline: number; peak: number; lastAt: number }[];
  evidence: string;
};

/** The service's outbound-call errors to one peer (a client metric split by peer tags). */
export type PeerCalls = { peer: string; series: MetricSeriesData; evidence: string };

export type EvidenceBundle = {
  monitor?: MonitorData;
  alertSeries: SeriesEvidence[];
  otherSeries: SeriesEvidence[];
  splits: Split[];
  peerCalls: PeerCalls[];
  signatures: Signature[];
  /** Error and warn patterns that are not new (already in the baseline): context, never a signature. */
  ongoing: { text: string; count: number; services: string[] }[];
  changes: ChangeCandidate[];
  observations: Observation[];
  spans: SpanBreakdowns[];
  incidents: (PastIncident & { evidence: string })[];
  docs: (KnowledgeHit & { evidence: string })[];
  /** Tools that failed: named in the summary as not checked. */
  failed: string[];
};

type Outcome = InvestigationState['steps'][number]['outcomes'][number];

/** A bundle with nothing found yet. */
export function emptyBundle(): EvidenceBundle {
  return {
    alertSeries: [],
    otherSeries: [],
    splits: [],
    peerCalls: [],
    signatures: [],
    ongoing: [],
    changes: [],
    observations: [],
    spans: [],
    incidents: [],
    docs: [],
    failed: [],
  };
}

export function collectEvidence(state: InvestigationState, alertMetricQuery?: string): EvidenceBundle {
  const bundle = emptyBundle();
  const outcomes: Outcome[] = state.steps.flatMap((s) => s.outcomes);
  for (const o of outcomes) {
    const ev = o.evidenceIds[0] ?? '';
    if (!o.observation.ok) {
      bundle.failed.push(`${o.call.tool}: ${o.observation.error ?? 'failed'}`);
      continue;
    }
    const data = o.observation.data as Record<string, unknown> | undefined;
    if (!data) continue;
    switch (o.call.tool) {
      case 'datadog.monitor':
        bundle.monitor = data as unknown as MonitorData;
        break;
      case 'datadog.metrics': {
        const d = data as unknown as MetricsData;
        const tag = splitTagOf(d.query);
        if (tag) {
          bundle.splits.push({
            tag,
            groups: d.series.flatMap((s) => {
              const value = new RegExp(`(?:^|,)${tag}:([^,]+)`).exec(s.scope)?.[1];
              return value
                ? [
                    {
                      value,
                      rise: Math.max(0, s.peak - s.baseline),
                      baseline: s.baseline,
                      peak: s.peak,
                      lastAt: s.points.at(-1)?.[0] ?? 0,
                    },
                  ]
                : [];
            }),
            evidence: ev,
          });
          break;
        }
        if (isPeerSplit(d.query)) {
          for (const s of d.series) {
            // The first peer tag the series has a value for (`peer.service:N/A` is no peer).
            const peer = PEER_TAGS.map((t) => new RegExp(`(?:^|,)${t}:([^,]+)`).exec(s.scope)?.[1]).find(
              (v) => v !== undefined && v !== 'N/A',
            );
            if (peer) bundle.peerCalls.push({ peer, series: s, evidence: ev });
          }
          break;
        }
        const target =
          alertMetricQuery && d.query === alertMetricQuery ? bundle.alertSeries : bundle.otherSeries;
        for (const s of d.series) target.push({ query: d.query, series: s, evidence: ev });
        break;
      }
      case 'datadog.logs': {
        const d = data as unknown as LogsData;
        for (const p of d.patterns) {
          if (p.status !== 'error' && p.status !== 'warn' && p.status !== 'critical') continue;
          if (!p.isNew) {
            bundle.ongoing.push({ text: p.sample, count: p.count, services: p.services });
            continue;
          }
          bundle.signatures.push({
            text: p.sample,
            count: p.count,
            baseline: p.baselineCount,
            services: p.services,
            hosts: p.hosts,
            firstSeen: Date.parse(p.firstSeen),
            lastSeen: Date.parse(p.lastSeen),
            evidence: ev,
            origin: 'log',
            ...(p.stack ? { stack: p.stack } : {}),
            ...(p.attributes ? { attributes: p.attributes } : {}),
            ...(p.versions ? { versions: p.versions } : {}),
            ...(p.hostCounts ? { hostCounts: p.hostCounts } : {}),
            ...(p.peers ? { peers: p.peers } : {}),
          });
        }
        break;
      }
      case 'datadog.spans': {
        const d = data as unknown as SpansData;
        for (const g of d.errors) {
          const { baselineRatio, minCount } = OFFLINE_DEFAULTS.spanErrors;
          if (g.count <= g.baselineCount * baselineRatio || g.count < minCount) continue;
          bundle.signatures.push({
            text: `${g.errorType}: ${g.message} (${g.resource})`,
            count: g.count,
            baseline: g.baselineCount,
            services: [g.service],
            hosts: g.hosts.map((h) => h.value),
            firstSeen: Date.parse(g.firstSeen),
            evidence: ev,
            origin: 'span',
            ...(g.stack ? { stack: g.stack } : {}),
            versions: g.versions,
            hostCounts: g.hosts,
            peers: g.peers,
          });
        }
        const service = /service:([\w.-]+)/.exec(d.query)?.[1];
        if (service)
          bundle.spans.push({
            service,
            peers: d.peers,
            versions: d.versions,
            hosts: d.hosts,
            from: Date.parse(d.from),
            to: Date.parse(d.to),
            evidence: ev,
          });
        break;
      }
      case 'datadog.events':
        for (const e of (data as { events: EventData[] }).events) {
          const role = classifyEvent(e, state.now.getTime());
          const service = e.tags.find((t) => t.startsWith('service:'))?.slice(8);
          if (role.role === 'notice') continue;
          if (role.role === 'observation') {
            bundle.observations.push({
              kind: role.kind,
              title: e.title,
              text: e.text,
              time: Date.parse(e.time),
              ...(service ? { service } : {}),
              ...(hostOf(e.tags) ? { host: hostOf(e.tags) } : {}),
              tags: e.tags,
              evidence: ev,
            });
            continue;
          }
          bundle.changes.push({
            kind: role.kind,
            ref: e.title,
            title: e.title,
            service,
            time: Date.parse(e.time),
            text: `${e.title} ${e.text}`,
            tags: e.tags,
            files: [],
            url: e.url,
            origin: 'event',
            ...(role.kind === 'deployment' ? { deployment: role.deployment } : {}),
            evidence: [ev],
          });
        }
        break;
      case 'github.changes':
        for (const c of (data as unknown as ChangesData).changes) {
          bundle.changes.push({
            kind: c.kind,
            ref: c.ref,
            title: c.title,
            service: c.service,
            repo: c.repo,
            time: Date.parse(c.time),
            text: `${c.title} ${c.text} ${c.body ?? ''}`,
            files: c.files.map((f) => f.filename),
            patches: c.files.map((f) => ({ filename: f.filename, ...(f.patch ? { patch: f.patch } : {}) })),
            status: c.status,
            sha: c.sha,
            ...(c.environment ? { environment: c.environment } : {}),
            url: c.url,
            origin: 'github',
            evidence: [ev],
          });
        }
        break;
      case 'flags.changes':
        for (const f of (data as { changes: FlagChangeData[] }).changes) {
          bundle.changes.push({
            kind: 'feature_flag',
            ref: f.key,
            title: `Flag ${f.key} changed ${flagValue(f.from)} -> ${flagValue(f.to)} by ${f.actor}`,
            service: f.service,
            time: Date.parse(f.time),
            text: `${f.key} ${f.description}`,
            files: [],
            url: f.url,
            origin: 'flags',
            evidence: [ev],
          });
        }
        break;
      case 'k8s.pods':
      case 'k8s.rollouts':
      case 'k8s.hpa':
      case 'k8s.nodes':
      case 'k8s.events': {
        const found = clusterEvidence(o.call.tool, data, ev, state);
        bundle.changes.push(...found.changes);
        bundle.observations.push(...found.observations);
        break;
      }
      case 'rootly.incidents':
        for (const i of (data as { incidents: PastIncident[] }).incidents)
          bundle.incidents.push({ ...i, evidence: ev });
        break;
      case 'knowledge.search':
        for (const h of (data as { hits: KnowledgeHit[] }).hits) bundle.docs.push({ ...h, evidence: ev });
        break;
    }
  }
  return bundle;
}

function clusterEvidence(
  tool: string,
  data: unknown,
  ev: string,
  state: InvestigationState,
): ClusterEvidence {
  const now = state.now.getTime();
  switch (tool) {
    case 'k8s.pods':
      return fromPods(data as PodsData, ev, now);
    case 'k8s.rollouts':
      return fromRollouts(data as RolloutsData, ev);
    case 'k8s.hpa':
      return fromHpa(data as HpasData, ev, now);
    case 'k8s.nodes':
      return fromNodes(data as NodesData, ev, now);
    default:
      return fromEvents(data as K8sEventsData, (data as { service?: string }).service, ev);
  }
}

/** The host (or node) an event is about, from its tags. */
function hostOf(tags: readonly string[]): string | undefined {
  for (const key of ['host', 'node', 'kube_node', 'name'])
    for (const t of tags) if (t.startsWith(`${key}:`)) return t.slice(key.length + 1);
  return undefined;
}

/** A flag value as people read it; `?` when the flag system did not say (never "undefined"). */
function flagValue(v: unknown): string {
  return v === undefined ? '?' : JSON.stringify(v);
}
