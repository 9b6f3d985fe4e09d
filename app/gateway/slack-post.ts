/**
 * A Slack message event read as plain parts: where a title can sit (attachment titles, header
 * blocks, inside attachments too), every line of text, every link, attachment fields and times.
 * DataDog's Slack app puts its content in attachments (and sometimes blocks), never only in the
 * top-level `text` that Bolt's matchers look at.
 */
export type SlackPost = {
  /** Title slots, in order: attachment titles, then header blocks. */
  titles: string[];
  /** Top-level text, attachment pretext/text/fields/footer, block text, as mrkdwn. */
  lines: string[];
  /** title_link values, block URLs and URLs in mrkdwn, entities decoded. */
  links: string[];
  fields: { title: string; value: string }[];
  /** Attachment `ts` values: the event time a card states (epoch seconds). */
  cardTimes: string[];
  /** Who posted (username, bot profile name), to recognise DataDog's app. */
  sender: string;
};

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => !!v && typeof v === 'object' && !Array.isArray(v);

export function s(v: unknown): string {
  return typeof v === 'string' ? v : typeof v === 'number' && Number.isFinite(v) ? String(v) : '';
}

/** Slack escapes `&`, `<` and `>` in message text, links included (`?a=1&amp;b=2`). */
export function decodeEntities(text: string): string {
  return text.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
}

/**
 * Slack mrkdwn links `<url|label>` -> "label url", `<url>` -> "url". Neither part can hold a
 * raw `<` (Slack escapes it), which also keeps the match linear on unterminated junk.
 */
export function unlink(text: string): string {
  return decodeEntities(
    text.replace(/<((?:https?|mailto):[^|<>]+)\|([^<>]+)>/g, '$2 $1').replace(/<(https?:[^<>]+)>/g, '$1'),
  );
}

/** Flattens Block Kit text (section text, fields, context elements, rich text) into lines. */
export function blocksText(blocks: unknown, depth = 0): string[] {
  if (depth > 8 || !Array.isArray(blocks)) return [];
  const out: string[] = [];
  for (const b of blocks) {
    if (!isObj(b)) continue;
    if (typeof b.text === 'string') out.push(b.text);
    else if (isObj(b.text)) out.push(s(b.text.text));
    if (typeof b.url === 'string') out.push(b.url);
    for (const key of ['fields', 'elements']) out.push(...blocksText(b[key], depth + 1));
  }
  return out.filter(Boolean);
}

function headers(blocks: unknown): string[] {
  return (Array.isArray(blocks) ? blocks : [])
    .filter((b): b is Obj => isObj(b) && b.type === 'header' && isObj(b.text))
    .map((b) => s((b.text as Obj).text))
    .filter(Boolean);
}

const URL_IN_TEXT = /https?:\/\/[^\s<>|)\]"'`]+/g;

export function readSlackPost(e: Obj): SlackPost {
  const attachments = (Array.isArray(e.attachments) ? e.attachments : []).filter(isObj);
  const titles: string[] = [];
  const raw: string[] = [s(e.text)];
  const links: string[] = [];
  const fields: SlackPost['fields'] = [];
  const cardTimes: string[] = [];
  for (const a of attachments) {
    if (s(a.title)) titles.push(s(a.title));
    titles.push(...headers(a.blocks));
    links.push(s(a.title_link));
    raw.push(s(a.pretext), s(a.text), ...blocksText(a.blocks), s(a.footer));
    for (const f of Array.isArray(a.fields) ? a.fields.filter(isObj) : []) {
      fields.push({ title: s(f.title), value: s(f.value) });
      raw.push(`${s(f.title)}:${s(f.value)}`);
    }
    // The fallback repeats the title for old clients: only worth reading when there is none.
    if (!s(a.title)) raw.push(s(a.fallback));
    cardTimes.push(s(a.ts));
  }
  titles.push(...headers(e.blocks));
  raw.push(...blocksText(e.blocks));
  const lines = raw.filter(Boolean);
  for (const l of lines) links.push(...(unlink(l).match(URL_IN_TEXT) ?? []));
  const profile = isObj(e.bot_profile) ? s(e.bot_profile.name) : '';
  return {
    titles,
    lines,
    links: [...new Set(links.filter(Boolean).map(decodeEntities))],
    fields,
    cardTimes: cardTimes.filter(Boolean),
    sender: `${s(e.username)} ${profile}`.trim(),
  };
}
