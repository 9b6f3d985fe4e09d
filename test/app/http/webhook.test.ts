import { describe, expect, it } from 'vitest';
import { answerWebhookBody, type WebhookDeps, type WebhookOutcome } from '../../../app/http/webhook';
import { CHECKOUT, webhookBody } from '../gateway/notifications';

/** The intake's collaborators, recording what it kept and what it was asked to take. */
function deps(outcome: WebhookOutcome) {
  const kept: { error: string; body: string }[] = [];
  const accepted: (string | undefined)[] = [];
  const d: WebhookDeps = {
    secret: 'x'.repeat(16),
    limitBytes: 1000,
    accept: async (reading, channel) => {
      accepted.push(channel ?? reading.alert.title);
      return outcome;
    },
    deadLetter: (error, body) => kept.push({ error, body }),
  };
  return { d, kept, accepted };
}

const good = JSON.stringify(webhookBody(CHECKOUT, 'Triggered', 1_800_000_000));

describe('what a webhook body gets', () => {
  it.each<[string, string, number, RegExp]>([
    ['not JSON', '{"title": "x"', 422, /^body is not valid JSON/],
    ['no title anywhere', '{"alert_transition":"Triggered"}', 422, /^missing "title"/],
    ['not an object', '[1,2]', 422, /^expected a JSON object, got an array/],
  ])('%s: 422 naming it, and the body is kept', async (_name, raw, status, error) => {
    const { d, kept, accepted } = deps('started');
    const answer = await answerWebhookBody(d, raw);
    expect(answer.status).toBe(status);
    expect(answer.body.error).toMatch(error);
    expect(answer.body.deadLetter).toBe(1);
    expect(kept).toEqual([{ error: answer.body.error, body: raw }]);
    expect(accepted).toEqual([]);
  });

  it.each<[WebhookOutcome, number, Record<string, unknown>]>([
    ['started', 202, { accepted: true, duplicate: false, noted: false }],
    ['noted', 202, { accepted: true, duplicate: true, noted: true }],
    ['duplicate', 202, { accepted: true, duplicate: true, noted: false }],
    ['failed', 503, { error: expect.stringMatching(/could not open the alert thread/) }],
    [
      'no_channel',
      422,
      { error: expect.stringMatching(/^no channel: set SRE_WEBHOOK_CHANNEL/), deadLetter: 1 },
    ],
  ])('an intake outcome of %s answers %i', async (outcome, status, body) => {
    const { d, kept } = deps(outcome);
    const answer = await answerWebhookBody(d, good);
    expect(answer).toMatchObject({ status, body });
    expect(kept).toHaveLength(outcome === 'no_channel' ? 1 : 0);
  });

  it('passes the payload channel to the intake', async () => {
    const { d, accepted } = deps('started');
    await answerWebhookBody(d, JSON.stringify({ ...JSON.parse(good), channel: 'C0PAYLOAD' }));
    expect(accepted).toEqual(['C0PAYLOAD']);
  });

  it('a replay refused again keeps its one dead letter instead of adding another', async () => {
    const { d, kept } = deps('started');
    const answer = await answerWebhookBody(d, '{"no":"title"}', '7');
    expect(answer).toMatchObject({ status: 422, body: { deadLetter: 7 } });
    expect(kept).toEqual([]);
  });
});
