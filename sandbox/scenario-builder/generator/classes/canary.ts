import { pick, type Rng } from '../../lib';
import { during, ramp } from '../effects';
import { shuffle } from '../estate';
import { routesOf } from '../log-formats';
import { baseName } from '../naming';
import { dbError } from './db-errors';
import {
  alertAfterOnset,
  clientPath,
  type ErrorByLang,
  errorMonitorKind,
  framesThrough,
  type IncidentClass,
  leadTime,
  pastIncident,
  patch,
  runbook,
  sourcePath,
  testPath,
} from './kit';
import { upstreamError } from './remote-call-errors';

/**
 * A canary rollout of the alerting service: one or two of its hosts run the new version while
 * the rest stay on the stable one. Only the canary hosts fail (their logs, spans and error
 * series carry the new `version` tag); the service-level error rate rises by the canary's share
 * of traffic. The canary may also add a call to an endpoint that does not exist in production
 * yet, or a query that makes its requests slow.
 */

type Bug = {
  area: string;
  file: string;
  fn: string;
  errors: ErrorByLang;
  ident: string;
  removed: string[];
  added: string[];
  commit: string;
  body: string;
};

const BUGS: Bug[] = [
  {
    area: 'handlers',
    file: 'summary-builder',
    fn: 'buildSummary',
    errors: {
      node: ['TypeError', "Cannot read properties of undefined (reading 'currency')"],
      java: [
        'java.lang.NullPointerException',
        'Cannot invoke "com.acme.model.Price.getCurrency()" because "line.price" is null',
      ],
      python: ['AttributeError', "'NoneType' object has no attribute 'currency'"],
      go: ['runtime.Error', 'runtime error: invalid memory address or nil pointer dereference'],
      ruby: ['NoMethodError', "undefined method 'currency' for nil"],
      dotnet: ['System.NullReferenceException', 'Object reference not set to an instance of an object.'],
    },
    ident: 'price.currency',
    removed: ['currency: order.currency,'],
    added: ['currency: line.price.currency, // per-line currency for marketplace orders'],
    commit: 'Use per-line currency in summaries',
    body: 'Marketplace orders can mix currencies, so summaries read the currency from each line.',
  },
  {
    area: 'pricing',
    file: 'unit-price',
    fn: 'unitPrice',
    errors: {
      node: ['RangeError', 'Division by zero'],
      java: ['java.lang.ArithmeticException', '/ by zero'],
      python: ['ZeroDivisionError', 'division by zero'],
      go: ['runtime.Error', 'runtime error: integer divide by zero'],
      ruby: ['ZeroDivisionError', 'divided by 0'],
      dotnet: ['System.DivideByZeroException', 'Attempted to divide by zero.'],
    },
    ident: 'quantity',
    removed: ['if (quantity === 0) return total;'],
    added: ['return total / quantity; // quantity is validated upstream now'],
    commit: 'Compute unit price from totals',
    body: 'Removes the duplicated zero check: validation happens in the request schema now.',
  },
  {
    area: 'serializers',
    file: 'timestamp-format',
    fn: 'formatTimestamp',
    errors: {
      node: ['RangeError', 'Invalid time value'],
      java: ['java.time.DateTimeException', 'Unable to extract ZoneId from temporal 2026-01-01T00:00'],
      python: ['ValueError', "Invalid isoformat string: '2026-01-01 00:00:00'"],
      go: [
        '*time.ParseError',
        'parsing time "2026-01-01 00:00:00" as "2006-01-02T15:04:05Z07:00": cannot parse " 00:00:00" as "T"',
      ],
      ruby: ['Date::Error', 'invalid date'],
      dotnet: [
        'System.FormatException',
        "String '2026-01-01 00:00:00' was not recognized as a valid DateTime.",
      ],
    },
    ident: 'toISOString',
    removed: ['createdAt: parseLegacyTimestamp(row.created_at).toISOString(),'],
    added: ['createdAt: new Date(row.created_at).toISOString(),'],
    commit: 'Drop legacy timestamp parser',
    body: 'All rows are written in ISO 8601 since the migration, so the legacy parser can go.',
  },
];

