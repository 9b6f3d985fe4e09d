/** Rootly: past incidents with their cause and mitigation (tools/rootly/incidents.ts). */
export { createRootlyTools, listIncidents, type PastIncident, type RootlyConfig } from './incidents';
