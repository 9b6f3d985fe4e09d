import { badCommit } from './bad-commit';
import type { IncidentClass } from './kit';

/** Every incident class the generator draws from; seeds rotate through them in this order. */
export const CLASSES: readonly IncidentClass[] = [badCommit];
