import { type Rng, uuid } from '../lib';
import type { MonitorSpec, WorldDraft } from './draft';
import { type Estate, uiHost } from './estate';
import { apmMetric, businessMetric, memoryMetric, poolMetrics, queueOf } from './naming';

/**
 * Monitors in DataDog's v1 API shape, and the alert that opens the investigation as DataDog
 * sends it: a webhook body (the default template, which carries no cycle key, or a custom one)
 * or a post by DataDog's Slack app (bracketed `[Triggered]` titles, `Triggered:` titles, or a
 * header block). Shapes follow DataDog's webhook and Slack integration documentation.
 */
export function monitorQuery(m: MonitorSpec, e: Estate): { query: string; name: string; threshold: number } {
  const s = m.service;
  const scope = `service:${s.name},env:${e.env}`;
  switch (m.kind) {
    case 'errors':
      return {
        query: `sum(last_5m):sum:${apmMetric(s, 'errors')}{${scope}}.as_count() > 50`,
        name: `${s.name} error count is high`,
        threshold: 50,
      };
    case 'error-ratio':
      return {
        query: `sum(last_5m):sum:${apmMetric(s, 'errors')}{${scope}}.as_count() / sum:${apmMetric(s, 'hits')}{${scope}}.as_count() > 0.05`,
        name: `${s.name} error rate above 5%`,
        threshold: 0.05,
      };
    case 'latency':
      return {
        query: `avg(last_5m):avg:${apmMetric(s, 'p95')}{${scope}} > ${Math.round(s.p95Ms * 4)}`,
        name: `${s.name} p95 latency is high`,
        threshold: Math.round(s.p95Ms * 4),
      };
    case 'saturation': {
      const p = poolMetrics(s);
      return {
        query: `avg(last_5m):avg:${p.used}{${scope},${p.tag}} / avg:${p.max}{${scope},${p.tag}} > 0.9`,
        name: `${s.name} database connection pool saturated`,
        threshold: 0.9,
      };
    }
    case 'backlog': {
      const q = queueOf(s, e);
      return {
        query: `max(last_10m):max:${q.metric}{env:${e.env},${q.tag}} > 5000`,
        name: `${q.name} backlog is growing`,
        threshold: 5000,
      };
    }
    case 'memory':
      return {
        query: `avg(last_10m):avg:${memoryMetric(s)}{${scope}} > ${1500 * 1024 * 1024}`,
        name: `${s.name} memory usage is high`,
        threshold: 1500 * 1024 * 1024,
      };
    case 'business': {
      // A quarter below the usual 10-minute count: the telemetry books 0.3 completions per good request.
      const usual = s.rpmPerHost * s.hosts.length * 0.3 * 10;
      const threshold = Math.round(usual * 0.75);
      return {
        query: `sum(last_10m):sum:${businessMetric(s, e)}{env:${e.env}}.as_count() < ${threshold}`,
        name: `${s.name} completions dropped`,
        threshold,
      };
    }
    default: {
      // Requests arriving at all: a third below the usual 5-minute count means callers cannot reach it.
      const usual = s.rpmPerHost * s.hosts.length * 5;
      const threshold = Math.round(usual * 0.7);
      return {
        query: `sum(last_5m):sum:${apmMetric(s, 'hits')}{${scope}}.as_count() < ${threshold}`,
        name: `${s.name} availability: requests dropped`,
        threshold,
      };
    }
  }
}

export function renderMonitors(d: WorldDraft) {
  return d.monitors.map((m) => {
    const q = monitorQuery(m, d.estate);
    return {
      id: m.id,
      name: q.name,
      type: 'query alert',
      query: q.query,
      message: `{{#is_alert}}${q.name}{{/is_alert}} Notify @slack-${d.estate.slug}-incidents`,
      tags: [`service:${m.service.name}`, `env:${d.estate.env}`, `team:${m.service.team}`],
      overall_state: m.state,
      priority: m.priority ?? null,
      options: { thresholds: { critical: q.threshold }, notify_no_data: false, renotify_interval: 30 },
    };
  });
}

