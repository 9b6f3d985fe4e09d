import { hex, pick, type Rng } from '../../lib';
import type { MonitorKind, WorldDraft } from '../draft';
import { during, ramp } from '../effects';
import type { Lang, Service } from '../estate';
import { routesOf } from '../log-formats';
import { baseName, pascal, snake } from '../naming';
import {
  alertAfterOnset,
  errorMonitorKind,
  framesThrough,
  type IncidentClass,
  leadTime,
  pastIncident,
  runbook,
  sourcePath,
} from './kit';
import { shipUnrelated } from './releases';

/**
 * Another user of the alerting service's database takes locks on a shared table: a schema
 * migration shipped by deps[1]'s deploy (an index built without CONCURRENTLY, a column type
 * change, a validated foreign key, a one-transaction backfill), or a batch job started by a
 * scheduler outside git (a reindex, VACUUM FULL, an archiver). The database shows lock waits and
 * CPU; the alerting service, whose code did not change, shows slow queries, lock timeouts and
 * a saturated pool. The migrating service's own repo and deploy carry the evidence.
 */
type Ddl = {
  /** Migration name in snake case, e.g. add_index_to_orders. */
  name: string;
  /** The statement as the database runs it (SQL migrations). */
  sql: string;
  /** The same change in each ORM's migration DSL. */
  rails: string;
  alembic: string;
  ef: string;
  knex: string;
  /** The lock it takes, the lock writers then wait for, and whether readers block too. */
  holds: string;
  waits: string;
  blocksReads: boolean;
  /** Why it locks, for the runbook and past incident. */
  why: string;
  /** A data migration rather than DDL: row locks that spread as it runs. */
  backfill?: boolean;
};

/** The table the alerting service writes most, named the way its domain would name it. */
const TABLES: Record<string, string> = {
  auth: 'sessions',
  audit: 'audit_events',
  billing: 'invoices',
  cart: 'carts',
  catalog: 'products',
  checkout: 'checkouts',
  dispatch: 'dispatches',
  eligibility: 'eligibility_checks',
  fleet: 'vehicles',
  inventory: 'inventory_items',
  kyc: 'kyc_checks',
  ledger: 'ledger_entries',
  messaging: 'messages',
  playback: 'playback_sessions',
  pricing: 'price_rules',
  risk: 'risk_scores',
  routing: 'routes',
  scheduling: 'schedules',
  sharing: 'shares',
  shipping: 'shipments',
  tracking: 'tracking_events',
  transcoder: 'transcode_jobs',
};

function tableOf(s: Service): string {
  const base = baseName(s);
  const known = TABLES[base];
  if (known) return known;
  const t = snake(base);
  return t.endsWith('s') ? t : `${t}s`;
}

