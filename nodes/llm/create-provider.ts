/**
 * The active provider from the settings, or null when the LLM is off. A missing API key is an
 * error naming its environment variable.
 *
 * @example
 * ```ts
 * const provider = createProvider(loadLlmConfig('config/llm.yaml')); // null with provider: none
 * ```
 */
import { resolveApiKey, type LlmConfig } from '../../config/llm.ts';
import { anthropicProvider } from './anthropic-provider.ts';
import { LlmError } from './errors.ts';
import { localProvider } from './local-provider.ts';
import { openaiProvider } from './openai-provider.ts';
import type { LlmProvider } from './types.ts';

export function createProvider(config: LlmConfig, env: NodeJS.ProcessEnv = process.env, backoffMs?: number): LlmProvider | null {
  if (config.provider === 'none') return null;
  const settings = config.providers[config.provider];
  if (!settings) throw new LlmError('config', `LLM provider '${config.provider}' has no settings under providers.${config.provider} in llm.yaml`);
  const apiKey = resolveApiKey(config, env);
  const common = {
    baseUrl: settings.base_url,
    timeoutMs: config.limits.timeout_ms,
    maxRetries: config.limits.max_retries,
    ...(backoffMs !== undefined ? { backoffMs } : {}),
  };
  switch (config.provider) {
    case 'anthropic': return anthropicProvider({ ...common, apiKey: apiKey! });
    case 'openai': return openaiProvider({ ...common, apiKey: apiKey! });
    case 'local': return localProvider({ ...common, ...(apiKey ? { apiKey } : {}) });
  }
}
