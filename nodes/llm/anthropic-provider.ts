/**
 * Anthropic Messages API over fetch: POST {baseUrl}/v1/messages with `x-api-key` and
 * `anthropic-version: 2023-06-01`.
 *
 * @example
 * ```ts
 * const p = anthropicProvider({ baseUrl: 'https://api.anthropic.com', apiKey: process.env.ANTHROPIC_API_KEY! });
 * const r = await p.complete({ model: 'claude-sonnet-4-5', system: 'Answer in JSON.', messages: [{ role: 'user', content: 'hi' }], maxTokens: 100 });
 * ```
 */
import { LlmError } from './errors.ts';
import { postJson } from './http.ts';
import type { LlmProvider, LlmRequest, LlmResponse } from './types.ts';

export interface HttpProviderOptions {
  readonly baseUrl: string;
  readonly apiKey?: string;
  readonly timeoutMs?: number;
  readonly maxRetries?: number;
  /** First retry backoff in ms (tests shorten it). */
  readonly backoffMs?: number;
}

interface AnthropicAnswer {
  model?: string;
  content?: { type: string; text?: string }[];
  usage?: { input_tokens?: number; output_tokens?: number };
}

export function anthropicProvider(opts: HttpProviderOptions & { readonly apiKey: string }): LlmProvider {
  const name = 'anthropic';
  return {
    name,
    async complete(req: LlmRequest): Promise<LlmResponse> {
      const body = (await postJson({
        provider: name,
        url: `${trimSlash(opts.baseUrl)}/v1/messages`,
        headers: { 'x-api-key': opts.apiKey, 'anthropic-version': '2023-06-01' },
        body: { model: req.model, max_tokens: req.maxTokens, system: req.system, messages: req.messages },
        timeoutMs: opts.timeoutMs ?? 60_000,
        maxRetries: opts.maxRetries ?? 3,
        ...(opts.backoffMs !== undefined ? { backoffMs: opts.backoffMs } : {}),
        ...(req.signal ? { signal: req.signal } : {}),
      })) as AnthropicAnswer;
      if (!Array.isArray(body.content)) throw new LlmError('bad_response', `${name}: answer has no content[] array`, { provider: name });
      const text = body.content.filter((c) => c.type === 'text' && typeof c.text === 'string').map((c) => c.text).join('');
      return { text, inputTokens: body.usage?.input_tokens ?? 0, outputTokens: body.usage?.output_tokens ?? 0, model: body.model ?? req.model };
    },
  };
}

export function trimSlash(url: string): string {
  return url.replace(/\/+$/, '');
}
