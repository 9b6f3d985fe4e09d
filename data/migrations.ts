import type Database from 'better-sqlite3';

/**
 * Append-only, versioned migrations. Each runs once, inside a transaction, and bumps
 * PRAGMA user_version; re-running is a no-op.
 */
export const MIGRATIONS: readonly string[] = [
  `
  CREATE TABLE documents (
    id INTEGER PRIMARY KEY,
    source TEXT NOT NULL,
    external_id TEXT NOT NULL,
    title TEXT NOT NULL,
    url TEXT,
    space TEXT,
    service TEXT,
    channel_id TEXT,
    is_private INTEGER NOT NULL DEFAULT 0,
    updated_at TEXT NOT NULL,
    content_hash TEXT NOT NULL,
    meta TEXT NOT NULL DEFAULT '{}',
    UNIQUE (source, external_id)
  );
  CREATE TABLE chunks (
    id INTEGER PRIMARY KEY,
    document_id INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    ord INTEGER NOT NULL,
    title_path TEXT NOT NULL,
    text TEXT NOT NULL,
    token_count INTEGER NOT NULL,
    content_hash TEXT NOT NULL
  );
  CREATE INDEX chunks_document ON chunks(document_id);
  CREATE VIRTUAL TABLE chunks_fts USING fts5(title_path, text, content='chunks', content_rowid='id', tokenize='porter unicode61');
  CREATE TRIGGER chunks_ai AFTER INSERT ON chunks BEGIN
    INSERT INTO chunks_fts(rowid, title_path, text) VALUES (new.id, new.title_path, new.text);
  END;
  CREATE TRIGGER chunks_ad AFTER DELETE ON chunks BEGIN
    INSERT INTO chunks_fts(chunks_fts, rowid, title_path, text) VALUES ('delete', old.id, old.title_path, old.text);
  END;
  CREATE TABLE embedding_spaces (
    id INTEGER PRIMARY KEY,
    provider TEXT NOT NULL,
    model TEXT NOT NULL,
    dimensions INTEGER NOT NULL,
    UNIQUE (provider, model, dimensions)
  );
  CREATE TABLE chunk_embeddings (
    chunk_id INTEGER NOT NULL REFERENCES chunks(id) ON DELETE CASCADE,
    space_id INTEGER NOT NULL REFERENCES embedding_spaces(id),
    content_hash TEXT NOT NULL,
    PRIMARY KEY (chunk_id, space_id)
  );
  CREATE TABLE alerts (
    dedupe_key TEXT PRIMARY KEY,
    first_seen TEXT NOT NULL,
    last_seen TEXT NOT NULL,
    count INTEGER NOT NULL,
    status TEXT NOT NULL,
    investigation_id TEXT
  );
  CREATE TABLE investigations (
    id TEXT PRIMARY KEY,
    alert_key TEXT NOT NULL,
    alert TEXT NOT NULL,
    planner TEXT NOT NULL,
    status TEXT NOT NULL,
    channel_id TEXT,
    thread_ts TEXT,
    progress_ts TEXT,
    started_at TEXT NOT NULL,
    finished_at TEXT,
    first_reply_ms INTEGER,
    result TEXT,
    usage TEXT
  );
  CREATE INDEX investigations_thread ON investigations(channel_id, thread_ts);
  CREATE INDEX investigations_status ON investigations(status);
  CREATE TABLE steps (
    investigation_id TEXT NOT NULL REFERENCES investigations(id) ON DELETE CASCADE,
    n INTEGER NOT NULL,
    thought TEXT NOT NULL,
    created_at TEXT NOT NULL,
    PRIMARY KEY (investigation_id, n)
  );
  CREATE TABLE tool_calls (
    investigation_id TEXT NOT NULL REFERENCES investigations(id) ON DELETE CASCADE,
    step_n INTEGER NOT NULL,
    call_id TEXT NOT NULL,
    tool TEXT NOT NULL,
    input TEXT NOT NULL,
    ok INTEGER NOT NULL,
    summary TEXT NOT NULL,
    error TEXT,
    ms INTEGER NOT NULL,
    PRIMARY KEY (investigation_id, call_id)
  );
  CREATE TABLE feedback (
    id INTEGER PRIMARY KEY,
    investigation_id TEXT NOT NULL REFERENCES investigations(id) ON DELETE CASCADE,
    user_id TEXT NOT NULL,
    kind TEXT NOT NULL,
    value TEXT NOT NULL,
    text TEXT,
    created_at TEXT NOT NULL,
    retracted_at TEXT,
    UNIQUE (user_id, investigation_id, kind, value)
  );
  CREATE TABLE sync_cursors (
    source TEXT NOT NULL,
    scope TEXT NOT NULL,
    cursor TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    PRIMARY KEY (source, scope)
  );
  CREATE TABLE index_runs (
    id INTEGER PRIMARY KEY,
    source TEXT NOT NULL,
    started_at TEXT NOT NULL,
    finished_at TEXT,
    fetched INTEGER NOT NULL DEFAULT 0,
    changed INTEGER NOT NULL DEFAULT 0,
    deleted INTEGER NOT NULL DEFAULT 0,
    errors TEXT NOT NULL DEFAULT '[]'
  );
  `,
  // 2: learning. Outcomes link a resolved incident to the investigation of the same service and
  // time; every learn run writes a full, versioned set of priors, so a run can be rolled back.
  `
  CREATE TABLE incident_outcomes (
    investigation_id TEXT NOT NULL REFERENCES investigations(id) ON DELETE CASCADE,
    incident_id TEXT NOT NULL,
    source TEXT NOT NULL,
    title TEXT NOT NULL,
    url TEXT,
    started_at TEXT NOT NULL,
    resolved_at TEXT NOT NULL,
    resolution_ms INTEGER NOT NULL,
    cause TEXT,
    mitigation TEXT,
    matched_rank INTEGER,
    matched_ref TEXT,
    linked_at TEXT NOT NULL,
    PRIMARY KEY (investigation_id, incident_id)
  );
  CREATE TABLE learning_runs (
    id INTEGER PRIMARY KEY,
    created_at TEXT NOT NULL,
    active INTEGER NOT NULL DEFAULT 0,
    stats TEXT NOT NULL DEFAULT '{}'
  );
  CREATE TABLE learned_priors (
    run_id INTEGER NOT NULL REFERENCES learning_runs(id) ON DELETE CASCADE,
    kind TEXT NOT NULL,
    scope TEXT NOT NULL,
    key TEXT NOT NULL,
    value REAL NOT NULL,
    support INTEGER NOT NULL,
    reason TEXT NOT NULL,
    PRIMARY KEY (run_id, kind, scope, key)
  );
  CREATE TABLE learned_examples (
    run_id INTEGER NOT NULL REFERENCES learning_runs(id) ON DELETE CASCADE,
    investigation_id TEXT NOT NULL,
    scope TEXT NOT NULL,
    rating REAL NOT NULL,
    text TEXT NOT NULL,
    space_id INTEGER NOT NULL,
    embedding BLOB NOT NULL,
    PRIMARY KEY (run_id, investigation_id)
  );
  `,
  // 3: a worked example remembers its Slack channel, so a private channel's investigation is never
  // shown as an example to an investigation in another channel.
  `
  ALTER TABLE learned_examples ADD COLUMN channel_id TEXT;
  `,
  // 4: alert cycles as DataDog has them. A row is one cycle of a monitor group (its dedupe_key the
  // cycle's alert id): found by group or by $ALERT_CYCLE_KEY, closed by Recovered, handled once its
  // thread exists (thread_ts set), claimed while a thread is being opened. Older rows have no group
  // and are never matched again. Webhook bodies that could not be understood are kept, redacted.
  `
  ALTER TABLE alerts ADD COLUMN monitor_group TEXT;
  ALTER TABLE alerts ADD COLUMN cycle_key TEXT;
  ALTER TABLE alerts ADD COLUMN closed_at TEXT;
  ALTER TABLE alerts ADD COLUMN claimed_at TEXT;
  ALTER TABLE alerts ADD COLUMN channel_id TEXT;
  ALTER TABLE alerts ADD COLUMN thread_ts TEXT;
  CREATE INDEX alerts_group ON alerts(monitor_group);
  CREATE UNIQUE INDEX alerts_cycle_key ON alerts(cycle_key) WHERE cycle_key IS NOT NULL;
  CREATE TABLE webhook_dead_letters (
    id INTEGER PRIMARY KEY,
    received_at TEXT NOT NULL,
    error TEXT NOT NULL,
    body TEXT NOT NULL,
    replayed_at TEXT,
    replay_result TEXT
  );
  `,
  // 5: durable thread jobs. Every accepted run (an alert cycle, /investigate, a follow-up) is a row
  // from the moment it is acknowledged until its answer is in its thread, so kill -9 or SIGTERM
  // loses nothing. A row being worked on belongs to the process named in `owner` while its lease
  // (`lease_until`, epoch ms) is renewed; an expired lease is taken over by any process.
  // `opening`: the thread (root post, first reply) is not there yet; `queued`; `running`; `done`.
  // `verdict` set on a queued row: answer it with a notice instead of investigating (coalesced,
  // queue full). One unfinished job per alert cycle.
  `
  CREATE TABLE thread_jobs (
    id TEXT PRIMARY KEY,
    alert TEXT NOT NULL,
    cycle_id TEXT,
    monitor_id TEXT,
    priority INTEGER NOT NULL,
    channel_id TEXT NOT NULL,
    thread_ts TEXT,
    root_text TEXT,
    reply_ts TEXT,
    recipient TEXT,
    hints TEXT,
    state TEXT NOT NULL,
    verdict TEXT,
    owner TEXT,
    lease_until INTEGER NOT NULL DEFAULT 0,
    open_attempts INTEGER NOT NULL DEFAULT 0,
    runs INTEGER NOT NULL DEFAULT 0,
    investigation_id TEXT,
    enqueued_at TEXT NOT NULL,
    finished_at TEXT
  );
  CREATE INDEX thread_jobs_state ON thread_jobs(state, priority);
  CREATE UNIQUE INDEX thread_jobs_cycle ON thread_jobs(cycle_id) WHERE cycle_id IS NOT NULL AND state != 'done';
  `,
  // Follow-ups are turns of the investigation whose thread they are in: `parent_id` names the
  // thread's root investigation, `turn` counts from 1, `question` is what was asked. A root has
  // no parent and turn 0; turns go when their root is purged.
  `
  ALTER TABLE investigations ADD COLUMN parent_id TEXT REFERENCES investigations(id) ON DELETE CASCADE;
  ALTER TABLE investigations ADD COLUMN turn INTEGER NOT NULL DEFAULT 0;
  ALTER TABLE investigations ADD COLUMN question TEXT;
  CREATE INDEX investigations_parent ON investigations(parent_id, turn);
  `,
];

export function schemaVersion(db: Database.Database): number {
  return db.pragma('user_version', { simple: true }) as number;
}

/** Applies every migration newer than the file's user_version; returns how many ran. */
export function migrate(db: Database.Database): number {
  let applied = 0;
  for (let version = schemaVersion(db); version < MIGRATIONS.length; version = schemaVersion(db)) {
    db.transaction(() => {
      // Re-check inside the write lock: another connection may have migrated meanwhile.
      if (schemaVersion(db) !== version) return;
      db.exec(MIGRATIONS[version]!);
      db.pragma(`user_version = ${version + 1}`);
      applied += 1;
    }).immediate();
  }
  return applied;
}
