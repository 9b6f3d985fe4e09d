import { SLACK_DEFAULTS } from './defaults';

/**
 * Bolt does not drop Slack's retries or duplicate deliveries: listeners remember the events they
 * took (channel and ts), the oldest forgotten once the set is full.
 */
export function firstSighting(seen: Set<string>, key: string): boolean {
  if (seen.has(key)) return false;
  seen.add(key);
  if (seen.size > SLACK_DEFAULTS.seenEventsCapacity) seen.delete(seen.values().next().value!);
  return true;
}
