import { answerFromResult, followUpContext } from '../../agent/follow-up';
import type { InvestigationResult } from '../../agent/result';
import { listFeedback, recordFeedback, retractFeedback } from '../../data/feedback';
import { findInvestigationByThread, getInvestigation } from '../../data/investigations';
import type { Env } from '../config';
import { parseDatadogSlackMessage, readDatadogSlackPost } from '../gateway/datadog-slack';
import { alertFromText } from '../gateway/text-alert';
import { type ActionPlace, checkInvestigationAction, checkPermalink } from './access';
import { takeDatadogAlert } from './alert-intake';
import { COMMENT_MAX_CHARS, commentModalView } from './blocks';
import { SLACK_DEFAULTS } from './defaults';
import { untrustedMrkdwn } from './mrkdwn';
import { investigateInThread, type ThreadDeps } from './run-in-thread';

/** Plain handler functions (Bolt style): collaborators come in through `SlackDeps`, so tests call them directly. */
export type SlackDeps = ThreadDeps & { env: Env; botUserId?: string; seen: Set<string> };

export const USAGE =
  'Usage: `/investigate <what is wrong | DataDog monitor URL | link to an alert message>`\nExample: `/investigate checkout 5xx errors since 14:00`';

/** Remembers an event key; false when it was already seen (Slack retries, duplicate deliveries). */
export function firstSighting(seen: Set<string>, key: string): boolean {
  if (seen.has(key)) return false;
  seen.add(key);
  if (seen.size > SLACK_DEFAULTS.seenEventsCapacity) seen.delete(seen.values().next().value!);
  return true;
}

function watched(env: Env, channel: string): boolean {
  return env.SRE_ALERT_CHANNELS.length === 0 || env.SRE_ALERT_CHANNELS.includes(channel);
}

type MessageEvent = Record<string, unknown> & {
  channel?: string;
  ts?: string;
  thread_ts?: string;
  bot_id?: string;
  subtype?: string;
  app_id?: string;
  bot_profile?: { app_id?: string; id?: string };
};

/** A message in a watched channel: a DataDog alert goes through the alert-cycle intake; everything else is ignored. */
export async function onMessage(deps: SlackDeps, event: MessageEvent): Promise<void> {
  const channel = event.channel;
  if (!channel || !event.ts || !watched(deps.env, channel)) return;
  if (event.subtype === 'message_changed' || event.subtype === 'message_deleted') return;
  const fromBot =
    event.subtype === 'bot_message' || event.bot_id !== undefined || event.bot_profile !== undefined;
  if (!fromBot || event.bot_id === 'B0SREBOT' || (deps.botUserId && event.user === deps.botUserId)) return;
  const ids = [event.bot_id, event.app_id, event.bot_profile?.app_id, event.bot_profile?.id].filter(
    (x): x is string => typeof x === 'string',
  );
  if (deps.env.SRE_ALERT_BOT_IDS.length > 0 && !ids.some((id) => deps.env.SRE_ALERT_BOT_IDS.includes(id)))
    return;
  // DataDog's own threaded follow-ups are not new alerts or questions.
  if (event.thread_ts && event.thread_ts !== event.ts) return;
  const reading = readDatadogSlackPost(event);
  if (!reading) return;
  if (!firstSighting(deps.seen, `${channel}:${event.ts}`)) return;
  // The post is the alert's own message: a new cycle's thread goes under it.
  await takeDatadogAlert(deps, reading, { channel, threadTs: event.ts });
}

/** SRE_INVESTIGATE_ALLOWLIST holds user ids (U…) and user-group ids (S…, resolved with usergroups.users.list). */
export async function mayInvestigate(deps: SlackDeps, userId: string): Promise<boolean> {
  const allow = deps.env.SRE_INVESTIGATE_ALLOWLIST;
  if (allow.length === 0 || allow.includes(userId)) return true;
  for (const group of allow.filter((id) => id.startsWith('S'))) {
    const res = await deps.client.usergroups.users.list({ usergroup: group }).catch(() => undefined);
    if (res?.users?.includes(userId)) return true;
  }
  return false;
}

