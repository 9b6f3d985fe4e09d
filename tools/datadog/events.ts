import { v1 } from '@datadog/datadog-api-client';
import { z } from 'zod';
import { defineTool, failure, type Tool } from '../contract';
import { isoMinute, resolveWindow, TimeInput } from '../time';
import { appUrl, type DatadogConfig, datadogConfiguration, describeDatadogError } from './client';

export type EventData = {
  id: string;
  time: string;
  title: string;
  text: string;
  tags: string[];
  source: string;
  url: string;
};

const DEFAULT_SPAN_MS = 6 * 3_600_000;

export function eventTools(cfg: DatadogConfig): Tool[] {
  return [
    defineTool({
      name: 'datadog.events',
      integration: 'datadog',
      description:
        'List DataDog events in a window (default: the 6 hours before now), newest first: deployments, configuration changes, autoscaling, infrastructure changes. Filter by tags such as service:checkout. Use it to find changes around the onset that are not in GitHub.',
      input: z.object({
        from: TimeInput.optional(),
        to: TimeInput.optional(),
        tags: z
          .array(z.string())
          .optional()
          .describe('Tags every event must have, e.g. ["service:checkout"]'),
      }),
      async run({ from, to, tags }, ctx) {
        const w = resolveWindow({ from, to }, ctx.now, DEFAULT_SPAN_MS);
        try {
          const res = await new v1.EventsApi(datadogConfiguration(cfg, ctx.signal)).listEvents({
            start: Math.floor(w.from / 1000),
            end: Math.ceil(w.to / 1000),
            tags: tags?.join(','),
          });
          const events: EventData[] = (res.events ?? []).map((e) => ({
            id: e.idStr ?? String(e.id ?? ''),
            time: new Date((e.dateHappened ?? 0) * 1000).toISOString(),
            title: e.title ?? '',
            text: (e.text ?? '').slice(0, 400),
            tags: e.tags ?? [],
            source: e.sourceTypeName ?? '',
            url: `${appUrl(cfg)}/event/explorer?event=${e.idStr ?? e.id}`,
          }));
          return {
            ok: true,
            summary:
              events.length === 0
                ? `No events between ${isoMinute(w.from)} and ${isoMinute(w.to)} UTC.`
                : events
                    .slice(0, 25)
                    .map(
                      (e) =>
                        `- ${isoMinute(Date.parse(e.time))} [${e.source}] ${e.title}${e.text ? ` — ${e.text.replace(/\s+/g, ' ').slice(0, 160)}` : ''} (${e.tags.join(', ')})`,
                    )
                    .join('\n'),
            data: { events },
            citations: events
              .slice(0, 25)
              .map((e) => ({ source: 'datadog' as const, ref: `event:${e.id}`, title: e.title, url: e.url })),
            truncated: events.length > 25,
          };
        } catch (err) {
          return failure(describeDatadogError(err, 'the event list'));
        }
      },
    }),
  ];
}
