import type { Route } from '../http';
import { routes as datadog } from './datadog';
import { routes as datadogMetrics } from './datadog-metrics';
import { routes as github } from './github';
import { routes as k8s } from './k8s';
import { routes as knowledgePages } from './knowledge-pages';
import { routes as launchdarkly } from './launchdarkly';
import { routes as openai } from './openai';
import { routes as openaiFineTune } from './openai-finetune';
import { routes as rootly } from './rootly';
import { routes as slack } from './slack';
import { routes as slackRead } from './slack-read';

/**
 * Every route family the sandbox serves. Each module exports `routes: Route[]`;
 * add a family here with one line.
 */
export const routeFamilies: Route[][] = [
  datadog,
  datadogMetrics,
  github,
  rootly,
  launchdarkly,
  k8s,
  openai,
  openaiFineTune,
  slack,
  slackRead,
  knowledgePages,
];
