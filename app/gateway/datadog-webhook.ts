import { type Alert, tagValue } from '../../agent/alert';
import { alertCycleId, cleanTitle, monitorIdOf, priorityOf, transitionOf } from './alert-id';

/**
 * Normalizes a DataDog webhook body (template variables, all strings; `date` in epoch ms).
 * Accepts common template shapes: $ALERT_ID, $ALERT_TRANSITION, $ALERT_TITLE, $EVENT_MSG, $TAGS, ...
 */
export class WebhookPayloadError extends Error {}

function str(v: unknown): string | undefined {
  if (typeof v === 'string') return v.trim() || undefined;
  if (typeof v === 'number' && Number.isFinite(v)) return String(v);
  return undefined;
}

function pick(body: Record<string, unknown>, ...keys: string[]): string | undefined {
  for (const k of keys) {
    const v = str(body[k]);
    if (v !== undefined) return v;
  }
  return undefined;
}

export function parseDatadogWebhook(body: unknown): Alert {
  if (!body || typeof body !== 'object' || Array.isArray(body))
    throw new WebhookPayloadError('expected a JSON object');
  const b = body as Record<string, unknown>;
  const title = pick(b, 'title', 'alert_title', 'ALERT_TITLE', 'event_title');
  if (!title)
    throw new WebhookPayloadError(
      'missing "title" (map $EVENT_TITLE or $ALERT_TITLE in the webhook payload)',
    );
  const transition = pick(b, 'alert_transition', 'transition', 'ALERT_TRANSITION') ?? '';
  const rawTags = b.tags;
  const tags = Array.isArray(rawTags)
    ? rawTags.filter((t): t is string => typeof t === 'string')
    : (str(rawTags) ?? '')
        .split(',')
        .map((t) => t.trim())
        .filter(Boolean);
  const text = pick(b, 'body', 'event_msg', 'text', 'message', 'EVENT_MSG') ?? '';
  const link = pick(b, 'link', 'url', 'LINK');
  const monitorId = pick(b, 'alert_id', 'monitor_id', 'ALERT_ID') ?? monitorIdOf(`${link ?? ''} ${text}`);
  const dateRaw = pick(b, 'date', 'last_updated', 'DATE');
  const ms =
    dateRaw && /^\d+$/.test(dateRaw)
      ? Number(dateRaw) * (dateRaw.length <= 10 ? 1000 : 1)
      : dateRaw
        ? Date.parse(dateRaw)
        : Number.NaN;
  const startedAt =
    Number.isFinite(ms) && Math.abs(ms) < 8.64e15 ? new Date(ms).toISOString() : new Date().toISOString();
  const status = transitionOf(transition ? `[${transition}]` : title);
  const scope =
    pick(b, 'alert_scope', 'scope', 'ALERT_SCOPE') ??
    tags
      .filter((t) => /^(service|env|host):/.test(t))
      .sort()
      .join(',');
  const cycle =
    pick(b, 'alert_cycle_key', 'aggreg_key', 'AGGREG_KEY') ??
    pick(b, 'alert_cycle_start', 'cycle_start') ??
    '';
  return {
    id: alertCycleId(['datadog', monitorId ?? cleanTitle(title), scope, cycle]),
    source: 'datadog-webhook',
    title,
    status,
    priority: priorityOf(`${pick(b, 'priority', 'alert_priority', 'ALERT_PRIORITY') ?? ''} ${title}`),
    monitorId,
    service: tagValue(tags, 'service'),
    env: tagValue(tags, 'env'),
    tags,
    query: pick(b, 'alert_query', 'query', 'ALERT_QUERY'),
    startedAt,
    link,
    text,
  };
}
