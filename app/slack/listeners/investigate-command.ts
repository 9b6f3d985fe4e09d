import type { AllMiddlewareArgs, SlackCommandMiddlewareArgs } from '@slack/bolt';
import type { Alert } from '../../../agent/alert';
import type { FollowUp } from '../../../agent/follow-up';
import type { Env } from '../../config';
import { alertFromText } from '../../gateway/text-alert';
import type { Runtime } from '../../runtime';
import { checkPermalink, mayInvestigate } from '../access';
import { untrustedMrkdwn } from '../mrkdwn';
import { alertFromPermalink, parsePermalink } from '../permalink';

export const USAGE =
  'Usage: `/investigate <what is wrong | DataDog monitor URL | link to an alert message>`\nExample: `/investigate checkout 5xx errors since 14:00`';

/** Who asked, when a reply can stream to them. */
export type Recipient = { userId: string; teamId: string };

/**
 * Starts an investigation in a thread (investigateInThread): resolves once its job ends here.
 * With `followUp`, the run is a turn of the thread's investigation of `alert`.
 */
export type StartInThread = (
  alert: Alert,
  channel: string,
  threadTs: string,
  recipient?: Recipient,
  followUp?: FollowUp,
) => Promise<void>;

export type InvestigateCommandDeps = {
  runtime: Pick<Runtime, 'now' | 'secrets'>;
  env: Pick<Env, 'SRE_INVESTIGATE_ALLOWLIST'>;
  startInThread: StartInThread;
};

export type InvestigateCommandArgs = Pick<
  AllMiddlewareArgs & SlackCommandMiddlewareArgs,
  'command' | 'ack' | 'respond' | 'client' | 'logger'
>;

/**
 * /investigate: ack at once, check the allowlist (and a linked message's channel), post a root
 * message and investigate in its thread. Every refusal and failure is an ephemeral reply.
 */
export function investigateCommand(deps: InvestigateCommandDeps) {
  return async ({ command, ack, respond, client, logger }: InvestigateCommandArgs): Promise<void> => {
    await ack();
    const reply = (text: string) => respond({ response_type: 'ephemeral', text });
    try {
      const text = (command.text ?? '').trim();
      if (!text) return void (await reply(USAGE));
      if (!(await mayInvestigate(client, deps.env.SRE_INVESTIGATE_ALLOWLIST, command.user_id)))
        return void (await reply(
          'You are not on the allowlist for /investigate (SRE_INVESTIGATE_ALLOWLIST).',
        ));
      const link = parsePermalink(text);
      if (link) {
        // Checked before the message is read: a refused link leaves nothing behind.
        const access = await checkPermalink(client, {
          source: link.channel,
          target: command.channel_id,
          user: command.user_id,
        });
        if (!access.ok)
          return void (await reply(`:no_entry: I cannot investigate that link here: ${access.reason}`));
      }
      const linked = link ? await alertFromPermalink(client, link).catch(() => undefined) : undefined;
      if (link && !linked)
        return void (await reply(
          'That link does not point at a DataDog alert message I can read (is the bot in that channel?). Describe the problem in words instead.',
        ));
      const alert = linked
        ? { ...linked, source: 'slash-command' as const }
        : alertFromText(text, deps.runtime.now(), 'slash-command');
      const root = await client.chat.postMessage({
        channel: command.channel_id,
        text: `:mag: <@${command.user_id}> asked me to investigate: ${untrustedMrkdwn(text.slice(0, 500), deps.runtime.secrets)}`,
      });
      if (!root.ts) throw new Error('Slack did not return a ts for the root message');
      const recipient = command.team_id ? { userId: command.user_id, teamId: command.team_id } : undefined;
      void deps.startInThread(alert, command.channel_id, root.ts, recipient);
    } catch (err) {
      logger.error({ err }, '/investigate failed');
      await reply(`:warning: Could not start the investigation: ${(err as Error).message}`);
    }
  };
}
