import type { Tool } from '../contract';
import type { DatadogConfig } from './client';
import { eventTools } from './events';
import { logTools } from './logs';
import { metricTools } from './metrics';
import { metricsListTool } from './metrics-list';
import { monitorTools } from './monitors';
import { spanTools } from './spans';

/** Every read-only DataDog tool, on @datadog/datadog-api-client. */
export function createDatadogTools(cfg: DatadogConfig): Tool[] {
  return [
    ...monitorTools(cfg),
    ...metricTools(cfg),
    metricsListTool(cfg),
    ...logTools(cfg),
    ...spanTools(cfg),
    ...eventTools(cfg),
  ];
}
