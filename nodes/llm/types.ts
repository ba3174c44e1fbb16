/**
 * The LLM seam: one small interface every provider implements, and the request/answer shapes.
 * Providers speak HTTP through `fetch` (no SDKs); `callLlm` adds prompts, cache, validation,
 * privacy and cost on top.
 */
export type { LlmFeature, ModelTier, ProviderName } from '../../config/llm.ts';

export interface LlmMessage {
  readonly role: 'user' | 'assistant';
  readonly content: string;
}

export interface LlmRequest {
  readonly model: string;
  readonly system: string;
  readonly messages: readonly LlmMessage[];
  readonly maxTokens: number;
  /** Cancels the request (the provider adds its own timeout on top). */
  readonly signal?: AbortSignal;
}

export interface LlmResponse {
  readonly text: string;
  readonly inputTokens: number;
  readonly outputTokens: number;
  /** The model that answered (as the provider reports it). */
  readonly model: string;
}

/** A language model reachable over HTTP. */
export interface LlmProvider {
  readonly name: string;
  complete(req: LlmRequest): Promise<LlmResponse>;
}

/** What every LLM feature returns besides its value: whether the LLM was used, and why not. */
export interface LlmOutcome {
  /** `llm` when the answer came from the model (or its cache), `heuristic` when it fell back. */
  readonly source: 'llm' | 'heuristic';
  readonly warnings: readonly string[];
}
