import { z } from 'zod';

/** Contract (DESIGN.md): the normalized alert every entry point produces. */
export const AlertSource = z.enum(['datadog-slack', 'datadog-webhook', 'slash-command', 'text']);
export const AlertStatus = z.enum(['triggered', 'warn', 'recovered', 'no_data', 'unknown']);
export const AlertPriority = z.enum(['P1', 'P2', 'P3', 'P4', 'P5']);

export const AlertSchema = z.object({
  /** Stable per alert cycle: the dedupe key. */
  id: z.string().min(1),
  source: AlertSource,
  title: z.string(),
  status: AlertStatus,
  priority: AlertPriority.optional(),
  monitorId: z.string().optional(),
  service: z.string().optional(),
  env: z.string().optional(),
  tags: z.array(z.string()),
  query: z.string().optional(),
  /** ISO 8601 UTC. */
  startedAt: z.string(),
  link: z.string().optional(),
  text: z.string(),
});

export type Alert = z.infer<typeof AlertSchema>;
export type AlertStatus = z.infer<typeof AlertStatus>;
export type AlertPriority = z.infer<typeof AlertPriority>;
export type AlertSourceKind = z.infer<typeof AlertSource>;

/** Reads `key:value` from a tag list (first match wins). */
export function tagValue(tags: readonly string[], key: string): string | undefined {
  const prefix = `${key}:`;
  const tag = tags.find((t) => t.startsWith(prefix));
  return tag === undefined ? undefined : tag.slice(prefix.length);
}
