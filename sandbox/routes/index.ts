import type { Route } from '../http';

/**
 * Every route family the sandbox serves. Each module exports `routes: Route[]`;
 * add a family here with one line.
 */
export const routeFamilies: Route[][] = [];
