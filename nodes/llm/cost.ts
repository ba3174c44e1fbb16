/**
 * What a run spends on the LLM, from token counts and the price table of llm.yaml (USD per
 * million tokens). One tracker per run: `callLlm` refuses a call that would pass the limit.
 *
 * @example
 * ```ts
 * const budget = new CostTracker(config);
 * budget.record('gpt-4o', 1200, 300); // adds the cost
 * console.log(budget.spentUsd);
 * ```
 */
import type { LlmConfig } from '../../config/llm.ts';
import { LlmError } from './errors.ts';

export class CostTracker {
  #spent = 0;
  #inputTokens = 0;
  #outputTokens = 0;

  constructor(private readonly config: Pick<LlmConfig, 'prices' | 'limits'>) {}

  get spentUsd(): number { return this.#spent; }
  get inputTokens(): number { return this.#inputTokens; }
  get outputTokens(): number { return this.#outputTokens; }

  /** USD for that many tokens of `model` (0 when the model has no price). */
  cost(model: string, inputTokens: number, outputTokens: number): number {
    const p = this.config.prices[model];
    return p ? (inputTokens * p.input + outputTokens * p.output) / 1e6 : 0;
  }

  /** Throws when a call of about `promptChars` characters answering up to `maxTokens` could pass the limit. */
  ensureRoom(feature: string, model: string, promptChars: number, maxTokens: number): void {
    // ~4 characters per token; the whole answer budget counted: refuse before spending, not after.
    const estimate = this.cost(model, Math.ceil(promptChars / 4), maxTokens);
    const limit = this.config.limits.max_cost_per_run_usd;
    if (this.#spent + estimate > limit) {
      throw new LlmError('cost_limit', `${feature}: the LLM call could cost ~$${estimate.toFixed(4)} with $${this.#spent.toFixed(4)} already spent, over limits.max_cost_per_run_usd ($${limit}); raise the limit in llm.yaml or use a cheaper tier`, { feature });
    }
  }

  record(model: string, inputTokens: number, outputTokens: number): number {
    const c = this.cost(model, inputTokens, outputTokens);
    this.#spent += c;
    this.#inputTokens += inputTokens;
    this.#outputTokens += outputTokens;
    return c;
  }
}
