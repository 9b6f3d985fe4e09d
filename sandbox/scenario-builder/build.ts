import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as catalogTrafficSpike from './catalog-traffic-spike';
import * as checkoutBadCommit from './checkout-bad-commit';
import * as gatewayRatelimitEvent from './gateway-ratelimit-event';
import { writeScenario } from './lib';
import * as notificationsUpstreamOutage from './notifications-upstream-outage';
import * as ordersDbPoolConfig from './orders-db-pool-config';
import * as searchFlagFlip from './search-flag-flip';

/** Regenerates every bundled scenario deterministically: `npm run scenarios:build`. */
export const builders = [
  checkoutBadCommit,
  ordersDbPoolConfig,
  gatewayRatelimitEvent,
  searchFlagFlip,
  notificationsUpstreamOutage,
  catalogTrafficSpike,
];
export const SCENARIOS_ROOT = join(import.meta.dirname, '..', 'scenarios');

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  for (const b of builders) {
    const { id, files } = b.build();
    writeScenario(SCENARIOS_ROOT, id, files);
    process.stdout.write(`wrote sandbox/scenarios/${id}\n`);
  }
}
