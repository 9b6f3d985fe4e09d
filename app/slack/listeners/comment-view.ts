import type { AllMiddlewareArgs, SlackViewMiddlewareArgs, ViewSubmitAction } from '@slack/bolt';
import { listFeedback, recordFeedback, retractFeedback } from '../../../data/feedback';
import { getInvestigation } from '../../../data/investigations';
import type { Runtime } from '../../runtime';
import { checkInvestigationAction } from '../access';
import { COMMENT_MAX_CHARS } from '../blocks';

export type CommentViewDeps = { runtime: Pick<Runtime, 'db'> };

export type CommentViewArgs = Pick<
  AllMiddlewareArgs & SlackViewMiddlewareArgs<ViewSubmitAction>,
  'ack' | 'view' | 'body' | 'client' | 'logger'
>;

export type CommentView = {
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

/**
 * A submitted Comment modal: the comment and the picked cause become feedback, the modal is closed
 * (`ack()`) and the person is thanked in the investigation's thread. A form that cannot be read or
 * names no known investigation, or comes from outside that investigation's channel and thread or
 * from someone not in its channel, is answered with a field error and stores nothing. A person's
 * new pick replaces their earlier one; a new comment replaces their earlier text. Never throws.
 */
export function commentSubmission(deps: CommentViewDeps) {
  return async ({ ack, view, body, client, logger }: CommentViewArgs): Promise<void> => {
    let acked = false;
    const answer = async (error?: string) => {
      acked = true;
      await (error ? ack({ response_action: 'errors', errors: { comment: error } }) : ack());
    };
    try {
      const userId = body.user.id;
      const submission = parseCommentSubmission(view);
      const inv = submission.ok ? getInvestigation(deps.runtime.db, submission.investigationId) : undefined;
      if (!submission.ok || !inv)
        return await answer(
          submission.ok ? 'This investigation is no longer known; nothing was saved.' : submission.error,
        );
      // The modal says where it was opened; that place and the person are checked again here.
      const access = await checkInvestigationAction(client, inv, userId, {
        channel: submission.channelId,
        messageTs: submission.messageTs,
        threadTs: submission.threadTs,
      });
      if (!access.ok) return await answer(`Not saved: ${access.reason}`);
      const db = deps.runtime.db;
      // A comment on a follow-up turn's answer is about the investigation it follows.
      const investigationId = inv.parentId ?? inv.id;
      const base = { investigationId, userId, at: new Date() };
      recordFeedback(db, { ...base, kind: 'comment', value: 'text', text: submission.comment });
      const picked = submission.actualCause;
      if (picked) {
        recordFeedback(db, { ...base, kind: 'root_cause', value: picked });
        for (const f of listFeedback(db, investigationId))
          if (
            f.userId === userId &&
            f.kind === 'root_cause' &&
            f.value.startsWith('actual:') &&
            f.value !== picked
          )
            retractFeedback(db, { ...base, kind: f.kind, value: f.value });
      }
      await answer();
      await client.chat
        .postEphemeral({
          channel: inv.channelId ?? submission.channelId,
          ...(inv.threadTs ? { thread_ts: inv.threadTs } : {}),
          user: userId,
          text: 'Thanks: your comment is saved and the next `learn` run will use it.',
        })
        .catch((err) => logger.warn({ err }, 'could not thank for a comment'));
    } catch (err) {
      logger.error({ err }, 'could not record a comment');
      if (!acked) await answer('Could not save your comment; please try again.').catch(() => undefined);
    }
  };
}
