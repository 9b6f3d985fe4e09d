import { RETRY_BASE_MS, TOOL_DEFAULTS } from './defaults';
import { describeUnreadable, readJsonText, UnreadableResponseError } from './unreadable';

/** A JSON GET with bounded retries on 429/5xx (honouring Retry-After) for APIs without an SDK here. */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
    this.name = 'HttpError';
  }
}

/** Sleeps, but wakes at once when the call is cancelled. */
export function abortableSleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve();
    const t = setTimeout(resolve, ms);
    signal.addEventListener(
      'abort',
      () => {
        clearTimeout(t);
        resolve();
      },
      { once: true },
    );
  });
}

export function retryDelayMs(attempt: number, retryAfter: string | null, baseMs: number): number {
  const seconds = retryAfter === null ? Number.NaN : Number(retryAfter);
  const ms = Number.isFinite(seconds)
    ? seconds * 1000
    : retryAfter
      ? Date.parse(retryAfter) - Date.now()
      : Number.NaN;
  return Math.min(Number.isFinite(ms) && ms >= 0 ? ms : baseMs * 2 ** attempt, TOOL_DEFAULTS.maxRetryWaitMs);
}

export async function getJson(
  url: string,
  headers: Record<string, string>,
  signal: AbortSignal,
  options: { retries?: number; retryBaseMs?: number } = {},
): Promise<unknown> {
  const retries = options.retries ?? TOOL_DEFAULTS.maxRetries;
  for (let attempt = 0; ; attempt++) {
    const res = await fetch(url, { headers: { accept: 'application/json', ...headers }, signal });
    if ((res.status === 429 || res.status >= 500) && attempt < retries) {
      await res.body?.cancel();
      await abortableSleep(
        retryDelayMs(attempt, res.headers.get('retry-after'), options.retryBaseMs ?? RETRY_BASE_MS),
        signal,
      );
      if (signal.aborted) throw new Error('cancelled');
      continue;
    }
    if (!res.ok) {
      const text = await res.text().catch(() => '');
      throw new HttpError(res.status, `HTTP ${res.status}: ${errorDetail(text)}`);
    }
    return JSON.parse(await readJsonText(res));
  }
}

/** The message(s) an error body carries (`{errors: [...]}`, `{message}`), else its first characters. */
export function errorDetail(body: unknown): string {
  let value = body;
  if (typeof body === 'string') {
    // Some SDKs wrap the body in their own text ('Unknown API Status Code!\nBody: "{...}"').
    const start = body.indexOf('{');
    try {
      value = start >= 0 ? JSON.parse(body.slice(start, body.lastIndexOf('}') + 1)) : body;
    } catch {
      value = body;
    }
  }
  if (value && typeof value === 'object') {
    const v = value as { errors?: unknown; message?: unknown };
    const messages = Array.isArray(v.errors)
      ? v.errors.map((e) => (typeof e === 'string' ? e : JSON.stringify(e)))
      : typeof v.message === 'string'
        ? [v.message]
        : [];
    if (messages.length > 0) return messages.join('; ').slice(0, 300);
    return JSON.stringify(value).slice(0, 200);
  }
  return String(value ?? '').slice(0, 200);
}

export function describeHttpError(service: string, credential: string, err: unknown, what: string): string {
  if (err instanceof UnreadableResponseError) return describeUnreadable(service, err, what);
  if (err instanceof HttpError) {
    if (err.status === 401 || err.status === 403)
      return `${service} refused ${what} (HTTP ${err.status}): check ${credential}`;
    if (err.status === 404) return `${what}: not found in ${service}`;
    if (err.status === 422) return `${service} could not process ${what} (${err.message})`;
    if (err.status === 429) return `${service} rate limit hit for ${what} after retries; try again shortly`;
    if (err.status >= 500) return `${service} returned HTTP ${err.status} for ${what} after retries`;
    return `${service}: ${what} failed: ${err.message}`;
  }
  return `${service}: ${what} failed: ${err instanceof Error ? err.message : String(err)}`;
}
