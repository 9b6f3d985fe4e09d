import type { InputBlock, ModalView, PlainTextOption } from '@slack/types';
import type { InvestigationResult } from '../../agent/result';
import type { ActionPlace } from './access';
import { SLACK_DEFAULTS } from './defaults';
import { escapeMrkdwn, mrkdwnLink as link } from './mrkdwn';

/** Block Kit for the answer-first summary, progress and notes. Pure functions. */
type Block = Record<string, unknown>;

const CONFIDENCE_EMOJI = {
  high: ':large_green_circle:',
  medium: ':large_yellow_circle:',
  low: ':large_orange_circle:',
  none: ':white_circle:',
} as const;

/**
 * The first `max` UTF-16 units of `text`, never half an emoji (a lone surrogate is invalid text)
 * and never inside a mrkdwn token: text is escaped and linked before sections are clipped, so a
 * cut inside `<url|label>` (or a mention) or an entity like `&amp;` would leave Slack broken
 * markup. The cut moves back to where the token starts.
 */
export function cut(text: string, max: number): string {
  if (text.length <= max) return text;
  let end = /[\uD800-\uDBFF]/.test(text.charAt(max - 1)) ? max - 1 : max;
  const open = text.lastIndexOf('<', end - 1);
  if (open >= 0 && text.lastIndexOf('>', end - 1) < open && text.indexOf('>', open) >= end) end = open;
  const amp = text.lastIndexOf('&', end - 1);
  if (amp >= 0 && /^&[a-zA-Z0-9#]{1,10};/.test(text.slice(amp)) && text.indexOf(';', amp) >= end) end = amp;
  return text.slice(0, end);
}

export function clip(text: string, max: number = SLACK_DEFAULTS.maxSectionChars): string {
  return text.length <= max ? text : `${cut(text, max - 1)}…`;
}

const section = (text: string): Block => ({ type: 'section', text: { type: 'mrkdwn', text: clip(text) } });

const REFINEMENT_EMOJI = {
  confirmed: ':white_check_mark:',
  overturned: ':arrows_counterclockwise:',
  added: ':heavy_plus_sign:',
  refused: ':shield:',
  failed: ':warning:',
} as const;

/** A hybrid run's summary says what the model made of the first answer, right under the headline. */
function refinementLine(result: InvestigationResult): string | undefined {
  const r = result.refinement;
  if (!r) return undefined;
  const was =
    r.outcome === 'overturned' || r.outcome === 'added'
      ? `\n_First answer: ${escapeMrkdwn(r.offline.headline)} (confidence ${r.offline.confidence})_`
      : '';
  return `${REFINEMENT_EMOJI[r.outcome]} ${escapeMrkdwn(r.note)}${was}`;
}

/**
 * While a model refines the first answer (hybrid runs): which model, and its latest step
 * (already escaped). The summary shown then has no feedback buttons: the run is not finished.
 */
export type Refining = { model: string; latest?: string };

export function summaryBlocks(result: InvestigationResult, refining?: Refining): Block[] {
  const s = result.summary;
  const u = result.usage;
  const refined = refinementLine(result);
  const blocks: Block[] = [
    section(`*${escapeMrkdwn(s.headline)}*\n${CONFIDENCE_EMOJI[s.confidence]} Confidence: *${s.confidence}*`),
    ...(refining
      ? [
          section(
            `:hourglass_flowing_sand: First answer from the evidence model; ${escapeMrkdwn(refining.model)} is refining it…${refining.latest ? `\n${refining.latest}` : ''}`,
          ),
        ]
      : []),
    ...(refined ? [section(refined)] : []),
    section(escapeMrkdwn(s.rootCause)),
  ];
  if (s.suspects.length) {
    blocks.push(
      section(
        `*Suspects*\n${s.suspects
          .slice(0, 5)
          .map(
            (x, i) =>
              `${i + 1}. ${x.kind.replace('_', ' ')} ${link(x.url, x.kind === 'commit' ? x.ref.slice(0, 10) : x.ref)} — ${escapeMrkdwn(x.title.slice(0, 160))} _(score ${x.score})_`,
          )
          .join('\n')}`,
      ),
    );
  }
  if (result.evidence.length) {
    blocks.push(
      section(
        `*Key evidence*\n${result.evidence
          .slice(0, 6)
          .map((e) => `• \`${e.tool}\` ${link(e.url, e.summary.slice(0, 140))}`)
          .join('\n')}`,
      ),
    );
  }
  blocks.push(section(`*Impact*\n${escapeMrkdwn(s.impact)}`));
  if (s.nextSteps.length)
    blocks.push(section(`*Next steps*\n${s.nextSteps.map((n) => `• ${escapeMrkdwn(n)}`).join('\n')}`));
  if (s.hypotheses?.length)
    blocks.push(
      section(
        `*Hypotheses*\n${s.hypotheses.map((h) => `• [${h.status}] ${escapeMrkdwn(h.statement)}`).join('\n')}`,
      ),
    );
  if (s.similarIncidents.length)
    blocks.push(
      section(
        `*Similar incidents*\n${s.similarIncidents.map((i) => `• ${link(i.url, i.title)}`).join('\n')}`,
      ),
    );
  if (s.runbooks.length)
    blocks.push(section(`*Runbooks*\n${s.runbooks.map((r) => `• ${link(r.url, r.title)}`).join('\n')}`));
  if (s.unchecked?.length)
    blocks.push(
      section(`:warning: *Could not check*\n${s.unchecked.map((x) => `• ${escapeMrkdwn(x)}`).join('\n')}`),
    );
  if (s.warnings?.length)
    blocks.push(section(`:warning: *Warnings*\n${s.warnings.map((x) => `• ${escapeMrkdwn(x)}`).join('\n')}`));
  if (!refining)
    blocks.push({
      type: 'actions',
      block_id: `feedback:${result.id}`,
      elements: [
        {
          type: 'button',
          action_id: 'feedback_helpful',
          text: { type: 'plain_text', text: 'Helpful' },
          value: result.id,
          style: 'primary',
        },
        {
          type: 'button',
          action_id: 'feedback_not_helpful',
          text: { type: 'plain_text', text: 'Not helpful' },
          value: result.id,
        },
        {
          type: 'button',
          action_id: 'feedback_confirm_root_cause',
          text: { type: 'plain_text', text: 'Confirm root cause' },
          value: result.id,
        },
        {
          type: 'button',
          action_id: COMMENT_ACTION,
          text: { type: 'plain_text', text: 'Comment' },
          value: result.id,
        },
      ],
    });
  blocks.push({
    type: 'context',
    elements: [
      {
        type: 'mrkdwn',
        text: `${result.steps.length} steps · ${u.toolCalls} tool calls · ${(u.wallMs / 1000).toFixed(1)} s · ${u.promptTokens + u.completionTokens} tokens · $${u.costUsd.toFixed(4)} · ${result.planner} · full trace: \`npm run sre -- show ${result.id}\``,
      },
    ],
  });
  return blocks.slice(0, SLACK_DEFAULTS.maxBlocks);
}

