import cron from 'node-cron';

/**
 * Scheduled indexing with node-cron: one expression per source, and a source never runs twice at
 * once (a tick that finds the previous run still going is skipped and counted).
 */
export type ScheduleSpec = Record<string, string>;

/** SRE_INDEX_CRON: either one expression for every source, or `source=expr;source=expr`. */
export function parseScheduleSpec(value: string, sources: readonly string[]): ScheduleSpec {
  if (!value.includes('=')) return Object.fromEntries(sources.map((s) => [s, value.trim()]));
  const spec: ScheduleSpec = {};
  for (const part of value
    .split(';')
    .map((p) => p.trim())
    .filter(Boolean)) {
    const [name, expr] = part.split('=').map((x) => x.trim()) as [string, string | undefined];
    if (!expr) throw new Error(`SRE_INDEX_CRON: "${part}" should be source=expression`);
    spec[name] = expr;
  }
  return spec;
}

export type IndexSchedule = { stop(): void; skipped: Record<string, number>; runs: Record<string, number> };

export function startIndexSchedule(
  spec: ScheduleSpec,
  run: (source: string) => Promise<unknown>,
  onError: (source: string, err: unknown) => void = () => {},
): IndexSchedule {
  const running = new Set<string>();
  const skipped: Record<string, number> = {};
  const runs: Record<string, number> = {};
  const tasks = Object.entries(spec).map(([source, expr]) => {
    if (!cron.validate(expr)) throw new Error(`invalid cron expression for ${source}: "${expr}"`);
    return cron.schedule(expr, async () => {
      if (running.has(source)) {
        skipped[source] = (skipped[source] ?? 0) + 1;
        return;
      }
      running.add(source);
      runs[source] = (runs[source] ?? 0) + 1;
      try {
        await run(source);
      } catch (err) {
        onError(source, err);
      } finally {
        running.delete(source);
      }
    });
  });
  return {
    skipped,
    runs,
    stop: () => {
      for (const t of tasks) t.stop();
    },
  };
}
