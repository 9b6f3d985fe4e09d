/**
 * Kubernetes field selectors (`fieldSelector`): comma-separated `path=value`, `path==value` or
 * `path!=value` over an object's fields (`metadata.name`, `involvedObject.kind`, `spec.nodeName`).
 * The API server accepts only a few paths per resource; the sandbox accepts any dotted path, which
 * answers every query a real server would.
 */
export type FieldPredicate = (object: unknown) => boolean;

export class FieldSelectorError extends Error {
  constructor(requirement: string) {
    super(
      `invalid field selector requirement ${JSON.stringify(requirement)}: expected path=value or path!=value`,
    );
    this.name = 'FieldSelectorError';
  }
}

function fieldAt(object: unknown, path: string): string | undefined {
  let value: unknown = object;
  for (const part of path.split('.')) {
    if (!value || typeof value !== 'object') return undefined;
    value = (value as Record<string, unknown>)[part];
  }
  return value === undefined || value === null ? undefined : String(value);
}

export function compileFieldSelector(selector: string | null | undefined): FieldPredicate {
  const predicates = (selector ?? '')
    .split(',')
    .map((r) => r.trim())
    .filter(Boolean)
    .map((r): FieldPredicate => {
      const m = /^([A-Za-z0-9_.]+)\s*(==|=|!=)\s*(.*)$/.exec(r);
      if (!m) throw new FieldSelectorError(r);
      const [, path, op, value] = m as unknown as [string, string, string, string];
      return op === '!='
        ? (o) => (fieldAt(o, path) ?? '') !== value
        : (o) => (fieldAt(o, path) ?? '') === value;
    });
  return (object) => predicates.every((p) => p(object));
}
