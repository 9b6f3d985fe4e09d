import { v1 } from '@datadog/datadog-api-client';
import { z } from 'zod';
import { defineTool, failure, type Tool } from '../contract';
import { appUrl, type DatadogConfig, datadogConfiguration, describeDatadogError } from './client';

export type MonitorData = {
  id: number;
  name: string;
  query: string;
  state: string;
  tags: string[];
  message: string;
  priority?: number;
  type: string;
};

function toData(m: v1.Monitor): MonitorData {
  return {
    id: m.id ?? 0,
    name: m.name ?? '',
    query: m.query,
    state: String(m.overallState ?? 'Unknown'),
    tags: m.tags ?? [],
    message: (m.message ?? '').slice(0, 600),
    priority: m.priority ?? undefined,
    type: String(m.type),
  };
}

function line(m: MonitorData): string {
  return `#${m.id} [${m.state}] ${m.name}\n  query: ${m.query}\n  tags: ${m.tags.join(', ') || '-'}`;
}

export function monitorTools(cfg: DatadogConfig): Tool[] {
  const url = (id: number) => `${appUrl(cfg)}/monitors/${id}`;
  const get = defineTool({
    name: 'datadog.monitor',
    integration: 'datadog',
    description:
      'Get one DataDog monitor by id: its name, query (the metric and scope that alerted), state, tags and message. Use first when the alert names a monitor, to learn exactly what is measured.',
    input: z.object({ id: z.coerce.number().int().positive().describe('Monitor id, e.g. 41235') }),
    async run({ id }, ctx) {
      try {
        const m = toData(
          await new v1.MonitorsApi(datadogConfiguration(cfg, ctx.signal)).getMonitor({ monitorId: id }),
        );
        return {
          ok: true,
          summary: `${line(m)}\n  message: ${m.message.replace(/\s+/g, ' ').slice(0, 300)}`,
          data: m,
          citations: [{ source: 'datadog', ref: `monitor:${id}`, title: m.name, url: url(id) }],
          truncated: false,
        };
      } catch (err) {
        return failure(describeDatadogError(err, `monitor ${id}`));
      }
    },
  });
  const search = defineTool({
    name: 'datadog.monitors',
    integration: 'datadog',
    description:
      'Search DataDog monitors by name text and/or tags (e.g. service:checkout). Returns ids, states and queries; use it to see what else is alerting for a service.',
    input: z.object({
      name: z.string().optional().describe('Text the monitor name contains'),
      tags: z
        .array(z.string())
        .optional()
        .describe('Monitor tags that must all be present, e.g. ["service:checkout"]'),
    }),
    async run({ name, tags }, ctx) {
      try {
        const list = (
          await new v1.MonitorsApi(datadogConfiguration(cfg, ctx.signal)).listMonitors({
            name,
            monitorTags: tags?.join(','),
          })
        ).map(toData);
        return {
          ok: true,
          summary: list.length === 0 ? 'No monitors matched.' : list.slice(0, 20).map(line).join('\n'),
          data: { monitors: list },
          citations: list.slice(0, 20).map((m) => ({
            source: 'datadog' as const,
            ref: `monitor:${m.id}`,
            title: m.name,
            url: url(m.id),
          })),
          truncated: list.length > 20,
        };
      } catch (err) {
        return failure(describeDatadogError(err, 'the monitor search'));
      }
    },
  });
  return [get, search];
}