export const canary: IncidentClass = {
  name: 'canary',
  variants: ['one-host', 'two-hosts', 'new-dependency-call', 'slow-canary'],
  build(d, variant) {
    const r = d.r;
    const e = d.estate;
    const s = e.alerting;
    // Two canary pods only where they stay a minority of the fleet.
    const n = variant === 'two-hosts' && s.hosts.length >= 4 ? 2 : 1;
    const canaryHosts = shuffle(
      r,
      s.hosts.map((h) => h.name),
    ).slice(0, n);
    const share = n / s.hosts.length;
    const deployAt = d.onset - leadTime(r, false);
    const route = pick(r, routesOf(s));

    // What the canary's head commit changes, and how its requests fail.
    let kind: string;
    let message: (x: Rng) => string;
    let frames: ReturnType<typeof framesThrough>;
    let peer: string | undefined;
    let spec: {
      area: string;
      file: string;
      removed: string[];
      added: string[];
      commit: string;
      body: string;
      keywords: string[];
    };
    let rate = 0.25 + r() * 0.5;
    let latency = 1 + r() * 0.3;
    let status = 500;
    if (variant === 'new-dependency-call') {
      // The canary calls an endpoint that only exists in the dependency's next release.
      const dep = pick(r, e.deps);
      const name = baseName(dep);
      peer = `${dep.name}.internal`;
      const url = `http://${peer}/v2/${name}/batch`;
      [kind, message] = upstreamError(r, s, url, 'POST', 404);
      const client = clientPath(s, dep, e.slug);
      frames = framesThrough(s, e.slug, r, { path: client, fn: 'fetchBatch' });
      status = 502;
      spec = {
        area: 'clients',
        file: client,
        removed: [`const results = await Promise.all(ids.map((id) => this.get(\`/v1/${name}/\${id}\`)));`],
        added: [
          `const results = await this.post('/v2/${name}/batch', { ids }); // one round trip instead of N`,
        ],
        commit: `Fetch ${name} records in one batch call`,
        body: `Replaces N single lookups with the new /v2/${name}/batch endpoint.`,
        keywords: [`/v2/${name}/batch`, `${name}-client`, 'canary'],
      };
      d.effect(s, (m) =>
        during(m, d.onset)
          ? { peerErrors: { peer: peer!, rate: rate * share * ramp(m, d.onset - 1, d.onset + 2) } }
          : undefined,
      );
    } else {
      const bug = pick(r, BUGS);
      const path = sourcePath(s, bug.area, bug.file, e.slug);
      const [k, msg] = bug.errors[s.lang];
      kind = k;
      message = () => msg;
      frames = framesThrough(s, e.slug, r, { path, fn: bug.fn });
      spec = {
        area: bug.area,
        file: path,
        removed: bug.removed,
        added: bug.added,
        commit: bug.commit,
        body: bug.body,
        keywords: [bug.ident, bug.file, 'canary'],
      };
      if (variant === 'slow-canary') {
        // An N+1 query: the canary's requests get slow, a few time out on the database.
        const [k2, text] = dbError(s.lang, e.database.name.startsWith('mysql'), 'timeout', '');
        kind = k2;
        message = () => text;
        const repo = sourcePath(s, 'repositories', 'line-items', e.slug);
        frames = framesThrough(s, e.slug, r, { path: repo, fn: 'loadLines' });
        rate = 0.04 + r() * 0.08;
        latency = 4 + r() * 5;
        spec = {
          area: 'repositories',
          file: repo,
          removed: ['const lines = await db.lineItems.findMany({ where: { orderId: { in: orderIds } } });'],
          added: [
            'const lines = [];',
            'for (const id of orderIds) lines.push(...(await db.lineItems.findMany({ where: { orderId: id } })));',
          ],
          commit: 'Load line items per order',
          body: "Keeps each order's lines in insertion order; the batched query did not guarantee it.",
          keywords: ['line-items', 'N+1', 'canary'],
        };
        d.effect(e.database, (m) => (during(m, d.onset) ? { cpu: 1 + 0.6 * share } : undefined));
      }
    }

    // An earlier harmless commit rides in the same canary; the head is the change that fails.
    if (r() < 0.45)
      d.commit(s, {
        message: pick(r, [
          'Add structured fields to access log',
          'Bump test fixtures',
          'Rename pagination cursor helper',
        ]),
        files: [
          {
            filename: sourcePath(s, 'observability', 'access-log', e.slug),
            additions: 6 + Math.floor(r() * 20),
            deletions: 1 + Math.floor(r() * 6),
          },
        ],
        minute: deployAt - 60 - Math.floor(r() * 60),
        pr: { title: 'Access log fields', body: 'Adds route and tenant to the access log.' },
      });
    const commitAt = deployAt - 12 - Math.floor(r() * 40);
    const commit = d.commit(s, {
      message: spec.commit,
      files: [
        {
          filename: spec.file,
          additions: spec.added.length + 3,
          deletions: spec.removed.length + 1,
          patch: patch(spec.removed, spec.added, 20 + Math.floor(r() * 100)),
        },
        {
          filename: testPath(
            s,
            spec.area,
            spec.file
              .split('/')
              .at(-1)!
              .replace(/\.\w+$/, ''),
          ),
          additions: 15 + Math.floor(r() * 25),
          deletions: 0,
        },
      ],
      minute: commitAt,
      pr: { title: spec.commit, body: `${spec.body}\n\nRolling out as a canary first.`, labels: ['canary'] },
    });
    if (e.stagesFirst)
      d.rollout(s, commit.sha, commitAt + Math.max(1, Math.floor((deployAt - commitAt) / 2)), {
        env: e.stagingEnv,
      });
    // A canary stays in progress while it is analysed; some pipelines mark the canary step done.
    const rollout = d.rollout(s, commit.sha, deployAt, {
      canaryHosts,
      status: r() < 0.6 ? 'in_progress' : 'success',
    });

    d.effect(s, (m) =>
      during(m, d.onset)
        ? {
            version: rollout.version,
            errorRate: rate * ramp(m, d.onset - 1, d.onset + 2),
            latency: 1 + (latency - 1) * ramp(m, d.onset - 1, d.onset + 2),
            error: {
              kind,
              message,
              frames,
              peer,
              status,
              resource: variant === 'slow-canary' ? undefined : route,
            },
          }
        : undefined,
    );
    // The canary controller's own view: a paused step, waiting for analysis.
    if (r() < 0.5)
      d.event({
        minute: deployAt + 1,
        title: `Rollout ${s.name}: canary step 1/${2 + Math.floor(r() * 3)} (setWeight: ${Math.round(share * 100)}) paused for analysis`,
        text: `Canary pods run ${rollout.version}; stable pods run the previous release.`,
        tags: [
          `service:${s.name}`,
          `env:${e.env}`,
          `version:${rollout.version}`,
          `deployment_id:${rollout.id}`,
        ],
        source: 'kubernetes',
      });

    const slow = variant === 'slow-canary';
    alertAfterOnset(d, slow ? 'latency' : errorMonitorKind(d, r, rate * share), s);
    const rb = runbook(
      d,
      `runbooks/${s.name}-canary.md`,
      `${s.name} canary releases`,
      `## How canaries run\nA new release goes to one or two pods first; the rest keep the stable version until the canary is promoted.\n\n## Triage\nSplit errors and latency by \`version\` and \`host\`: if only the canary's version fails, abort the canary. If every version fails, the cause is elsewhere.\n\n## Mitigation\nAbort the rollout (the canary pods return to the stable version), then fix forward.`,
      pick(r, ['runbook', 'confluence', 'notion'] as const),
    );
    const similar = pastIncident(d, r, {
      title: `${s.name} canary raised ${slow ? 'latency' : 'errors'} on ${n === 1 ? 'one pod' : 'two pods'}`,
      summary: `Only pods on the canary version of ${s.name} failed; stable pods were healthy.`,
      cause: `The canary's change (${spec.commit.toLowerCase()}) broke ${slow ? 'query performance' : route}.`,
      mitigation: 'Aborted the canary rollout.',
      services: [s.name],
    });
    d.title = `${s.name} ${slow ? 'slow' : 'failing'} on part of its fleet`;
    d.truth = {
      kind: 'deployment',
      accept: [rollout.id, commit.sha, `${commit.repo}#${commit.pr}`],
      keywords: [...spec.keywords, rollout.version],
      runbook: rb,
      similarIncident: similar,
    };
  },
};
