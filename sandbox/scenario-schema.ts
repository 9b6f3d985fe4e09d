import { z } from 'zod';

/** Contract (DESIGN.md): the scenario folder format. All times are ISO 8601 UTC strings. */

const ISO_WITH_ZONE =
  /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?(?:Z|[+-](\d{2}):?(\d{2}))$/;

/**
 * A calendar time with its zone. A time without one would be read as this machine's local time
 * (so a world would mean different things on different machines); `Date.parse` also rolls
 * impossible dates over (Feb 30 becomes Mar 2), so every field is range-checked.
 */
export function isIsoTimeWithZone(s: string): boolean {
  const m = ISO_WITH_ZONE.exec(s);
  if (!m || !Number.isFinite(Date.parse(s))) return false;
  const [year, month, day, hour, minute, second, zoneH, zoneM] = m.slice(1).map((v) => Number(v ?? 0));
  const daysInMonth = new Date(Date.UTC(year!, month!, 0)).getUTCDate();
  return (
    month! >= 1 &&
    month! <= 12 &&
    day! >= 1 &&
    day! <= daysInMonth &&
    hour! <= 23 &&
    minute! <= 59 &&
    second! <= 59 &&
    zoneH! <= 14 &&
    zoneM! <= 59
  );
}

export const isoTime = z
  .string()
  .refine(isIsoTimeWithZone, 'expected an ISO 8601 time with a zone, such as 2026-03-12T14:05:00Z');

export const ScenarioManifestSchema = z.object({
  id: z.string().min(1),
  title: z.string(),
  now: isoTime,
  alert: z.union([
    z.object({ datadogWebhook: z.record(z.string(), z.unknown()) }),
    z.object({ slackMessage: z.record(z.string(), z.unknown()) }),
    z.object({ text: z.string().min(1) }),
  ]),
  catalog: z.object({
    services: z.record(
      z.string(),
      z.object({
        repos: z.array(z.string().regex(/^[^/\s]+\/[^/\s]+$/, 'expected owner/repo')),
        team: z.string().optional(),
        dependsOn: z.array(z.string()).optional(),
        /** Where the service runs in Kubernetes, when its labels do not say (tools/k8s/service-scope.ts). */
        kubernetes: z
          .object({ namespace: z.string().min(1).optional(), labelSelector: z.string().min(1).optional() })
          .optional(),
      }),
    ),
  }),
  slackChannels: z
    .record(
      z.string(),
      z.object({
        id: z.string().min(1),
        private: z.boolean().default(false),
        /** User ids in the channel besides those who posted in its history (conversations.members). */
        members: z.array(z.string().min(1)).optional(),
      }),
    )
    .optional(),
});

export const MonitorSchema = z
  .object({
    id: z.number().int().positive(),
    name: z.string(),
    type: z.string(),
    query: z.string(),
    message: z.string().default(''),
    tags: z.array(z.string()).default([]),
    overall_state: z.string().default('OK'),
    priority: z.number().int().min(1).max(5).nullable().optional(),
    options: z.record(z.string(), z.unknown()).optional(),
  })
  .loose();

export const MetricSeriesSchema = z.object({
  metric: z.string().min(1),
  tags: z.array(z.string()).default([]),
  unit: z.string().optional(),
  points: z.array(z.tuple([isoTime, z.number()])),
});

export const LogSchema = z.object({
  timestamp: isoTime,
  service: z.string(),
  status: z.enum(['error', 'warn', 'info', 'debug']),
  host: z.string().optional(),
  message: z.string(),
  tags: z.array(z.string()).default([]),
  attributes: z.record(z.string(), z.unknown()).default({}),
});

export const SpanSchema = z.object({
  timestamp: isoTime,
  service: z.string(),
  resource: z.string(),
  durationMs: z.number().nonnegative(),
  error: z.boolean(),
  errorType: z.string().optional(),
  errorMessage: z.string().optional(),
  traceId: z.string().optional(),
  tags: z.array(z.string()).default([]),
});

export const EventSchema = z.object({
  timestamp: isoTime,
  title: z.string(),
  text: z.string().optional(),
  tags: z.array(z.string()).default([]),
  source: z.string().optional(),
});

