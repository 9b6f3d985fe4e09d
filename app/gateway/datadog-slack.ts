import { type Alert, tagValue } from '../../agent/alert';
import { groupAlertId, monitorGroupKey, monitorIdOf, priorityOf, scopeTags, tagsIn } from './alert-id';
import { decodeEntities, readSlackPost, type SlackPost, s, unlink } from './slack-post';
import { instantOf, isoOf } from './times';
import { statusOf, type TitleHead, type Transition, titleHead } from './transition';

export { blocksText } from './slack-post';

/**
 * A DataDog monitor notification as DataDog's Slack app posts it (see test/fixtures/real/datadog-slack):
 * a title with a transition head (`Triggered: …`, `Warn: …`, `[Re-Triggered] [P2] …`) in an
 * attachment, a header block, a section or plain text, and links into the DataDog UI.
 */
export type SlackReading = {
  alert: Alert;
  transition: Transition;
  /** The group the post is about (`[Triggered on {…}]`, or the link's `group=`). */
  scope?: string;
  /** The monitor group's identity (see monitorGroupKey): what the cycle table keys cycles by. */
  group: string;
  /** The graph window's start: changes with every notification, so it is neither onset nor id. */
  fromTs?: string;
  eventId?: string;
};

const DATADOG_HOST = /\bdatadoghq\.(?:com|eu)\b|\bddog-gov\.com\b/i;
/** A stated event time more than this before the post, or after it, belongs to something else. */
const STATED_BEFORE_MS = 24 * 3600_000;
const STATED_AFTER_MS = 10 * 60_000;

/** A line as a title: mrkdwn links reduced to their label, emoji and quote marks off, bold unwrapped. */
function titleLine(line: string): string {
  const t = decodeEntities(
    line.replace(/<(?:https?|mailto):[^|<>]+\|([^<>]+)>/g, '$1').replace(/<[^<>]*>/g, ''),
  )
    .replace(/^(?:[\s>_~]|:[a-z0-9_+-]+:|\p{Extended_Pictographic}|\uFE0F)+/iu, '')
    .trim();
  // `*[Re-Triggered] API down* <link|view>`: the bold run is the title, not what follows it.
  const bold = /^\*([^*]+)\*/.exec(t);
  return (bold ? bold[1]! : t).replace(/^\*+|\*+$/g, '').trim();
}

function findTitle(post: SlackPost): { title: string; head: TitleHead } | undefined {
  for (const candidate of [...post.titles, ...post.lines.flatMap((l) => l.split('\n'))]) {
    const title = titleLine(candidate);
    const head = titleHead(title);
    if (head) return { title, head };
  }
  return undefined;
}

const param = (links: string[], name: string) =>
  links.map((l) => new RegExp(`[?&#]${name}=([^&#\\s>|]+)`).exec(l)?.[1]).find(Boolean);

function decoded(v: string | undefined): string | undefined {
  try {
    return v === undefined ? undefined : decodeURIComponent(v.replace(/\+/g, ' '));
  } catch {
    return v;
  }
}

/**
 * When the post happened: the event time it states (the link's `link_event_ts`, a card's `ts`)
 * when that is plausible next to the message's own `ts`, else the message `ts`. A post with no
 * usable time at all gets `now` (the receive time, seconds after the event). Never `from_ts`.
 */
function postedAt(e: Record<string, unknown>, post: SlackPost, now: Date): number {
  const own = instantOf(s(e.ts));
  const stated = [param(post.links, 'link_event_ts'), ...post.cardTimes]
    .map((v) => instantOf(v))
    .find(
      (ms) =>
        ms !== undefined &&
        (own === undefined || (ms >= own - STATED_BEFORE_MS && ms <= own + STATED_AFTER_MS)),
    );
  return stated ?? own ?? now.getTime();
}

export function readDatadogSlackPost(event: unknown, now: Date = new Date()): SlackReading | undefined {
  if (!event || typeof event !== 'object' || Array.isArray(event)) return undefined;
  const e = event as Record<string, unknown>;
  const post = readSlackPost(e);
  const found = findTitle(post);
  const all = unlink(post.lines.join('\n'));
  // `Warn: disk full` from any bot is not enough; DataDog's own posts link into DataDog's UI.
  const fromDatadog = DATADOG_HOST.test(`${post.links.join(' ')} ${all}`) || /datadog/i.test(post.sender);
  if (!found || !(found.head.bracketed || fromDatadog)) return undefined;
  const { title, head } = found;
  const scope = head.scope ?? decoded(param(post.links, 'group'));
  const inScope = scopeTags(scope);
  const tags = [...new Set([...tagsIn(all.replace(/^tags:\s*/gim, '')), ...inScope])];
  const field = (k: string) =>
    post.fields.find((f) => f.title.toLowerCase() === k)?.value.trim() || undefined;
  const service = tagValue(inScope, 'service') ?? field('service') ?? tagValue(tags, 'service');
  const env = tagValue(inScope, 'env') ?? field('env') ?? tagValue(tags, 'env');
  const monitorId = monitorIdOf(`${post.links.join(' ')} ${all}`);
  const fromTs = param(post.links, 'from_ts');
  const priority =
    head.priority ??
    priorityOf(title) ??
    priorityOf(field('priority') ?? '') ??
    priorityOf(/\bpriority\W{1,3}(P[1-5])\b/i.exec(all)?.[1] ?? '');
  const link =
    post.links.find((l) => /\/monitors(?:\/|#)\d+/.test(l)) ?? post.links.find((l) => DATADOG_HOST.test(l));
  const group = monitorGroupKey(monitorId, title, scope);
  const alert: Alert = {
    id: groupAlertId(group),
    source: 'datadog-slack',
    title,
    status: statusOf(head.transition),
    priority,
    monitorId,
    service,
    env,
    tags,
    // Up to the end of the line or of the `code span` the query is quoted in.
    query: /\b(?:avg|sum|min|max|count)\(last_\w+\):[^\n`]+/.exec(all)?.[0]?.trim(),
    startedAt: isoOf(postedAt(e, post, now)),
    link,
    text: all.trim().slice(0, 4000),
  };
  return { alert, transition: head.transition, scope, group, fromTs, eventId: param(post.links, 'event_id') };
}

/** The Alert of a DataDog monitor notification, or undefined when the message is not one. */
export function parseDatadogSlackMessage(event: unknown, now?: Date): Alert | undefined {
  return readDatadogSlackPost(event, now)?.alert;
}
