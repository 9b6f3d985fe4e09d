/** The tiny routing vocabulary every sandbox route module speaks. */
import type { IncomingHttpHeaders } from 'node:http';
import type { Scenario } from './scenario';

export type SandboxRequest = {
  method: string;
  path: string;
  query: URLSearchParams;
  headers: IncomingHttpHeaders;
  /** Path parameters from the route pattern (`/repos/:owner/:repo`). */
  params: Record<string, string>;
  /** Parsed JSON, or form fields (Slack), or undefined. */
  body: unknown;
  rawBody: string;
};

export type SandboxResponse = {
  status: number;
  headers?: Record<string, string>;
  /** Objects are sent as JSON; strings as they are. */
  body?: unknown;
};

export type RouteHandler = (
  req: SandboxRequest,
  world: SandboxWorld,
) => SandboxResponse | Promise<SandboxResponse>;

export type Route = {
  method: string;
  pattern: string;
  handler: RouteHandler;
  /**
   * The scenario file this route answers from (relative to the scenario folder): when that file
   * is broken, the route answers an error naming it instead (sandbox/server.ts).
   */
  reads?: (req: SandboxRequest) => string;
};

/** What route handlers can see and change: the scenario, the base URL and a store for posted things. */
export type SandboxWorld = {
  scenario: Scenario;
  baseUrl: string;
  /** Free-form mutable state a route family keeps (e.g. Slack's posted messages). */
  state: Map<string, unknown>;
};

export function json(body: unknown, status = 200, headers: Record<string, string> = {}): SandboxResponse {
  return { status, body, headers };
}

export function notFound(message: string): SandboxResponse {
  return { status: 404, body: { errors: [message], message } };
}

/** Compiles `/a/:b/c` into a matcher returning params or null. `*rest` matches the remainder. */
export function compilePattern(pattern: string): (path: string) => Record<string, string> | null {
  const names: string[] = [];
  const source = pattern
    .split('/')
    .map((part) => {
      if (part.startsWith(':')) {
        names.push(part.slice(1));
        return '([^/]+)';
      }
      if (part.startsWith('*')) {
        names.push(part.slice(1));
        return '(.+)';
      }
      return part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    })
    .join('/');
  const re = new RegExp(`^${source}/?$`);
  return (path) => {
    const m = re.exec(path);
    if (!m) return null;
    const params: Record<string, string> = {};
    names.forEach((n, i) => {
      params[n] = decodeURIComponent(m[i + 1]!);
    });
    return params;
  };
}
