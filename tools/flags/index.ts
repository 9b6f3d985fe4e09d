/** Feature flags: LaunchDarkly's audit log as flag changes (tools/flags/changes.ts). */
export { createFlagTools, type FlagChangeData } from './changes';
