import { chmodSync, mkdtempSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openDatabase } from '../../data/db';

const modeOf = (file: string) => statSync(file).mode & 0o777;

describe.skipIf(process.platform === 'win32')('the SQLite file on disk', () => {
  it('is created owner-only (0600), and so are its -wal and -shm files, whatever the umask', () => {
    const previous = process.umask(0o022);
    try {
      const path = join(mkdtempSync(join(tmpdir(), 'db-mode-')), 'nested', 'sre.db');
      const db = openDatabase(path);
      db.prepare('INSERT INTO sync_cursors (source, scope, cursor, updated_at) VALUES (?,?,?,?)').run(
        'runbook',
        '',
        'c1',
        '2026-03-01T00:00:00Z',
      );
      expect(modeOf(path)).toBe(0o600);
      expect(modeOf(`${path}-wal`)).toBe(0o600);
      expect(modeOf(`${path}-shm`)).toBe(0o600);
      db.close();
    } finally {
      process.umask(previous);
    }
  });

  it('tightens a database an older version left readable by others', () => {
    const path = join(mkdtempSync(join(tmpdir(), 'db-mode-')), 'sre.db');
    openDatabase(path).close();
    chmodSync(path, 0o644);
    writeFileSync(`${path}-wal`, '');
    chmodSync(`${path}-wal`, 0o644);
    const db = openDatabase(path);
    expect(modeOf(path)).toBe(0o600);
    expect(modeOf(`${path}-wal`)).toBe(0o600);
    db.close();
  });
});
