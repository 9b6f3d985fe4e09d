import { badCommit } from './bad-commit';
import { badHost } from './bad-host';
import { canary } from './canary';
import { capacity } from './capacity';
import { certDns } from './cert-dns';
import { dependencyCommit } from './dependency-commit';
import { deployConfig } from './deploy-config';
import { externalConfig } from './external-config';
import { featureFlag } from './feature-flag';
import { inconclusiveBlip } from './inconclusive-blip';
import { internalDependencyOutage } from './internal-dependency-outage';
import type { IncidentClass } from './kit';
import { memoryLeak } from './memory-leak';
import { retryStorm } from './retry-storm';
import { sharedDbMigration } from './shared-db-migration';
import { thirdPartyOutage } from './third-party-outage';

/**
 * Every incident class the generator draws from; seeds rotate through them in this order
 * (seed % 15), so any 15 consecutive seeds hold one world of each class.
 */
export const CLASSES: readonly IncidentClass[] = [
  badCommit,
  dependencyCommit,
  deployConfig,
  externalConfig,
  sharedDbMigration,
  featureFlag,
  memoryLeak,
  thirdPartyOutage,
  internalDependencyOutage,
  capacity,
  badHost,
  certDns,
  retryStorm,
  canary,
  inconclusiveBlip,
];
