import { json, type Route, type SandboxResponse, type SandboxWorld } from '../http';
import { type SlackArgs, slackMethod } from './slack-method';

/**
 * Slack Web API methods the bot uses (form-encoded or JSON POSTs, `ok:false` errors like Slack's),
 * recording what was posted so tests can read the thread the bot wrote.
 */
export type PostedMessage = {
  channel: string;
  ts: string;
  threadTs?: string;
  text: string;
  blocks?: unknown[];
  updates: number;
  ephemeralTo?: string;
  /** Streaming messages: chunks appended, and whether the stream is still open. */
  chunks?: unknown[];
  streaming?: boolean;
};
export type SlackState = {
  messages: PostedMessage[];
  reactions: { channel: string; ts: string; name: string }[];
  seq: number;
  /** What was sent to a slash command's response_url (ephemeral replies). */
  responses?: Record<string, unknown>[];
  /** Modals opened with views.open. */
  views?: Record<string, unknown>[];
  /** Channel id -> user ids added to its members (tests: who may read a channel). */
  members?: Record<string, string[]>;
  /** User-group id (S…) -> its members' user ids (usergroups.users.list). */
  usergroups?: Record<string, string[]>;
  /** Messages removed with chat.delete. */
  deleted?: PostedMessage[];
  /** Appends a stream accepts before it answers message_not_in_streaming_state (for tests). */
  expireStreamsAfter?: number;
};

export function slackState(world: SandboxWorld): SlackState {
  let s = world.state.get('slack') as SlackState | undefined;
  if (!s) {
    s = { messages: [], reactions: [], seq: 0 };
    world.state.set('slack', s);
  }
  return s;
}

type Args = SlackArgs;

/** Write methods need a bot token. */
const authed = (fn: (a: Args, world: SandboxWorld) => SandboxResponse) => slackMethod(fn, /^xoxb-/);

function nextTs(s: SlackState, now: number): string {
  s.seq += 1;
  return `${Math.floor(now / 1000)}.${String(s.seq).padStart(6, '0')}`;
}

const post: Route['handler'] = authed((a, world) => {
  const s = slackState(world);
  if (!a.channel) return json({ ok: false, error: 'channel_not_found' });
  if (!a.text && !a.blocks) return json({ ok: false, error: 'no_text' });
  const ts = nextTs(s, Date.now());
  const m: PostedMessage = {
    channel: String(a.channel),
    ts,
    threadTs: a.thread_ts ? String(a.thread_ts) : undefined,
    text: String(a.text ?? ''),
    blocks: a.blocks as unknown[] | undefined,
    updates: 0,
  };
  s.messages.push(m);
  return json({ ok: true, channel: m.channel, ts, message: { text: m.text, ts, bot_id: 'B0SREBOT' } });
});

const update: Route['handler'] = authed((a, world) => {
  const m = slackState(world).messages.find((x) => x.channel === a.channel && x.ts === a.ts);
  if (!m) return json({ ok: false, error: 'message_not_found' });
  m.text = String(a.text ?? m.text);
  // As Slack: blocks left out are kept; an empty list removes them.
  if (Array.isArray(a.blocks)) m.blocks = a.blocks.length ? a.blocks : undefined;
  m.updates += 1;
  return json({ ok: true, channel: m.channel, ts: m.ts, text: m.text });
});

/**
 * chat.delete as docs.slack.dev/reference/methods/chat.delete describes it: `channel` and `ts`;
 * `{ ok, channel, ts }`, or `message_not_found`. The message leaves the recorded thread.
 */
const remove: Route['handler'] = authed((a, world) => {
  const s = slackState(world);
  const i = s.messages.findIndex((x) => x.channel === a.channel && x.ts === a.ts);
  if (i < 0) return json({ ok: false, error: 'message_not_found' });
  const [m] = s.messages.splice(i, 1);
  s.deleted = [...(s.deleted ?? []), m!];
  return json({ ok: true, channel: m!.channel, ts: m!.ts });
});

const ephemeral: Route['handler'] = authed((a, world) => {
  const s = slackState(world);
  const ts = nextTs(s, Date.now());
  s.messages.push({
    channel: String(a.channel),
    ts,
    threadTs: a.thread_ts ? String(a.thread_ts) : undefined,
    text: String(a.text ?? ''),
    blocks: a.blocks as unknown[] | undefined,
    updates: 0,
    ephemeralTo: String(a.user),
  });
  return json({ ok: true, message_ts: ts });
});

