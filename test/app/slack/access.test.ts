import { WebClient } from '@slack/web-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  checkInvestigationAction,
  checkPermalink,
  isChannelMember,
  isPrivateChannel,
  permalinkDecision,
  placeDecision,
} from '../../../app/slack/access';
import { slackState } from '../../../sandbox/routes/slack';
import { type Sandbox, startSandbox } from '../../../sandbox/server';
import { DEMO } from '../../tools/helpers';

// The demo world declares #incidents (C0INCIDENT, public) and #payments-oncall (G0PAYONCALL,
// private, where U0PRIYA posted); the real WebClient asks the sandbox's Slack routes.
let sandbox: Sandbox;
let client: WebClient;
beforeAll(async () => {
  sandbox = await startSandbox(DEMO);
  client = new WebClient('xoxb-test', { slackApiUrl: `${sandbox.url}/api/`, retryConfig: { retries: 0 } });
});
afterAll(async () => {
  await sandbox.close();
});

describe('channel facts read from Slack', () => {
  it('finds a member on any page of conversations.members, and no one in a channel it cannot see', async () => {
    // 450 members: the one asked about is on the third page of 200.
    const crowd = Array.from({ length: 450 }, (_, i) => `U${String(i).padStart(6, '0')}`);
    slackState(sandbox.world).members = { C0BIG: crowd };
    expect(await isChannelMember(client, 'C0BIG', 'U000449')).toBe(true);
    const pages = sandbox.requests.filter(
      (r) => r.path === '/api/conversations.members' && (r.body as { channel?: string }).channel === 'C0BIG',
    );
    expect(pages).toHaveLength(3);
    expect(await isChannelMember(client, 'C0BIG', 'U0OUTSIDER')).toBe(false);
    expect(await isChannelMember(client, 'C0NOSUCH', 'U000001')).toBe(false);
  });

  it('counts those who posted in a channel as its members', async () => {
    expect(await isChannelMember(client, 'G0PAYONCALL', 'U0PRIYA')).toBe(true);
  });

  it('reads privacy from conversations.info, and nothing for an unknown channel', async () => {
    expect(await isPrivateChannel(client, 'G0PAYONCALL')).toBe(true);
    expect(await isPrivateChannel(client, 'C0INCIDENT')).toBe(false);
    expect(await isPrivateChannel(client, 'C0NOSUCH')).toBeUndefined();
  });
});

describe('the permalink rule', () => {
  const base = { source: 'C0A', target: 'C0B', requesterIsMember: true, sourceIsPrivate: false };

  it('lets a member bring a public channel message anywhere', () => {
    expect(permalinkDecision(base)).toEqual({ ok: true });
  });

  it('refuses a requester who is not in the linked channel, naming the channel', () => {
    const d = permalinkDecision({ ...base, requesterIsMember: false });
    expect(d).toMatchObject({ ok: false, reason: expect.stringContaining('not a member of <#C0A>') });
  });

  it('keeps a private channel message in its own channel', () => {
    expect(permalinkDecision({ ...base, sourceIsPrivate: true })).toMatchObject({
      ok: false,
      reason: expect.stringContaining('is private'),
    });
    expect(permalinkDecision({ ...base, sourceIsPrivate: true, target: 'C0A' })).toEqual({ ok: true });
  });

  it('refuses a channel whose privacy cannot be read', () => {
    expect(permalinkDecision({ ...base, sourceIsPrivate: undefined })).toMatchObject({ ok: false });
  });

  it('applies the rule to facts read through the Web API', async () => {
    expect(
      await checkPermalink(client, { source: 'G0PAYONCALL', target: 'C0OPS', user: 'U0PRIYA' }),
    ).toMatchObject({
      ok: false,
      reason: expect.stringContaining('is private'),
    });
    expect(
      await checkPermalink(client, { source: 'G0PAYONCALL', target: 'G0PAYONCALL', user: 'U0PRIYA' }),
    ).toEqual({
      ok: true,
    });
    expect(
      await checkPermalink(client, { source: 'G0PAYONCALL', target: 'G0PAYONCALL', user: 'U0EVE' }),
    ).toMatchObject({
      ok: false,
    });
  });
});

describe('the rule for buttons and the Comment modal', () => {
  const inv = { channelId: 'C0A', threadTs: '100.1', progressTs: '100.2' };

  it("accepts the investigation's summary message and messages in its thread", () => {
    expect(placeDecision(inv, { channel: 'C0A', messageTs: '100.2' })).toEqual({ ok: true });
    expect(placeDecision(inv, { channel: 'C0A', messageTs: '100.9', threadTs: '100.1' })).toEqual({
      ok: true,
    });
    expect(placeDecision(inv, { channel: 'C0A' })).toEqual({ ok: true });
  });

  it('refuses a value naming an investigation of another channel or another thread', () => {
    expect(placeDecision(inv, { channel: 'C0B', messageTs: '100.2' })).toMatchObject({
      ok: false,
      reason: expect.stringContaining('another channel'),
    });
    expect(placeDecision(inv, { channel: 'C0A', messageTs: '200.2', threadTs: '200.1' })).toMatchObject({
      ok: false,
      reason: expect.stringContaining('another thread'),
    });
    expect(placeDecision({ ...inv, channelId: null }, { channel: 'C0A' })).toMatchObject({ ok: false });
  });

  it('refuses someone who is not in the investigation channel, even from the right message', async () => {
    slackState(sandbox.world).members = { C0A: ['U0IN'] };
    const place = { channel: 'C0A', messageTs: '100.2' };
    expect(await checkInvestigationAction(client, inv, 'U0IN', place)).toEqual({ ok: true });
    expect(await checkInvestigationAction(client, inv, 'U0OUT', place)).toMatchObject({
      ok: false,
      reason: expect.stringContaining('not a member'),
    });
  });
});
