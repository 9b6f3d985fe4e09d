import { join } from 'node:path';
import * as catalogTrafficSpike from './catalog-traffic-spike';
import * as checkoutBadCommit from './checkout-bad-commit';
import * as gatewayRatelimitEvent from './gateway-ratelimit-event';
import { writeScenario } from './lib';
import * as notificationsUpstreamOutage from './notifications-upstream-outage';
import * as ordersDbPoolConfig from './orders-db-pool-config';
import * as searchFlagFlip from './search-flag-flip';

/** Regenerates every bundled scenario deterministically: `npm run scenarios:build`. */
const builders = [
  checkoutBadCommit,
  ordersDbPoolConfig,
  gatewayRatelimitEvent,
  searchFlagFlip,
  notificationsUpstreamOutage,
  catalogTrafficSpike,
];
const root = join(import.meta.dirname, '..', 'scenarios');
for (const b of builders) {
  const { id, files } = b.build();
  writeScenario(root, id, files);
  process.stdout.write(`wrote sandbox/scenarios/${id}\n`);
}
