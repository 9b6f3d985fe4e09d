/**
 * Secret redaction applied to every observation before it reaches the LLM, the DB, the terminal
 * or Slack. Patterns are specific enough to leave ordinary ids (shas, UUIDs) alone.
 */
const RULES: [name: string, pattern: RegExp, replace?: string][] = [
  ['private-key', /-----BEGIN [A-Z ]*PRIVATE KEY-----[\s\S]*?(?:-----END [A-Z ]*PRIVATE KEY-----|$)/g],
  ['jwt', /\beyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}\b/g],
  ['aws-access-key', /\b(?:AKIA|ASIA)[0-9A-Z]{16}\b/g],
  ['github-token', /\b(?:gh[pousr]_[A-Za-z0-9]{30,}|github_pat_[A-Za-z0-9_]{40,})\b/g],
  ['slack-token', /\bxox[abposr]-[A-Za-z0-9-]{10,}\b/g],
  ['slack-app-token', /\bxapp-[A-Za-z0-9-]{10,}\b/g],
  ['openai-key', /\bsk-(?:proj-|svcacct-|ant-)?[A-Za-z0-9_-]{20,}\b/g],
  ['stripe-key', /\b(?:sk|rk)_(?:live|test)_[A-Za-z0-9]{16,}\b/g],
  ['google-api-key', /\bAIza[0-9A-Za-z_-]{35}\b/g],
  ['bearer', /\b(Bearer)\s+[A-Za-z0-9._~+/-]{16,}=*/gi, '$1 [REDACTED:bearer]'],
  // scheme://user:password@host -> keep scheme, user and host.
  ['url-password', /\b([a-z][a-z0-9+.-]*:\/\/[^\s:/@]+):[^\s@/]+@/gi, '$1:[REDACTED:password]@'],
  [
    'secret-assignment',
    /((?:\b|_)(?:api[_-]?key|apikey|secret|client[_-]?secret|password|passwd|pwd|access[_-]?token|auth[_-]?token|token|dd[_-]?api[_-]?key|dd[_-]?app[_-]?key|aws[_-]?secret[_-]?access[_-]?key)["']?\s*[:=]\s*["']?)([^\s"',;&]{6,})/gi,
    '$1[REDACTED:secret]',
  ],
];

export function redactSecrets(text: string): string {
  let out = text;
  for (const [name, re, replace] of RULES) out = out.replace(re, replace ?? `[REDACTED:${name}]`);
  return out;
}

/** Shorter configured values are not redacted: replacing a 3-letter value would shred ordinary text. */
const MIN_SECRET_CHARS = 8;

/** Values of secret environment variables, redacted wherever they appear verbatim. */
export function redactKnownValues(text: string, secrets: readonly string[]): string {
  let out = text;
  for (const s of secrets)
    if (s.length >= MIN_SECRET_CHARS) out = out.split(s).join('[REDACTED:configured-secret]');
  return out;
}

/** Both kinds of redaction: secret-looking patterns, then the configured secret values. */
export function redactText(text: string, secrets: readonly string[] = []): string {
  return redactKnownValues(redactSecrets(text), secrets);
}

/**
 * Redacts every string inside a JSON-like value (objects, arrays), returning a copy: patterns,
 * and the configured secret values when given. Keys are kept; they are ours, not the data's.
 */
export function redactDeep<T>(value: T, secrets: readonly string[] = [], seen = new WeakSet<object>()): T {
  if (typeof value === 'string') return redactText(value, secrets) as T;
  if (value === null || typeof value !== 'object') return value;
  // Only a cycle stops the walk: an object shared by two fields is redacted at both.
  if (seen.has(value as object)) return value;
  seen.add(value as object);
  let out: unknown;
  if (Array.isArray(value)) out = value.map((v) => redactDeep(v, secrets, seen));
  else {
    const copy: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value as Record<string, unknown>))
      copy[k] = redactDeep(v, secrets, seen);
    out = copy;
  }
  seen.delete(value as object);
  return out as T;
}