/** The alert as it arrives, in the estate's alert form. */
export function renderAlert(d: WorldDraft, r: Rng): Record<string, unknown> {
  const m = d.alertMonitor;
  if (!m || m.firedAt === undefined) throw new Error('world has no alert monitor');
  const e = d.estate;
  const q = monitorQuery(m, e);
  const host = uiHost(e.site);
  const firedMs = Date.parse(d.at(m.firedAt));
  const link = `https://${host}/monitors/${m.id}?group=service%3A${m.service.name}&from_ts=${firedMs - 15 * 60_000}&to_ts=${firedMs}&event_id=${Math.floor(r() * 9e15)}`;
  const priority = m.priority ? `P${m.priority}` : undefined;
  const scope = `service:${m.service.name},env:${e.env}`;
  const body = `${q.name}.\n${q.query}\n\nNotify @slack-${e.slug}-incidents`;
  if (e.alertForm === 'webhook-default')
    // DataDog's default webhook payload: body, last_updated, event_type, title, date, org, id.
    return {
      datadogWebhook: {
        body: `%%%\n${body}\n\n[[Monitor Status](${link})]\n%%%`,
        last_updated: String(firedMs),
        event_type: 'query_alert_monitor',
        title: `[Triggered on {${scope}}] ${q.name}`,
        date: String(firedMs),
        org: { id: String(100000 + (m.id % 90000)), name: e.company },
        id: String(7_000_000_000_000_000 + m.id),
      },
    };
  if (e.alertForm === 'webhook-custom')
    return {
      datadogWebhook: {
        id: String(7_000_000_000_000_000 + m.id),
        title: `[Triggered on {${scope}}] ${priority ? `[${priority}] ` : ''}${q.name}`,
        alert_transition: 'Triggered',
        alert_id: String(m.id),
        ...(priority ? { alert_priority: priority } : {}),
        alert_query: q.query,
        alert_scope: scope,
        alert_status: `${q.name} crossed ${q.threshold}`,
        date: String(firedMs),
        body,
        tags: `service:${m.service.name},env:${e.env},team:${m.service.team}`,
        link,
        org: { id: '1', name: e.company },
      },
    };
  const ts = `${Math.floor(firedMs / 1000)}.${String(Math.floor(r() * 999999)).padStart(6, '0')}`;
  const base = {
    type: 'message',
    subtype: 'bot_message',
    bot_id: 'B0DDOG0001',
    bot_profile: { id: 'B0DDOG0001', app_id: 'A0DDOG0001', name: 'Datadog' },
    username: 'Datadog',
    channel: 'C0INCIDENTS',
    ts,
  };
  if (e.alertForm === 'slack-blocks')
    return {
      slackMessage: {
        ...base,
        text: `Triggered: ${q.name}`,
        blocks: [
          { type: 'header', text: { type: 'plain_text', text: `Triggered: ${q.name}` } },
          { type: 'section', text: { type: 'mrkdwn', text: `${body}\n<${link}|View monitor>` } },
          {
            type: 'context',
            elements: [{ type: 'mrkdwn', text: `Tags: service:${m.service.name}, env:${e.env}` }],
          },
        ],
      },
    };
  const title =
    e.alertForm === 'slack-bracket'
      ? `[Triggered] ${priority ? `[${priority}] ` : ''}${q.name} on ${scope}`
      : `Triggered: ${q.name} on ${scope}`;
  return {
    slackMessage: {
      ...base,
      text: '',
      attachments: [
        {
          color: '#e0373c',
          title,
          title_link: link,
          text: body,
          fields: [
            { title: 'service', value: m.service.name, short: true },
            { title: 'env', value: e.env, short: true },
          ],
          footer: `Tags: service:${m.service.name}, env:${e.env}, team:${m.service.team} | ${uuid(r).slice(0, 8)}`,
          ts: Math.floor(firedMs / 1000),
        },
      ],
    },
  };
}
