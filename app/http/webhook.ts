import { timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Alert } from '../../agent/alert';
import { parseDatadogWebhook, WebhookPayloadError } from '../gateway/datadog-webhook';

/** POST /webhooks/datadog: shared-secret header (constant-time), size limit, idempotent on alert cycles. */
export function secretMatches(given: string | undefined, expected: string): boolean {
  if (!given) return false;
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

export async function readBody(req: IncomingMessage, limit: number): Promise<string | 'too_large'> {
  const declared = Number(req.headers['content-length'] ?? 0);
  if (declared > limit) {
    req.resume();
    return 'too_large';
  }
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > limit) {
      req.resume();
      return 'too_large';
    }
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}

function reply(res: ServerResponse, status: number, body: Record<string, unknown>): void {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
}

export type WebhookDeps = {
  secret?: string;
  limitBytes: number;
  /** Starts the investigation (or not, for a duplicate); returns whether a run started. */
  accept(alert: Alert, channel: string | undefined): Promise<'started' | 'duplicate' | 'no_channel'>;
};

export async function handleDatadogWebhook(
  deps: WebhookDeps,
  req: IncomingMessage,
  res: ServerResponse,
): Promise<void> {
  if (!deps.secret) return reply(res, 503, { error: 'webhook disabled: set SRE_WEBHOOK_SECRET' });
  const given = req.headers['x-sre-webhook-secret'];
  if (!secretMatches(Array.isArray(given) ? given[0] : given, deps.secret)) {
    req.resume();
    return reply(res, 401, { error: 'missing or wrong X-SRE-Webhook-Secret' });
  }
  const raw = await readBody(req, deps.limitBytes);
  if (raw === 'too_large') return reply(res, 413, { error: `body larger than ${deps.limitBytes} bytes` });
  let body: unknown;
  try {
    body = JSON.parse(raw);
  } catch {
    return reply(res, 400, { error: 'body is not valid JSON' });
  }
  let alert: Alert;
  try {
    alert = parseDatadogWebhook(body);
  } catch (err) {
    if (err instanceof WebhookPayloadError) return reply(res, 400, { error: err.message });
    throw err;
  }
  const channel =
    typeof (body as Record<string, unknown>).channel === 'string'
      ? ((body as Record<string, unknown>).channel as string)
      : undefined;
  const outcome = await deps.accept(alert, channel);
  if (outcome === 'no_channel')
    return reply(res, 400, { error: 'no channel: set SRE_WEBHOOK_CHANNEL or send "channel" in the payload' });
  reply(res, 202, { accepted: true, alert: alert.id, duplicate: outcome === 'duplicate' });
}
