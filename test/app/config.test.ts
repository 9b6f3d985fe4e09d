import { describe, expect, it } from 'vitest';
import { ConfigError, describeDisabled, integrationsOf, parseEnv } from '../../app/config';
import { llmFromEnv } from '../../app/runtime';

function errorOf(env: Record<string, string>): ConfigError {
  try {
    parseEnv(env);
  } catch (err) {
    if (err instanceof ConfigError) return err;
    throw err;
  }
  throw new Error('expected a ConfigError');
}

describe('configuration', () => {
  it('applies defaults when nothing is set', () => {
    const env = parseEnv({});
    expect(env.PORT).toBe(3000);
    expect(env.SRE_DB_PATH).toBe('data/sre-assistant.db');
    expect(env.SRE_MAX_STEPS).toBe(12);
    expect(env.SRE_LLM_TOOL_MODE).toBe('native');
    expect(env.SRE_ALERT_CHANNELS).toEqual([]);
  });

  it('a configured model refines the offline answer by default; SRE_LLM_MODE and SRE_LLM_PRICE change that', () => {
    const model = { OPENAI_BASE_URL: 'http://127.0.0.1:11434/v1', SRE_LLM_MODEL: 'llama3.1' };
    expect(llmFromEnv(parseEnv({}))).toBeUndefined();
    expect(llmFromEnv(parseEnv(model))).toMatchObject({ model: 'llama3.1', mode: 'hybrid' });
    expect(llmFromEnv(parseEnv({ ...model, SRE_LLM_MODE: 'llm' }))?.mode).toBe('llm');
    expect(llmFromEnv(parseEnv({ ...model, SRE_LLM_MODE: 'offline' }))).toBeUndefined();
    expect(llmFromEnv(parseEnv({ ...model, SRE_LLM_PRICE: ' 0.2 , 0.8' }))?.price).toEqual({
      input: 0.2,
      output: 0.8,
    });
  });

  it('treats empty strings as unset', () => {
    expect(parseEnv({ PORT: '', SLACK_BOT_TOKEN: '  ' }).PORT).toBe(3000);
  });

  it.each([
    ['PORT', 'abc', /whole number/],
    ['PORT', '70000', /at most 65535/],
    ['SLACK_BOT_TOKEN', 'xoxp-user', /xoxb-/],
    ['SLACK_APP_TOKEN', 'nope', /xapp-/],
    ['SLACK_API_URL', 'not a url', /http\(s\) URL/],
    ['OPENAI_BASE_URL', 'ftp://x', /http\(s\) URL/],
    ['SRE_LLM_TOOL_MODE', 'json', /native or react/],
    ['SRE_LLM_MODE', 'agent', /hybrid, llm or offline/],
    ['SRE_LLM_PRICE', '0.15', /input,output/],
    ['SRE_EMBEDDINGS', 'bert', /local or openai/],
    ['SRE_ALERT_CHANNELS', 'C123,general', /channel ids/],
    ['SRE_WEBHOOK_SECRET', 'short', /16 characters/],
    ['SRE_MAX_COST_USD', 'cheap', /number/],
    ['SRE_LOG_LEVEL', 'loud', /one of/],
  ])('rejects %s=%s with one message naming the variable', (variable, value, expected) => {
    const err = errorOf({ [variable]: value });
    expect(err.variable).toBe(variable);
    expect(err.message).toContain(variable);
    expect(err.message).toMatch(expected);
    expect(err.message.split('\n')).toHaveLength(1);
  });

  it('never echoes a secret value in its error', () => {
    const err = errorOf({ SLACK_BOT_TOKEN: 'xoxp-super-secret-value' });
    expect(err.message).not.toContain('super-secret');
  });

  it('disables integrations that are not configured, and says how to enable them', () => {
    const env = parseEnv({ GITHUB_TOKEN: 'ghp_x' });
    const on = integrationsOf(env);
    expect(on.github).toBe(true);
    expect(on.datadog).toBe(false);
    expect(on.slack).toBe(false);
    const lines = describeDisabled(env);
    expect(lines.some((l) => l.includes('DD_API_KEY'))).toBe(true);
    expect(lines.some((l) => l.startsWith('GitHub'))).toBe(false);
  });

  it('Kubernetes is on with a kubeconfig or inside a cluster, and off (with a hint) otherwise', () => {
    expect(integrationsOf(parseEnv({ KUBECONFIG: '/home/me/.kube/config' })).kubernetes).toBe(true);
    expect(integrationsOf(parseEnv({ KUBERNETES_SERVICE_HOST: '10.96.0.1' })).kubernetes).toBe(true);
    const off = parseEnv({});
    expect(integrationsOf(off).kubernetes).toBe(false);
    expect(describeDisabled(off).some((l) => l.startsWith('Kubernetes tools disabled: set KUBECONFIG'))).toBe(
      true,
    );
  });

  it('a scenario enables every data source', () => {
    const on = integrationsOf(parseEnv({ SRE_SCENARIO: 'sandbox/scenarios/x' }));
    expect(on.datadog && on.github && on.rootly && on.launchdarkly).toBe(true);
  });
});