function ddls(r: Rng, table: string, mysql: boolean): { lock: Ddl[]; backfill: Ddl } {
  const col = pick(r, ['customer_id', 'account_id', 'tenant_id']);
  const amount = pick(r, ['amount_cents', 'total_cents', 'quantity']);
  const region = pick(r, ['region', 'channel', 'source']);
  const value = pick(r, ['eu', 'web', 'legacy']);
  const idx = `index_${table}_on_${col}`;
  const addIndex: Ddl = {
    name: `add_index_to_${table}`,
    sql: `CREATE INDEX ${idx} ON ${table} (${col});`,
    rails: `add_index :${table}, :${col}`,
    alembic: `op.create_index('${idx}', '${table}', ['${col}'])`,
    ef: `migrationBuilder.CreateIndex(name: "${idx}", table: "${table}", column: "${col}");`,
    knex: `await knex.schema.alterTable('${table}', (t) => t.index(['${col}'], '${idx}'));`,
    holds: 'ShareLock',
    waits: 'RowExclusiveLock',
    blocksReads: false,
    why: 'CREATE INDEX without CONCURRENTLY holds a SHARE lock for the whole build and blocks every write to the table',
  };
  const alterType: Ddl = {
    name: `change_${amount}_to_bigint_on_${table}`,
    sql: mysql
      ? `ALTER TABLE ${table} MODIFY COLUMN ${amount} BIGINT NOT NULL;`
      : `ALTER TABLE ${table} ALTER COLUMN ${amount} TYPE bigint;`,
    rails: `change_column :${table}, :${amount}, :bigint, null: false`,
    alembic: `op.alter_column('${table}', '${amount}', type_=sa.BigInteger(), existing_nullable=False)`,
    ef: `migrationBuilder.AlterColumn<long>(name: "${amount}", table: "${table}", type: "bigint", nullable: false, oldClrType: typeof(int));`,
    knex: `await knex.schema.alterTable('${table}', (t) => t.bigInteger('${amount}').notNullable().alter());`,
    holds: 'AccessExclusiveLock',
    waits: 'AccessShareLock',
    blocksReads: !mysql,
    why: mysql
      ? 'changing a column type rebuilds the table (ALGORITHM=COPY) and blocks writes until the copy is done'
      : 'changing a column type rewrites the table under an ACCESS EXCLUSIVE lock, blocking reads and writes',
  };
  const addFk: Ddl = {
    name: `add_${col.replace(/_id$/, '')}_fk_to_${table}`,
    sql: `ALTER TABLE ${table} ADD CONSTRAINT fk_${table}_${col} FOREIGN KEY (${col}) REFERENCES ${col.replace(/_id$/, '')}s (id);`,
    rails: `add_foreign_key :${table}, :${col.replace(/_id$/, '')}s`,
    alembic: `op.create_foreign_key('fk_${table}_${col}', '${table}', '${col.replace(/_id$/, '')}s', ['${col}'], ['id'])`,
    ef: `migrationBuilder.AddForeignKey(name: "fk_${table}_${col}", table: "${table}", column: "${col}", principalTable: "${col.replace(/_id$/, '')}s", principalColumn: "id");`,
    knex: `await knex.schema.alterTable('${table}', (t) => t.foreign('${col}').references('${col.replace(/_id$/, '')}s.id'));`,
    holds: 'ShareRowExclusiveLock',
    waits: 'RowExclusiveLock',
    blocksReads: false,
    why: 'adding a foreign key without NOT VALID validates every row while holding a SHARE ROW EXCLUSIVE lock that blocks writes',
  };
  const backfill: Ddl = {
    name: `backfill_${region}_on_${table}`,
    sql: `UPDATE ${table} SET ${region} = '${value}' WHERE ${region} IS NULL;`,
    rails: `execute "UPDATE ${table} SET ${region} = '${value}' WHERE ${region} IS NULL"`,
    alembic: `op.execute("UPDATE ${table} SET ${region} = '${value}' WHERE ${region} IS NULL")`,
    ef: `migrationBuilder.Sql("UPDATE ${table} SET ${region} = '${value}' WHERE ${region} IS NULL");`,
    knex: `await knex('${table}').whereNull('${region}').update({ ${region}: '${value}' });`,
    holds: 'row locks',
    waits: 'ShareLock on transaction',
    blocksReads: false,
    why: 'a single-transaction UPDATE of every row locks each row it touches until it commits, so writes to those rows queue behind it',
    backfill: true,
  };
  // MySQL builds secondary indexes online and has no deferred FK validation story worth a migration here.
  return { lock: mysql ? [alterType] : [addIndex, alterType, addFk], backfill };
}

/** The migration file a framework would add, as a path and a new-file patch. */
function migrationFile(
  s: Service,
  m: Ddl,
  r: Rng,
  stamp: string,
): { path: string; lines: string[]; runner: string } {
  const n = 40 + Math.floor(r() * 160);
  const cls = pascal(m.name);
  switch (s.lang) {
    case 'ruby':
      return {
        path: `db/migrate/${stamp}_${m.name}.rb`,
        lines: [
          `class ${cls} < ActiveRecord::Migration[7.1]`,
          '  def change',
          `    ${m.rails}`,
          '  end',
          'end',
        ],
        runner: `== ${stamp} ${cls}: migrating ${'='.repeat(20)}`,
      };
    case 'java':
      return {
        path: `src/main/resources/db/migration/V${n}__${m.name}.sql`,
        lines: [m.sql],
        runner: `Migrating schema "public" to version "${n} - ${m.name.replace(/_/g, ' ')}"`,
      };
    case 'python': {
      const rev = hex(r, 12);
      const down = hex(r, 12);
      return {
        path: `migrations/versions/${rev}_${m.name}.py`,
        lines: [
          `"""${m.name.replace(/_/g, ' ')}"""`,
          'from alembic import op',
          'import sqlalchemy as sa',
          '',
          `revision = "${rev}"`,
          `down_revision = "${down}"`,
          '',
          '',
          'def upgrade():',
          `    ${m.alembic}`,
        ],
        runner: `INFO  [alembic.runtime.migration] Running upgrade ${down} -> ${rev}, ${m.name.replace(/_/g, ' ')}`,
      };
    }
    case 'go':
      return {
        path: `migrations/${String(n).padStart(6, '0')}_${m.name}.up.sql`,
        lines: [m.sql],
        runner: `Read and execute ${n}/u ${m.name}`,
      };
    case 'dotnet':
      return {
        path: `Migrations/${stamp}_${cls}.cs`,
        lines: [
          `public partial class ${cls} : Migration`,
          '{',
          '    protected override void Up(MigrationBuilder migrationBuilder)',
          '    {',
          `        ${m.ef}`,
          '    }',
          '}',
        ],
        runner: `Applying migration '${stamp}_${cls}'.`,
      };
    default:
      return {
        path: `migrations/${stamp}_${m.name}.js`,
        lines: ['exports.up = async (knex) => {', `  ${m.knex}`, '};'],
        runner: `Running migration ${stamp}_${m.name}.js (batch ${10 + Math.floor(r() * 60)})`,
      };
  }
}

