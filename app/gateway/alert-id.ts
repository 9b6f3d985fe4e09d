import { createHash } from 'node:crypto';
import type { AlertPriority, AlertStatus } from '../../agent/alert';
import { statusOf, titleHead } from './transition';

/** A short stable id from parts (`alert_` + 16 hex): the same parts always give the same id. */
export function alertCycleId(parts: readonly (string | undefined)[]): string {
  return `alert_${createHash('sha256')
    .update(parts.map((p) => p ?? '').join('|'))
    .digest('hex')
    .slice(0, 16)}`;
}

/**
 * The status a DataDog title's head names (`Warn: …`, `[Re-Triggered] …`, `[P2] [No Data on {…}] …`),
 * 'unknown' when the title has no such head.
 */
export function transitionOf(title: string): AlertStatus {
  const head = titleHead(title);
  return head ? statusOf(head.transition) : 'unknown';
}

export function priorityOf(text: string): AlertPriority | undefined {
  const m = /\bP([1-5])\b/.exec(text);
  return m ? (`P${m[1]}` as AlertPriority) : undefined;
}

/**
 * A monitor id from DataDog links or text: `/monitors/123`, the older `/monitors#123`, and query
 * strings (`?monitor_id=123`, `&link_monitor_id=123`) or prose ("Monitor ID: 123").
 */
export function monitorIdOf(text: string): string | undefined {
  return /\/monitors(?:\/|#)(\d+)/.exec(text)?.[1] ?? /monitor[_ ]?id[=: #]+(\d+)/i.exec(text)?.[1];
}

/** Tags like `service:checkout` in free text (a footer "Tags: a:b, c:d" or inline). */
export function tagsIn(text: string): string[] {
  // A tag at the end of a sentence ("… on env:prod.") does not own the full stop.
  const found = (text.match(/\b[a-z][\w.-]*:[\w./-]+/gi) ?? []).map((t) => t.replace(/\.+$/, ''));
  return [...new Set(found)].filter(
    (t) => !/^(https?|mailto):/i.test(t) && !/^\d/.test(t.split(':')[1] ?? ''),
  );
}

/** `service:a, env:b` (an `$ALERT_SCOPE`, a title's `on {…}`, a link's `group=`) as tags. */
export function scopeTags(scope: string | undefined): string[] {
  return (scope ?? '')
    .split(',')
    .map((t) => t.trim())
    .filter((t) => /^[^:\s]+:\S/.test(t));
}

/**
 * Which monitor group a notification is about, the same whichever way it arrived (Slack post or
 * webhook): the monitor (its id, else its cleaned name) and the group it names (`[Triggered on
 * {service:a,env:b}]`, `$ALERT_SCOPE`, a link's `group=`), tags sorted so their order does not
 * matter. The graph link's `from_ts` is never part of it: it changes on every notification.
 */
export function monitorGroupKey(
  monitorId: string | undefined,
  title: string,
  scope: string | undefined,
): string {
  const raw = (titleHead(title)?.scope ?? scope ?? '').trim();
  const tags = scopeTags(raw).map((t) => t.toLowerCase());
  // `*` is DataDog's "every group": a simple monitor's only one.
  const group = tags.length ? [...new Set(tags)].sort().join(',') : raw === '*' ? '' : raw.toLowerCase();
  return `${monitorId ?? cleanTitle(title).toLowerCase()}|${group}`;
}

/** A DataDog alert's id before the cycle table numbers its cycles: its group, and `$ALERT_CYCLE_KEY` when mapped. */
export function groupAlertId(group: string, cycleKey?: string): string {
  return alertCycleId(['datadog', group, ...(cycleKey ? [cycleKey] : [])]);
}

/** Removes the transition and priority prefixes DataDog adds to titles. */
export function cleanTitle(title: string): string {
  return (titleHead(title)?.name ?? title.replace(/^(\s*\[[^\]]*\]\s*)+/, '')).trim();
}
