import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

/**
 * manifest.json asks for exactly the bot scopes the code needs: every Slack Web API method the
 * code calls and every event it subscribes to is covered, and no scope is asked for that nothing
 * uses. The scopes are those each method's and event's page on api.slack.com names.
 */
const ROOT = join(import.meta.dirname, '..');

/** Slack's "Required scopes" (bot token) per method: https://api.slack.com/methods/<method>. */
const METHOD_SCOPES: Record<string, string[]> = {
  'chat.postMessage': ['chat:write'],
  'chat.postEphemeral': ['chat:write'],
  'chat.update': ['chat:write'],
  // Deleting the bot's own message (a stale progress message after a resume) needs chat:write.
  'chat.delete': ['chat:write'],
  'chat.startStream': ['chat:write'],
  'chat.appendStream': ['chat:write'],
  'chat.stopStream': ['chat:write'],
  // Public and private channels: one scope each.
  'conversations.history': ['channels:history', 'groups:history'],
  'conversations.replies': ['channels:history', 'groups:history'],
  'conversations.info': ['channels:read', 'groups:read'],
  'conversations.members': ['channels:read', 'groups:read'],
  'usergroups.users.list': ['usergroups:read'],
  'views.open': [],
};

/** Per event: https://api.slack.com/events/<event>. */
const EVENT_SCOPES: Record<string, string[]> = {
  app_mention: ['app_mentions:read'],
  'message.channels': ['channels:history'],
  'message.groups': ['groups:history'],
  reaction_added: ['reactions:read'],
  reaction_removed: ['reactions:read'],
};

/**
 * Scopes that a feature needs rather than a method: slash commands need `commands`; posting to
 * a channel the bot was not invited to (SRE_WEBHOOK_CHANNEL, /investigate anywhere) needs
 * `chat:write.public` alongside chat:write.
 */
const FEATURE_SCOPES = { slashCommands: ['commands'], postAnywhere: ['chat:write.public'] };

const SLACK_FAMILIES = [
  'chat',
  'conversations',
  'reactions',
  'users',
  'usergroups',
  'views',
  'pins',
  'bookmarks',
];

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const full = join(dir, e.name);
    if (e.isDirectory()) return sourceFiles(full);
    return e.name.endsWith('.ts') ? [full] : [];
  });
}

/** Every `client.<family>.<method>(` call on a Slack client in production code. */
function slackMethodCalls(): Map<string, string[]> {
  const calls = new Map<string, string[]>();
  // Calls may be split over lines (`client.conversations\n  .members(`): whitespace is allowed.
  const pattern = new RegExp(
    `\\bclient\\s*\\.\\s*(${SLACK_FAMILIES.join('|')})\\s*\\.\\s*([a-zA-Z]+(?:\\s*\\.\\s*[a-zA-Z]+)?)\\s*\\(`,
    'g',
  );
  for (const file of ['app', 'agent', 'tools', 'indexer', 'data'].flatMap((d) =>
    sourceFiles(join(ROOT, d)),
  )) {
    const text = readFileSync(file, 'utf8');
    // The OpenAI SDK has a `chat` family too (client.chat.completions): not Slack's.
    if (/from 'openai'/.test(text)) continue;
    for (const m of text.matchAll(pattern)) {
      const method = `${m[1]}.${m[2]!.replace(/\s/g, '')}`;
      calls.set(method, [...(calls.get(method) ?? []), relative(ROOT, file)]);
    }
  }
  return calls;
}

const manifest = JSON.parse(readFileSync(join(ROOT, 'manifest.json'), 'utf8')) as {
  features: { slash_commands?: unknown[] };
  oauth_config: { scopes: { bot: string[] } };
  settings: { event_subscriptions: { bot_events: string[] } };
};

describe('manifest.json scopes', () => {
  const calls = slackMethodCalls();
  const granted = new Set(manifest.oauth_config.scopes.bot);

  it('finds the Slack methods the code calls (the scan itself works)', () => {
    expect([...calls.keys()]).toEqual(expect.arrayContaining(['chat.postMessage', 'conversations.info']));
  });

  it('every Slack method the code calls has its scopes listed', () => {
    const unknown = [...calls.keys()].filter((m) => !(m in METHOD_SCOPES));
    expect(unknown, 'a new Slack method: add its required scopes to METHOD_SCOPES').toEqual([]);
    const missing = [...calls.keys()].flatMap((m) =>
      METHOD_SCOPES[m]!.filter((s) => !granted.has(s)).map((s) => `${m} needs ${s} (${calls.get(m)![0]})`),
    );
    expect(missing).toEqual([]);
  });

  it('every subscribed event has its scope', () => {
    const events = manifest.settings.event_subscriptions.bot_events;
    expect(events.filter((e) => !(e in EVENT_SCOPES))).toEqual([]);
    expect(events.flatMap((e) => EVENT_SCOPES[e]!.filter((s) => !granted.has(s)))).toEqual([]);
  });

  it('no scope is asked for that nothing uses', () => {
    const needed = new Set([
      ...[...calls.keys()].flatMap((m) => METHOD_SCOPES[m] ?? []),
      ...manifest.settings.event_subscriptions.bot_events.flatMap((e) => EVENT_SCOPES[e] ?? []),
      ...(manifest.features.slash_commands?.length ? FEATURE_SCOPES.slashCommands : []),
      ...(calls.has('chat.postMessage') ? FEATURE_SCOPES.postAnywhere : []),
    ]);
    expect([...granted].filter((s) => !needed.has(s))).toEqual([]);
    expect([...needed].filter((s) => !granted.has(s))).toEqual([]);
  });
});
