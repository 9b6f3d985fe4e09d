/**
 * HTTP status codes a log line or attribute states, read so that a number only counts when it is
 * one: a whole token (`sh_5031ab`, `id-503-x`, `#503`, `10.0.0.503` are not 503) said in an HTTP
 * context (`HTTP/1.1 502`, `status=504`, `returned 503`) or followed by its reason phrase
 * (`503 Service Unavailable`), or the whole text (an `http.status_code` attribute). Pure.
 */

// Not after a word character, `.`, `#`, `/` or `-`; not before one (a trailing full stop is fine).
const CODE = /(?<![\w.#/-])([1-5]\d{2})(?![\w-]|\.\d)/g;

/** Words that introduce a status code, at most a quote, `:`/`=` and spaces before it. */
const CONTEXT_BEFORE =
  /\b(?:https?(?:\/[\d.]+)?|status|status_?code|statuscode|code|response|responded|returned|returning|upstream|gateway|got|received|with|error)["']?\s*[:=]?\s*["']?$/i;

const REASON_AFTER =
  /^\s*(?:[-:(]\s*)?(?:ok|created|accepted|no content|moved permanently|found|not modified|bad request|unauthorized|payment required|forbidden|not found|method not allowed|request timeout|conflict|gone|payload too large|unprocessable|too many requests|internal server error|not implemented|bad gateway|service unavailable|gateway timeout)\b/i;

/** How far before a code its context word may start, and how far after it the reason phrase is read. */
const CONTEXT_CHARS = 32;

export function httpStatusCodes(text: string): number[] {
  if (typeof text !== 'string') return [];
  const trimmed = text.trim();
  if (/^[1-5]\d{2}$/.test(trimmed)) return [Number(trimmed)];
  const out: number[] = [];
  for (const m of text.slice(0, 4_000).matchAll(CODE)) {
    const at = m.index;
    const before = text.slice(Math.max(0, at - CONTEXT_CHARS), at);
    const after = text.slice(at + 3, at + 3 + CONTEXT_CHARS);
    const code = Number(m[1]);
    if ((CONTEXT_BEFORE.test(before) || REASON_AFTER.test(after)) && !out.includes(code)) out.push(code);
  }
  return out;
}

/** 502 Bad Gateway, 503 Service Unavailable, 504 Gateway Timeout: a proxy could not get an answer upstream. */
export function isGatewayStatus(code: number): boolean {
  return code === 502 || code === 503 || code === 504;
}
