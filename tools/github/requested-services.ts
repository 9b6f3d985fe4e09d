/**
 * The catalog services a github.changes input asks for: `service`, then `services`. Pure, so the
 * offline planner can tell which services it already read without loading the GitHub client.
 */
export function requestedServices(input: { service?: string; services?: string[] }): string[] {
  return [...(input.service ? [input.service] : []), ...(input.services ?? [])];
}
