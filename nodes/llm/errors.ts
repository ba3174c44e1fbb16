/** Errors of the LLM layer: which provider, which status, what the provider said, what to do. */

export type LlmErrorCode = 'http' | 'timeout' | 'network' | 'bad_response' | 'invalid_answer' | 'cost_limit' | 'config' | 'prompt';

export class LlmError extends Error {
  constructor(
    readonly code: LlmErrorCode,
    message: string,
    readonly details: { readonly provider?: string; readonly status?: number; readonly feature?: string } = {},
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'LlmError';
  }
}
