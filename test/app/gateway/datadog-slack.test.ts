import { describe, expect, it } from 'vitest';
import { parseDatadogSlackMessage } from '../../../app/gateway/datadog-slack';
import { parseDatadogWebhook, WebhookPayloadError } from '../../../app/gateway/datadog-webhook';
import { alertFromText } from '../../../app/gateway/text-alert';

const base = { type: 'message', subtype: 'bot_message', bot_id: 'B1', ts: '1773324300.000200', text: '' };

describe('DataDog Slack message parser', () => {
  it('reads attachments: transition, priority, monitor id, tags, service, env, query', () => {
    const alert = parseDatadogSlackMessage({
      ...base,
      attachments: [
        {
          title: '[Triggered] [P2] Checkout error rate is high',
          title_link: 'https://app.datadoghq.com/monitors/41235?from_ts=1773323400000',
          text: 'sum(last_5m):sum:trace.http.request.errors{service:checkout,env:prod}.as_count() > 100',
          footer: 'Tags: service:checkout, env:prod, team:payments',
        },
      ],
    })!;
    expect(alert).toMatchObject({
      source: 'datadog-slack',
      status: 'triggered',
      priority: 'P2',
      monitorId: '41235',
      service: 'checkout',
      env: 'prod',
      // The post's own ts (14:05), not the graph link's from_ts (13:50, the window's start).
      startedAt: '2026-03-12T14:05:00.000Z',
    });
    expect(alert.query).toMatch(/^sum\(last_5m\)/);
    expect(alert.tags).toContain('team:payments');
  });

  it('reads blocks-only and text-only posts, including mrkdwn links', () => {
    const blocks = parseDatadogSlackMessage({
      ...base,
      blocks: [
        {
          type: 'section',
          text: {
            type: 'mrkdwn',
            text: '*[Re-Triggered] [P1] API down* <https://app.datadoghq.eu/monitors/77|view>',
          },
        },
        { type: 'context', elements: [{ type: 'mrkdwn', text: 'service:api env:staging' }] },
      ],
    })!;
    expect(blocks).toMatchObject({
      status: 'triggered',
      priority: 'P1',
      monitorId: '77',
      service: 'api',
      env: 'staging',
    });
    const text = parseDatadogSlackMessage({
      ...base,
      text: '[Recovered] Disk usage on db-1 https://app.datadoghq.com/monitors/9',
    })!;
    expect(text).toMatchObject({ status: 'recovered', monitorId: '9' });
  });

  it('gives the same id to every post of one alert cycle, and different ids to different monitors', () => {
    const post = (title: string, id: string) =>
      parseDatadogSlackMessage({
        ...base,
        attachments: [{ title, title_link: `https://app.datadoghq.com/monitors/${id}?from_ts=1` }],
      })!;
    expect(post('[Triggered] A', '1').id).toBe(post('[Re-Triggered] A', '1').id);
    expect(post('[Triggered] A', '1').id).not.toBe(post('[Triggered] A', '2').id);
  });

  it('ignores messages that are not monitor notifications and odd shapes without throwing', () => {
    for (const odd of [
      null,
      42,
      'x',
      {},
      { text: 'hello team' },
      { attachments: 'nope' },
      { attachments: [null, 3, { title: 5 }] },
      { blocks: [{ text: { text: null } }] },
    ]) {
      expect(parseDatadogSlackMessage(odd)).toBeUndefined();
    }
  });

  it('keeps unicode intact', () => {
    expect(
      parseDatadogSlackMessage({
        ...base,
        attachments: [{ title: '[Warn] Latenz hoch für Zahlungsdienst 🚨' }],
      })!.title,
    ).toContain('Zahlungsdienst 🚨');
  });
});

describe('DataDog webhook parser', () => {
  it('reads template variables sent as strings, with date in epoch milliseconds', () => {
    const alert = parseDatadogWebhook({
      title: '[Triggered] Orders latency',
      alert_transition: 'Triggered',
      alert_id: '52210',
      date: '1778056800000',
      tags: 'service:orders,env:prod',
      alert_priority: 'P1',
    });
    expect(alert).toMatchObject({
      source: 'datadog-webhook',
      status: 'triggered',
      monitorId: '52210',
      service: 'orders',
      env: 'prod',
      priority: 'P1',
      startedAt: '2026-05-06T08:40:00.000Z',
    });
  });

  it('rejects payloads that are not objects or have no title, with a clear message', () => {
    expect(() => parseDatadogWebhook([])).toThrow(WebhookPayloadError);
    expect(() => parseDatadogWebhook({ body: 'x' })).toThrow(/missing "title"/);
  });
});

describe('free-text alerts', () => {
  it('takes monitor links and tags from what a person typed', () => {
    const alert = alertFromText(
      'errors on service:checkout https://app.datadoghq.com/monitors/5',
      new Date('2026-01-01T00:00:00Z'),
      'slash-command',
    );
    expect(alert).toMatchObject({
      source: 'slash-command',
      monitorId: '5',
      service: 'checkout',
      status: 'triggered',
    });
  });
});
