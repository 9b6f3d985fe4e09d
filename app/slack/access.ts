import type { WebClient } from '@slack/web-api';
import type { InvestigationRow } from '../../data/investigations';
import { SLACK_DEFAULTS } from './defaults';

/**
 * Authorization follows Slack's channels: what came from a channel is only shown to, or changed
 * by, people who are in it. The rules are pure functions over facts; the facts are read with
 * conversations.info and conversations.members (scopes channels:read, groups:read). Anything that
 * cannot be confirmed (an API error, a channel the bot cannot see) is refused, never assumed.
 */
export type Decision = { ok: true } | { ok: false; reason: string };

const ALLOWED: Decision = { ok: true };

/** Is `user` a member of `channel`? Pages through conversations.members, bounded; errors mean no. */
export async function isChannelMember(client: WebClient, channel: string, user: string): Promise<boolean> {
  let cursor: string | undefined;
  for (let page = 0; page < SLACK_DEFAULTS.membersMaxPages; page++) {
    const res = await client.conversations
      .members({ channel, limit: SLACK_DEFAULTS.membersPageSize, ...(cursor ? { cursor } : {}) })
      .catch(() => undefined);
    if (!res?.ok) return false;
    if (res.members?.includes(user)) return true;
    cursor = res.response_metadata?.next_cursor || undefined;
    if (!cursor) return false;
  }
  return false;
}

/** Whether a channel is private (private channel, DM or group DM); undefined when it cannot be read. */
export async function isPrivateChannel(client: WebClient, channel: string): Promise<boolean | undefined> {
  const res = await client.conversations.info({ channel }).catch(() => undefined);
  const c = res?.ok ? res.channel : undefined;
  if (!c) return undefined;
  return c.is_private === true || c.is_im === true || c.is_mpim === true;
}

/**
 * `/investigate <permalink>` run in `target`: the requester must be in the linked message's
 * channel, and a private channel's message is only investigated in that same channel (its
 * content would otherwise be posted where other people read it).
 */
export function permalinkDecision(facts: {
  source: string;
  target: string;
  requesterIsMember: boolean;
  sourceIsPrivate: boolean | undefined;
}): Decision {
  if (!facts.requesterIsMember)
    return {
      ok: false,
      reason: `you are not a member of <#${facts.source}>, so I will not investigate a message from it for you.`,
    };
  if (facts.sourceIsPrivate === undefined)
    return { ok: false, reason: `I cannot read <#${facts.source}> (is the bot in that channel?).` };
  if (facts.sourceIsPrivate && facts.source !== facts.target)
    return {
      ok: false,
      reason: `<#${facts.source}> is private: run \`/investigate\` with this link in that channel, so its content stays there.`,
    };
  return ALLOWED;
}

export async function checkPermalink(
  client: WebClient,
  request: { source: string; target: string; user: string },
): Promise<Decision> {
  const [requesterIsMember, sourceIsPrivate] = await Promise.all([
    isChannelMember(client, request.source, request.user),
    isPrivateChannel(client, request.source),
  ]);
  return permalinkDecision({ ...request, requesterIsMember, sourceIsPrivate });
}

/** Where a button was pressed or a modal was opened from: the channel and the message it sat on. */
export type ActionPlace = { channel: string; messageTs?: string; threadTs?: string };

/**
 * A button or modal names an investigation by id, and ids travel in payloads anyone in any
 * channel can send: the place must be that investigation's channel and its thread (the summary
 * message, or a message in its thread).
 */
export function placeDecision(
  inv: Pick<InvestigationRow, 'channelId' | 'threadTs' | 'progressTs'>,
  place: ActionPlace,
): Decision {
  if (!inv.channelId || inv.channelId !== place.channel)
    return { ok: false, reason: 'that investigation belongs to another channel; nothing was saved.' };
  if (place.messageTs !== undefined) {
    const inThread =
      place.messageTs === inv.progressTs ||
      place.messageTs === inv.threadTs ||
      (place.threadTs !== undefined && place.threadTs === inv.threadTs);
    if (!inThread)
      return { ok: false, reason: 'that investigation belongs to another thread; nothing was saved.' };
  }
  return ALLOWED;
}

/** The place check, then the acting user's membership of the investigation's channel. */
export async function checkInvestigationAction(
  client: WebClient,
  inv: Pick<InvestigationRow, 'channelId' | 'threadTs' | 'progressTs'>,
  user: string,
  place: ActionPlace,
): Promise<Decision> {
  const placed = placeDecision(inv, place);
  if (!placed.ok) return placed;
  if (!(await isChannelMember(client, inv.channelId!, user)))
    return {
      ok: false,
      reason: 'you are not a member of the channel this investigation ran in; nothing was saved.',
    };
  return ALLOWED;
}

/**
 * Who may start an investigation: everyone when the allowlist (SRE_INVESTIGATE_ALLOWLIST) is
 * empty, else the user ids (U…) on it and the members of its user groups (S…, read with
 * usergroups.users.list; a group that cannot be read admits no one).
 */
export async function mayInvestigate(
  client: WebClient,
  allowlist: readonly string[],
  userId: string,
): Promise<boolean> {
  if (allowlist.length === 0 || allowlist.includes(userId)) return true;
  for (const group of allowlist.filter((id) => id.startsWith('S'))) {
    const res = await client.usergroups.users.list({ usergroup: group }).catch(() => undefined);
    if (res?.users?.includes(userId)) return true;
  }
  return false;
}
