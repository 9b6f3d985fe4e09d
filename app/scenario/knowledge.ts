import type { IndexRunStats } from '../../data/cursors';
import type { Db } from '../../data/db';
import type { Embedder } from '../../data/knowledge-store';
import { chunkMarkdown, chunkMessages, hashText } from '../../indexer/chunk';
import { type SourceDocument, syncDocuments } from '../../indexer/pipeline';
import { syncSource } from '../../indexer/sync';
import { incidentDocument, rootlySource } from '../knowledge/rootly-source';
import { slackSource } from '../knowledge/slack-source';
import { channelOf, SANDBOX_CREDENTIALS, type Scenario } from './sandbox';

/** Knowledge sources a scenario provides: its docs, past incidents and Slack history. */
export function scenarioDocuments(s: Scenario): Record<'runbook' | 'rootly' | 'slack', SourceDocument[]> {
  const runbooks: SourceDocument[] = s.docs.map((d) => ({
    source: 'runbook',
    externalId: d.id,
    title: d.title,
    url: d.url,
    space: d.source,
    updatedAt: d.updatedAt,
    contentHash: hashText(`${d.title}\n${d.url ?? ''}\n${d.body}`),
    chunks: chunkMarkdown(d.title, d.body),
  }));
  const incidents: SourceDocument[] = s.incidents.map(incidentDocument);

  const slack: SourceDocument[] = [];
  for (const [name, messages] of Object.entries(s.slack)) {
    const channel = s.manifest.slackChannels?.[name] ?? {
      id: `C${hashText(name).slice(0, 8).toUpperCase()}`,
      private: false,
    };
    const threads = new Map<string, typeof messages>();
    for (const m of messages) {
      const root = m.threadTs ?? m.ts;
      threads.set(root, [...(threads.get(root) ?? []), m]);
    }
    for (const [root, thread] of threads) {
      const lines = thread.map((m) => `<@${m.user}>: ${m.text}`);
      const title = `#${name}: ${thread[0]!.text.slice(0, 80)}`;
      slack.push({
        source: 'slack',
        externalId: `${channel.id}:${root}`,
        title,
        url: `https://slack.com/archives/${channel.id}/p${root.replace('.', '')}`,
        channelId: channel.id,
        isPrivate: channel.private,
        updatedAt: new Date(Number(thread.at(-1)!.ts) * 1000).toISOString(),
        contentHash: hashText(lines.join('\n')),
        chunks: chunkMessages(title, lines),
      });
    }
  }
  return { runbook: runbooks, rootly: incidents, slack };
}

/** One source's run; a source that fails is recorded in its stats and never stops the others. */
async function guarded(run: () => Promise<IndexRunStats>): Promise<IndexRunStats> {
  try {
    return await run();
  } catch (err) {
    return { fetched: 0, changed: 0, deleted: 0, errors: [err instanceof Error ? err.message : String(err)] };
  }
}

/**
 * Indexes a scenario's knowledge. Its docs folder is a runbook folder; with a sandbox URL, past
 * incidents and Slack history go through the same clients as production (Rootly API, Slack Web API).
 */
export async function indexScenario(
  db: Db,
  scenario: Scenario,
  embedder: Embedder,
  now = new Date(),
  sandboxUrl?: string,
  /** Configured secret values: redacted from every stored chunk. */
  secrets: readonly string[] = [],
): Promise<Record<string, IndexRunStats>> {
  const local = scenarioDocuments(scenario);
  const out: Record<string, IndexRunStats> = {};
  out.runbook = await syncDocuments(db, embedder, 'runbook', local.runbook, { complete: true, now, secrets });
  if (sandboxUrl) {
    out.rootly = await guarded(() =>
      syncSource(db, embedder, rootlySource({ token: SANDBOX_CREDENTIALS.token, baseUrl: sandboxUrl }), {
        now,
        full: true,
        secrets,
      }),
    );
    const channels = Object.keys(scenario.slack).map((name) => channelOf(scenario.manifest, name).id);
    out.slack = await guarded(() =>
      syncSource(
        db,
        embedder,
        slackSource({ token: 'xoxb-sandbox', apiUrl: `${sandboxUrl}/api/`, channels }),
        { now, full: true, secrets },
      ),
    );
  } else {
    out.rootly = await syncDocuments(db, embedder, 'rootly', local.rootly, { complete: true, now, secrets });
    out.slack = await syncDocuments(db, embedder, 'slack', local.slack, { complete: true, now, secrets });
  }
  // Pages read leniently and files skipped are named in their source's stats.
  for (const [source, folder] of [
    ['runbook', 'docs/'],
    ['slack', 'slack/'],
  ] as const) {
    const problems = [...scenario.warnings, ...scenario.broken]
      .filter((p) => p.file.startsWith(folder))
      .map((p) => `${p.file}: ${p.message}`);
    if (problems.length > 0) out[source] = { ...out[source]!, warnings: problems };
  }
  return out;
}
