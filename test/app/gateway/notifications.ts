/**
 * DataDog notifications for one monitor, built the way DataDog sends them, to drive alert cycles
 * through both paths. Shapes follow test/fixtures/real/: the Slack app's attachment post
 * (datadog-slack/02-us3-attachment-warn.json: `Warn: …` title, title_link into /monitors/<id>
 * with a fresh `from_ts` per notification) and a custom snake_case webhook template
 * (datadog-webhook/05-custom-snake-case-retriggered.json: alert_id, alert_transition,
 * alert_scope, tags, date in epoch ms; alert_cycle_key as in 06-custom-cycle-key-…).
 */
export type Monitor = { id: string; name: string; scope?: string };

export const CHECKOUT: Monitor = { id: '41235', name: 'Checkout error rate is high' };

let seq = 0;

/** A DataDog Slack app post (message event) for `transition`, at epoch second `at`. */
export function slackPost(m: Monitor, transition: string, at: number, channel = 'C0ALERTS') {
  seq += 1;
  const fromTs = (at - 900) * 1000 + seq; // the graph window: a new from_ts on every notification
  const on = m.scope ? ` on {${m.scope}}` : '';
  return {
    type: 'message',
    subtype: 'bot_message',
    bot_id: 'B0DATADOG',
    username: 'Datadog',
    channel,
    ts: `${at}.${String(seq).padStart(6, '0')}`,
    text: '',
    attachments: [
      {
        title: `${transition}${on}: ${m.name}`,
        title_link: `https://app.datadoghq.com/monitors/${m.id}?from_ts=${fromTs}&to_ts=${at * 1000}&link_source=monitor_notif`,
        text: `@slack-checkout-oncall\nsum(last_5m):sum:trace.http.request.errors{service:checkout,env:prod}.as_count() > 100`,
      },
    ],
  };
}

/** A DataDog webhook body (custom template) for `transition`, at epoch second `at`. */
export function webhookBody(m: Monitor, transition: string, at: number, cycleKey?: string) {
  const on = m.scope ? ` on {${m.scope}}` : '';
  return {
    title: `[${transition}${on}] ${m.name}`,
    alert_id: m.id,
    alert_transition: transition,
    ...(m.scope ? { alert_scope: m.scope } : {}),
    ...(cycleKey ? { alert_cycle_key: cycleKey } : {}),
    tags: 'service:checkout,env:prod,team:payments',
    date: String(at * 1000),
    body: `%%%\nError rate above threshold. https://app.datadoghq.com/monitors/${m.id}\n%%%`,
  };
}
