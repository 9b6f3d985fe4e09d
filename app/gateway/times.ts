/**
 * Times as alerts state them: epoch milliseconds (`$DATE`, `$LAST_UPDATED`, `from_ts`), epoch
 * seconds (`$DATE_POSIX`, Slack `ts`, `link_event_ts`, with or without a fraction) and ISO 8601.
 * Values arrive as untrusted strings, so anything implausible is refused rather than believed.
 */

/** 2001-09-09 in ms: an earlier instant is a unit mistake (seconds read as ms) or a placeholder. */
const EARLIEST_MS = 1e12;
/** The last instant a JS Date can hold. */
const LATEST_MS = 8.64e15;
/** Below this an all-digit value is seconds (1e11 s is the year 5138; 1e11 ms is 1973). */
const SECONDS_BELOW = 1e11;

/** ISO 8601, or the same with a space and ` UTC` (how DataDog prints `{{last_triggered_at}}`). */
const ISO = /^(\d{4}-\d{2}-\d{2})(?:[T ](\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?))?\s*(Z|UTC|[+-]\d{2}:?\d{2})?$/i;

/**
 * Epoch ms of a stated time, or undefined when it is missing, malformed or implausible. No
 * comparison with the clock: parsing must give the same answer whatever day the tests run.
 */
export function instantOf(raw: unknown): number | undefined {
  const s = typeof raw === 'number' ? String(raw) : typeof raw === 'string' ? raw.trim() : '';
  let ms = Number.NaN;
  if (/^\d+(\.\d+)?$/.test(s)) {
    const n = Number(s);
    ms = n < SECONDS_BELOW ? n * 1000 : n;
  } else {
    const m = ISO.exec(s);
    // A zone-less time is read as UTC: DataDog's times are UTC, and the host's zone must not matter.
    if (m) ms = Date.parse(`${m[1]}T${m[2] ?? '00:00'}${!m[3] || /^utc$/i.test(m[3]) ? 'Z' : m[3]}`);
  }
  if (!Number.isFinite(ms) || ms < EARLIEST_MS || ms > LATEST_MS) return undefined;
  return Math.floor(ms);
}

export function isoOf(ms: number): string {
  return new Date(ms).toISOString();
}