export const RepoSchema = z.object({
  commits: z
    .array(
      z.object({
        sha: z.string().regex(/^[0-9a-f]{7,40}$/, 'expected a hex sha'),
        message: z.string(),
        author: z.string(),
        date: isoTime,
        files: z
          .array(
            z.object({
              filename: z.string(),
              additions: z.number().int().nonnegative(),
              deletions: z.number().int().nonnegative(),
              patch: z.string().optional(),
            }),
          )
          .default([]),
      }),
    )
    .default([]),
  pulls: z
    .array(
      z.object({
        number: z.number().int().positive(),
        title: z.string(),
        body: z.string().optional(),
        user: z.string(),
        mergedAt: isoTime.nullable(),
        mergeCommitSha: z.string().nullable(),
        labels: z.array(z.string()).default([]),
      }),
    )
    .default([]),
  deployments: z
    .array(
      z.object({
        id: z.union([z.number().int(), z.string()]).transform(String),
        sha: z.string(),
        environment: z.string(),
        createdAt: isoTime,
        status: z.enum(['success', 'failure', 'in_progress']),
        description: z.string().optional(),
        creator: z.string().optional(),
      }),
    )
    .default([]),
});

export const IncidentSchema = z.object({
  id: z.string().min(1),
  title: z.string(),
  summary: z.string(),
  severity: z.string(),
  services: z.array(z.string()).default([]),
  startedAt: isoTime,
  resolvedAt: isoTime.optional(),
  cause: z.string().optional(),
  mitigation: z.string().optional(),
  url: z.string().optional(),
});

export const FlagChangeSchema = z.object({
  key: z.string().min(1),
  service: z.string().optional(),
  changedAt: isoTime,
  from: z.unknown(),
  to: z.unknown(),
  actor: z.string().optional(),
});

export const SlackMessageSchema = z.object({
  ts: z.string().regex(/^\d+\.\d+$/, 'expected a Slack ts like 1700000000.000100'),
  user: z.string(),
  text: z.string(),
  threadTs: z.string().optional(),
});

export const TruthSchema = z.object({
  kind: z.string(),
  accept: z.array(z.string()).min(1),
  keywords: z.array(z.string()).default([]),
  runbook: z.string().optional(),
  similarIncident: z.string().optional(),
  /** Generated worlds: the incident class and variant (eval groups by class) and the true onset. */
  class: z.string().optional(),
  variant: z.string().optional(),
  onset: isoTime.optional(),
});

/**
 * One Kubernetes object under k8s/, as the API serves it (or `kubectl get -o json` writes it): only
 * its metadata is checked here, the rest is the API's own shape and is served as it is.
 */
export const K8sObjectSchema = z
  .object({
    metadata: z
      .object({
        name: z.string().min(1),
        namespace: z.string().min(1).optional(),
        labels: z.record(z.string(), z.string()).optional(),
        annotations: z.record(z.string(), z.string()).optional(),
        creationTimestamp: isoTime.optional(),
      })
      .loose(),
  })
  .loose();

/** A k8s/<resource>.json file: an array of objects, or a List object with `items` (kubectl's output). */
export const K8sObjectsFileSchema = z.preprocess(
  (v) =>
    v && typeof v === 'object' && !Array.isArray(v) && 'items' in v ? (v as { items: unknown }).items : v,
  z.array(K8sObjectSchema),
);

export type ScenarioManifest = z.infer<typeof ScenarioManifestSchema>;
export type Monitor = z.infer<typeof MonitorSchema>;
export type MetricSeries = z.infer<typeof MetricSeriesSchema>;
export type LogRecord = z.infer<typeof LogSchema>;
export type SpanRecord = z.infer<typeof SpanSchema>;
export type EventRecord = z.infer<typeof EventSchema>;
export type RepoWorld = z.infer<typeof RepoSchema>;
export type IncidentRecord = z.infer<typeof IncidentSchema>;
export type FlagChange = z.infer<typeof FlagChangeSchema>;
export type SlackRecord = z.infer<typeof SlackMessageSchema>;
export type Truth = z.infer<typeof TruthSchema>;
export type K8sObject = z.infer<typeof K8sObjectSchema>;
