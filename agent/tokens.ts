/**
 * The tokenizer the offline scorer and learning share: it decides when a change's text overlaps
 * an error signature and when an incident's resolution names a suspect or a page.
 */

/** Words too common in commit messages, logs and titles to tell two texts apart. */
export const COMMON_WORDS: ReadonlySet<string> = new Set(
  'the and for with from into that this when then than have has was were are not but all any can via use used using add adds added update updated fix fixes fixed bump change changes changed make new old more less test tests src lib app main index json yaml yml service services error errors request requests prod production deploy deployed deployment'.split(
    ' ',
  ),
);

/** Identifier-ish tokens: words, camelCase parts kept whole and split, path segments. */
export function tokensOf(text: string): Set<string> {
  const out = new Set<string>();
  for (const raw of text.match(/[A-Za-z][A-Za-z0-9_-]{2,}/g) ?? []) {
    const w = raw.toLowerCase();
    if (!COMMON_WORDS.has(w)) out.add(w);
    for (const part of raw.split(/(?=[A-Z])|[_-]/)) {
      const p = part.toLowerCase();
      if (p.length >= 4 && !COMMON_WORDS.has(p)) out.add(p);
    }
  }
  return out;
}
