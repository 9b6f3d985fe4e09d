/** The offline investigator, a deterministic Planner (agent/offline/planner.ts). */
export { createOfflinePlanner, type LearnedEffects, type OfflinePlannerDeps } from './planner';