/** The Comment button's action and the modal it opens (its callback id). */
export const COMMENT_ACTION = 'feedback_comment';
export const COMMENT_MAX_CHARS = 2_000;

/**
 * The Comment modal: what happened, in words, and optionally which suspect was the actual cause
 * (or none of them). `private_metadata` carries the investigation and where the button sat
 * (channel, message, thread) back on submit, where they are checked again.
 */
export function commentModalView(result: InvestigationResult, where: ActionPlace): ModalView {
  const option = (text: string, value: string): PlainTextOption => ({
    text: { type: 'plain_text', text: clip(text, SLACK_DEFAULTS.maxOptionTextChars) },
    value: cut(value, SLACK_DEFAULTS.maxOptionValueChars),
  });
  // One option per distinct value (two suspects with one ref would be one answer), at most 10.
  const seen = new Set<string>(['actual:other']);
  const suspects = result.summary.suspects
    .filter((x) => {
      const value = cut(`actual:${x.ref}`, SLACK_DEFAULTS.maxOptionValueChars);
      if (seen.has(value)) return false;
      seen.add(value);
      return true;
    })
    .slice(0, 10);
  // Offered only when there are suspects to pick from.
  const causePick: InputBlock[] = suspects.length
    ? [
        {
          type: 'input',
          block_id: 'actual_cause',
          optional: true,
          label: { type: 'plain_text', text: 'What was the root cause?' },
          element: {
            type: 'static_select',
            action_id: 'value',
            placeholder: { type: 'plain_text', text: 'Pick a suspect' },
            options: [
              ...suspects.map((x) =>
                option(
                  `${x.kind.replace('_', ' ')} ${x.kind === 'commit' ? x.ref.slice(0, 10) : x.ref}: ${x.title}`,
                  `actual:${x.ref}`,
                ),
              ),
              option('Something else / not in this list', 'actual:other'),
            ],
          },
        },
      ]
    : [];
  return {
    type: 'modal',
    callback_id: COMMENT_ACTION,
    private_metadata: JSON.stringify({
      investigationId: result.id,
      channelId: where.channel,
      ...(where.messageTs ? { messageTs: where.messageTs } : {}),
      ...(where.threadTs ? { threadTs: where.threadTs } : {}),
    }),
    title: { type: 'plain_text', text: 'Feedback' },
    submit: { type: 'plain_text', text: 'Send' },
    close: { type: 'plain_text', text: 'Cancel' },
    blocks: [
      ...causePick,
      {
        type: 'input',
        block_id: 'comment',
        optional: false,
        label: { type: 'plain_text', text: 'What happened? What would have helped?' },
        element: {
          type: 'plain_text_input',
          action_id: 'value',
          multiline: true,
          max_length: COMMENT_MAX_CHARS,
        },
      },
    ],
  };
}

export function summaryText(result: InvestigationResult): string {
  return clip(`${escapeMrkdwn(result.summary.headline)} (confidence: ${result.summary.confidence})`, 300);
}

/** The progress message for a running investigation: one line per step (lines already escaped). */
export function progressText(lines: readonly string[], done = false): string {
  return clip(`${done ? ':white_check_mark:' : ':mag:'} *Investigating…*\n${lines.slice(-12).join('\n')}`);
}
