import { json, type Route, type SandboxResponse, type SandboxWorld } from '../http';
import { channelOf } from '../scenario';
import { slackState } from './slack';
import { arg, type SlackArgs, slackMethod } from './slack-method';

/** Slack Web API read methods over a scenario's slack/<channel>.json history, with cursor paging. */
type Channel = { id: string; name: string; isPrivate: boolean };

export function scenarioChannels(world: SandboxWorld): Channel[] {
  return Object.keys(world.scenario.slack).map((name) => {
    const c = channelOf(world.scenario.manifest, name);
    return { id: c.id, name, isPrivate: c.private };
  });
}

/**
 * A channel's members: those declared in scenario.json (`slackChannels.<name>.members`), everyone
 * who posted in its history, and anyone a test added (slackState(world).members). A channel is
 * known when the scenario declares it, has its history, or a test gave it members.
 */
export function channelMembers(world: SandboxWorld, channelId: string): string[] | undefined {
  const declared = Object.entries(world.scenario.manifest.slackChannels ?? {}).find(
    ([, c]) => c.id === channelId,
  );
  const history = messagesOf(world, channelId);
  const added = slackState(world).members?.[channelId];
  if (!declared && !history && !added) return undefined;
  return [
    ...new Set([...(declared?.[1].members ?? []), ...(history ?? []).map((m) => m.user), ...(added ?? [])]),
  ];
}

/** Id, name and privacy of a channel the scenario knows (declared or with history). */
function channelInfo(world: SandboxWorld, channelId: string): Channel | undefined {
  const listed = scenarioChannels(world).find((c) => c.id === channelId);
  if (listed) return listed;
  const declared = Object.entries(world.scenario.manifest.slackChannels ?? {}).find(
    ([, c]) => c.id === channelId,
  );
  if (declared) return { id: channelId, name: declared[0], isPrivate: declared[1].private };
  // A channel only a test named: public unless its id says otherwise (G… is a private group).
  if (slackState(world).members?.[channelId])
    return { id: channelId, name: channelId.toLowerCase(), isPrivate: channelId.startsWith('G') };
  return undefined;
}

/** Read methods accept bot and user tokens. */
const guarded = (fn: (a: SlackArgs, world: SandboxWorld) => SandboxResponse) => slackMethod(fn, /^xox[bp]-/);

function messagesOf(world: SandboxWorld, channelId: string) {
  const ch = scenarioChannels(world).find((c) => c.id === channelId);
  return ch ? world.scenario.slack[ch.name]! : undefined;
}

function page<T>(items: T[], a: SlackArgs) {
  const limit = Math.min(Math.max(Number(arg(a, 'limit') ?? 100) || 100, 1), 1000);
  const cursor = arg(a, 'cursor');
  const offset = cursor ? Number(Buffer.from(cursor, 'base64').toString()) || 0 : 0;
  const next = offset + limit < items.length ? Buffer.from(String(offset + limit)).toString('base64') : '';
  return { items: items.slice(offset, offset + limit), meta: { next_cursor: next }, hasMore: next !== '' };
}

const out = (m: { ts: string; user: string; text: string; threadTs?: string }, replies = 0) => ({
  type: 'message',
  ts: m.ts,
  user: m.user,
  text: m.text,
  ...(m.threadTs ? { thread_ts: m.threadTs } : {}),
  ...(replies ? { thread_ts: m.ts, reply_count: replies } : {}),
});

