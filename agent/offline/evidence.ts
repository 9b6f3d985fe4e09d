import type { EventData } from '../../tools/datadog/events';
import type { LogsData } from '../../tools/datadog/logs';
import type { MetricSeriesData, MetricsData } from '../../tools/datadog/metrics';
import type { MonitorData } from '../../tools/datadog/monitors';
import type { SpansData } from '../../tools/datadog/spans';
import type { FlagChangeData } from '../../tools/flags/index';
import type { ChangesData } from '../../tools/github/changes';
import type { KnowledgeHit } from '../../tools/knowledge/search';
import type { PastIncident } from '../../tools/rootly/index';
import type { InvestigationState } from '../state';
import { OFFLINE_DEFAULTS } from './defaults';

/** Everything the tools found, normalized for scoring. Built from observations' structured data. */
export type ChangeCandidate = {
  kind: 'commit' | 'pull_request' | 'deployment' | 'config_change' | 'feature_flag' | 'infrastructure';
  ref: string;
  title: string;
  service?: string;
  time: number;
  text: string;
  files: string[];
  status?: string;
  sha?: string;
  url?: string;
  evidence: string[];
};

export type Signature = {
  text: string;
  count: number;
  baseline: number;
  services: string[];
  hosts: string[];
  firstSeen: number;
  evidence: string;
};

export type SeriesEvidence = { query: string; series: MetricSeriesData; evidence: string };

export type EvidenceBundle = {
  monitor?: MonitorData;
  alertSeries: SeriesEvidence[];
  otherSeries: SeriesEvidence[];
  signatures: Signature[];
  changes: ChangeCandidate[];
  incidents: (PastIncident & { evidence: string })[];
  docs: (KnowledgeHit & { evidence: string })[];
  /** Tools that failed: named in the summary as not checked. */
  failed: string[];
};

type Outcome = InvestigationState['steps'][number]['outcomes'][number];

function eventKind(e: EventData): ChangeCandidate['kind'] {
  const t = `${e.title} ${e.text}`.toLowerCase();
  if (/deploy|release|rollout|rolled out/.test(t)) return 'deployment';
  if (
    /autoscal|resized|node|instance|host|zone|az\b|cluster|kubelet|drain|reboot|disk/.test(t) &&
    !/config|rate.?limit|setting|parameter/.test(t)
  )
    return 'infrastructure';
  return 'config_change';
}

export function collectEvidence(state: InvestigationState, alertMetricQuery?: string): EvidenceBundle {
  const bundle: EvidenceBundle = {
    alertSeries: [],
    otherSeries: [],
    signatures: [],
    changes: [],
    incidents: [],
    docs: [],
    failed: [],
  };
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
        const target =
          alertMetricQuery && d.query === alertMetricQuery ? bundle.alertSeries : bundle.otherSeries;
        for (const s of d.series) target.push({ query: d.query, series: s, evidence: ev });
        break;
      }
      case 'datadog.logs': {
        const d = data as unknown as LogsData;
        for (const p of d.patterns) {
          if (!p.isNew || (p.status !== 'error' && p.status !== 'warn' && p.status !== 'critical')) continue;
          bundle.signatures.push({
            text: p.sample,
            count: p.count,
            baseline: p.baselineCount,
            services: p.services,
            hosts: p.hosts,
            firstSeen: Date.parse(p.firstSeen),
            evidence: ev,
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
            hosts: [],
            firstSeen: Date.parse(g.firstSeen),
            evidence: ev,
          });
        }
        break;
      }
      case 'datadog.events':
        for (const e of (data as { events: EventData[] }).events) {
          bundle.changes.push({
            kind: eventKind(e),
            ref: e.title,
            title: e.title,
            service: e.tags.find((t) => t.startsWith('service:'))?.slice(8),
            time: Date.parse(e.time),
            text: `${e.title} ${e.text}`,
            files: [],
            url: e.url,
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
            time: Date.parse(c.time),
            text: `${c.title} ${c.text}`,
            files: c.files.map((f) => f.filename),
            status: c.status,
            sha: c.sha,
            url: c.url,
            evidence: [ev],
          });
        }
        break;
      case 'flags.changes':
        for (const f of (data as { changes: FlagChangeData[] }).changes) {
          bundle.changes.push({
            kind: 'feature_flag',
            ref: f.key,
            title: `Flag ${f.key} changed ${JSON.stringify(f.from)} -> ${JSON.stringify(f.to)} by ${f.actor}`,
            service: f.service,
            time: Date.parse(f.time),
            text: `${f.key} ${f.description}`,
            files: [],
            url: f.url,
            evidence: [ev],
          });
        }
        break;
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
