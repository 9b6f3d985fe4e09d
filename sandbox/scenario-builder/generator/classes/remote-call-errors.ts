import { hex, type Rng } from '../../lib';
import type { WorldDraft } from '../draft';
import type { StackFrame } from '../effects';
import type { Lang, Service } from '../estate';
import { methodAndPath, routesOf } from '../log-formats';
import { framesThrough } from './kit';

/**
 * How an outbound HTTP call fails, written the way each stack's usual client reports it (axios,
 * RestTemplate, requests, Faraday, net/http, HttpClient). Shared by the dependency classes: a
 * vendor and an internal service fail through the same clients, only the host differs.
 * `remoteError` covers the failure modes of a remote going away; `upstreamError` and
 * `timeoutError` the remote answering an error status or too slowly to a service's API client.
 */
export type RemoteFailure = 'timeout' | 'status' | 'refused' | 'reset';

export type RemoteCall = {
  host: string;
  /** Full URL of the failing call, e.g. `https://api.stripe.com/v1/payment_intents`. */
  url: string;
  method: 'GET' | 'POST';
  port: number;
  timeoutMs: number;
  /** For `status`: the 5xx the remote answers with. */
  status: number;
};

/** HTTP reason phrases, for the statuses the generated failures answer with. */
export const HTTP_REASON: Record<number, string> = {
  403: 'Forbidden',
  404: 'Not Found',
  413: 'Payload Too Large',
  422: 'Unprocessable Entity',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  502: 'Bad Gateway',
  503: 'Service Unavailable',
  504: 'Gateway Timeout',
};

/** A plausible address of the remote (public for vendors, 10.x for internal pods). */
export function remoteIp(r: Rng, internal: boolean): string {
  const n = () => Math.floor(r() * 250) + 2;
  return internal
    ? `10.${n()}.${n()}.${n()}`
    : `${[3, 18, 34, 52, 54][Math.floor(r() * 5)]}.${n()}.${n()}.${n()}`;
}

function pathOf(url: string): string {
  return url.replace(/^https?:\/\/[^/]+/, '') || '/';
}

/**
 * The exception kind and message for one failure mode in one language. Addresses are drawn once
 * (`r` at build time): a service's calls go to one address (a ClusterIP, a vendor edge), and a
 * log line's message then agrees with its `error.message`.
 */
