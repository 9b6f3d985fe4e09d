/**
 * The changed lines of a unified diff hunk list (GitHub's `files[].patch`: `@@ -a,b +c,d @@`
 * headers, then ` `, `+` and `-` lines), each with the new-file line it sits at, so a stack
 * frame's line can be checked against what changed. Pure; context lines are dropped.
 */
export type ChangedLine = {
  side: 'added' | 'removed';
  /** The line without its `+`/`-` marker. */
  text: string;
  /** Line number in the new file: an added line's own, a removed line's position (where it was). */
  newLine: number;
};

const HUNK = /^@@ -\d+(?:,\d+)? \+(\d+)(?:,\d+)? @@/;

export function changedLines(patch: string): ChangedLine[] {
  const out: ChangedLine[] = [];
  let next = 0;
  let inHunk = false;
  for (const line of patch.split('\n')) {
    const hunk = HUNK.exec(line);
    if (hunk) {
      next = Number(hunk[1]);
      inHunk = true;
      continue;
    }
    // Before the first hunk are file headers (`--- a/x`, `+++ b/x`) in a full diff; GitHub omits them.
    if (!inHunk) continue;
    if (line.startsWith('+')) {
      out.push({ side: 'added', text: line.slice(1), newLine: next });
      next += 1;
    } else if (line.startsWith('-')) out.push({ side: 'removed', text: line.slice(1), newLine: next });
    else if (!line.startsWith('\\')) next += 1; // context; `\ No newline at end of file` is not a line
  }
  return out;
}