function newFilePatch(lines: string[]): string {
  return [`@@ -0,0 +1,${lines.length} @@`, ...lines.map((l) => `+${l}`)].join('\n');
}

/** The error a query gets when it gives up waiting for a lock, by language and engine. */
function lockTimeout(lang: Lang, mysql: boolean): { kind: string; message: () => string } {
  const m: Record<Lang, [string, string]> = mysql
    ? {
        node: ['Error', 'Lock wait timeout exceeded; try restarting transaction'],
        java: [
          'com.mysql.cj.jdbc.exceptions.MySQLTransactionRollbackException',
          'Lock wait timeout exceeded; try restarting transaction',
        ],
        python: [
          'sqlalchemy.exc.OperationalError',
          "(pymysql.err.OperationalError) (1205, 'Lock wait timeout exceeded; try restarting transaction')",
        ],
        go: [
          '*mysql.MySQLError',
          'Error 1205 (HY000): Lock wait timeout exceeded; try restarting transaction',
        ],
        ruby: [
          'ActiveRecord::LockWaitTimeout',
          'Mysql2::Error::TimeoutError: Lock wait timeout exceeded; try restarting transaction',
        ],
        dotnet: ['MySqlConnector.MySqlException', 'Lock wait timeout exceeded; try restarting transaction'],
      }
    : {
        node: ['DatabaseError', 'canceling statement due to lock timeout'],
        java: ['org.postgresql.util.PSQLException', 'ERROR: canceling statement due to lock timeout'],
        python: [
          'sqlalchemy.exc.OperationalError',
          '(psycopg2.errors.LockNotAvailable) canceling statement due to lock timeout',
        ],
        go: ['*pgconn.PgError', 'ERROR: canceling statement due to lock timeout (SQLSTATE 55P03)'],
        ruby: [
          'ActiveRecord::LockWaitTimeout',
          'PG::LockNotAvailable: ERROR:  canceling statement due to lock timeout',
        ],
        dotnet: ['Npgsql.PostgresException', '55P03: canceling statement due to lock timeout'],
      };
  const [kind, message] = m[lang];
  return { kind, message: () => message };
}

/** What the database's own log says about sessions stuck behind the lock. */
function dbLockLine(
  x: Rng,
  mysql: boolean,
  table: string,
  m: { waits: string; backfill?: boolean },
  epoch: number,
): string {
  const pid = 10000 + Math.floor(x() * 50000);
  if (mysql) {
    const lock = 44 + x() * 5;
    return `# Query_time: ${(lock + 0.2 + x()).toFixed(6)}  Lock_time: ${lock.toFixed(6)} Rows_sent: 0  Rows_examined: 1 SET timestamp=${epoch}; UPDATE ${table} SET updated_at = NOW() WHERE id = ${Math.floor(x() * 9e6) + 1e6};`;
  }
  const what = m.backfill
    ? `ShareLock on transaction ${7_000_000 + Math.floor(x() * 900_000)}`
    : `${m.waits} on relation ${16000 + Math.floor(x() * 900)} of database 16384`;
  return `process ${pid} still waiting for ${what} after ${(1000 + x() * 4).toFixed(3)} ms`;
}

