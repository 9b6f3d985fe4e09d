import type { Alert } from '../../agent/alert';
import { parseDatadogSlackMessage } from '../gateway/datadog-slack';
import { parseDatadogWebhook } from '../gateway/datadog-webhook';
import { alertFromText } from '../gateway/text-alert';
import type { Scenario } from './sandbox';

/** The alert a scenario starts with, through the same gateway parsers production uses. */
export function alertFromScenario(s: Scenario): Alert {
  const now = new Date(s.manifest.now);
  const a = s.manifest.alert;
  // The scenario clock stands in for the receive time when the alert states none.
  if ('datadogWebhook' in a) return parseDatadogWebhook(a.datadogWebhook, now);
  if ('slackMessage' in a) {
    const alert = parseDatadogSlackMessage(a.slackMessage, now);
    if (!alert)
      throw new Error(`${s.dir}/scenario.json: alert.slackMessage is not a DataDog monitor notification`);
    return alert;
  }
  return alertFromText(a.text, now, 'slash-command');
}
