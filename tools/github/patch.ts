/** A changed file as the GitHub tools keep it: counts, and its patch when the budget allowed. */
export type PatchedFile = {
  filename: string;
  additions: number;
  deletions: number;
  patch?: string;
  /** The patch was cut (or left out) to stay within the budget. */
  patchTruncated?: boolean;
};

/**
 * Pure: a commit's files with their patches, in file order, within `budget` characters in all;
 * a patch that does not fit is cut at a line boundary, and files after the budget keep only
 * their counts. The changed lines (the decisive part) come first in every hunk anyway.
 */
export function boundedPatches(
  files: readonly { filename: string; additions: number; deletions: number; patch?: string | null }[],
  budget: number,
): { files: PatchedFile[]; used: number; truncated: boolean } {
  let left = Math.max(0, budget);
  let truncated = false;
  const out = files.map((f): PatchedFile => {
    const file: PatchedFile = { filename: f.filename, additions: f.additions, deletions: f.deletions };
    const patch = f.patch ?? '';
    if (!patch) return file;
    if (patch.length <= left) {
      left -= patch.length;
      return { ...file, patch };
    }
    truncated = true;
    const cut = patch.slice(0, left);
    const lastBreak = cut.lastIndexOf('\n');
    const kept = lastBreak > 0 ? cut.slice(0, lastBreak) : '';
    left -= kept.length;
    return kept ? { ...file, patch: kept, patchTruncated: true } : { ...file, patchTruncated: true };
  });
  return { files: out, used: Math.max(0, budget) - left, truncated };
}

/** The first added or removed lines of some patches, for a one-line summary. */
export function changedLines(files: readonly PatchedFile[], maxChars: number): string {
  const lines = files
    .flatMap((f) => (f.patch ?? '').split('\n'))
    .filter((l) => /^[+-](?![+-]{2})/.test(l))
    .map((l) => l.replace(/\s+/g, ' ').trim());
  let out = '';
  for (const l of lines) {
    const next = out ? `${out} | ${l}` : l;
    if (next.length > maxChars) return out || l.slice(0, maxChars);
    out = next;
  }
  return out;
}
