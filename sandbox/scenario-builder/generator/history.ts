import { pick } from '../lib';
import { sourcePath, testPath } from './classes/kit';
import type { WorldDraft } from './draft';

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
  }
}
