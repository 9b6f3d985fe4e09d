import type { Alert } from '../agent/alert';
import type { Scenario } from '../sandbox/scenario';
import { parseDatadogSlackMessage } from './gateway/datadog-slack';
import { parseDatadogWebhook } from './gateway/datadog-webhook';
import { alertFromText } from './gateway/text-alert';

/** The alert a scenario starts with, through the same gateway parsers production uses. */
export function alertFromScenario(s: Scenario): Alert {
  const now = new Date(s.manifest.now);
  const a = s.manifest.alert;
  if ('datadogWebhook' in a) return parseDatadogWebhook(a.datadogWebhook);
  if ('slackMessage' in a) {
    const alert = parseDatadogSlackMessage(a.slackMessage);
    if (!alert)
      throw new Error(`${s.dir}/scenario.json: alert.slackMessage is not a DataDog monitor notification`);
    return alert;
  }
  return alertFromText(a.text, now, 'slash-command');
}
