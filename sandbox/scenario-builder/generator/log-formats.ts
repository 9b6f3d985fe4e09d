import { hex, type Rng, uuid } from '../lib';
import type { ErrorSpec, StackFrame } from './effects';
import type { Lang, Service } from './estate';
import { baseName, pascal } from './naming';

/**
 * Renders one log event the way the service's stack writes it: a plain line, JSON with
 * DataDog's standard attributes (`error.kind`, `error.stack`, `http.url`, `dd.version`,
 * `peer.*`), or Rails' lograge; stack traces in the language's own shape.
 */
export type LogEvent = {
  level: 'error' | 'warn' | 'info' | 'debug';
  message: string;
  error?: { kind: string; message: string; frames?: StackFrame[] };
  http?: { method: string; route: string; status: number; durationMs: number };
  peer?: string;
  extra?: Record<string, unknown>;
};

export type RenderedLog = { message: string; attributes: Record<string, unknown> };

export function stackTrace(lang: Lang, kind: string, message: string, frames: StackFrame[]): string {
  switch (lang) {
    case 'java':
      return [
        `${kind}: ${message}`,
        ...frames.map((f) => `\tat ${javaClass(f.file)}.${f.fn}(${basename(f.file)}:${f.line})`),
      ].join('\n');
    case 'go':
      return [
        `panic: ${kind}: ${message}`,
        '',
        'goroutine 1 [running]:',
        ...frames.flatMap((f) => [`${goPackage(f.file)}.${f.fn}(...)`, `\t/app/${f.file}:${f.line} +0x1d`]),
      ].join('\n');
    case 'python':
      return [
        'Traceback (most recent call last):',
        ...[...frames]
          .reverse()
          .flatMap((f) => [
            `  File "/app/${f.file}", line ${f.line}, in ${f.fn}`,
            `    return ${f.fn}(request)`,
          ]),
        `${kind}: ${message}`,
      ].join('\n');
    case 'ruby':
      return [`${kind}: ${message}`, ...frames.map((f) => `/app/${f.file}:${f.line}:in '${f.fn}'`)].join(
        '\n',
      );
    case 'dotnet':
      return [
        `${kind}: ${message}`,
        ...frames.map((f) => `   at ${javaClass(f.file)}.${f.fn}() in /src/${f.file}:line ${f.line}`),
      ].join('\n');
    default:
      return [
        `${kind}: ${message}`,
        ...frames.map((f) => `    at ${f.fn} (/app/${f.file}:${f.line}:${(f.line % 37) + 5})`),
      ].join('\n');
  }
}

function basename(file: string): string {
  return file.split('/').at(-1) ?? file;
}
function javaClass(file: string): string {
  return file
    .replace(/^.*?(src\/main\/java\/|src\/)/, '')
    .replace(/\.(java|cs|kt)$/, '')
    .split('/')
    .join('.');
}
function goPackage(file: string): string {
  return `${file.split('/').slice(0, -1).join('/')}`;
}

export function renderLog(r: Rng, service: Service, version: string, e: LogEvent): RenderedLog {
  const stack = e.error?.frames?.length
    ? stackTrace(service.lang, e.error.kind, e.error.message, e.error.frames)
    : undefined;
  if (service.logFormat === 'json') {
    const attributes: Record<string, unknown> = {
      logger: { name: `${service.name}.${e.http ? 'http' : 'app'}` },
      dd: { service: service.name, version, trace_id: BigInt(`0x${hex(r, 15)}`).toString() },
      ...(e.http
        ? {
            http: {
              method: e.http.method,
              url: `https://${service.name}.internal${e.http.route.replace(':id', String(Math.floor(r() * 900000) + 1000))}`,
              status_code: e.http.status,
              route: e.http.route,
            },
            duration: Math.round(e.http.durationMs * 1e6),
          }
        : {}),
      ...(e.error
        ? { error: { kind: e.error.kind, message: e.error.message, ...(stack ? { stack } : {}) } }
        : {}),
      ...(e.peer ? { peer: { hostname: e.peer, service: e.peer.split('.')[0] } } : {}),
      ...(e.extra ?? {}),
    };
    return { message: e.message, attributes };
  }
  if (service.logFormat === 'lograge' && e.http) {
    const parts = [
      `method=${e.http.method}`,
      `path=${e.http.route.replace(':id', String(Math.floor(r() * 900000) + 1000))}`,
      'format=json',
      `controller=${pascal(service.name)}Controller`,
      `action=${e.http.method === 'GET' ? 'show' : 'create'}`,
      `status=${e.http.status}`,
      `duration=${e.http.durationMs.toFixed(2)}`,
      `request_id=${uuid(r)}`,
      ...(e.error ? [`error='${e.error.kind}: ${e.error.message.replace(/'/g, '"')}'`] : []),
    ];
    return { message: parts.join(' '), attributes: stack ? { error: { stack } } : {} };
  }
  const prefix = `[${e.level.toUpperCase()}]`;
  const http = e.http
    ? ` ${e.http.method} ${e.http.route} ${e.http.status} ${Math.round(e.http.durationMs)}ms`
    : '';
  const err = e.error ? ` ${e.error.kind}: ${e.error.message}` : '';
  const line = `${prefix} ${e.message}${http}${err}`;
  return { message: stack ? `${line}\n${stack}` : line, attributes: {} };
}

/** Routes per service: the resources its spans and logs name. */
export function routesOf(service: Service): string[] {
  const n = baseName(service);
  if (service.role === 'worker') return [`${n}.process`, `${n}.retry`];
  if (service.role === 'datastore') return ['SELECT', 'UPDATE', 'INSERT'];
  return [`POST /v1/${n}`, `GET /v1/${n}/:id`, `GET /v1/${n}`];
}

/** A route's method and path as a request log shows them; a worker's job routes arrive as POSTs. */
export function methodAndPath(route: string): { method: string; path: string } {
  const [method, path] = route.includes(' ') ? route.split(' ') : ['POST', route];
  return { method: method!, path: path! };
}

/** The error a failing request shows when the incident names none. */
export function genericError(status = 500): ErrorSpec {
  return { kind: 'InternalServerError', message: () => 'request failed', status };
}
