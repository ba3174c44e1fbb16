/** Settings and runtimes pointed at the fake server. */
import { validateLlmConfig, type LlmConfig } from '../../config/llm.ts';
import { CostTracker } from '../../nodes/llm/cost.ts';
import { createProvider } from '../../nodes/llm/create-provider.ts';
import type { LlmRuntime } from '../../nodes/llm/llm-runtime.ts';
import type { StoreContext } from '../../store/repositories/context.ts';

export const TEST_KEY = 'sk-test-SECRET-never-leak-4242';
export const KEY_ENV = 'DATARAUM_TEST_LLM_KEY';
export const env = { [KEY_ENV]: TEST_KEY };

export function testConfig(provider: 'anthropic' | 'openai' | 'local', baseUrl: string, overrides: Record<string, unknown> = {}): LlmConfig {
  const settings = { base_url: baseUrl, models: { fast: 'm-fast', balanced: 'm-balanced', best: 'm-best' }, ...(provider === 'local' ? {} : { api_key_env: KEY_ENV }) };
  return validateLlmConfig({
    provider,
    providers: { [provider]: settings },
    limits: { timeout_ms: 2000, max_retries: 2, max_sample_values: 5 },
    privacy: {
      mode: 'synthetic',
      sensitive_columns: ['email', 'phone', '(first|last|full)_?name', 'card'],
      sensitive_values: ['^[^@\\s]+@[^@\\s]+\\.[^@\\s]+$', '^(?:\\d[ -]?){13,19}$'],
    },
    ...overrides,
  });
}

export function testRuntime(config: LlmConfig, store?: StoreContext, log?: (l: string) => void): LlmRuntime {
  return { config, provider: createProvider(config, env, 5), ...(store ? { store } : {}), sourceId: null, budget: new CostTracker(config), ...(log ? { log } : {}) };
}
