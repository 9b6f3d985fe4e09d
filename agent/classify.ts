import { type Alert, tagValue } from './alert';

/** What kind of problem the alert describes: decides which signals lead and how the headline reads. */
export type AlertClass = 'error_rate' | 'latency' | 'saturation' | 'availability' | 'backlog' | 'other';

const RULES: [AlertClass, RegExp][] = [
  ['latency', /latenc|p9\d|\bduration|slow|response time|apdex/i],
  ['backlog', /queue|backlog|\blag\b|consumer|pending/i],
  ['saturation', /cpu|memory|\bmem\b|disk|saturat|throttl|oom|load average|connections? (?:pool|exhaust)/i],
  ['availability', /\bdown\b|unavailable|health ?check|uptime|synthetic|unreachable|no data/i],
  ['error_rate', /error|5xx|\b50\d\b|exception|fail|fault|429/i],
];

export function classifyAlert(alert: Alert, monitorQuery?: string): AlertClass {
  const text = `${alert.title} ${alert.query ?? ''} ${monitorQuery ?? ''}`;
  for (const [cls, re] of RULES) if (re.test(text)) return cls;
  return 'other';
}

/** The service an alert is about: explicit field, tags, then `service:x` in the query or text. */
export function alertService(
  alert: Alert,
  monitorQuery?: string,
  known: readonly string[] = [],
): string | undefined {
  if (alert.service) return alert.service;
  const fromTags = tagValue(alert.tags, 'service');
  if (fromTags) return fromTags;
  for (const text of [alert.query, monitorQuery, alert.title, alert.text]) {
    const m = /service:([\w.-]+)/.exec(text ?? '');
    if (m) return m[1];
  }
  const lower = `${alert.title} ${alert.text}`.toLowerCase();
  return [...known]
    .sort((a, b) => b.length - a.length)
    .find((s) => new RegExp(`\\b${s.replace(/[-.]/g, '[-. ]?')}\\b`).test(lower));
}

/** The metric query to watch: the monitor's (or alert's) query if it is a metric query. */
export function metricQueryOf(alert: Alert, monitorQuery?: string): string | undefined {
  for (const q of [monitorQuery, alert.query]) {
    if (q && /[\w.]+\{[^}]*\}/.test(q) && !/^(logs|trace|apm|events)\(/.test(q.trim())) return q;
  }
  return undefined;
}
