import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type Fault, FaultTable } from './faults';
import {
  compilePattern,
  type Route,
  type SandboxRequest,
  type SandboxResponse,
  type SandboxWorld,
} from './http';
import { routeFamilies } from './routes/index';
import { loadScenario, type Scenario, type ScenarioProblem } from './scenario';

export type RecordedRequest = {
  method: string;
  path: string;
  query: Record<string, string>;
  headers: Record<string, string | string[] | undefined>;
  body: unknown;
  rawBody: string;
  status: number;
};

export type Sandbox = {
  url: string;
  scenario: Scenario;
  world: SandboxWorld;
  faults: FaultTable;
  /** Every request the sandbox answered, in order: tests assert on what clients really sent. */
  requests: RecordedRequest[];
  close(): Promise<void>;
};

const MAX_BODY_BYTES = 5 * 1024 * 1024;

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > MAX_BODY_BYTES) {
        reject(new Error('body too large'));
        req.destroy();
        return;
      }
      chunks.push(c);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

function parseBody(raw: string, contentType: string | undefined): unknown {
  if (raw.length === 0) return undefined;
  if (contentType?.includes('application/x-www-form-urlencoded')) {
    return Object.fromEntries(new URLSearchParams(raw));
  }
  try {
    return JSON.parse(raw);
  } catch {
    return raw;
  }
}

/** How the body of a 200 is damaged on its way out, when a fault says so. */
type BodyFault = 'malformed' | 'truncated' | 'notJson' | undefined;

function bodyFaultOf(fault: Fault | undefined): BodyFault {
  if (fault?.truncated) return 'truncated';
  if (fault?.notJson) return 'notJson';
  if (fault?.malformed) return 'malformed';
  return undefined;
}

const LOGIN_WALL_PAGE =
  '<!doctype html><html><head><title>Sign in</title></head><body>Please sign in.</body></html>';

function send(res: ServerResponse, out: SandboxResponse, bodyFault: BodyFault): void {
  const headers: Record<string, string> = { ...(out.headers ?? {}) };
  let payload: string;
  if (typeof out.body === 'string') payload = out.body;
  else if (out.body === undefined) payload = '';
  else {
    payload = JSON.stringify(out.body);
    headers['content-type'] ??= 'application/json; charset=utf-8';
  }
  if (bodyFault === 'malformed') {
    payload = payload.slice(0, Math.max(1, Math.floor(payload.length / 2))) || '{"broken';
    headers['content-type'] = 'application/json; charset=utf-8';
  }
  if (bodyFault === 'notJson') {
    payload = LOGIN_WALL_PAGE;
    headers['content-type'] = 'text/html; charset=utf-8';
  }
  if (bodyFault === 'truncated') {
    const whole = Buffer.from(payload || '{"truncated":true}');
    res.writeHead(200, { ...headers, 'content-length': String(whole.length) });
    // Flushed before the socket is destroyed, so the client sees headers and half the body.
    res.write(whole.subarray(0, Math.floor(whole.length / 2)), () => res.destroy());
    return;
  }
  res.writeHead(out.status, headers);
  res.end(payload);
}

/**
 * A route whose scenario file is broken answers 422 naming the file and field. No client retries
 * a 422 (a broken file stays broken), and each reports the status and the message.
 */
function brokenSource(problem: ScenarioProblem): SandboxResponse {
  const message = `scenario file ${problem.file} is broken: ${problem.message}`;
  return { status: 422, body: { errors: [message], message } };
}

/**
 * Starts one loopback server on an ephemeral port that serves a scenario world over the real
 * wire formats of DataDog, GitHub, Rootly, LaunchDarkly, Slack, Notion, Confluence and OpenAI.
 */
export async function startSandbox(
  scenarioOrDir: Scenario | string,
  extraRoutes: Route[] = [],
): Promise<Sandbox> {
  // A world served to clients keeps working around a broken file: only that file's source fails.
  const scenario =
    typeof scenarioOrDir === 'string'
      ? loadScenario(scenarioOrDir, { brokenFiles: 'record' })
      : scenarioOrDir;
  const faults = new FaultTable();
  const requests: RecordedRequest[] = [];
  const world: SandboxWorld = { scenario, baseUrl: '', state: new Map() };
  const compiled = [...extraRoutes, ...routeFamilies.flat()].map((r) => ({
    ...r,
    match: compilePattern(r.pattern),
  }));

  const server: Server = createServer(async (req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const method = (req.method ?? 'GET').toUpperCase();
    let rawBody = '';
    let out: SandboxResponse;
    let bodyFault: BodyFault;
    try {
      rawBody = await readBody(req);
      const fault = faults.take(method, url.pathname);
      if (fault?.latencyMs) await new Promise((r) => setTimeout(r, fault.latencyMs));
      bodyFault = bodyFaultOf(fault);
      const route = compiled.find((r) => r.method === method && r.match(url.pathname));
      if (fault?.slackError) {
        out = { status: 200, body: { ok: false, error: fault.slackError } };
      } else if (fault?.status) {
        const headers: Record<string, string> = {};
        if (fault.retryAfter !== undefined) {
          headers['retry-after'] = String(fault.retryAfter);
          headers['x-ratelimit-reset'] = String(fault.retryAfter);
        }
        out = {
          status: fault.status,
          headers,
          body: { errors: [`injected fault ${fault.status}`], message: `injected fault ${fault.status}` },
        };
      } else if (!route) {
        out = { status: 404, body: { errors: [`sandbox: no route for ${method} ${url.pathname}`] } };
      } else {
        const request: SandboxRequest = {
          method,
          path: url.pathname,
          query: url.searchParams,
          headers: req.headers,
          params: route.match(url.pathname)!,
          body: parseBody(rawBody, req.headers['content-type']),
          rawBody,
        };
        const file = route.reads?.(request);
        const broken = file === undefined ? undefined : world.scenario.broken.find((b) => b.file === file);
        out = broken ? brokenSource(broken) : await route.handler(request, world);
      }
    } catch (err) {
      out = { status: 500, body: { errors: [`sandbox error: ${(err as Error).message}`] } };
    }
    requests.push({
      method,
      path: url.pathname,
      query: Object.fromEntries(url.searchParams),
      headers: req.headers,
      body: parseBody(rawBody, req.headers['content-type']),
      rawBody,
      status: out.status,
    });
    if (!res.destroyed) send(res, out, bodyFault);
  });

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  world.baseUrl = `http://127.0.0.1:${port}`;
  return {
    url: world.baseUrl,
    scenario,
    world,
    faults,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