export const sharedDbMigration: IncidentClass = {
  name: 'shared-db-migration',
  variants: ['migration-deploy', 'backfill-migration', 'batch-job'],
  build(d, variant) {
    const r = d.r;
    const e = d.estate;
    const s = e.alerting;
    const db = e.database;
    const mysql = db.name.startsWith('mysql');
    const table = tableOf(s);
    const set = ddls(r, table, mysql);
    const isJob = variant === 'batch-job';
    const backfill = variant === 'backfill-migration';
    const job = isJob ? batchJob(r, table, mysql) : undefined;
    const ddl = job?.ddl ?? (backfill ? set.backfill : pick(r, set.lock));
    const spreads = backfill || !!job?.ddl.backfill;
    // Lock-taking DDL bites at once; a backfill's row locks spread for a while before writers notice.
    const startAt = d.onset - (spreads ? leadTime(r, true) : 1 + Math.floor(r() * 4));

    const truth = isJob ? startJob(d, job!, startAt) : shipMigration(d, ddl, startAt);

    // The database: lock waits (and CPU from the rewrite or the scan) from the start of the work.
    const locks = 0.7 + r() * 0.8;
    const cpu = 1.2 + r() * 0.5;
    d.effect(db, (m) =>
      during(m, startAt)
        ? {
            dbLocks:
              locks *
              (spreads
                ? 0.25 * ramp(m, startAt, d.onset) + 0.75 * ramp(m, d.onset - 1, d.onset + 4)
                : ramp(m, startAt, startAt + 1)),
            cpu,
          }
        : undefined,
    );
    d.log({
      service: db.name,
      from: spreads ? d.onset - 2 : startAt,
      perMinute: 2 + r() * 4,
      event: (x, m) => ({
        level: 'warn',
        message: dbLockLine(x, mysql, table, ddl, Math.floor(Date.parse(d.at(m)) / 1000)),
      }),
    });

    // The alerting service: queries on the table wait for the lock, time out, and hold connections meanwhile.
    const writes = routesOf(s)[0]!;
    // Bind parameters as the driver prints them.
    const p = (i: number) => (mysql ? '?' : `$${i}`);
    const rate = 0.08 + r() * 0.25;
    const slow = 3 + r() * 5;
    const repo = sourcePath(s, 'repositories', `${table}-repository`, e.slug);
    const frames = framesThrough(s, e.slug, r, { path: repo, fn: ddl.blocksReads ? 'find' : 'save' });
    const err = lockTimeout(s.lang, mysql);
    const grow = (m: number) =>
      spreads ? ramp(m, d.onset - 1, d.onset + 4) : ramp(m, d.onset - 1, d.onset + 1);
    d.effect(s, (m) =>
      during(m, d.onset)
        ? {
            errorRate: rate * grow(m),
            latency: 1 + (slow - 1) * grow(m),
            poolUsed: 0.5 + 0.5 * grow(m),
            error: {
              ...err,
              frames,
              peer: db.name,
              status: 500,
              resource: ddl.blocksReads ? undefined : writes,
            },
          }
        : undefined,
    );
    d.log({
      service: s.name,
      from: d.onset,
      perMinute: 3 + r() * 4,
      event: (x) => ({
        level: 'warn',
        message: `slow query (${Math.round(4000 + x() * 6000)} ms): ${ddl.blocksReads && x() < 0.5 ? `SELECT * FROM ${table} WHERE id = ${p(1)}` : `UPDATE ${table} SET updated_at = ${p(1)} WHERE id = ${p(2)}`}`,
      }),
    });
    // The other service on the table suffers too, less (it is mostly busy running the migration).
    const other = e.deps[1]!;
    d.effect(other, (m) => (during(m, d.onset) ? { latency: 1 + (slow - 1) * 0.4 * grow(m) } : undefined));

    // A harmless deploy of the alerting service near the onset: its code is not what changed.
    if (r() < 0.4) {
      const message = pick(r, [
        'Add request id to repository logs',
        'Bump HTTP client library',
        'Tidy serializer field order',
      ]);
      const mergedAt = d.onset - 60 - Math.floor(r() * 60);
      shipUnrelated(d, s, {
        message,
        filename: sourcePath(s, 'http', 'middleware', e.slug),
        additions: 8,
        deletions: 3,
        mergedAt,
        deployAt: d.onset - 4 - Math.floor(r() * 20),
        pr: { body: 'Small change, no behaviour change.' },
      });
    }

    const symptom = pick(r, ['errors', 'errors', 'latency', 'saturation'] as const);
    const monitor: MonitorKind = symptom === 'errors' ? errorMonitorKind(d, r, rate) : symptom;
    alertAfterOnset(d, monitor, s);
    const rb = runbook(
      d,
      `runbooks/${db.name}-locks.md`,
      `${db.name}: lock waits and lock timeouts`,
      `## Triage\nLock timeouts in a service whose code did not change mean another session holds a lock on the table. ${db.name} is shared by ${s.name} and ${other.name}: check recent deploys that ran schema migrations (db/migrate, migrations/, Flyway V__ files) and batch jobs (CronJobs, Airflow DAGs) against the database around the first lock waits. ${mysql ? 'On MySQL, SHOW ENGINE INNODB STATUS and the processlist show the blocker.' : 'On Postgres, pg_locks joined with pg_stat_activity shows the blocking pid.'}\n\n## Mitigation\nCancel the blocking statement (${mysql ? 'KILL QUERY' : 'pg_cancel_backend'}), then rerun it safely: CREATE INDEX CONCURRENTLY, NOT VALID constraints, batched backfills, jobs outside peak hours.`,
      pick(r, ['runbook', 'confluence'] as const),
    );
    const similar = pastIncident(d, r, {
      title: `${s.name} lock timeouts during ${isJob ? 'a maintenance job' : `a ${other.name} migration`}`,
      summary: `${s.name} writes to ${table} timed out while ${isJob ? `a batch job` : other.name} held a lock on it.`,
      cause: ddl.why,
      mitigation: isJob
        ? 'Cancelled the job and moved it to a low-traffic window.'
        : 'Cancelled the migration and rewrote it to avoid the table lock.',
      services: [s.name, other.name, db.name],
    });
    d.title = `${s.name} lock timeouts on ${table}`;
    d.truth = {
      ...truth,
      keywords: [table, ...(isJob ? [job!.cron] : ['migration', ddl.name])],
      runbook: rb,
      similarIncident: similar,
    };
  },
};

