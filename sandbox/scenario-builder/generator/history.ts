import { pick, type Rng } from '../lib';
import { deployValuesPath, sourcePath, testPath } from './classes/kit';
import type { WorldDraft } from './draft';
import type { Service } from './estate';

/**
 * The ordinary past of every service with a repository: a few commits over the last days and
 * the production rollout that shipped them, so each later rollout has a predecessor and ships
 * a well-defined range of commits.
 */
const ROUTINE = [
  ['Refactor request validation', 'validation', 'request-validator'],
  ['Add pagination to list endpoint', 'http', 'pagination'],
  ['Cache lookups for static reference data', 'cache', 'reference-cache'],
  ['Log slow handlers at warn', 'observability', 'slow-log'],
  ['Tidy error mapping', 'errors', 'error-mapper'],
  ['Extract retry helper', 'clients', 'retry-helper'],
] as const;

export function addHistory(d: WorldDraft): void {
  const r = d.fork(11);
  for (const s of d.services()) {
    if (!s.repo) continue;
    const daysAgo = 1 + Math.floor(r() * 4);
    const shipAt = -daysAgo * 24 * 60 - Math.floor(r() * 300);
    let head = '';
    for (let i = 0; i < 2 + Math.floor(r() * 3); i++) {
      const [message, area, file] = pick(r, ROUTINE);
      head = d.commit(s, {
        message,
        minute: shipAt - 60 * (i + 1) - Math.floor(r() * 50),
        files: [
          {
            filename: sourcePath(s, area, file, d.estate.slug),
            additions: 5 + Math.floor(r() * 80),
            deletions: Math.floor(r() * 30),
          },
          { filename: testPath(s, area, file), additions: 10 + Math.floor(r() * 40), deletions: 0 },
        ],
        author: pick(r, d.estate.people),
        pr: r() < 0.7 ? { title: message, body: `${message}. No behaviour change intended.` } : undefined,
      }).sha;
    }
    if (d.estate.stagesFirst) d.rollout(s, head, shipAt - 30, { env: d.estate.stagingEnv });
    d.rollout(s, head, shipAt);
    if (s.deployRepo) deployConfigHistory(d, s, r);
  }
}

const ROUTINE_DEPLOY_CONFIG = [
  'Raise HPA max replicas ahead of the sale',
  'Add a PodDisruptionBudget',
  'Set CPU requests for the log sidecar',
  'Move secrets to the external secrets operator',
] as const;

/** A deploy-config repository's own past: a settings change days ago, applied by its own rollout. */
function deployConfigHistory(d: WorldDraft, s: Service, r: Rng): void {
  const minute = -(1 + Math.floor(r() * 6)) * 24 * 60 - Math.floor(r() * 600);
  const message = pick(r, ROUTINE_DEPLOY_CONFIG);
  const { sha } = d.commit(s, {
    message,
    minute,
    deployRepo: true,
    files: [
      {
        filename: deployValuesPath(s, d.estate.env),
        additions: 2 + Math.floor(r() * 8),
        deletions: Math.floor(r() * 4),
      },
    ],
    author: pick(r, d.estate.people),
    pr: { title: message, body: `${message}. Applied by the deploy pipeline.`, labels: ['deploy'] },
  });
  d.rollout(s, sha, minute + 20 + Math.floor(r() * 60), { repo: s.deployRepo! });
}