export function remoteError(
  r: Rng,
  lang: Lang,
  mode: RemoteFailure,
  call: RemoteCall,
  internal: boolean,
): { kind: string; message: (r: Rng) => string } {
  const { host, url, method, port, timeoutMs, status } = call;
  const reason = HTTP_REASON[status] ?? 'Service Unavailable';
  const secs = timeoutMs / 1000;
  const addr = remoteIp(r, internal);
  const local = `${remoteIp(r, true)}:${32768 + Math.floor(r() * 28000)}`;
  const object = hex(r, 10);
  const tls = url.startsWith('https') ? 'S' : '';
  const goMethod = method === 'GET' ? 'Get' : 'Post';
  switch (lang) {
    case 'java':
      if (mode === 'status')
        return {
          kind: `org.springframework.web.client.HttpServerErrorException$${reason.replace(/ /g, '')}`,
          message: () =>
            `${status} ${reason}: "${internal ? '{"error":"unavailable"}' : '<html><body>upstream unavailable</body></html>'}"`,
        };
      return {
        kind: 'org.springframework.web.client.ResourceAccessException',
        message: () =>
          `I/O error on ${method} request for "${url}": ${mode === 'timeout' ? 'Read timed out' : mode === 'refused' ? 'Connection refused' : 'Connection reset'}`,
      };
    case 'python':
      if (mode === 'timeout')
        return {
          kind: 'requests.exceptions.ReadTimeout',
          message: () =>
            `HTTP${tls}ConnectionPool(host='${host}', port=${port}): Read timed out. (read timeout=${secs})`,
        };
      if (mode === 'status')
        return {
          kind: 'requests.exceptions.HTTPError',
          message: () => `${status} Server Error: ${reason} for url: ${url}`,
        };
      if (mode === 'refused')
        return {
          kind: 'requests.exceptions.ConnectionError',
          message: () =>
            `HTTP${tls}ConnectionPool(host='${host}', port=${port}): Max retries exceeded with url: ${pathOf(url)} (Caused by NewConnectionError('<urllib3.connection.HTTP${tls}Connection object at 0x7f${object}>: Failed to establish a new connection: [Errno 111] Connection refused'))`,
        };
      return {
        kind: 'requests.exceptions.ConnectionError',
        message: () =>
          `('Connection aborted.', ConnectionResetError(104, 'Connection reset by peer')) calling ${host}`,
      };
    case 'ruby':
      if (mode === 'timeout')
        return {
          kind: 'Faraday::TimeoutError',
          message: () => 'Net::ReadTimeout with #<TCPSocket:(closed)>',
        };
      if (mode === 'status')
        return {
          kind: 'Faraday::ServerError',
          message: () => `the server responded with status ${status} (${method} ${url})`,
        };
      if (mode === 'refused')
        return {
          kind: 'Faraday::ConnectionFailed',
          message: () =>
            `Failed to open TCP connection to ${host}:${port} (Connection refused - connect(2) for "${host}" port ${port})`,
        };
      return {
        kind: 'Faraday::ConnectionFailed',
        message: () => `Connection reset by peer - SSL_read (${host}:${port})`,
      };
    case 'go':
      if (mode === 'timeout')
        return {
          kind: '*url.Error',
          message: () =>
            `${goMethod} "${url}": context deadline exceeded (Client.Timeout exceeded while awaiting headers)`,
        };
      if (mode === 'status')
        return {
          kind: 'client.StatusError',
          message: () => `${method} ${url}: unexpected status ${status} ${reason}`,
        };
      if (mode === 'refused')
        return {
          kind: '*url.Error',
          message: () => `${goMethod} "${url}": dial tcp ${addr}:${port}: connect: connection refused`,
        };
      return {
        kind: '*url.Error',
        message: () =>
          `${goMethod} "${url}": read tcp ${local}->${addr}:${port}: read: connection reset by peer`,
      };
    case 'dotnet':
      if (mode === 'timeout')
        return {
          kind: 'System.Threading.Tasks.TaskCanceledException',
          message: () =>
            `The request was canceled due to the configured HttpClient.Timeout of ${secs} seconds elapsing.`,
        };
      if (mode === 'status')
        return {
          kind: 'System.Net.Http.HttpRequestException',
          message: () => `Response status code does not indicate success: ${status} (${reason}).`,
        };
      if (mode === 'refused')
        return {
          kind: 'System.Net.Http.HttpRequestException',
          message: () => `Connection refused (${host}:${port})`,
        };
      return {
        kind: 'System.Net.Http.HttpRequestException',
        message: () =>
          'An error occurred while sending the request. ---> System.IO.IOException: Unable to read data from the transport connection: Connection reset by peer.',
      };
    default:
      if (mode === 'timeout')
        return { kind: 'AxiosError', message: () => `timeout of ${timeoutMs}ms exceeded (${method} ${url})` };
      if (mode === 'status')
        return {
          kind: 'AxiosError',
          message: () => `Request failed with status code ${status} (${method} ${url})`,
        };
      if (mode === 'refused')
        return { kind: 'Error', message: () => `connect ECONNREFUSED ${addr}:${port} (${method} ${url})` };
      return { kind: 'Error', message: () => `read ECONNRESET (${method} ${url})` };
  }
}

/** A call's URL with its `:id` filled in, drawn per failing request. */
function withId(url: string, x: Rng): string {
  return url.replace(':id', String(10000 + Math.floor(x() * 900000)));
}

/**
 * The error a service's HTTP client raises when a remote answers 5xx, with the messages the
 * language's usual client library writes (got/axios, Feign, requests, net/http, Faraday, HttpClient).
 */
export function upstreamError(
  r: Rng,
  caller: Service,
  url: string,
  method: string,
  status: number,
): [string, (x: Rng) => string] {
  const text = HTTP_REASON[status] ?? 'Internal Server Error';
  const code =
    { 404: 'not_found', 413: 'payload_too_large', 429: 'rate_limited', 500: 'internal_error' }[
      status as 404 | 413 | 429 | 500
    ] ?? 'unavailable';
  const body = (x: Rng) => `{"error":"${code}","request_id":"${hex(x, 16)}"}`;
  switch (caller.lang) {
    case 'java': {
      const host = new URL(url).hostname.split('.')[0]!;
      const client = `${host.replace(/(^|-)(\w)/g, (_, __, c: string) => c.toUpperCase())}Client`;
      // Feign has a subclass per common status, and FeignClientException for the other 4xx.
      const feign = status === 413 ? 'FeignClientException' : text.replace(/ /g, '');
      return [
        `feign.FeignException$${feign}`,
        (x) =>
          `[${status} ${text}] during [${method}] to [${withId(url, x)}] [${client}#${method === 'GET' ? 'get' : 'create'}(Request)]: [${body(x)}]`,
      ];
    }
    case 'python':
      return [
        'requests.exceptions.HTTPError',
        (x) => `${status} ${status < 500 ? 'Client' : 'Server'} Error: ${text} for url: ${withId(url, x)}`,
      ];
    case 'go':
      return ['*fmt.wrapError', (x) => `${method} ${withId(url, x)}: unexpected status ${status} ${text}`];
    case 'ruby':
      return [
        (
          {
            404: 'Faraday::ResourceNotFound',
            413: 'Faraday::RequestEntityTooLargeError',
            429: 'Faraday::TooManyRequestsError',
          } as Record<number, string>
        )[status] ?? 'Faraday::ServerError',
        () => `the server responded with status ${status}`,
      ];
    case 'dotnet':
      return [
        'System.Net.Http.HttpRequestException',
        () => `Response status code does not indicate success: ${status} (${text}).`,
      ];
    default:
      return r() < 0.5
        ? ['HTTPError', () => `Response code ${status} (${text})`]
        : ['AxiosError', () => `Request failed with status code ${status}`];
  }
}

