import { parse as parseYaml } from 'yaml';

/** A Markdown page split into its front matter and body. */
export type FrontMatter = {
  meta: Record<string, unknown>;
  body: string;
  /** Set when the front matter could not be read as YAML and was read leniently (or ignored). */
  warning?: string;
};

const FENCE = /^---\r?\n([\s\S]*?)\r?\n---(?:\r?\n|$)/;
/** `key: value`, the value being everything after the first colon (so `title: Runbook: foo` works). */
const PLAIN_LINE = /^([A-Za-z_][\w-]*)[ \t]*:[ \t]*(.*?)[ \t]*$/;

/** Reads `key: value` lines by hand: what a person meant when their front matter is not valid YAML. */
export function plainKeyValues(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const line of text.split(/\r?\n/)) {
    const m = PLAIN_LINE.exec(line);
    if (!m || m[2] === '') continue;
    const value = m[2]!;
    const quoted = /^(["'])(.*)\1$/.exec(value);
    out[m[1]!] = quoted ? quoted[2]! : value;
  }
  return out;
}

/**
 * Splits optional front matter from a Markdown page. Real runbook folders often hold front matter
 * that is not valid YAML (`title: Runbook: foo`); such a page is still read, its `key: value`
 * lines taken as plain text, with a warning saying so: one page's typo never stops an index.
 */
export function parseFrontMatter(text: string): FrontMatter {
  const match = FENCE.exec(text);
  if (!match) return { meta: {}, body: text };
  const body = text.slice(match[0].length);
  let parsed: unknown;
  try {
    // logLevel 'error': YAML's warnings would go to the console; errors still throw.
    parsed = parseYaml(match[1]!, { logLevel: 'error' }) ?? {};
  } catch (err) {
    const reason = (err instanceof Error ? err.message : String(err)).split('\n')[0];
    return {
      meta: plainKeyValues(match[1]!),
      body,
      warning: `front matter is not valid YAML (${reason}); its key: value lines were read as plain text`,
    };
  }
  if (typeof parsed !== 'object' || Array.isArray(parsed))
    return { meta: {}, body, warning: 'front matter is not a list of key: value fields; it was ignored' };
  return { meta: parsed as Record<string, unknown>, body };
}
