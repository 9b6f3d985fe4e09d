/**
 * Pure: the readable text of a Slack message, wherever the poster put it. Bots such as DataDog's
 * app post with empty or fallback-only top-level `text` and the content in `attachments[]`
 * (pretext, title, text, fields, footer) and `blocks` (header, section text and fields, context,
 * rich text). Lines are kept once, in reading order.
 */
type TextObject = { type?: string; text?: string };
type RichElement = { type?: string; text?: string; url?: string; elements?: RichElement[] };
export type SlackBlock = {
  type?: string;
  text?: TextObject;
  fields?: TextObject[];
  elements?: (TextObject & RichElement)[];
};
export type SlackAttachment = {
  fallback?: string;
  pretext?: string;
  title?: string;
  title_link?: string;
  text?: string;
  fields?: { title?: string; value?: string }[];
  footer?: string;
  blocks?: SlackBlock[];
};
export type SlackMessageLike = { text?: string; attachments?: SlackAttachment[]; blocks?: SlackBlock[] };

function richText(e: RichElement): string {
  if (e.elements) return e.elements.map(richText).join('');
  if (e.type === 'link') return e.text ? `<${e.url}|${e.text}>` : (e.url ?? '');
  return e.text ?? '';
}

function blockLines(b: SlackBlock): string[] {
  switch (b.type) {
    case 'header':
    case 'section':
      return [b.text?.text ?? '', ...(b.fields ?? []).map((f) => f.text ?? '')];
    case 'context':
      return [
        (b.elements ?? [])
          .map((e) => e.text ?? '')
          .filter(Boolean)
          .join(' '),
      ];
    case 'rich_text':
      return (b.elements ?? []).map(richText);
    default:
      return [];
  }
}

function attachmentLines(a: SlackAttachment): string[] {
  const title = a.title ? (a.title_link ? `<${a.title_link}|${a.title}>` : a.title) : '';
  return [
    a.pretext ?? '',
    title,
    a.text ?? '',
    ...(a.fields ?? []).map((f) => [f.title, f.value].filter(Boolean).join(': ')),
    ...(a.blocks ?? []).flatMap(blockLines),
    a.footer ?? '',
    // The fallback repeats the rest when there is a rest; alone, it is the content.
    a.title || a.text || a.blocks?.length ? '' : (a.fallback ?? ''),
  ];
}

export function slackMessageText(m: SlackMessageLike): string {
  const lines = [
    m.text ?? '',
    ...(m.blocks ?? []).flatMap(blockLines),
    ...(m.attachments ?? []).flatMap(attachmentLines),
  ]
    .map((l) => l.trim())
    .filter(Boolean);
  return [...new Set(lines)].join('\n');
}
