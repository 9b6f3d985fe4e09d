import { pick } from '../../lib';
import type { CommitRef, CommitSpec, WorldDraft } from '../draft';
import type { Service } from '../estate';

/**
 * How changes ship in the incident classes: the cause's commit in its production rollout (alone,
 * or under a later harmless head), and the harmless one-file releases that sit near the onset as
 * the "latest deploy" trap. Each helper draws its numbers in a fixed order (documented on it),
 * which is the order the classes drew them in before, so a seed keeps its world.
 */

/** A number of lines or minutes: fixed, or drawn as `least + floor(r() * spread)`. */
export type Count = number | readonly [least: number, spread: number];

function count(d: WorldDraft, c: Count): number {
  return typeof c === 'number' ? c : c[0] + Math.floor(d.r() * c[1]);
}

type Pr = { title?: string; body: string; labels?: string[] };

/**
 * A one-file release of `s` that changes nothing relevant, merged at `mergedAt` and deployed at
 * `deployAt`. Draws: the message (when given a list to pick from), then additions, then deletions.
 * The PR is titled with the message unless it names its own title.
 */
export function shipUnrelated(
  d: WorldDraft,
  s: Service,
  release: {
    message: string | readonly string[];
    filename: string;
    additions: Count;
    deletions: Count;
    mergedAt: number;
    deployAt: number;
    pr: Pr;
  },
): void {
  const message = typeof release.message === 'string' ? release.message : pick(d.r, release.message);
  const files = [
    {
      filename: release.filename,
      additions: count(d, release.additions),
      deletions: count(d, release.deletions),
    },
  ];
  const { title = message, body, labels } = release.pr;
  d.ship(
    s,
    { message, files, minute: release.mergedAt, pr: labels ? { title, body, labels } : { title, body } },
    release.deployAt - release.mergedAt,
  );
}

/**
 * A harmless release of `s` shortly before the onset: it deploys `deployBefore` minutes before
 * the onset and merged `mergeGap` minutes before that. Draws: the message, the deploy minute, the
 * merge minute, then the file's size (as shipUnrelated).
 */
export function releaseBeforeOnset(
  d: WorldDraft,
  s: Service,
  release: {
    messages: readonly string[];
    deployBefore: Count;
    mergeGap: Count;
    filename: string;
    additions: Count;
    deletions: Count;
    pr: Omit<Pr, 'body'> & { body: string | ((message: string) => string) };
  },
): void {
  const message = pick(d.r, release.messages);
  const deployAt = d.onset - count(d, release.deployBefore);
  const mergedAt = deployAt - count(d, release.mergeGap);
  const { body, ...pr } = release.pr;
  shipUnrelated(d, s, {
    message,
    filename: release.filename,
    additions: release.additions,
    deletions: release.deletions,
    mergedAt,
    deployAt,
    pr: { ...pr, body: typeof body === 'string' ? body : body(message) },
  });
}

/** A harmless commit merged after the cause that becomes the head of the cause's rollout. */
export type RolloutHead = {
  /** Drawn after the cause's commit: what the head changes, and its pull request. */
  change: () => { message: string; filename: string; pr: { title: string; body: string } };
  additions: Count;
  deletions: Count;
  /** Minutes after the cause's commit that the head merges. */
  after: Count;
  /** Minutes before the production rollout that the staging one runs (estates that stage first). */
  stagingBefore: Count;
};

/**
 * Ships the cause's commit to production at `deployAt`. With a `head`, the rollout ships a range
 * whose head is a later harmless commit, so the rollout's head is not what broke. Draws, with a
 * head: the cause's commit, the head's change, additions, deletions, merge minute, its commit,
 * then the staging minute.
 */
export function shipInRollout(
  d: WorldDraft,
  s: Service,
  spec: CommitSpec,
  deployAt: number,
  head?: RolloutHead,
): { commit: CommitRef; rolloutId: string } {
  if (!head) {
    const { commit, rollout } = d.ship(s, spec, deployAt - spec.minute);
    return { commit, rolloutId: rollout.id };
  }
  const commit = d.commit(s, spec);
  const { message, filename, pr } = head.change();
  const files = [{ filename, additions: count(d, head.additions), deletions: count(d, head.deletions) }];
  const last = d.commit(s, { message, files, minute: spec.minute + count(d, head.after), pr });
  const e = d.estate;
  if (e.stagesFirst) d.rollout(s, last.sha, deployAt - count(d, head.stagingBefore), { env: e.stagingEnv });
  return { commit, rolloutId: d.rollout(s, last.sha, deployAt).id };
}
