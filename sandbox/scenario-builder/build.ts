import { join } from 'node:path';
import * as checkoutBadCommit from './checkout-bad-commit';
import { writeScenario } from './lib';

/** Regenerates every bundled scenario deterministically: `npm run scenarios:build`. */
const builders = [checkoutBadCommit];
const root = join(import.meta.dirname, '..', 'scenarios');
for (const b of builders) {
  const { id, files } = b.build();
  writeScenario(root, id, files);
  process.stdout.write(`wrote sandbox/scenarios/${id}\n`);
}
