import { timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { readDatadogWebhook, WebhookPayloadError, type WebhookReading } from '../gateway/datadog-webhook';
import type { IntakeOutcome } from '../slack/alert-intake';

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

export type WebhookOutcome = IntakeOutcome | 'no_channel';

export type WebhookDeps = {
  secret?: string;
  limitBytes: number;
  /** Runs a readable notification through the alert-cycle intake. */
  accept(reading: WebhookReading, channel: string | undefined): Promise<WebhookOutcome>;
  /** Keeps a body that could not be used (the caller redacts it); returns the dead letter's id. */
  deadLetter(error: string, body: string): number;
};

/** Set by `sre webhooks --replay <id>`: a failed replay keeps its one dead letter instead of adding another. */
export const REPLAY_HEADER = 'x-sre-replay-of';

type Answer = { status: number; body: Record<string, unknown> };

/**
 * What a webhook body gets, once it is authenticated and read: 202 when it was taken (a new
 * cycle, a note, or a duplicate of what is already handled); 422 naming what was wrong when it
 * cannot be used, with the body kept as a dead letter (DataDog never retries a 4xx); 503 when
 * Slack refused the thread, so DataDog's retry tries again.
 */
export async function answerWebhookBody(deps: WebhookDeps, raw: string, replayOf?: string): Promise<Answer> {
  const refuse = (error: string): Answer => {
    const kept = replayOf && /^\d+$/.test(replayOf) ? Number(replayOf) : deps.deadLetter(error, raw);
    return { status: 422, body: { error, deadLetter: kept } };
  };
  let body: unknown;
  try {
    body = JSON.parse(raw);
  } catch (err) {
    return refuse(`body is not valid JSON (${(err as Error).message})`);
  }
  let reading: WebhookReading;
  try {
    reading = readDatadogWebhook(body);
  } catch (err) {
    if (err instanceof WebhookPayloadError) return refuse(err.message);
    throw err;
  }
  const given = (body as Record<string, unknown>).channel;
  const outcome = await deps.accept(reading, typeof given === 'string' ? given : undefined);
  if (outcome === 'no_channel')
    return refuse('no channel: set SRE_WEBHOOK_CHANNEL or send "channel" in the payload');
  if (outcome === 'failed')
    return {
      status: 503,
      body: { error: 'could not open the alert thread in Slack; retry', alert: reading.alert.id },
    };
  return {
    status: 202,
    body: {
      accepted: true,
      alert: reading.alert.id,
      duplicate: outcome !== 'started',
      noted: outcome === 'noted',
    },
  };
}

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
  const replayOf = req.headers[REPLAY_HEADER];
  const answer = await answerWebhookBody(deps, raw, typeof replayOf === 'string' ? replayOf : undefined);
  reply(res, answer.status, answer.body);
}
