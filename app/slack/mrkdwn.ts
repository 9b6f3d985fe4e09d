import { redactText } from '../../lib/redact';

/**
 * The one way text from data (tools, alerts, models, people) enters a Slack message. Slack reads
 * `&`, `<` and `>` as control characters (https://api.slack.com/reference/surfaces/formatting#escaping):
 * `<!here>`, `<!channel>`, `<@U…>`, `<!subteam^S…>` and `<http://evil|trusted>` only work while
 * they are raw, so escaping the three turns every one of them into plain, visible text.
 */
export function escapeMrkdwn(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/**
 * A link whose target and label both come from data. Only http(s) targets become links; the
 * characters that would end the link or start a label of the data's choosing (`|`, `<`, `>`,
 * whitespace) are percent-encoded, so the label shown is always ours to escape.
 */
export function mrkdwnLink(url: string | undefined, label: string): string {
  const target = url?.trim();
  if (!target || !/^https?:\/\/[^\s]+$/i.test(target)) return escapeMrkdwn(label);
  const safe = target.replace(
    /[|<>\s]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0')}`,
  );
  return `<${safe.replace(/&/g, '&amp;')}|${escapeMrkdwn(label)}>`;
}

/**
 * Text that did not pass through an investigation's redaction (an alert's title, what a person
 * typed, an error message, a stored answer): secrets redacted, then escaped.
 */
export function untrustedMrkdwn(text: string, secrets: readonly string[]): string {
  return escapeMrkdwn(redactText(text, secrets));
}