/** `https://x.slack.com/archives/C123/p1700000000123456` -> channel and message ts. */
export function parsePermalink(text: string): { channel: string; ts: string } | undefined {
  const m = /\/archives\/([CGD][A-Z0-9]+)\/p(\d{10})(\d{6})/.exec(text);
  return m ? { channel: m[1]!, ts: `${m[2]}.${m[3]}` } : undefined;
}

/** The alert a permalink points at: the DataDog post itself, read with conversations.history. */
async function alertFromPermalink(deps: SlackDeps, link: { channel: string; ts: string }) {
  const res = await deps.client.conversations.history({
    channel: link.channel,
    latest: link.ts,
    oldest: link.ts,
    inclusive: true,
    limit: 1,
  });
  const message = res.messages?.[0];
  return message ? parseDatadogSlackMessage({ ...message, channel: link.channel }) : undefined;
}

/** /investigate: ack fast, post a root message, investigate in its thread. */
export async function onSlashCommand(
  deps: SlackDeps,
  command: { text?: string; channel_id: string; user_id: string; team_id?: string },
  respond: (text: string) => Promise<unknown>,
): Promise<void> {
  const text = (command.text ?? '').trim();
  if (!text) {
    await respond(USAGE);
    return;
  }
  if (!(await mayInvestigate(deps, command.user_id))) {
    await respond('You are not on the allowlist for /investigate (SRE_INVESTIGATE_ALLOWLIST).');
    return;
  }
  const link = parsePermalink(text);
  if (link) {
    // Checked before the message is read: a refused link leaves nothing behind.
    const access = await checkPermalink(deps.client, {
      source: link.channel,
      target: command.channel_id,
      user: command.user_id,
    });
    if (!access.ok) {
      await respond(`:no_entry: I cannot investigate that link here: ${access.reason}`);
      return;
    }
  }
  const linked = link ? await alertFromPermalink(deps, link).catch(() => undefined) : undefined;
  if (link && !linked) {
    await respond(
      'That link does not point at a DataDog alert message I can read (is the bot in that channel?). Describe the problem in words instead.',
    );
    return;
  }
  const alert = linked
    ? { ...linked, source: 'slash-command' as const }
    : alertFromText(text, deps.runtime.now(), 'slash-command');
  const root = await deps.client.chat.postMessage({
    channel: command.channel_id,
    text: `:mag: <@${command.user_id}> asked me to investigate: ${untrustedMrkdwn(text.slice(0, 500), deps.runtime.secrets)}`,
  });
  if (!root.ts) throw new Error('Slack did not return a ts for the root message');
  const recipient = command.team_id ? { userId: command.user_id, teamId: command.team_id } : undefined;
  void investigateInThread(deps, alert, command.channel_id, root.ts, recipient);
}

type ReactionEvent = { reaction: string; user: string; item: { type: string; channel: string; ts: string } };

/** A reaction on the bot's message in an investigation thread becomes (or retracts) feedback. */
export async function onReaction(deps: SlackDeps, event: ReactionEvent, added: boolean): Promise<boolean> {
  const mapped = SLACK_DEFAULTS.reactionFeedback[event.reaction];
  if (!mapped || event.item?.type !== 'message') return false;
  const inv = findInvestigationByThread(deps.runtime.db, event.item.channel, event.item.ts);
  if (!inv) return false;
  const f = {
    investigationId: inv.id,
    userId: event.user,
    kind: mapped.kind,
    value: mapped.value,
    at: new Date(),
  };
  return added ? recordFeedback(deps.runtime.db, f) : retractFeedback(deps.runtime.db, f);
}

const ACTIONS: Record<string, { kind: string; value: string; ack: string }> = {
  feedback_helpful: { kind: 'rating', value: 'helpful', ack: 'Thanks: marked helpful.' },
  feedback_not_helpful: {
    kind: 'rating',
    value: 'not_helpful',
    ack: 'Thanks: marked not helpful. A comment in the thread helps us learn.',
  },
  feedback_confirm_root_cause: {
    kind: 'root_cause',
    value: 'confirmed',
    ack: 'Thanks: root cause confirmed.',
  },
};

/**
 * A feedback button: record it and acknowledge ephemerally, once the button is known to sit in
 * that investigation's thread and the person is in its channel (a forged value stores nothing).
 */
