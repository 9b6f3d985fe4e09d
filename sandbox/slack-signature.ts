import { createHmac } from 'node:crypto';

/** Headers Slack sends with a request: its v0 HMAC signature over timestamp and body (tests, benchmarks). */
export function signedSlackHeaders(
  secret: string,
  body: string,
  timestampSeconds = Math.floor(Date.now() / 1000),
): Record<string, string> {
  const signature = `v0=${createHmac('sha256', secret).update(`v0:${timestampSeconds}:${body}`).digest('hex')}`;
  return { 'x-slack-signature': signature, 'x-slack-request-timestamp': String(timestampSeconds) };
}
