import { type Alert, type AlertPriority, type AlertStatus, tagValue } from '../../agent/alert';
import { groupAlertId, monitorGroupKey, monitorIdOf, priorityOf, scopeTags, tagsIn } from './alert-id';
import { instantOf, isoOf } from './times';
import { statusOf, type Transition, titleHead, transitionNamed } from './transition';
import { type Fields, flattenFields, pick, tagList } from './webhook-fields';

/**
 * Normalizes a DataDog webhook body (see test/fixtures/real/datadog-webhook): DataDog's default
 * template (body, last_updated, event_type, title, date, org, id) or any custom one, with the
 * documented variables under snake_case or camelCase names, at the top level or nested under
 * `metadata`, `alert`, `monitor` and the like. All values arrive as strings.
 */
export class WebhookPayloadError extends Error {}

export type WebhookReading = {
  alert: Alert;
  /** `$ALERT_TRANSITION`, or the title's head when the template maps no transition. */
  transition?: Transition;
  /** `$ALERT_SCOPE`, or the title's `[Triggered on {…}]`. */
  scope?: string;
  /** The monitor group's identity (see monitorGroupKey): what the cycle table keys cycles by. */
  group: string;
  cycleKey?: string;
  aggregKey?: string;
  orgId?: string;
  eventId?: string;
  eventUrl?: string;
};

const TITLE_KEYS = ['title', 'eventtitle', 'alerttitle', 'alertname', 'monitorname'];
/** `$DATE` (ms) first; `$DATE_POSIX` (s) and `$LAST_UPDATED` (ms) when a template maps only those. */
const DATE_KEYS = ['date', 'eventdate', 'dateposix', 'lastupdated', 'timestamp', 'eventtime'];

/** `$ALERT_TYPE` says how bad, not which transition: a last resort for templates with neither. */
const BY_ALERT_TYPE: Record<string, AlertStatus> = {
  error: 'triggered',
  warning: 'warn',
  success: 'recovered',
};

/** `$ALERT_PRIORITY` is P1–P5; `$PRIORITY` is normal/low and says nothing about P-levels. */
function pLevel(v: string | undefined): AlertPriority | undefined {
  const m = /^P?([1-5])$/i.exec(v ?? '');
  return m ? (`P${m[1]}` as AlertPriority) : undefined;
}

/** `%%%` fences mark DataDog's markdown in `$EVENT_MSG`; they are not part of the message. */
const unfenced = (t: string) => t.replace(/^\s*%%%\s*\n?|\n?\s*%%%\s*$/g, '').trim();

/**
 * When the event happened. A body that states no usable time gets `now`, the time DataDog
 * delivered it (it sends within seconds of the event), which the caller passes in.
 */
function eventTime(f: Fields, now: Date): number {
  for (const k of DATE_KEYS) {
    const ms = instantOf(pick(f, k));
    if (ms !== undefined) return ms;
  }
  return now.getTime();
}

export function readDatadogWebhook(body: unknown, now: Date = new Date()): WebhookReading {
  if (!body || typeof body !== 'object' || Array.isArray(body))
    throw new WebhookPayloadError(
      `expected a JSON object, got ${Array.isArray(body) ? 'an array' : body === null ? 'null' : typeof body}`,
    );
  const f = flattenFields(body as Record<string, unknown>);
  const title = pick(f, ...TITLE_KEYS);
  if (!title)
    throw new WebhookPayloadError(
      'missing "title": map $EVENT_TITLE (or $ALERT_TITLE) to "title", "event_title" or "alert_title", at the top level or under "alert", "monitor" or "metadata"',
    );
  const head = titleHead(title) ?? titleHead(pick(f, 'alerttitle') ?? '');
  const transition =
    transitionNamed(pick(f, 'alerttransition', 'transition', 'eventtransition')) ??
    transitionNamed(pick(f, 'status', 'alertstatus')) ??
    head?.transition;
  const text = unfenced(
    pick(f, 'body', 'eventmsg', 'textonlymsg', 'message', 'text', 'msg', 'eventmessage', 'description') ?? '',
  );
  const declared = tagList(f.get('tags'));
  const scope = pick(f, 'alertscope', 'scope') ?? head?.scope;
  const inScope = scopeTags(scope);
  // The default template carries no $TAGS: then the tags the message itself names are all there is.
  const tags = [...new Set([...declared, ...inScope, ...(declared.length ? [] : tagsIn(text))])];
  const link =
    pick(f, 'link', 'url', 'eventurl', 'alerturl', 'monitorurl') ??
    // Whole URLs first, then the test: one regex spanning both backtracks quadratically on junk.
    text.match(/https?:\/\/[^\s)\]]+/g)?.find((u) => /\/monitors(?:\/|#)\d+/.test(u));
  const idGiven = pick(f, 'alertid', 'monitorid');
  const monitorId =
    (idGiven && /^\d+$/.test(idGiven) ? idGiven : undefined) ?? monitorIdOf(`${link ?? ''} ${text}`);
  const cycleKey = pick(f, 'alertcyclekey', 'cyclekey');
  const aggregKey = pick(f, 'aggregkey', 'aggregationkey');
  const pickTag = (k: string, ...keys: string[]) =>
    tagValue(inScope, k) ?? tagValue(tags, k) ?? pick(f, k, ...keys);
  const group = monitorGroupKey(monitorId, title, scope);
  const alert: Alert = {
    id: groupAlertId(group, cycleKey),
    source: 'datadog-webhook',
    title,
    status: transition ? statusOf(transition) : (BY_ALERT_TYPE[pick(f, 'alerttype') ?? ''] ?? 'unknown'),
    priority:
      pLevel(pick(f, 'alertpriority')) ??
      pLevel(pick(f, 'priority', 'monitorpriority')) ??
      head?.priority ??
      priorityOf(title),
    monitorId,
    service: pickTag('service'),
    env: pickTag('env', 'environment'),
    tags,
    query: pick(f, 'alertquery', 'query', 'monitorquery'),
    startedAt: isoOf(eventTime(f, now)),
    link,
    text,
  };
  return {
    alert,
    transition,
    scope,
    group,
    cycleKey,
    aggregKey,
    orgId: pick(f, 'orgid'),
    eventId: pick(f, 'id', 'eventid'),
    eventUrl: pick(f, 'eventurl', 'link', 'url'),
  };
}

export function parseDatadogWebhook(body: unknown, now?: Date): Alert {
  return readDatadogWebhook(body, now).alert;
}
