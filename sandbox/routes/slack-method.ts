import { json, type Route, type SandboxRequest, type SandboxResponse, type SandboxWorld } from '../http';

/**
 * What every sandbox Slack Web API method shares: arguments from the query and the form or JSON
 * body (JSON-valued fields decoded, as Slack does for form-encoded calls), and the token check.
 */
export type SlackArgs = Record<string, unknown>;

const JSON_FIELDS = ['blocks', 'attachments', 'chunks', 'view'];

export function slackArgs(req: SandboxRequest): SlackArgs {
  const body = (req.body && typeof req.body === 'object' ? req.body : {}) as SlackArgs;
  const out: SlackArgs = { ...Object.fromEntries(req.query), ...body };
  for (const k of JSON_FIELDS) if (typeof out[k] === 'string') out[k] = JSON.parse(out[k] as string);
  return out;
}

/** A string argument (Slack sends everything as strings in form-encoded calls). */
export function arg(a: SlackArgs, key: string): string | undefined {
  const v = a[key];
  return v === undefined || v === null ? undefined : String(v);
}

/** Wraps a method: parses its arguments once and answers `not_authed` unless the token matches. */
export function slackMethod(
  fn: (a: SlackArgs, world: SandboxWorld) => SandboxResponse,
  token: RegExp,
): Route['handler'] {
  return (req, world) => {
    const a = slackArgs(req);
    const given = String(req.headers.authorization ?? '').replace(/^Bearer /, '') || (arg(a, 'token') ?? '');
    if (!token.test(given)) return json({ ok: false, error: 'not_authed' });
    return fn(a, world);
  };
}
