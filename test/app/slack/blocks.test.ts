import { describe, expect, it } from 'vitest';
import type { InvestigationResult } from '../../../agent/result';
import { clip, cut, summaryBlocks } from '../../../app/slack/blocks';
import { SLACK_DEFAULTS } from '../../../app/slack/defaults';
import { sampleResult } from '../../fixtures/investigation';

/** Pure: whether mrkdwn text has a link or mention left open, or an entity cut short. */
function brokenMarkup(text: string): string | undefined {
  const open = text.lastIndexOf('<');
  if (open > text.lastIndexOf('>')) return `an open token at ${open}: ${text.slice(open, open + 40)}`;
  const entity = /&[a-zA-Z0-9#]*(?:…|$)/.exec(text);
  return entity ? `a cut entity: ${entity[0]}` : undefined;
}

describe('clipping mrkdwn: never inside a link, a mention or an entity', () => {
  it('a cut that would land inside <url|label> moves back to before the link', () => {
    const text = 'see <https://app.datadoghq.com/monitors/1|the monitor> now';
    expect(cut(text, 20)).toBe('see ');
    expect(clip(text, 20)).toBe('see …');
    expect(cut(text, text.indexOf('>') + 1)).toBe('see <https://app.datadoghq.com/monitors/1|the monitor>');
  });

  it('a cut inside &amp; moves back to before the entity; a bare & is plain text', () => {
    expect(cut('Tom &amp; Jerry', 6)).toBe('Tom ');
    expect(cut('Tom &amp; Jerry', 9)).toBe('Tom &amp;');
    expect(cut('a & b & c', 4)).toBe('a & ');
  });

  it('a < with no closing > is not a token (plain text is cut where asked)', () => {
    expect(cut('x < y and more', 6)).toBe('x < y ');
  });

  it('still never cuts an emoji in half', () => {
    expect(clip('a😀b', 3)).toBe('a…');
  });

  it('a summary whose evidence section is cut mid-link keeps every section well formed', () => {
    const evidence = Array.from({ length: 6 }, (_, i) => ({
      id: `ev_${i}`,
      tool: 'datadog.logs',
      summary: `${'errors & timeouts <in> checkout '.repeat(4)}${i}`,
      url: `https://app.datadoghq.com/logs?query=${'service%3Acheckout%20status%3Aerror&amp;'.repeat(20)}${i}`,
    }));
    const result = sampleResult(
      'inv_1',
      { headline: 'Checkout 5xx & timeouts', rootCause: 'x', confidence: 'low', impact: '' },
      { evidence },
    );
    const sections = summaryBlocks(result)
      .filter((b) => b.type === 'section')
      .map((b) => (b.text as { text: string }).text);
    const evidenceText = sections.find((t) => t.startsWith('*Key evidence*'))!;
    expect(evidenceText.length).toBeLessThanOrEqual(SLACK_DEFAULTS.maxSectionChars);
    expect(evidenceText.endsWith('…')).toBe(true);
    for (const t of sections) expect(brokenMarkup(t)).toBeUndefined();
  });
});

describe('the summary blocks', () => {
  const result = (overrides: Partial<InvestigationResult['summary']> = {}) =>
    sampleResult('inv_1', overrides);

  it('keeps the summary within Slack limits however large the result', () => {
    const long = 'x'.repeat(10_000);
    const blocks = summaryBlocks(
      result({
        rootCause: long,
        nextSteps: Array(200).fill(long),
        suspects: Array(40).fill({
          kind: 'commit',
          ref: 'a'.repeat(40),
          title: long,
          score: 0.5,
          evidence: [],
        }),
      }),
    );
    expect(blocks.length).toBeLessThanOrEqual(50);
    for (const b of blocks) {
      const text = (b as { text?: { text?: string } }).text?.text;
      if (text) expect(text.length).toBeLessThanOrEqual(3000);
    }
    expect(JSON.stringify(blocks)).toContain('npm run sre -- show inv_1');
  });
});
