import type { RepoWorld } from '../scenario-schema';
import { iso } from './lib';

/**
 * A repository with a long history, for measuring how many requests a window costs: `pulls`
 * merged pull requests and `deployments` deployments spread evenly over `spanDays` ending just
 * before `before` (so none fall in the investigation's window), added to a repository's own
 * recent changes. Deterministic: the same arguments give the same history.
 */
export function withLongHistory(
  repo: RepoWorld,
  options: { pulls: number; deployments: number; before: string; spanDays: number },
): RepoWorld {
  const end = Date.parse(options.before);
  const span = options.spanDays * 86_400_000;
  // Numbered apart from the repository's own pull requests, so their refs stay as they were.
  const firstNumber = Math.max(10_000, ...repo.pulls.map((p) => p.number + 1));
  const sha = (kind: number, i: number) => (kind * 1e9 + i).toString(16).padStart(40, '0').slice(-40);
  const pulls: RepoWorld['pulls'] = Array.from({ length: options.pulls }, (_, i) => ({
    number: firstNumber + i,
    title: `Routine change ${i}`,
    user: `dev${i % 17}`,
    mergedAt: iso(end - span + Math.floor(((i + 1) * span) / (options.pulls + 1))),
    mergeCommitSha: sha(1, i),
    labels: [],
  }));
  const deployments: RepoWorld['deployments'] = Array.from({ length: options.deployments }, (_, i) => ({
    id: String(500_000 + i),
    sha: sha(2, i),
    environment: 'production',
    createdAt: iso(end - span + Math.floor(((i + 1) * span) / (options.deployments + 1))),
    status: 'success',
  }));
  return { ...repo, pulls: [...pulls, ...repo.pulls], deployments: [...deployments, ...repo.deployments] };
}
