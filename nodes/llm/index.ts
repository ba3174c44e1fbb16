/**
 * LLM providers and the four LLM features. Everything here falls back to the heuristic result
 * when the LLM is off (the default), disabled per feature, or failing.
 */
export type { LlmMessage, LlmOutcome, LlmProvider, LlmRequest, LlmResponse } from './types.ts';
export { LlmError, type LlmErrorCode } from './errors.ts';
export { anthropicProvider, type HttpProviderOptions } from './anthropic-provider.ts';
export { chatCompletionsProvider, openaiProvider } from './openai-provider.ts';
export { localProvider } from './local-provider.ts';
export { createProvider } from './create-provider.ts';
export { parseRetryAfter } from './http.ts';
export { callLlm, checkAnswer, type LlmCallResult, type LlmContext, type LlmInput } from './call-llm.ts';
export { invalidateLlmCache, readLlmCache, writeLlmCache, type LlmCacheFilter } from './llm-cache.ts';
export { CostTracker } from './cost.ts';
export { privacyGuard, syntheticLookalike, type PrivacyGuard } from './privacy.ts';
export { loadPromptTemplate, renderPrompt, DEFAULT_PROMPTS_DIR, type PromptTemplate } from './prompts.ts';
export { FEATURE_SCHEMAS, type FeatureAnswer } from './schemas.ts';
export { checkPredicate, checkSelect } from './sql-check.ts';
export { llmRuntime, type LlmRuntime, type Refined } from './llm-runtime.ts';
export { llmSemanticRefiner, refineSemanticAnnotations, type SemanticRefinerOptions } from './semantic-refiner.ts';
export { llmQualityRules, type RefinedQualityRule, type RefinedQualityRules } from './quality-rules.ts';
export { llmSuggestedQueries, type QueryRelationship } from './suggested-queries.ts';
export { heuristicContextSummary, llmContextSummary } from './context-summary.ts';
export { contextSummary, type ContextSummary } from './context-summary-node.ts';
