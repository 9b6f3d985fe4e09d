import { pick } from '../../lib';
import { addCluster } from '../cluster';
import { during, ramp } from '../effects';
import { routesOf } from '../log-formats';
import {
  alertAfterOnset,
  errorMonitorKind,
  framesThrough,
  type IncidentClass,
  leadTime,
  pastIncident,
  patch,
  runbook,
  sourcePath,
} from './kit';

/**
 * A code change in the alerting service raises a new error on one route. The rollout that
 * shipped it may carry other commits; the stack's throwing frame is in the changed file and
 * the error's identifier appears in the patch.
 */
const BUGS = [
  {
    area: 'pricing',
    file: 'discount-calculator',
    fn: 'applyDiscount',
    kinds: {
      node: 'TypeError',
      java: 'java.lang.NullPointerException',
      python: 'AttributeError',
      go: 'runtime error',
      ruby: 'NoMethodError',
      dotnet: 'System.NullReferenceException',
    },
    message: 'promotion.tiers is undefined',
    ident: 'promotion.tiers',
    removed: ['const tiers = promotion?.tiers ?? [];'],
    added: ['const tiers = promotion.tiers;', 'const best = tiers.reduce(pickBest);'],
    commit: 'Simplify discount tier selection',
  },
  {
    area: 'serializers',
    file: 'address-serializer',
    fn: 'serializeAddress',
    kinds: {
      node: 'RangeError',
      java: 'java.lang.IndexOutOfBoundsException',
      python: 'IndexError',
      go: 'runtime error: index out of range',
      ruby: 'IndexError',
      dotnet: 'System.ArgumentOutOfRangeException',
    },
    message: 'address_lines[1] out of range for single-line addresses',
    ident: 'address_lines',
    removed: ['line2: address_lines.length > 1 ? address_lines[1] : null,'],
    added: ['line2: address_lines[1],'],
    commit: 'Serialize second address line for EU invoices',
  },
  {
    area: 'clients',
    file: 'currency-client',
    fn: 'convert',
    kinds: {
      node: 'Error',
      java: 'java.lang.IllegalArgumentException',
      python: 'ValueError',
      go: 'strconv.ParseFloat',
      ruby: 'ArgumentError',
      dotnet: 'System.FormatException',
    },
    message: 'invalid rate format "1,0842" for currency_code=EUR',
    ident: 'currency_code',
    removed: ['rate = parse_rate(raw.replace(",", "."))'],
    added: ['rate = parse_rate(raw)  # currency_code now normalised upstream'],
    commit: 'Drop redundant rate normalisation',
  },
  {
    area: 'auth',
    file: 'session-validator',
    fn: 'validateSession',
    kinds: {
      node: 'TokenExpiredError',
      java: 'io.jsonwebtoken.ExpiredJwtException',
      python: 'jwt.ExpiredSignatureError',
      go: 'jwt: token is expired',
      ruby: 'JWT::ExpiredSignature',
      dotnet: 'Microsoft.IdentityModel.Tokens.SecurityTokenExpiredException',
    },
    message: 'session token expired: leeway_seconds=0 rejects clock skew',
    ident: 'leeway_seconds',
    removed: ['leeway_seconds = 30'],
    added: ['leeway_seconds = 0'],
    commit: 'Tighten session validation',
  },
] as const;

export const badCommit: IncidentClass = {
  name: 'bad-commit',
  variants: ['alone', 'in-rollout', 'latent-route'],
  build(d, variant) {
    const r = d.r;
    const e = d.estate;
    const s = e.alerting;
    const bug = pick(r, BUGS);
    const path = sourcePath(s, bug.area, bug.file, e.slug);
    const kind = bug.kinds[s.lang];
    const route = pick(r, routesOf(s));
    const lead = leadTime(r, variant === 'latent-route');
    const deployAt = d.onset - lead;
    // A rollout may ship a range: a harmless commit merged earlier rides along with the bad one.
    if (variant === 'in-rollout')
      d.commit(s, {
        message: pick(r, [
          'Bump structured logging fields',
          'Rename internal metrics helper',
          'Add request id to audit log',
        ]),
        files: [
          { filename: sourcePath(s, 'observability', 'log-fields', e.slug), additions: 14, deletions: 6 },
        ],
        minute: deployAt - 40,
      });
    const commitAt = deployAt - 8 - Math.floor(r() * 30);
    const { commit, rollout } = d.ship(
      s,
      {
        message: bug.commit,
        files: [
          {
            filename: path,
            additions: bug.added.length + 3,
            deletions: bug.removed.length + 1,
            patch: patch([...bug.removed], [...bug.added]),
          },
          { filename: sourcePath(s, bug.area, `${bug.file}-types`, e.slug), additions: 4, deletions: 2 },
        ],
        minute: commitAt,
        pr: { title: bug.commit, body: `Refactors ${bug.file}. Touches ${bug.ident}.`, labels: ['backend'] },
      },
      deployAt - commitAt,
    );
    const rate = variant === 'latent-route' ? 0.06 + r() * 0.1 : 0.12 + r() * 0.3;
    // Drawn once: a stack's line numbers do not change from one failing request to the next.
    const frames = framesThrough(s, e.slug, r, { path, fn: bug.fn });
    d.effect(s, (m) =>
      during(m, d.onset)
        ? {
            errorRate: rate * (variant === 'latent-route' ? 1 : ramp(m, d.onset - 1, d.onset + 2)),
            version: rollout.version,
            error: {
              kind,
              message: () => bug.message,
              frames,
              status: 500,
              resource: route,
            },
          }
        : undefined,
    );
    alertAfterOnset(d, errorMonitorKind(d, r, rate), s);
    const rb = runbook(
      d,
      `runbooks/${s.name}-errors.md`,
      `${s.name} elevated 5xx`,
      `## Triage\nCompare the error's first occurrence with the latest rollout of ${s.name}; read the stack trace's top frame and the diff that touched it.\n\n## Mitigation\nRoll back the release that introduced the error, then fix forward.`,
    );
    const similar = pastIncident(d, r, {
      title: `${s.name} 5xx after a release`,
      summary: `A refactor in ${s.name} threw on ${route}.`,
      cause: `Code change in ${bug.area} removed a null check.`,
      mitigation: 'Rolled back the release.',
      services: [s.name],
    });
    // Some teams deploy with kubectl or Helm alone: the release is then seen only as a new
    // ReplicaSet revision of the Deployment (no GitHub deployment, no DataDog deploy event).
    addCluster(d, { chance: 0.6, clusterOnly: 0.75 });
    d.title = `${s.name} errors on ${route}`;
    d.truth = {
      kind: 'commit',
      accept: [commit.sha, `${commit.repo}#${commit.pr}`, rollout.id],
      keywords: [bug.ident, bug.file],
      runbook: rb,
      similarIncident: similar,
    };
  },
};
