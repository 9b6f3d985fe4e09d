import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { type Alert, AlertSchema } from '../../../agent/alert';
import { readDatadogSlackPost } from '../../../app/gateway/datadog-slack';
import { readDatadogWebhook, WebhookPayloadError } from '../../../app/gateway/datadog-webhook';

/**
 * Every payload in test/fixtures/real/ (rebuilt from DataDog's documentation and public
 * integrations; each file names its sources) must parse to the Alert its `expect` block states.
 * `null` in `expect` means the field must be absent. No fixture depends on today's date: a
 * fixture whose payload states no time gives its own `now`, and the others get a fixed one.
 */
const ROOT = join(__dirname, '../../fixtures/real');
const FIXED_NOW = new Date('2030-01-01T00:00:00Z');

type Expect = Record<string, unknown> & {
  tagsInclude?: string[];
  reading?: Record<string, unknown>;
};
type Fixture = {
  _source: string | string[];
  now?: string;
  event?: unknown;
  body?: unknown;
  expect?: Expect | null;
  expectError?: string;
};

function load(dir: string): [string, Fixture][] {
  return readdirSync(join(ROOT, dir))
    .filter((f) => f.endsWith('.json'))
    .sort()
    .map((f) => [f, JSON.parse(readFileSync(join(ROOT, dir, f), 'utf8')) as Fixture]);
}

const ALERT_FIELDS = ['status', 'title', 'monitorId', 'service', 'env', 'priority', 'startedAt'] as const;

function check(alert: Alert, reading: Record<string, unknown>, want: Expect): void {
  expect(AlertSchema.safeParse(alert).success).toBe(true);
  for (const field of ALERT_FIELDS) expect(want, `expect block lists ${field}`).toHaveProperty(field);
  for (const [k, v] of Object.entries(want)) {
    if (k === 'tagsInclude' || k === 'reading') continue;
    expect((alert as Record<string, unknown>)[k], k).toBe(v === null ? undefined : v);
  }
  for (const tag of want.tagsInclude ?? []) expect(alert.tags).toContain(tag);
  for (const [k, v] of Object.entries(want.reading ?? {}))
    expect(reading[k], `reading.${k}`).toBe(v ?? undefined);
}

const slack = load('datadog-slack');
const webhooks = load('datadog-webhook');

describe('real DataDog Slack posts', () => {
  it('has the corpus issue 14 asks for', () => {
    expect(slack.filter(([, f]) => f.expect).length).toBeGreaterThanOrEqual(15);
    for (const [name, f] of slack) expect(f._source, name).toBeTruthy();
  });

  it.each(slack)('%s', (_name, f) => {
    const now = f.now ? new Date(f.now) : FIXED_NOW;
    const read = readDatadogSlackPost(f.event, now);
    if (!f.expect) return expect(read).toBeUndefined();
    expect(read).toBeDefined();
    const { alert, ...reading } = read!;
    check(alert, reading, f.expect);
    expect(alert.source).toBe('datadog-slack');
  });

  it('gives the same cycle id to every post of a monitor group, and another to another group', () => {
    const id = (name: string) => {
      const f = slack.find(([n]) => n === name)![1];
      return readDatadogSlackPost(f.event, FIXED_NOW)!.alert.id;
    };
    const e = slack.find(([n]) => n.startsWith('15-'))![1].event as { attachments: { title: string }[] };
    const otherGroup = structuredClone(e);
    otherGroup.attachments[0]!.title = otherGroup.attachments[0]!.title.replace('env:staging', 'env:prod');
    expect(readDatadogSlackPost(otherGroup, FIXED_NOW)!.alert.id).not.toBe(
      id('15-us5-bracketed-retriggered-scope.json'),
    );
    expect(id('02-us3-attachment-warn.json')).not.toBe(id('01-us3-attachment-triggered.json'));
  });
});

describe('real DataDog webhook bodies', () => {
  it('has the corpus issue 14 asks for', () => {
    expect(webhooks.filter(([, f]) => f.expect).length).toBeGreaterThanOrEqual(12);
    for (const [name, f] of webhooks) expect(f._source, name).toBeTruthy();
  });

  it.each(webhooks)('%s', (_name, f) => {
    const now = f.now ? new Date(f.now) : FIXED_NOW;
    if (f.expectError) {
      expect(() => readDatadogWebhook(f.body, now)).toThrow(WebhookPayloadError);
      expect(() => readDatadogWebhook(f.body, now)).toThrow(f.expectError);
      return;
    }
    const { alert, ...reading } = readDatadogWebhook(f.body, now);
    check(alert, reading, f.expect!);
    expect(alert.source).toBe('datadog-webhook');
  });

  it('never takes the graph link from_ts as the onset', () => {
    for (const [name, f] of [...webhooks, ...slack]) {
      const fromTs = /from_ts=(\d+)/.exec(JSON.stringify(f.body ?? f.event))?.[1];
      if (!fromTs || !f.expect) continue;
      expect(f.expect.startedAt, name).not.toBe(new Date(Number(fromTs)).toISOString());
    }
  });
});
