import type { AllMiddlewareArgs, SlackEventMiddlewareArgs } from '@slack/bolt';
import { answerFromResult, followUpContext } from '../../../agent/follow-up';
import { newInvestigationId } from '../../../agent/ids';
import type { InvestigationResult } from '../../../agent/result';
import { findInvestigationByThread, recordAnswerTurn } from '../../../data/investigations';
import type { Env } from '../../config';
import { alertFromText } from '../../gateway/text-alert';
import type { Runtime } from '../../runtime';
import { mayInvestigate } from '../access';
import { untrustedMrkdwn } from '../mrkdwn';
import { firstSighting } from '../seen-events';
import { type StartInThread, USAGE } from './investigate-command';

export type AppMentionDeps = {
  runtime: Pick<Runtime, 'db' | 'llm' | 'now' | 'secrets'>;
  env: Pick<Env, 'SRE_INVESTIGATE_ALLOWLIST'>;
  seen: Set<string>;
  startInThread: StartInThread;
};

export type AppMentionArgs = Pick<
  AllMiddlewareArgs & SlackEventMiddlewareArgs<'app_mention'>,
  'event' | 'context' | 'client'
>;

/**
 * @mention: in an investigation thread, a follow-up: a turn of that investigation, answered from
 * its result (with a model, by an agent run with the result as context, recorded as the turn);
 * elsewhere, investigate the question. Whatever starts a run obeys
 * SRE_INVESTIGATE_ALLOWLIST, as /investigate does; someone outside it still gets the stored answer.
 */
export function appMention(deps: AppMentionDeps) {
  return async ({ event, context, client }: AppMentionArgs): Promise<void> => {
    if (context.retryNum) return;
    if (!firstSighting(deps.seen, `${event.channel}:${event.ts}`)) return;
    const question = event.text.replace(/<@[A-Z0-9]+>/g, '').trim();
    const threadTs = event.thread_ts ?? event.ts;
    const inv = event.thread_ts
      ? findInvestigationByThread(deps.runtime.db, event.channel, event.thread_ts)
      : undefined;
    const result = inv?.result as InvestigationResult | undefined;
    const starts = !result || deps.runtime.llm !== undefined;
    const allowed =
      !starts || (await mayInvestigate(client, deps.env.SRE_INVESTIGATE_ALLOWLIST, event.user ?? ''));
    const say = (text: string) =>
      client.chat.postMessage({ channel: event.channel, thread_ts: threadTs, text });
    if (result && deps.runtime.llm && allowed) {
      // With a model: a turn of the investigation, run on its alert with the question and what it
      // found as context (tools as needed), streamed.
      const recipient = event.user && event.team ? { userId: event.user, teamId: event.team } : undefined;
      return deps.startInThread(result.alert, event.channel, threadTs, recipient, {
        question,
        context: followUpContext(result, question),
      });
    }
    if (inv && result) {
      // Without a model (or for someone outside the allowlist): the stored result answers, as a turn.
      const answer = answerFromResult(result, question);
      const posted = await say(untrustedMrkdwn(answer, deps.runtime.secrets));
      recordAnswerTurn(deps.runtime.db, {
        id: newInvestigationId(),
        rootId: inv.id,
        question,
        answer,
        at: new Date().toISOString(),
        progressTs: posted.ts,
      });
      return;
    }
    if (!allowed)
      return void (await say('You are not on the allowlist for investigations (SRE_INVESTIGATE_ALLOWLIST).'));
    if (!question) return void (await say(USAGE));
    await deps.startInThread(
      alertFromText(question, deps.runtime.now(), 'slash-command'),
      event.channel,
      threadTs,
    );
  };
}
