/**
 * A local OpenAI-compatible server (Ollama, llama.cpp server, vLLM): the Chat Completions wire
 * format at any base URL, with no key unless one is given.
 *
 * @example
 * ```ts
 * const p = localProvider({ baseUrl: 'http://127.0.0.1:11434' });
 * const r = await p.complete({ model: 'llama3.1', system: 'Answer in JSON.', messages: [{ role: 'user', content: 'hi' }], maxTokens: 100 });
 * ```
 */
import type { HttpProviderOptions } from './anthropic-provider.ts';
import { chatCompletionsProvider } from './openai-provider.ts';
import type { LlmProvider } from './types.ts';

export function localProvider(opts: HttpProviderOptions): LlmProvider {
  return chatCompletionsProvider('local', opts);
}
