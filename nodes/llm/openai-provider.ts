/**
 * OpenAI Chat Completions over fetch: POST {baseUrl}/v1/chat/completions with a Bearer key,
 * asking for a JSON object (`response_format: { type: 'json_object' }`).
 *
 * @example
 * ```ts
 * const p = openaiProvider({ baseUrl: 'https://api.openai.com', apiKey: process.env.OPENAI_API_KEY! });
 * const r = await p.complete({ model: 'gpt-4o-mini', system: 'Answer in JSON.', messages: [{ role: 'user', content: 'hi' }], maxTokens: 100 });
 * ```
 */
import { trimSlash, type HttpProviderOptions } from './anthropic-provider.ts';
import { LlmError } from './errors.ts';
import { postJson } from './http.ts';
import type { LlmProvider, LlmRequest, LlmResponse } from './types.ts';

interface ChatAnswer {
  model?: string;
  choices?: { message?: { content?: string | null } }[];
  usage?: { prompt_tokens?: number; completion_tokens?: number };
}

/** A provider speaking the Chat Completions wire format; `name` says which server it is. */
export function chatCompletionsProvider(name: string, opts: HttpProviderOptions): LlmProvider {
  return {
    name,
    async complete(req: LlmRequest): Promise<LlmResponse> {
      const body = (await postJson({
        provider: name,
        url: `${trimSlash(opts.baseUrl)}/v1/chat/completions`,
        headers: opts.apiKey ? { authorization: `Bearer ${opts.apiKey}` } : {},
        body: {
          model: req.model,
          messages: [{ role: 'system', content: req.system }, ...req.messages],
          max_tokens: req.maxTokens,
          response_format: { type: 'json_object' },
        },
        timeoutMs: opts.timeoutMs ?? 60_000,
        maxRetries: opts.maxRetries ?? 3,
        ...(opts.backoffMs !== undefined ? { backoffMs: opts.backoffMs } : {}),
        ...(req.signal ? { signal: req.signal } : {}),
      })) as ChatAnswer;
      const content = body.choices?.[0]?.message?.content;
      if (typeof content !== 'string') throw new LlmError('bad_response', `${name}: answer has no choices[0].message.content`, { provider: name });
      return { text: content, inputTokens: body.usage?.prompt_tokens ?? 0, outputTokens: body.usage?.completion_tokens ?? 0, model: body.model ?? req.model };
    },
  };
}

export function openaiProvider(opts: HttpProviderOptions & { readonly apiKey: string }): LlmProvider {
  return chatCompletionsProvider('openai', opts);
}
