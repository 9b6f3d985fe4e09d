import { describe, expect, it } from 'vitest';
import { escapeMrkdwn, mrkdwnLink, untrustedMrkdwn } from '../../../app/slack/mrkdwn';

/** What Slack would act on in mrkdwn: a raw `<` opening a mention, a broadcast or a link. */
const active = /<[!@#]|<https?:/;

describe('text from data in Slack messages', () => {
  it.each([
    '<!here> checkout is down',
    '<!channel>',
    '<!everyone> please look',
    'ping <@U0123ABCD> now',
    'paging <!subteam^S0SRE|@sre>',
    'see <http://evil.example|https://wiki.acme.dev/runbook>',
    '<#C0PRIVATE>',
  ])('shows %j as plain text that pings and links no one', (text) => {
    const out = escapeMrkdwn(text);
    expect(out).not.toMatch(active);
    expect(out.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&')).toBe(text);
  });

  it('escapes & first, so an entity in data stays visible as typed', () => {
    expect(escapeMrkdwn('a &lt;b&gt; & c')).toBe('a &amp;lt;b&amp;gt; &amp; c');
  });
});

describe('links whose target and label come from data', () => {
  it('links an http(s) target with an escaped label', () => {
    expect(mrkdwnLink('https://wiki.acme.dev/a?x=1&y=2', 'Runbook <b>')).toBe(
      '<https://wiki.acme.dev/a?x=1&amp;y=2|Runbook &lt;b&gt;>',
    );
  });

  it("cannot be given a label of the data's choosing through the target", () => {
    const out = mrkdwnLink('http://evil.example|trusted', 'commit 7c1e9a4');
    expect(out).toBe('<http://evil.example%7Ctrusted|commit 7c1e9a4>');
    expect(mrkdwnLink('http://evil.example><!here', 'x')).toBe('<http://evil.example%3E%3C!here|x>');
  });

  it('shows only the label for targets that are not http(s) or hold whitespace', () => {
    expect(mrkdwnLink('javascript:alert(1)', 'click')).toBe('click');
    expect(mrkdwnLink('https://a.example/x y', '<!here>')).toBe('&lt;!here&gt;');
    expect(mrkdwnLink(undefined, 'plain')).toBe('plain');
  });
});

describe('untrusted text', () => {
  it('is redacted (configured values and secret patterns) and then escaped', () => {
    const out = untrustedMrkdwn(
      '<!here> key PlantedValue-0123456789 and ghp_abcdefghijklmnopqrstuvwxyz0123456789',
      ['PlantedValue-0123456789'],
    );
    expect(out).toBe('&lt;!here&gt; key [REDACTED:configured-secret] and [REDACTED:github-token]');
  });
});