export const routes: Route[] = [
  {
    method: 'POST',
    pattern: '/api/conversations.list',
    handler: guarded((a, world) => {
      const p = page(scenarioChannels(world), a);
      return json({
        ok: true,
        channels: p.items.map((c) => ({
          id: c.id,
          name: c.name,
          is_private: c.isPrivate,
          is_channel: !c.isPrivate,
          is_group: c.isPrivate,
        })),
        response_metadata: p.meta,
      });
    }),
  },
  {
    method: 'POST',
    pattern: '/api/conversations.info',
    // Fields as in Slack's conversation object (docs.slack.dev/reference/objects/conversation-object).
    handler: guarded((a, world) => {
      const c = channelInfo(world, arg(a, 'channel') ?? '');
      return c
        ? json({
            ok: true,
            channel: {
              id: c.id,
              name: c.name,
              is_channel: !c.isPrivate,
              is_group: c.isPrivate,
              is_im: false,
              is_mpim: false,
              is_private: c.isPrivate,
              is_archived: false,
              is_member: true,
            },
          })
        : json({ ok: false, error: 'channel_not_found' });
    }),
  },
  {
    // `{ ok, members: ["U…"], response_metadata: { next_cursor } }`, cursor-paged like Slack's
    // (api.slack.com/methods/conversations.members).
    method: 'POST',
    pattern: '/api/conversations.members',
    handler: guarded((a, world) => {
      const members = channelMembers(world, arg(a, 'channel') ?? '');
      if (!members) return json({ ok: false, error: 'channel_not_found' });
      const p = page(members, a);
      return json({ ok: true, members: p.items, response_metadata: p.meta });
    }),
  },
  {
    // `{ ok, users: ["U…"] }` (api.slack.com/methods/usergroups.users.list); an unknown group is
    // `no_such_subteam`, as Slack answers.
    method: 'POST',
    pattern: '/api/usergroups.users.list',
    handler: guarded((a, world) => {
      const users = slackState(world).usergroups?.[arg(a, 'usergroup') ?? ''];
      return users ? json({ ok: true, users }) : json({ ok: false, error: 'no_such_subteam' });
    }),
  },
  {
    method: 'POST',
    pattern: '/api/conversations.history',
    handler: guarded((a, world) => {
      const all = messagesOf(world, arg(a, 'channel') ?? '');
      if (!all) return json({ ok: false, error: 'channel_not_found' });
      const oldest = Number(arg(a, 'oldest') ?? 0);
      const latest = Number(arg(a, 'latest') ?? Number.POSITIVE_INFINITY);
      // The scenario's own alert post lives in its channel too, with its attachments and blocks.
      const alertPost =
        'slackMessage' in world.scenario.manifest.alert
          ? (world.scenario.manifest.alert.slackMessage as Record<string, unknown>)
          : undefined;
      const inRange = (ts: number) =>
        (ts > oldest || (arg(a, 'inclusive') === 'true' && ts === oldest)) &&
        (ts < latest || (ts === latest && (arg(a, 'inclusive') === 'true' || !a.latest)));
      const posted = alertPost && alertPost.channel === a.channel ? [alertPost] : [];
      const roots: Record<string, unknown>[] = [
        ...posted,
        ...all
          .filter((m) => !m.threadTs || m.threadTs === m.ts)
          .map((m) => out(m, all.filter((r) => r.threadTs === m.ts && r.ts !== m.ts).length)),
      ]
        .filter((m) => inRange(Number(m.ts)))
        .sort((x, y) => Number(y.ts) - Number(x.ts));
      const p = page(roots, a);
      return json({
        ok: true,
        messages: p.items,
        has_more: p.hasMore,
        response_metadata: p.meta,
      });
    }),
  },
  {
    method: 'POST',
    pattern: '/api/conversations.replies',
    handler: guarded((a, world) => {
      const all = messagesOf(world, arg(a, 'channel') ?? '');
      if (!all) return json({ ok: false, error: 'channel_not_found' });
      const thread = all
        .filter((m) => m.ts === arg(a, 'ts') || m.threadTs === arg(a, 'ts'))
        .sort((x, y) => Number(x.ts) - Number(y.ts));
      if (thread.length === 0) return json({ ok: false, error: 'thread_not_found' });
      const p = page(thread, a);
      return json({
        ok: true,
        messages: p.items.map((m) => out(m)),
        has_more: p.hasMore,
        response_metadata: p.meta,
      });
    }),
  },
];
