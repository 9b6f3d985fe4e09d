import { randomBytes } from 'node:crypto';

/** A new investigation id: time-ordered, with random bytes so two runs in one millisecond differ. */
export function newInvestigationId(): string {
  return `inv_${Date.now().toString(36)}${randomBytes(4).toString('hex')}`;
}