export async function onFeedbackButton(
  deps: SlackDeps,
  actionId: string,
  investigationId: string,
  user: string,
  place: ActionPlace,
): Promise<void> {
  const a = ACTIONS[actionId];
  const inv = a ? getInvestigation(deps.runtime.db, investigationId) : undefined;
  if (!a || !inv) return;
  const channel = place.channel;
  const access = await checkInvestigationAction(deps.client, inv, user, place);
  if (!access.ok) {
    await deps.client.chat.postEphemeral({
      channel,
      user,
      text: `:no_entry: Not recorded: ${access.reason}`,
    });
    return;
  }
  recordFeedback(deps.runtime.db, {
    investigationId,
    userId: user,
    kind: a.kind,
    value: a.value,
    at: new Date(),
  });
  await deps.client.chat.postEphemeral({ channel, user, text: a.ack });
}

/**
 * The Comment button: opens the modal (a trigger id is valid for 3 seconds, so only the access
 * check, one quick call, comes before it). A button naming another channel's or thread's
 * investigation, or a person outside its channel, gets an ephemeral refusal and no modal.
 */
export async function onCommentButton(
  deps: SlackDeps,
  investigationId: string,
  triggerId: string,
  user: string,
  place: ActionPlace,
): Promise<boolean> {
  const inv = getInvestigation(deps.runtime.db, investigationId);
  if (!inv?.result) return false;
  const access = await checkInvestigationAction(deps.client, inv, user, place);
  if (!access.ok) {
    await deps.client.chat.postEphemeral({
      channel: place.channel,
      user,
      text: `:no_entry: Cannot comment: ${access.reason}`,
    });
    return false;
  }
  await deps.client.views.open({
    trigger_id: triggerId,
    view: commentModalView(inv.result as InvestigationResult, place) as never,
  });
  return true;
}

type CommentView = {
  private_metadata?: string;
  state?: {
    values?: Record<
      string,
      Record<string, { value?: string | null; selected_option?: { value?: string } | null }>
    >;
  };
};

/** Reads a submitted Comment modal: the comment text, the picked cause and where it came from. */
export function parseCommentSubmission(view: CommentView):
  | {
      ok: true;
      investigationId: string;
      channelId: string;
      /** The message and thread the Comment button sat on, when the modal recorded them. */
      messageTs?: string;
      threadTs?: string;
      comment: string;
      actualCause?: string;
    }
  | { ok: false; error: string } {
  let meta: {
    investigationId?: unknown;
    channelId?: unknown;
    messageTs?: unknown;
    threadTs?: unknown;
  } | null;
  try {
    meta = JSON.parse(String(view.private_metadata ?? ''));
  } catch {
    meta = null;
  }
  if (typeof meta?.investigationId !== 'string' || typeof meta.channelId !== 'string')
    return { ok: false, error: 'the form lost track of its investigation' };
  // Slack sends strings here; anything else is a malformed (or forged) payload.
  const text = view.state?.values?.comment?.value?.value;
  const comment = (typeof text === 'string' ? text : '').trim().slice(0, COMMENT_MAX_CHARS);
  if (!comment) return { ok: false, error: 'Please write a few words.' };
  const picked = view.state?.values?.actual_cause?.value?.selected_option?.value;
  return {
    ok: true,
    investigationId: meta.investigationId,
    channelId: meta.channelId,
    ...(typeof meta.messageTs === 'string' ? { messageTs: meta.messageTs } : {}),
    ...(typeof meta.threadTs === 'string' ? { threadTs: meta.threadTs } : {}),
    comment,
    ...(typeof picked === 'string' && picked.startsWith('actual:')
      ? { actualCause: picked.slice(0, 160) }
      : {}),
  };
}

export type CommentOutcome = { ok: true } | { ok: false; error: string };

/**
 * A submitted Comment modal: the comment and the picked cause become feedback, the modal is closed
 * (`ack()`) and the person is thanked in the investigation's thread. A form that cannot be read or
 * names no known investigation, or comes from outside that investigation's channel and thread or
 * from someone not in its channel, is answered with a field error (`ack(errors)`) and stores nothing.
 * A person's new pick replaces their earlier one; a new comment replaces their earlier text.
 */
