import { type Alert, tagValue } from '../../agent/alert';
import { alertCycleId, cleanTitle, monitorIdOf, priorityOf, tagsIn, transitionOf } from './alert-id';

/**
 * Parses a DataDog monitor notification as the DataDog Slack app posts it: empty top-level text
 * and the content in attachments (title, title_link, text, fields, footer) and/or blocks.
 * Returns undefined when the message is not a monitor notification.
 */
type Attachment = {
  title?: unknown;
  title_link?: unknown;
  text?: unknown;
  pretext?: unknown;
  fallback?: unknown;
  fields?: unknown;
  footer?: unknown;
  ts?: unknown;
};

function s(v: unknown): string {
  return typeof v === 'string' ? v : typeof v === 'number' ? String(v) : '';
}

/** Flattens Block Kit text (section text, fields, context elements, rich text) into lines. */
export function blocksText(blocks: unknown, depth = 0): string[] {
  if (depth > 8 || !Array.isArray(blocks)) return [];
  const out: string[] = [];
  for (const b of blocks) {
    if (!b || typeof b !== 'object') continue;
    const o = b as Record<string, unknown>;
    if (typeof o.text === 'string') out.push(o.text);
    else if (o.text && typeof o.text === 'object') out.push(s((o.text as Record<string, unknown>).text));
    if (typeof o.url === 'string') out.push(o.url);
    for (const key of ['fields', 'elements']) out.push(...blocksText(o[key], depth + 1));
  }
  return out.filter(Boolean);
}

/** Slack mrkdwn links `<url|label>` -> "label url". */
function unlink(text: string): string {
  return text
    .replace(/<((?:https?|mailto):[^|>]+)\|([^>]+)>/g, '$2 $1')
    .replace(/<((?:https?):[^>]+)>/g, '$1');
}

export function parseDatadogSlackMessage(event: unknown): Alert | undefined {
  if (!event || typeof event !== 'object') return undefined;
  const e = event as Record<string, unknown>;
  const attachments = (Array.isArray(e.attachments) ? e.attachments : []).filter(
    (a): a is Attachment => !!a && typeof a === 'object',
  );
  const parts: string[] = [s(e.text)];
  const links: string[] = [];
  let title = '';
  for (const a of attachments) {
    if (!title && s(a.title)) title = s(a.title);
    links.push(s(a.title_link));
    parts.push(s(a.pretext), s(a.text), s(a.footer));
    if (Array.isArray(a.fields))
      for (const f of a.fields)
        if (f && typeof f === 'object')
          parts.push(`${s((f as Record<string, unknown>).title)}:${s((f as Record<string, unknown>).value)}`);
    if (!title) parts.push(s(a.fallback));
  }
  const blockLines = blocksText(e.blocks);
  parts.push(...blockLines);
  const all = unlink(parts.filter(Boolean).join('\n'));
  if (!title)
    title =
      all
        .split('\n')
        .map((l) => l.trim())
        .find((l) => /\[(re-?)?(triggered|warn(ing)?|recovered|no data|alert|ok)\]/i.test(l)) ?? '';
  title = unlink(title)
    .replace(/^\*+|\*+$/g, '')
    .trim();
  if (!title || transitionOf(title) === 'unknown') return undefined;
  const linkText = `${links.join(' ')} ${all}`;
  const monitorId = monitorIdOf(linkText);
  const tags = tagsIn(all.replace(/^tags:\s*/gim, ''));
  const fieldTag = (k: string) =>
    attachments
      .flatMap((a) => (Array.isArray(a.fields) ? a.fields : []))
      .find((f) => s((f as Record<string, unknown>)?.title).toLowerCase() === k);
  const service =
    tagValue(tags, 'service') ??
    (s((fieldTag('service') as Record<string, unknown> | undefined)?.value) || undefined);
  const env =
    tagValue(tags, 'env') ??
    (s((fieldTag('env') as Record<string, unknown> | undefined)?.value) || undefined);
  const query = /\b(?:avg|sum|min|max|count)\(last_\w+\):[^\n]+/.exec(all)?.[0]?.trim();
  const fromTs = /from_ts=(\d+)/.exec(linkText)?.[1];
  const ts = s(e.ts);
  // Untrusted numbers: an unparsable time falls back to now instead of throwing.
  const startedMs = fromTs ? Number(fromTs) : ts ? Number(ts) * 1000 : Number.NaN;
  const startedAt =
    Number.isFinite(startedMs) && Math.abs(startedMs) < 8.64e15
      ? new Date(startedMs).toISOString()
      : new Date().toISOString();
  const link = links.find(Boolean) || (/https?:\/\/\S*\/monitors\/\d+\S*/.exec(all)?.[0] ?? undefined);
  return {
    id: alertCycleId(['datadog', monitorId ?? cleanTitle(title), service, env, fromTs ?? '']),
    source: 'datadog-slack',
    title,
    status: transitionOf(title),
    priority: priorityOf(title),
    monitorId,
    service,
    env,
    tags,
    query,
    startedAt,
    link: link || undefined,
    text: all.trim().slice(0, 4000),
  };
}
