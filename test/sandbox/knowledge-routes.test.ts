import { Client as NotionClient } from '@notionhq/client';
import { Octokit } from '@octokit/rest';
import { WebClient } from '@slack/web-api';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Sandbox } from '../../sandbox/server';
import { demoSandbox } from '../tools/helpers';

describe('sandbox routes for knowledge sources, through their real clients', () => {
  let sandbox: Sandbox;
  beforeEach(async () => {
    sandbox = await demoSandbox();
  });
  afterEach(() => sandbox.close());

  it('Slack: conversations.history with oldest and cursor paging, replies of a thread, private flag', async () => {
    const slack = new WebClient('xoxb-test', {
      slackApiUrl: `${sandbox.url}/api/`,
      retryConfig: { retries: 0 },
    });
    const list = await slack.conversations.list({});
    expect(list.channels?.find((c) => c.id === 'G0PAYONCALL')?.is_private).toBe(true);
    const page1 = await slack.conversations.history({ channel: 'C0INCIDENT', limit: 1 });
    expect(page1.messages).toHaveLength(1);
    expect(page1.has_more).toBe(true);
    const page2 = await slack.conversations.history({
      channel: 'C0INCIDENT',
      limit: 1,
      cursor: page1.response_metadata!.next_cursor,
    });
    expect(page2.messages![0]!.ts).not.toBe(page1.messages![0]!.ts);
    const since = await slack.conversations.history({ channel: 'C0INCIDENT', oldest: '1770000000' });
    expect(since.messages?.map((m) => m.ts)).toEqual(['1773324300.000200', '1773300000.000100']);
    // The DataDog alert card is in its channel too, with its attachments.
    expect(since.messages?.[0]?.attachments?.[0]?.title).toMatch(/^\[Triggered\]/);
    const thread = await slack.conversations.replies({ channel: 'C0INCIDENT', ts: '1762272720.000100' });
    expect(thread.messages?.map((m) => m.user)).toEqual(['U0DANA', 'U0SAM']);
    await expect(slack.conversations.history({ channel: 'C0NOPE' })).rejects.toThrow(/channel_not_found/);
  });

  it('Notion: search sorted by last edit, then blocks of a page', async () => {
    const notion = new NotionClient({ auth: 'secret_test', baseUrl: sandbox.url });
    const found = (await notion.search({
      sort: { direction: 'descending', timestamp: 'last_edited_time' },
    })) as { results: { id: string }[] };
    expect(found.results).toHaveLength(1);
    const blocks = (await notion.blocks.children.list({ block_id: found.results[0]!.id })) as {
      results: { type: string }[];
    };
    expect(blocks.results.map((b) => b.type)).toContain('heading_2');
  });

  it('Confluence v2: spaces and pages with storage-format bodies, Basic auth required', async () => {
    const auth = { authorization: `Basic ${Buffer.from('me@acme.dev:token').toString('base64')}` };
    const spaces = (await (await fetch(`${sandbox.url}/wiki/api/v2/spaces`, { headers: auth })).json()) as {
      results: { id: string }[];
    };
    const pages = (await (
      await fetch(
        `${sandbox.url}/wiki/api/v2/pages?space-id=${spaces.results[0]!.id}&body-format=storage&sort=-modified-date`,
        { headers: auth },
      )
    ).json()) as {
      results: { title: string; version: { createdAt: string }; body: { storage: { value: string } } }[];
    };
    expect(pages.results[0]!.title).toBe('Payments flow architecture');
    expect(pages.results[0]!.body.storage.value).toContain('<h2>Discounts</h2>');
    expect((await fetch(`${sandbox.url}/wiki/api/v2/pages`)).status).toBe(401);
  });

  it('GitHub: search for merged pull requests in a repo since a date', async () => {
    const gh = new Octokit({ auth: 'ghs_test', baseUrl: sandbox.url });
    const res = await gh.search.issuesAndPullRequests({
      q: 'repo:acme/checkout is:pr is:merged merged:>=2026-03-12T13:00:00Z promo',
    });
    expect(res.data.items.map((i) => i.number).sort()).toEqual([482, 483]);
  });
});
