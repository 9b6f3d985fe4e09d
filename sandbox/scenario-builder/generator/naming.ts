import type { Estate, Service } from './estate';

/** The short name of a service as code and routes call it: `ledger-svc` -> `ledger`. */
export function baseName(service: Service): string {
  return service.name.replace(/-(api|svc|service)$/, '');
}

/** A dashed name in snake case, as identifiers and file names carry it: `ledger-svc` -> `ledger_svc`. */
export function snake(name: string): string {
  return name.replace(/-/g, '_');
}

/** A dashed or snake name in PascalCase, as class names carry it: `ledger-svc` -> `LedgerSvc`. */
export function pascal(name: string): string {
  return name
    .split(/[-_]/)
    .map((p) => p.charAt(0).toUpperCase() + p.slice(1))
    .join('');
}

/**
 * Metric names as each stack reports them. APM trace metrics follow the tracer's span name
 * (`trace.express.request.hits`, `trace.servlet.request.errors`, ...); runtime, pool and
 * queue metrics follow the integration the language uses.
 */
export function apmMetric(service: Service, what: 'hits' | 'errors' | 'p95'): string {
  const base = `trace.${service.apm}.request`;
  return what === 'p95' ? `${base}.duration.by.service.95p` : `${base}.${what}`;
}

export function poolMetrics(service: Service): { used: string; max: string; waiting: string; tag: string } {
  const tag = `pool:${service.name}-primary`;
  switch (service.lang) {
    case 'java':
      return {
        used: 'hikaricp.connections.active',
        max: 'hikaricp.connections.max',
        waiting: 'hikaricp.connections.pending',
        tag,
      };
    case 'ruby':
      return { used: 'rails.db.pool.busy', max: 'rails.db.pool.size', waiting: 'rails.db.pool.waiting', tag };
    case 'go':
      return {
        used: 'go.sql.connections.in_use',
        max: 'go.sql.connections.max_open',
        waiting: 'go.sql.connections.wait_count',
        tag,
      };
    case 'python':
      return {
        used: 'sqlalchemy.pool.checkedout',
        max: 'sqlalchemy.pool.size',
        waiting: 'sqlalchemy.pool.overflow',
        tag,
      };
    case 'dotnet':
      return {
        used: 'npgsql.connection_pools.busy',
        max: 'npgsql.connection_pools.max',
        waiting: 'npgsql.connection_pools.waiting',
        tag,
      };
    default:
      return { used: 'knex.pool.used', max: 'knex.pool.max', waiting: 'knex.pool.pending', tag };
  }
}

export function memoryMetric(service: Service): string {
  switch (service.lang) {
    case 'java':
      return 'jvm.heap_memory';
    case 'go':
      return 'runtime.go.mem_stats.heap_alloc';
    case 'node':
      return 'runtime.node.heap.used';
    case 'python':
      return 'runtime.python.mem.rss';
    case 'dotnet':
      return 'runtime.dotnet.gc.size.gen2';
    default:
      return 'kubernetes.memory.usage';
  }
}

/** The queue a worker consumes, and the metric that counts its backlog. */
export function queueOf(service: Service, estate: Estate): { metric: string; tag: string; name: string } {
  const name = `${service.name}-jobs`;
  return estate.slug.length % 2 === 0
    ? { metric: 'aws.sqs.approximate_number_of_messages_visible', tag: `queuename:${name}`, name }
    : { metric: 'kafka.consumer_lag', tag: `consumer_group:${name}`, name };
}

/** The business metric the product team watches for the alerting service. */
export function businessMetric(service: Service, estate: Estate): string {
  return `${estate.slug}.${snake(service.name)}.completed`;
}

export function dbMetrics(db: Service): { connections: string; locks: string; cpu: string } {
  return db.name.startsWith('mysql')
    ? {
        connections: 'mysql.net.connections',
        locks: 'mysql.innodb.row_lock_waits',
        cpu: 'aws.rds.cpuutilization',
      }
    : {
        connections: 'postgresql.percent_usage_connections',
        locks: 'postgresql.locks',
        cpu: 'aws.rds.cpuutilization',
      };
}

export function envTags(service: Service, estate: Estate): string[] {
  return [`service:${service.name}`, `env:${estate.env}`];
}
