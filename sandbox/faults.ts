/** Per-route fault injection, so tests can make any source slow, rate limited, broken or malformed. */
export type Fault = {
  /** Delay before answering (applies to every matching request while the fault lasts). */
  latencyMs?: number;
  /** Answer with this status instead of the real response. */
  status?: number;
  /** Retry-After seconds sent with the status (and x-ratelimit-reset for DataDog). */
  retryAfter?: number;
  /** Send a truncated, unparsable body with status 200 (the response itself is complete). */
  malformed?: boolean;
  /**
   * Send status 200 promising the whole body (its Content-Length), then cut the connection
   * halfway through it: what a proxy timeout or a dropped connection does.
   */
  truncated?: boolean;
  /** Send status 200 with an HTML page instead of JSON: what a login wall or a proxy error page does. */
  notJson?: boolean;
  /**
   * Answer 200 with `{ ok: false, error }`: how Slack's Web API reports a failed call
   * (`channel_not_found`, `internal_error`, …). Its clients throw at once; they do not retry it.
   */
  slackError?: string;
  /** How many requests the fault applies to; then the route behaves normally. Default: unlimited. */
  times?: number;
};

type ActiveFault = Fault & { method?: string; pathPrefix: string; remaining: number };

export class FaultTable {
  private faults: ActiveFault[] = [];

  /** Applies `fault` to requests whose path starts with `pathPrefix` (and method, when given). */
  add(pathPrefix: string, fault: Fault, method?: string): void {
    this.faults.push({ ...fault, pathPrefix, method, remaining: fault.times ?? Number.POSITIVE_INFINITY });
  }

  clear(): void {
    this.faults = [];
  }

  /** Consumes and returns the first fault matching this request, if any. */
  take(method: string, path: string): Fault | undefined {
    const found = this.faults.find(
      (f) => f.remaining > 0 && path.startsWith(f.pathPrefix) && (!f.method || f.method === method),
    );
    if (!found) return undefined;
    found.remaining -= 1;
    return found;
  }
}