export async function onCommentSubmission(
  deps: SlackDeps,
  view: CommentView,
  userId: string,
  ack: (errors?: Record<string, string>) => Promise<void> = async () => {},
): Promise<CommentOutcome> {
  const submission = parseCommentSubmission(view);
  const inv = submission.ok ? getInvestigation(deps.runtime.db, submission.investigationId) : undefined;
  if (!submission.ok || !inv) {
    const error = submission.ok
      ? 'This investigation is no longer known; nothing was saved.'
      : submission.error;
    await ack({ comment: error });
    return { ok: false, error };
  }
  // The modal says where it was opened; that place and the person are checked again here.
  const access = await checkInvestigationAction(deps.client, inv, userId, {
    channel: submission.channelId,
    messageTs: submission.messageTs,
    threadTs: submission.threadTs,
  });
  if (!access.ok) {
    const error = `Not saved: ${access.reason}`;
    await ack({ comment: error });
    return { ok: false, error };
  }
  const db = deps.runtime.db;
  const at = new Date();
  const base = { investigationId: inv.id, userId, at };
  recordFeedback(db, { ...base, kind: 'comment', value: 'text', text: submission.comment });
  const picked = submission.actualCause;
  if (picked) {
    recordFeedback(db, { ...base, kind: 'root_cause', value: picked });
    for (const f of listFeedback(db, inv.id))
      if (
        f.userId === userId &&
        f.kind === 'root_cause' &&
        f.value.startsWith('actual:') &&
        f.value !== picked
      )
        retractFeedback(db, { ...base, kind: f.kind, value: f.value });
  }
  await ack();
  try {
    await deps.client.chat.postEphemeral({
      channel: inv.channelId ?? submission.channelId,
      ...(inv.threadTs ? { thread_ts: inv.threadTs } : {}),
      user: userId,
      text: 'Thanks: your comment is saved and the next `learn` run will use it.',
    });
  } catch (err) {
    deps.logger.warn({ err }, 'could not thank for a comment');
  }
  return { ok: true };
}

/**
 * @mention: in an investigation thread, answer from its result (with a model, a new agent run
 * answers); elsewhere, investigate the question. Whatever starts a run obeys
 * SRE_INVESTIGATE_ALLOWLIST, as /investigate does; someone outside it still gets the stored answer.
 */
export async function onMention(
  deps: SlackDeps,
  event: { channel: string; ts: string; thread_ts?: string; text: string; user?: string; team?: string },
): Promise<void> {
  if (!firstSighting(deps.seen, `${event.channel}:${event.ts}`)) return;
  const question = event.text.replace(/<@[A-Z0-9]+>/g, '').trim();
  const inv = event.thread_ts
    ? findInvestigationByThread(deps.runtime.db, event.channel, event.thread_ts)
    : undefined;
  const starts = !inv?.result || deps.runtime.llm !== undefined;
  const allowed = !starts || (await mayInvestigate(deps, event.user ?? ''));
  if (inv?.result && deps.runtime.llm && allowed) {
    // With a model: the agent answers with the investigation's context plus tools as needed, streamed.
    const recipient = event.user && event.team ? { userId: event.user, teamId: event.team } : undefined;
    const context = followUpContext(inv.result as InvestigationResult, question);
    await investigateInThread(
      deps,
      alertFromText(question, deps.runtime.now(), 'slash-command'),
      event.channel,
      event.thread_ts!,
      recipient,
      { text: context },
    );
    return;
  }
  if (inv?.result) {
    await deps.client.chat.postMessage({
      channel: event.channel,
      thread_ts: event.thread_ts,
      text: untrustedMrkdwn(
        answerFromResult(inv.result as InvestigationResult, question),
        deps.runtime.secrets,
      ),
    });
    return;
  }
  if (!allowed) {
    await deps.client.chat.postMessage({
      channel: event.channel,
      thread_ts: event.thread_ts ?? event.ts,
      text: 'You are not on the allowlist for investigations (SRE_INVESTIGATE_ALLOWLIST).',
    });
    return;
  }
  if (!question) {
    await deps.client.chat.postMessage({
      channel: event.channel,
      thread_ts: event.thread_ts ?? event.ts,
      text: USAGE,
    });
    return;
  }
  await investigateInThread(
    deps,
    alertFromText(question, deps.runtime.now(), 'slash-command'),
    event.channel,
    event.thread_ts ?? event.ts,
  );
}
