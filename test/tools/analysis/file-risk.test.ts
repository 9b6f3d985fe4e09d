import { describe, expect, it } from 'vitest';
import { changeRisk, fileKind } from '../../../tools/analysis/file-risk';

describe('Matching means something: a change carries a risk prior from the files it touches', () => {
  it.each([
    ['README.md', 'docs'],
    ['docs/runbooks/payments.md', 'docs'],
    ['docs/examples/values.yaml', 'docs'],
    ['src/payments/discount.test.ts', 'test'],
    ['billing/tests/test_totals.py', 'test'],
    ['internal/store/pool_test.go', 'test'],
    ['src/test/java/com/acme/OrderServiceTest.java', 'test'],
    ['spec/models/order_spec.rb', 'test'],
    ['package-lock.json', 'lockfile'],
    ['services/web/pnpm-lock.yaml', 'lockfile'],
    ['go.sum', 'lockfile'],
    ['.github/workflows/deploy.yml', 'ci'],
    ['.gitlab-ci.yml', 'ci'],
    ['deploy/helm/orders/values-prod.yaml', 'config'],
    ['config/database.yml', 'config'],
    ['src/main/resources/application.properties', 'config'],
    ['.env.production', 'config'],
    ['infra/rds.tf', 'config'],
    ['db/migrate/20260301_add_index_to_orders.rb', 'migration'],
    ['migrations/0042_drop_legacy_column.sql', 'migration'],
    ['src/payments/discount.ts', 'source'],
    ['cmd/ledger/main.go', 'source'],
    ['src/config/pool.ts', 'source'],
    ['src/billing/license.ts', 'source'],
    ['charts/orders/values.yaml', 'config'],
  ])('%s is %s', (path, kind) => {
    expect(fileKind(path)).toBe(kind);
  });

  it('rates a change by its riskiest file and names the files that decided it', () => {
    expect(changeRisk(['README.md', '.github/workflows/ci.yml'])).toEqual({
      level: 'low',
      reason: 'changes only docs, ci files (README.md, .github/workflows/ci.yml): low risk prior',
    });
    expect(changeRisk(['src/pool.ts', 'deploy/orders.env'])).toEqual({
      level: 'high',
      reason: 'changes config (deploy/orders.env): high risk prior',
    });
    expect(changeRisk(['src/a.ts', 'README.md']).level).toBe('neutral');
    expect(changeRisk([]).level).toBe('neutral');
  });
});
