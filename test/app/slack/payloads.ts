/**
 * Interactivity payloads as Slack sends them (docs.slack.dev/reference/interaction-payloads):
 * a Comment modal's view_submission, with the comment text and the picked cause, if any.
 */
export function commentSubmission(user: string, metadata: unknown, comment: unknown, picked?: string) {
  return {
    type: 'view_submission',
    user: { id: user, team_id: 'T0ACME' },
    team: { id: 'T0ACME' },
    view: {
      id: 'V00000001',
      type: 'modal',
      callback_id: 'feedback_comment',
      private_metadata: metadata,
      state: {
        values: {
          comment: { value: { type: 'plain_text_input', value: comment } },
          actual_cause: {
            value: { type: 'static_select', selected_option: picked ? { value: picked } : null },
          },
        },
      },
    },
  };
}
