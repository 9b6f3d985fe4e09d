import { describe, expect, it } from 'vitest';
import { excludedTerms, partsOf, pathMentions, termsOf } from '../../../tools/analysis/terms';

const keys = (text: string, services: string[] = []) =>
  termsOf(text, excludedTerms(services)).map((t) => t.key);

describe('Matching means something: terms match however a name is written, and generic names never count', () => {
  it('gives one key to the spellings of one name', () => {
    const forms = ['MAX_POOL_SIZE', 'maxPoolSize', 'max-pool-size', 'max.pool.size'];
    for (const f of forms) expect(keys(f)).toContain('maxpoolsize');
    expect(partsOf('HTTPServerError')).toEqual(['HTTP', 'Server', 'Error']);
  });

  it('reads a file name without its extension, but keeps host names whole', () => {
    expect(keys('at applyDiscount.ts:42')).toEqual(['applydiscount', 'apply', 'discount']);
    expect(keys('api.stripe.com')).toContain('apistripecom');
  });

  it('keeps compound segments of dotted keys, so a YAML leaf matches its full key', () => {
    const terms = termsOf('spring.datasource.hikari.maximumPoolSize=5', excludedTerms());
    expect(terms.filter((t) => t.kind === 'identifier').map((t) => t.key)).toEqual([
      'springdatasourcehikarimaximumpoolsize',
      'maximumpoolsize',
    ]);
  });

  it('drops generic words, TLDs, package prefixes and the services in scope, whole and by part', () => {
    expect(
      keys('checkout-api request failed: timeout calling api.stripe.com from src/lib', ['checkout-api']),
    ).toEqual(['apistripecom', 'stripe']);
    expect(keys('request_id=abc status_code=500 error')).toEqual(['abc']);
  });

  it('finds the paths a message names, with their line', () => {
    expect(
      pathMentions(
        'TypeError at applyDiscount (src/payments/applyDiscount.ts:42:31) via file:///app/lib/x.mjs',
      ),
    ).toEqual([{ path: 'src/payments/applyDiscount.ts', line: 42 }, { path: '/app/lib/x.mjs' }]);
    expect(pathMentions('ratio 3/4 of 10.0.0.1')).toEqual([]);
  });
});
