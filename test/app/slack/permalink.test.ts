import { describe, expect, it } from 'vitest';
import { parsePermalink } from '../../../app/slack/permalink';

describe('Slack permalinks', () => {
  it('reads the channel and message ts of a message link, and nothing from other text', () => {
    expect(parsePermalink('see https://acme.slack.com/archives/C0INCIDENT/p1773324300000200')).toEqual({
      channel: 'C0INCIDENT',
      ts: '1773324300.000200',
    });
    expect(parsePermalink('no link here')).toBeUndefined();
  });
});
