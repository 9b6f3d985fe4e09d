import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { AlertSchema } from '../../../agent/alert';
import { parseDatadogSlackMessage } from '../../../app/gateway/datadog-slack';
import { parseDatadogWebhook, WebhookPayloadError } from '../../../app/gateway/datadog-webhook';
import { alertFromText } from '../../../app/gateway/text-alert';
import { parseCommentSubmission } from '../../../app/slack/listeners/comment-view';

/** Property-based: whatever arrives, parsers answer with a valid Alert, nothing, or a clear error. */
const anyJson = fc.jsonValue({ maxDepth: 6 });
const slackish = fc.record(
  {
    type: fc.constant('message'),
    subtype: fc.option(fc.constantFrom('bot_message', 'message_changed'), { nil: undefined }),
    bot_id: fc.option(fc.string(), { nil: undefined }),
    ts: fc.oneof(fc.string(), fc.constant('1773324300.000200'), fc.integer()),
    text: fc.oneof(
      fc.string(),
      fc.constant(''),
      fc.constant('[Triggered] [P2] x https://app.datadoghq.com/monitors/12'),
      fc.constant('Warn: y\n<https://us3.datadoghq.com/monitors#7?link_event_ts=9&amp;group=%E0|z>'),
    ),
    attachments: fc.oneof(
      fc.constant(undefined),
      anyJson,
      fc.array(
        fc.record(
          {
            title: fc.oneof(fc.string(), fc.constant('[Warn] [P1] ✨ ü'), fc.integer()),
            title_link: fc.oneof(fc.string(), fc.webUrl()),
            fields: anyJson,
            footer: fc.oneof(fc.string(), fc.constant('Tags: service:a, env:b')),
            ts: fc.oneof(fc.string(), fc.integer(), fc.constant('1773324300')),
            blocks: fc.oneof(
              anyJson,
              fc.constant([{ type: 'header', text: { type: 'plain_text', text: 'No Data: q' } }]),
            ),
          },
          { requiredKeys: [] },
        ),
      ),
    ),
    blocks: fc.oneof(
      fc.constant(undefined),
      anyJson,
      fc.array(
        fc.record({
          type: fc.constantFrom('header', 'section', 'context', 'rich_text'),
          text: fc.oneof(anyJson, fc.record({ type: fc.constant('mrkdwn'), text: fc.string() })),
          elements: anyJson,
        }),
      ),
    ),
    bot_profile: fc.oneof(fc.constant(undefined), anyJson, fc.constant({ name: 'Datadog' })),
  },
  { requiredKeys: ['type'] },
);

describe('parsers under fuzz', () => {
  it('the DataDog Slack parser never throws and only returns valid alerts', () => {
    fc.assert(
      fc.property(fc.oneof(anyJson, slackish), (event) => {
        const alert = parseDatadogSlackMessage(event);
        if (alert) expect(AlertSchema.safeParse(alert).success).toBe(true);
      }),
      { numRuns: 800 },
    );
  });

  it('the webhook parser returns a valid alert or a WebhookPayloadError, never anything else', () => {
    const webhookish = fc.record(
      {
        title: fc.oneof(fc.string(), fc.integer(), anyJson),
        alert_id: fc.oneof(fc.string(), fc.integer()),
        date: fc.oneof(fc.string(), fc.integer(), fc.constant('1778056800000')),
        tags: fc.oneof(fc.string(), fc.array(fc.oneof(fc.string(), fc.integer()))),
        alert_transition: fc.string(),
        alertTransition: fc.oneof(fc.string(), fc.constantFrom('Re-No Data', 'warn', 'RENOTIFY')),
        date_posix: fc.oneof(fc.string(), fc.integer(), fc.constant('2026-04-02T18:15:00+09:00')),
        metadata: anyJson,
        alert: fc.oneof(anyJson, fc.record({ id: anyJson, transition: anyJson, priority: anyJson })),
        monitor: fc.oneof(anyJson, fc.record({ id: anyJson, name: anyJson, tags: anyJson })),
      },
      { requiredKeys: [] },
    );
    fc.assert(
      fc.property(fc.oneof(anyJson, webhookish), (body) => {
        try {
          expect(AlertSchema.safeParse(parseDatadogWebhook(body)).success).toBe(true);
        } catch (err) {
          expect(err).toBeInstanceOf(WebhookPayloadError);
        }
      }),
      { numRuns: 800 },
    );
  });

  it('free text of any shape becomes a valid alert', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 2_000 }), (text) => {
        expect(AlertSchema.safeParse(alertFromText(text || 'x', new Date(0))).success).toBe(true);
      }),
      { numRuns: 300 },
    );
  });
});

describe('the Comment modal submission parser under fuzz', () => {
  it('never throws: a well-formed submission or a clear error', () => {
    const values = fc.oneof(
      anyJson,
      fc.record({
        comment: fc.record({
          value: fc.record({ value: fc.oneof(fc.string(), fc.constant(null), fc.integer()) }),
        }),
        actual_cause: fc.oneof(anyJson, fc.record({ value: fc.record({ selected_option: anyJson }) })),
      }),
    );
    fc.assert(
      fc.property(
        fc.oneof(
          fc.string(),
          fc.constant('{"investigationId":"inv_1","channelId":"C1"}'),
          fc.constant(undefined),
        ),
        values,
        (metadata, v) => {
          const out = parseCommentSubmission({ private_metadata: metadata, state: { values: v } } as never);
          if (out.ok) {
            expect(out.comment.trim().length).toBeGreaterThan(0);
            expect(out.comment.length).toBeLessThanOrEqual(2_000);
          } else expect(out.error.length).toBeGreaterThan(0);
        },
      ),
      { numRuns: 400 },
    );
  });
});

describe('out-of-range times', () => {
  it('fall back to now instead of throwing', () => {
    expect(() => parseDatadogWebhook({ title: '[Triggered] x', date: '99999999999999999' })).not.toThrow();
    expect(
      parseDatadogSlackMessage({ ts: '!', attachments: [{ title: '[Triggered] x' }] })?.startedAt,
    ).toMatch(/^\d{4}-/);
  });
});

describe('hostile sizes', () => {
  // Quadratic regexes took over a minute on inputs like these; linear ones take well under a
  // second, so the default test timeout separates them with a wide margin on any machine.
  const junk = ['https://'.repeat(120_000), '[P1] '.repeat(200_000), '<https://a|'.repeat(90_000)];
  it.each(junk.map((j) => [j.slice(0, 10), j]))('a megabyte of %s… is parsed without hanging', (_, j) => {
    expect(parseDatadogWebhook({ title: j, body: j, msg: j }, new Date(0)).title).toBe(j.trim());
    parseDatadogSlackMessage({ ts: '1', text: j, attachments: [{ title: j, title_link: j, text: j }] });
  });
});
