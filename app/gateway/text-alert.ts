import { type Alert, tagValue } from '../../agent/alert';
import { alertCycleId, monitorIdOf, priorityOf, tagsIn } from './alert-id';

/** What a person typed after /investigate (free text or a DataDog monitor URL) as an Alert. */
export function alertFromText(text: string, now: Date, source: 'slash-command' | 'text' = 'text'): Alert {
  const trimmed = text.trim();
  const tags = tagsIn(trimmed);
  const monitorId = monitorIdOf(trimmed);
  return {
    id: alertCycleId([source, trimmed.toLowerCase(), now.toISOString().slice(0, 13)]),
    source,
    title: trimmed.split('\n')[0]!.slice(0, 200),
    status: 'triggered',
    priority: priorityOf(trimmed),
    monitorId,
    service: tagValue(tags, 'service'),
    env: tagValue(tags, 'env'),
    tags,
    startedAt: now.toISOString(),
    link: /https?:\/\/\S+/.exec(trimmed)?.[0],
    text: trimmed,
  };
}