/** The error a service's HTTP client raises when a call exceeds its timeout (real library messages). */
export function timeoutError(
  r: Rng,
  caller: Service,
  url: string,
  method: string,
  timeoutMs: number,
): [string, (x: Rng) => string] {
  const u = new URL(url);
  const port = u.protocol === 'https:' ? 443 : 80;
  switch (caller.lang) {
    case 'java':
      return [
        'org.springframework.web.client.ResourceAccessException',
        (x) => `I/O error on ${method} request for "${withId(url, x)}": Read timed out`,
      ];
    case 'python':
      return [
        'requests.exceptions.ReadTimeout',
        () =>
          `${port === 443 ? 'HTTPS' : 'HTTP'}ConnectionPool(host='${u.hostname}', port=${port}): Read timed out. (read timeout=${timeoutMs / 1000})`,
      ];
    case 'go':
      return [
        '*url.Error',
        (x) =>
          `${method.charAt(0)}${method.slice(1).toLowerCase()} "${withId(url, x)}": context deadline exceeded (Client.Timeout exceeded while awaiting headers)`,
      ];
    case 'ruby':
      return ['Faraday::TimeoutError', () => 'Net::ReadTimeout with #<TCPSocket:(closed)>'];
    case 'dotnet':
      return [
        'System.Threading.Tasks.TaskCanceledException',
        () =>
          `The request was canceled due to the configured HttpClient.Timeout of ${timeoutMs / 1000} seconds elapsing.`,
      ];
    default:
      return r() < 0.5
        ? ['TimeoutError', () => `Timeout awaiting 'request' for ${timeoutMs}ms`]
        : ['AxiosError', () => `timeout of ${timeoutMs}ms exceeded`];
  }
}

/**
 * How one of our services fails calling the remote: the client's error, raised from `throwing` in
 * the service's own code, and the status the service answers with. Draws in that order.
 */
export function callFailure(
  r: Rng,
  s: Service,
  slug: string,
  failing: { mode: RemoteFailure; call: RemoteCall; internal: boolean },
  throwing: { path: string; fn: string },
): { kind: string; message: (r: Rng) => string; frames: StackFrame[]; peer: string; status: number } {
  const { mode, call, internal } = failing;
  return {
    ...remoteError(r, s.lang, mode, call, internal),
    frames: framesThrough(s, slug, r, throwing),
    peer: call.host,
    status: statusFor(mode, r),
  };
}

/** What a retrying client logs as the reason its last attempt failed. */
export function retryReason(mode: RemoteFailure, call: RemoteCall): string {
  switch (mode) {
    case 'timeout':
      return `timeout after ${call.timeoutMs}ms`;
    case 'status':
      return `HTTP ${call.status}`;
    case 'refused':
      return 'ECONNREFUSED';
    default:
      return 'ECONNRESET';
  }
}

/** The status our service answers with when the remote call fails. */
export function statusFor(mode: RemoteFailure, r: Rng): number {
  if (mode === 'timeout') return r() < 0.6 ? 504 : 500;
  return r() < 0.6 ? 502 : r() < 0.5 ? 503 : 500;
}

/**
 * Error lines of a secondary service whose requests fail through a remote, written as sampled
 * logs (the way the telemetry writes a failing request) rather than through an ErrorSpec, so a
 * second failing service adds a handful of lines per minute instead of doubling the world's logs.
 */
export function logFailedRequests(
  d: WorldDraft,
  s: Service,
  from: number,
  failure: { kind: string; message: (r: Rng) => string; frames?: StackFrame[]; peer: string; status: number },
  perMinute: number | ((m: number) => number) = 1.5,
): void {
  const route = routesOf(s)[0]!;
  const { method, path } = methodAndPath(route);
  d.log({
    service: s.name,
    from,
    perMinute,
    event: (x) => {
      const message = failure.message(x);
      return {
        level: 'error',
        message: s.logFormat === 'json' ? `${failure.kind}: ${message}` : 'request failed',
        error: { kind: failure.kind, message, frames: failure.frames },
        http: { method, route: path, status: failure.status, durationMs: s.p95Ms * (0.5 + x()) },
        peer: failure.peer,
      };
    },
  });
}
