import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openDatabase } from '../../../data/db';
import { listDocumentIds } from '../../../data/knowledge-store';
import { LocalEmbedder } from '../../../indexer/embed/local';
import { runbookSource } from '../../../indexer/sources/runbooks';
import { syncAll } from '../../../indexer/sync';

function folder(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'runbooks-'));
  for (const [rel, text] of Object.entries(files)) {
    mkdirSync(join(dir, rel, '..'), { recursive: true });
    writeFileSync(join(dir, rel), text);
  }
  return dir;
}

describe('runbook folders (SRE_RUNBOOK_DIRS)', () => {
  it('one page with front matter that is not valid YAML is indexed leniently and named; the rest of the folder is indexed', async () => {
    const dir = folder({
      'db/failover.md': '---\ntitle: Runbook: database failover\n---\nPromote the replica.',
      'cache.md': '---\ntitle: Cache runbook\n---\nFlush the cache.',
      'notes.md': '# Notes\nNothing here.',
    });
    const db = openDatabase(':memory:');
    const stats = await syncAll(db, new LocalEmbedder(), [runbookSource([dir])]);
    expect(stats.runbook).toMatchObject({ fetched: 3, changed: 3, errors: [] });
    expect(stats.runbook!.warnings).toEqual([
      expect.stringMatching(/db[\\/]failover\.md: front matter is not valid YAML/),
    ]);
    expect(listDocumentIds(db, 'runbook').sort()).toEqual(['cache.md', 'db/failover.md', 'notes.md']);
    const title = db
      .prepare("SELECT title FROM documents WHERE external_id = 'db/failover.md'")
      .pluck()
      .get();
    expect(title).toBe('Runbook: database failover');
  });

  it('a folder that does not exist costs only itself', async () => {
    const dir = folder({ 'cache.md': '# Cache\nFlush it.' });
    const db = openDatabase(':memory:');
    const stats = await syncAll(db, new LocalEmbedder(), [runbookSource([join(dir, 'missing'), dir])]);
    expect(stats.runbook).toMatchObject({ fetched: 1, errors: [] });
    expect(stats.runbook!.warnings).toEqual([expect.stringMatching(/missing: cannot be read .*; skipped$/)]);
  });
});
