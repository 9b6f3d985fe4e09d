import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { type SlackMessageLike, slackMessageText } from '../../../app/knowledge/slack-message-text';

const DIR = join(import.meta.dirname, '..', '..', 'fixtures', 'real', 'datadog-slack');
const posts = readdirSync(DIR)
  .filter((f) => f.endsWith('.json'))
  .map((f) => ({
    file: f,
    ...(JSON.parse(readFileSync(join(DIR, f), 'utf8')) as {
      event: SlackMessageLike;
      expect: { title: string; monitorId?: string } | null;
    }),
  }))
  .filter((p) => p.expect);

describe('slackMessageText: what an alert card says, wherever it says it', () => {
  it.each(posts.map((p) => [p.file, p] as const))(
    '%s: the title and the monitor link are in the text',
    (_f, p) => {
      const text = slackMessageText(p.event);
      const words = p
        .expect!.title.toLowerCase()
        .split(/\s+/)
        .filter((w) => w.length > 3);
      for (const w of words) expect(text.toLowerCase()).toContain(w);
      if (p.expect!.monitorId) expect(text).toContain(p.expect!.monitorId);
    },
  );

  it('reads attachments (pretext, title, text, fields, footer) when top-level text is empty', () => {
    const text = slackMessageText({
      text: '',
      attachments: [
        {
          fallback: 'Triggered: x',
          pretext: 'Monitor alert',
          title: '[Triggered] Orders latency',
          title_link: 'https://app.datadoghq.com/monitors/1',
          text: 'p95 above 2 s',
          fields: [{ title: 'service', value: 'orders' }],
          footer: 'Datadog',
        },
      ],
    });
    expect(text).toBe(
      'Monitor alert\n<https://app.datadoghq.com/monitors/1|[Triggered] Orders latency>\np95 above 2 s\nservice: orders\nDatadog',
    );
  });

  it('reads header, section fields, context and rich text blocks, each line once', () => {
    const text = slackMessageText({
      text: 'Recovered: Orders latency',
      blocks: [
        { type: 'header', text: { type: 'plain_text', text: 'Recovered: Orders latency' } },
        { type: 'section', fields: [{ type: 'mrkdwn', text: '*env* prod' }] },
        {
          type: 'context',
          elements: [{ type: 'mrkdwn', text: 'a' }, { type: 'image' }, { type: 'mrkdwn', text: 'b' }],
        },
        {
          type: 'rich_text',
          elements: [
            {
              type: 'rich_text_section',
              elements: [
                { type: 'text', text: 'see ' },
                { type: 'link', url: 'https://x', text: 'runbook' },
              ],
            },
          ],
        },
        { type: 'divider' },
      ],
    });
    expect(text).toBe('Recovered: Orders latency\n*env* prod\na b\nsee <https://x|runbook>');
  });

  it('an attachment with only a fallback is read by its fallback; a plain message is its text', () => {
    expect(slackMessageText({ attachments: [{ fallback: 'Warn: disk 85%' }] })).toBe('Warn: disk 85%');
    expect(slackMessageText({ text: 'deploy done' })).toBe('deploy done');
    expect(slackMessageText({})).toBe('');
  });
});