/** Slack's limits for a modal (the ones the bot could overstep), as views.open checks them. */
function modalProblems(view: Record<string, unknown>): string[] {
  const text = (x: unknown) => String((x as { text?: unknown } | undefined)?.text ?? '');
  const problems: string[] = [];
  if (!text(view.title) || text(view.title).length > 24) problems.push('title: 1 to 24 characters');
  if (view.submit && text(view.submit).length > 24) problems.push('submit: at most 24 characters');
  if (String(view.private_metadata ?? '').length > 3000)
    problems.push('private_metadata: at most 3000 characters');
  const blocks = Array.isArray(view.blocks) ? (view.blocks as Record<string, unknown>[]) : [];
  if (blocks.length === 0 || blocks.length > 100) problems.push('blocks: 1 to 100');
  for (const [i, b] of blocks.entries()) {
    const options = (b.element as { options?: { text?: unknown; value?: unknown }[] } | undefined)?.options;
    if (!options) continue;
    if (options.length > 100) problems.push(`blocks[${i}]: at most 100 options`);
    const values = options.map((o) => String(o.value ?? ''));
    for (const [j, o] of options.entries()) {
      if (!text(o.text) || text(o.text).length > 75)
        problems.push(`blocks[${i}].options[${j}].text: 1 to 75 characters`);
      if (!values[j] || values[j]!.length > 150)
        problems.push(`blocks[${i}].options[${j}].value: 1 to 150 characters`);
    }
  }
  return problems;
}

const openView: Route['handler'] = authed((a, world) => {
  const view = a.view as Record<string, unknown> | undefined;
  if (!a.trigger_id || !view || typeof view !== 'object' || view.type !== 'modal')
    return json({ ok: false, error: 'invalid_arguments' });
  const problems = modalProblems(view);
  if (problems.length)
    return json({ ok: false, error: 'invalid_arguments', response_metadata: { messages: problems } });
  const s = slackState(world);
  s.views = [...(s.views ?? []), view];
  return json({ ok: true, view: { id: `V${String(s.views.length).padStart(8, '0')}`, ...view } });
});

const startStream: Route['handler'] = authed((a, world) => {
  const s = slackState(world);
  if (!a.channel) return json({ ok: false, error: 'channel_not_found' });
  if (!a.thread_ts) return json({ ok: false, error: 'invalid_arguments' });
  if (!a.recipient_user_id || !a.recipient_team_id)
    return json({ ok: false, error: 'missing_recipient_user_id' });
  const ts = nextTs(s, Date.now());
  const chunks = a.chunks ?? [];
  s.messages.push({
    channel: String(a.channel),
    ts,
    threadTs: String(a.thread_ts),
    text: String(a.markdown_text ?? ''),
    updates: 0,
    chunks: [...(chunks as unknown[])],
    streaming: true,
  });
  return json({ ok: true, channel: a.channel, ts });
});

function appendTo(a: Args, world: SandboxWorld, stop: boolean): SandboxResponse {
  const s = slackState(world);
  const m = s.messages.find((x) => x.channel === a.channel && x.ts === a.ts);
  if (!m) return json({ ok: false, error: 'message_not_found' });
  if (
    !m.streaming ||
    (s.expireStreamsAfter !== undefined && (m.chunks?.length ?? 0) >= s.expireStreamsAfter)
  ) {
    m.streaming = false;
    return json({ ok: false, error: 'message_not_in_streaming_state' });
  }
  const chunks = a.chunks ?? [];
  m.chunks = [...(m.chunks ?? []), ...(chunks as unknown[])];
  if (a.markdown_text) m.text += String(a.markdown_text);
  if (stop) {
    m.streaming = false;
    if (a.blocks) m.blocks = a.blocks as unknown[];
  }
  m.updates += 1;
  return json({ ok: true, channel: m.channel, ts: m.ts });
}

const react: Route['handler'] = authed((a, world) => {
  slackState(world).reactions.push({
    channel: String(a.channel),
    ts: String(a.timestamp),
    name: String(a.name),
  });
  return json({ ok: true });
});

export const routes: Route[] = [
  {
    method: 'POST',
    pattern: '/api/auth.test',
    handler: authed(() =>
      json({
        ok: true,
        url: 'https://acme.slack.com/',
        team: 'Acme',
        user: 'sre-assistant',
        team_id: 'T0ACME',
        user_id: 'U0SREBOT',
        bot_id: 'B0SREBOT',
      }),
    ),
  },
  { method: 'POST', pattern: '/api/chat.postMessage', handler: post },
  { method: 'POST', pattern: '/api/chat.update', handler: update },
  { method: 'POST', pattern: '/api/chat.delete', handler: remove },
  { method: 'POST', pattern: '/api/chat.postEphemeral', handler: ephemeral },
  { method: 'POST', pattern: '/api/reactions.add', handler: react },
  { method: 'POST', pattern: '/api/chat.startStream', handler: startStream },
  { method: 'POST', pattern: '/api/views.open', handler: openView },
  {
    // A slash command's response_url (the test points commands here).
    method: 'POST',
    pattern: '/response',
    handler: (req, world) => {
      const s = slackState(world);
      s.responses = [...(s.responses ?? []), (req.body ?? {}) as Record<string, unknown>];
      return json({ ok: true });
    },
  },
  {
    method: 'POST',
    pattern: '/api/chat.appendStream',
    handler: authed((a, world) => appendTo(a, world, false)),
  },
  {
    method: 'POST',
    pattern: '/api/chat.stopStream',
    handler: authed((a, world) => appendTo(a, world, true)),
  },
  {
    method: 'POST',
    pattern: '/api/users.info',
    handler: authed((a) =>
      json({ ok: true, user: { id: a.user, name: String(a.user).toLowerCase(), tz: 'UTC' } }),
    ),
  },
];
