/**
 * Kubernetes label selectors as the API server takes them in `labelSelector`
 * (https://kubernetes.io/docs/concepts/overview/working-with-objects/labels/#label-selectors):
 * comma-separated requirements, all of which must hold: `k=v`, `k==v`, `k!=v`, `k in (a,b)`,
 * `k notin (a,b)`, `k` (the label exists) and `!k` (it does not). A `!=` or `notin` also matches
 * an object without the label, as the API server does. Compiled to a predicate over one object's
 * labels; a selector that cannot be parsed throws a LabelSelectorError naming the requirement.
 */
export type LabelPredicate = (labels: Readonly<Record<string, string>>) => boolean;

export class LabelSelectorError extends Error {
  constructor(requirement: string, detail: string) {
    super(`unable to parse requirement ${JSON.stringify(requirement)}: ${detail}`);
    this.name = 'LabelSelectorError';
  }
}

const KEY = /^([a-z0-9]([-a-z0-9.]*[a-z0-9])?\/)?[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$/;
const VALUE = /^([A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?)?$/;

/** Splits on commas outside parentheses: `a in (x,y),b` is two requirements. */
function requirements(selector: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let current = '';
  for (const c of selector) {
    if (c === '(') depth++;
    if (c === ')') depth--;
    if (c === ',' && depth === 0) {
      out.push(current.trim());
      current = '';
    } else current += c;
  }
  out.push(current.trim());
  return out.filter((r) => r !== '');
}

function checked(requirement: string, key: string, values: string[]): void {
  if (!KEY.test(key)) throw new LabelSelectorError(requirement, `invalid label key ${JSON.stringify(key)}`);
  for (const v of values)
    if (!VALUE.test(v)) throw new LabelSelectorError(requirement, `invalid label value ${JSON.stringify(v)}`);
}

function compileRequirement(r: string): LabelPredicate {
  const set = /^(\S+)\s+(in|notin)\s*\(([^)]*)\)$/.exec(r);
  if (set) {
    const [, key, op, list] = set as unknown as [string, string, string, string];
    const values = list
      .split(',')
      .map((v) => v.trim())
      .filter(Boolean);
    checked(r, key, values);
    if (values.length === 0)
      throw new LabelSelectorError(r, 'for "in" and "notin", values must be non-empty');
    return op === 'in'
      ? (labels) => key in labels && values.includes(labels[key]!)
      : (labels) => !(key in labels) || !values.includes(labels[key]!);
  }
  const eq = /^([^=!\s]+)\s*(==|=|!=)\s*(\S*)$/.exec(r);
  if (eq) {
    const [, key, op, value] = eq as unknown as [string, string, string, string];
    checked(r, key, [value]);
    return op === '!=' ? (labels) => labels[key] !== value : (labels) => labels[key] === value;
  }
  const absent = /^!\s*(\S+)$/.exec(r);
  if (absent) {
    checked(r, absent[1]!, []);
    return (labels) => !(absent[1]! in labels);
  }
  checked(r, r, []);
  return (labels) => r in labels;
}

export function compileLabelSelector(selector: string | null | undefined): LabelPredicate {
  const predicates = requirements(selector ?? '').map(compileRequirement);
  return (labels) => predicates.every((p) => p(labels));
}
