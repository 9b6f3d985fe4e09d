/**
 * The changed lines of a unified diff hunk list (GitHub's `files[].patch`: `@@ -a,b +c,d @@`
 * headers, then ` `, `+` and `-` lines), each with the new-file line it sits at, so a stack
 * frame's line can be checked against what changed. Pure; context lines are dropped, except the
 * one that names a changed bare value (its `owner`).
 */
export type ChangedLine = {
  side: 'added' | 'removed';
  /** The line without its `+`/`-` marker. */
  text: string;
  /** Line number in the new file: an added line's own, a removed line's position (where it was). */
  newLine: number;
  /**
   * For a line that holds only a value (`value: "5"` under `- name: DB_POOL_SIZE` in Helm values,
   * a bare literal in a list), the unchanged line above it that names what the value is for.
   */
  owner?: string;
};

/** A line that is a value without its own name: `value: "5"`, `- value: 5`, `"5",`, `30`. */
const VALUE_ONLY = /^\s*(?:-\s*)?(?:(?:value|default)\s*[:=]\s*\S.*|["']?[\w.:/-]+["']?,?)\s*$/i;

const HUNK = /^@@ -\d+(?:,\d+)? \+(\d+)(?:,\d+)? @@/;

export function changedLines(patch: string): ChangedLine[] {
  const out: ChangedLine[] = [];
  let next = 0;
  let inHunk = false;
  let above: string | undefined;
  const changed = (side: ChangedLine['side'], text: string): ChangedLine => ({
    side,
    text,
    newLine: next,
    ...(above !== undefined && VALUE_ONLY.test(text) ? { owner: above } : {}),
  });
  for (const line of patch.split('\n')) {
    const hunk = HUNK.exec(line);
    if (hunk) {
      next = Number(hunk[1]);
      inHunk = true;
      above = undefined;
      continue;
    }
    // Before the first hunk are file headers (`--- a/x`, `+++ b/x`) in a full diff; GitHub omits them.
    if (!inHunk) continue;
    if (line.startsWith('+')) {
      out.push(changed('added', line.slice(1)));
      next += 1;
    } else if (line.startsWith('-')) out.push(changed('removed', line.slice(1)));
    else if (!line.startsWith('\\')) {
      // context; `\ No newline at end of file` is not a line
      above = line.slice(1);
      next += 1;
    }
  }
  return out;
}
