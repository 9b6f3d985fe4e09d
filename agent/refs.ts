/**
 * When two suspect refs name the same thing: equal ignoring case and surrounding space, or two
 * commit shas of which one abbreviates the other (a model or a person often writes 7 characters).
 */
export function sameRef(a: string, b: string): boolean {
  const x = a.trim().toLowerCase();
  const y = b.trim().toLowerCase();
  if (x === y) return true;
  const hex = /^[0-9a-f]{7,40}$/;
  return hex.test(x) && hex.test(y) && (x.startsWith(y) || y.startsWith(x));
}
