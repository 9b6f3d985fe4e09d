/**
 * A success status whose body cannot be read as JSON (cut off, an HTML login wall, a proxy's
 * error page) is a failure of that source, never an empty answer: the SDKs here hand back
 * whatever text they got, which reads as "no log lines matched" or "0 changes".
 */
export class UnreadableResponseError extends Error {
  constructor(
    readonly status: number,
    readonly detail: string,
  ) {
    super(`unreadable response (HTTP ${status}: ${detail})`);
    this.name = 'UnreadableResponseError';
  }
}

/** What a tool reports: the source, the call, and what was wrong with the body. */
export function describeUnreadable(service: string, err: UnreadableResponseError, what: string): string {
  return `${service} returned an unreadable response for ${what} (HTTP ${err.status}: ${err.detail})`;
}

/** What is wrong with a body that should be JSON, or undefined when it is JSON. */
export function unreadableDetail(text: string): string | undefined {
  if (text.trim() === '') return 'an empty or cut-off body';
  try {
    JSON.parse(text);
    return undefined;
  } catch {
    return `not valid JSON: ${text.length} bytes starting ${JSON.stringify(text.slice(0, 40))}`;
  }
}

/** Statuses that carry no body by definition. */
const NO_BODY = new Set([204, 205]);

/** A success response's text, checked to be JSON; throws UnreadableResponseError otherwise. */
export async function readJsonText(res: Response): Promise<string> {
  let text: string;
  try {
    text = await res.text();
  } catch (err) {
    // The connection closed before the promised Content-Length: the body was cut off.
    if (err instanceof Error && err.name === 'AbortError') throw err;
    throw new UnreadableResponseError(
      res.status,
      `the body was cut off (${err instanceof Error ? err.message : String(err)})`,
    );
  }
  const detail = unreadableDetail(text);
  if (detail) throw new UnreadableResponseError(res.status, detail);
  return text;
}

/**
 * A fetch for SDKs that parse leniently: every 2xx body is read and checked to be JSON before the
 * SDK sees it. Errors (4xx/5xx) pass through untouched, for the SDK's own handling and retries.
 */
export function checkedJsonFetch(inner: typeof fetch = fetch): typeof fetch {
  return async (input, init) => {
    const res = await inner(input, init);
    if (res.status < 200 || res.status >= 300 || NO_BODY.has(res.status)) return res;
    const text = await readJsonText(res);
    // The text is already decoded: the new response must not claim an encoding or the old length.
    const headers = new Headers(res.headers);
    headers.delete('content-encoding');
    headers.delete('content-length');
    return new Response(text, { status: res.status, statusText: res.statusText, headers });
  };
}

/** Octokit parses a JSON body that fails to parse into a string: a success whose data is text is unreadable. */
export function unreadableData(status: number, data: unknown): UnreadableResponseError | undefined {
  if (status < 200 || status >= 300 || NO_BODY.has(status) || typeof data !== 'string') return undefined;
  return new UnreadableResponseError(status, unreadableDetail(data) ?? 'text where JSON was expected');
}