type Job = { cron: string; instance: string; ddl: Ddl; op: string };

/** A scheduled maintenance job on the shared table, and the statement it runs. */
function batchJob(r: Rng, table: string, mysql: boolean): Job {
  const options = mysql
    ? [
        {
          cron: `${table.replace(/_/g, '-')}-archiver`,
          op: `DELETE FROM ${table} WHERE created_at < NOW() - INTERVAL 2 YEAR`,
          why: 'a single DELETE of two years of rows holds row locks (and gap locks) until it commits',
          backfill: true,
        },
      ]
    : [
        {
          cron: `nightly-reindex-${table.replace(/_/g, '-')}`,
          op: `REINDEX TABLE ${table}`,
          why: 'REINDEX without CONCURRENTLY blocks writes to the table while each index is rebuilt',
          backfill: false,
        },
        {
          cron: `vacuum-full-${table.replace(/_/g, '-')}`,
          op: `VACUUM FULL ${table}`,
          why: 'VACUUM FULL rewrites the table under an ACCESS EXCLUSIVE lock',
          backfill: false,
        },
        {
          cron: `${table.replace(/_/g, '-')}-archiver`,
          op: `DELETE FROM ${table} WHERE created_at < now() - interval '2 years'`,
          why: 'a single DELETE of two years of rows holds row locks until it commits',
          backfill: true,
        },
      ];
  const o = pick(r, options);
  const vacuum = o.op.startsWith('VACUUM');
  return {
    cron: o.cron,
    instance: `${o.cron}-${28_000_000 + Math.floor(r() * 900_000)}`,
    op: o.op,
    ddl: {
      name: o.cron,
      sql: `${o.op};`,
      rails: '',
      alembic: '',
      ef: '',
      knex: '',
      holds: vacuum ? 'AccessExclusiveLock' : o.backfill ? 'row locks' : 'ShareLock',
      waits: vacuum ? 'AccessShareLock' : 'RowExclusiveLock',
      blocksReads: vacuum,
      why: o.why,
      backfill: o.backfill,
    },
  };
}

