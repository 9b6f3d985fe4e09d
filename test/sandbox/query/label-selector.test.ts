import { describe, expect, it } from 'vitest';
import { compileLabelSelector, LabelSelectorError } from '../../../sandbox/query/label-selector';

describe('Kubernetes label selectors', () => {
  const labels = { app: 'checkout', tier: 'web' };
  it('equality, inequality, set and existence requirements, all of which must hold', () => {
    expect(compileLabelSelector('app=checkout')(labels)).toBe(true);
    expect(compileLabelSelector('app==checkout,tier=db')(labels)).toBe(false);
    expect(compileLabelSelector('app!=ledger')(labels)).toBe(true);
    expect(compileLabelSelector('tier in (web, api)')(labels)).toBe(true);
    expect(compileLabelSelector('tier notin (web)')(labels)).toBe(false);
    expect(compileLabelSelector('app,!canary')(labels)).toBe(true);
    expect(compileLabelSelector('canary')(labels)).toBe(false);
  });

  it('!= and notin also match an object without the label, as the API server does', () => {
    expect(compileLabelSelector('zone!=a')(labels)).toBe(true);
    expect(compileLabelSelector('zone notin (a)')(labels)).toBe(true);
  });

  it('an empty selector matches everything; a bad one names its requirement', () => {
    expect(compileLabelSelector('')(labels)).toBe(true);
    expect(() => compileLabelSelector('app in ()')).toThrow(LabelSelectorError);
    expect(() => compileLabelSelector('app=checkout,bad key=1')).toThrow(/bad key=1/);
  });
});