/** The job starts from a scheduler outside git: only a DataDog event and the job's own logs. */
function startJob(d: WorldDraft, job: Job, at: number): { kind: string; accept: string[] } {
  const r = d.r;
  const e = d.estate;
  const db = e.database;
  const owner = pick(r, [e.deps[1]!, e.bystander]);
  const scheduler = pick(r, ['kubernetes', 'airflow', 'cron'] as const);
  if (scheduler === 'kubernetes')
    d.event({
      minute: at,
      title: `Job ${job.instance} started`,
      text: `CronJob ${job.cron}: created job ${job.instance} (pod ${job.instance}-${hex(r, 5)}); schedule "${pick(r, ['0 * * * *', '30 */2 * * *', '15 */6 * * *'])}"`,
      tags: [
        `kube_cronjob:${job.cron}`,
        `kube_job:${job.instance}`,
        'kube_namespace:data-jobs',
        `service:${owner.name}`,
        `env:${e.env}`,
      ],
      source: 'kubernetes',
    });
  else if (scheduler === 'airflow')
    d.event({
      minute: at,
      title: `Job ${job.instance} started`,
      text: `Airflow DAG ${snake(job.cron)} run ${job.instance}: task run_maintenance started against ${db.name} (triggered manually by ${d.person()})`,
      tags: [`dag_id:${snake(job.cron)}`, `job:${job.cron}`, 'task_id:run_maintenance', `env:${e.env}`],
      source: 'airflow',
    });
  else
    d.event({
      minute: at,
      title: `Job ${job.instance} started`,
      text: `cron: /opt/jobs/${job.cron}.sh started on ${owner.hosts[0]!.name} (pid ${2000 + Math.floor(r() * 30000)})`,
      tags: [`job:${job.cron}`, `host:${owner.hosts[0]!.name}`, `env:${e.env}`],
      source: 'cron',
    });
  d.log({
    service: owner.name,
    from: at,
    to: at + 1,
    perMinute: 1,
    hosts: [owner.hosts[0]!.name],
    event: () => ({ level: 'info', message: `${job.cron}: connected to ${db.name}, running: ${job.op}` }),
  });
  return { kind: 'dependency', accept: [job.cron, job.instance, db.name] };
}

/** deps[1] ships the migration with its deploy; migrations run as part of the rollout. */
function shipMigration(d: WorldDraft, ddl: Ddl, startAt: number): { kind: string; accept: string[] } {
  const r = d.r;
  const e = d.estate;
  const other = e.deps[1]!;
  const when = new Date(Date.parse(d.at(startAt - 200)));
  const stamp = `${when.getUTCFullYear()}${String(when.getUTCMonth() + 1).padStart(2, '0')}${String(when.getUTCDate()).padStart(2, '0')}${String(when.getUTCHours()).padStart(2, '0')}${String(when.getUTCMinutes()).padStart(2, '0')}00`;
  const file = migrationFile(other, ddl, r, stamp);
  // A harmless commit merged earlier ships in the same rollout.
  if (r() < 0.5)
    d.commit(other, {
      message: pick(r, ['Add metrics for export latency', 'Refresh API docs', 'Log slow handlers at warn']),
      files: [
        { filename: sourcePath(other, 'observability', 'metrics', e.slug), additions: 12, deletions: 2 },
      ],
      minute: startAt - 150 - Math.floor(r() * 60),
    });
  const words = ddl.name.replace(/_/g, ' ');
  const title = pick(r, [
    `${words.charAt(0).toUpperCase()}${words.slice(1)}`,
    `Migration: ${words}`,
    `db: ${words}`,
  ]);
  const commitAt = startAt - 20 - Math.floor(r() * 90);
  const files = [
    { filename: file.path, additions: file.lines.length, deletions: 0, patch: newFilePatch(file.lines) },
    ...(other.lang === 'ruby' ? [{ filename: 'db/schema.rb', additions: 2, deletions: 1 }] : []),
  ];
  const { commit, rollout } = d.ship(
    other,
    {
      message: title,
      files,
      minute: commitAt,
      pr: {
        title,
        body: ddl.backfill
          ? `Backfills ${ddl.name.split('_on_')[0]!.replace('backfill_', '')} for existing rows so ${other.name} can filter on it. Runs with the deploy's migration step.`
          : `Needed by ${other.name}'s new lookups on the shared table. Runs with the deploy's migration step; tested on staging (small table there).`,
        labels: ['db-migration'],
      },
    },
    startAt - commitAt,
  );
  // The deploy's migration step logs that it started; it never logs that it finished.
  d.log({
    service: other.name,
    from: startAt,
    to: startAt + 1,
    perMinute: 1,
    hosts: [other.hosts[0]!.name],
    event: () => ({ level: 'info', message: file.runner }),
  });
  return { kind: 'deployment', accept: [rollout.id, commit.sha, `${commit.repo}#${commit.pr}`] };
}
