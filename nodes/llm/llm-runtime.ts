/**
 * What the four LLM features share for one run: the settings, the provider (null when off), the
 * cache store, the source, and one cost budget. `llmRuntime` is also a node: wire it with an
 * `llmConfig` input (optional: no config means off).
 *
 * @example
 * ```ts
 * const runtime = llmRuntime(loadLlmConfig('config/llm.yaml'), store);
 * const refined = await llmSemanticRefiner(runtime, { duckdb: conn })(heuristicAnnotations);
 * ```
 */
import { validateLlmConfig, type LlmConfig, type LlmFeature } from '../../config/llm.ts';
import type { StoreContext } from '../../store/repositories/context.ts';
import type { LlmContext } from './call-llm.ts';
import { CostTracker } from './cost.ts';
import { createProvider } from './create-provider.ts';
import type { LlmProvider } from './types.ts';

export interface LlmRuntime {
  readonly config: LlmConfig;
  /** Null when the LLM is off (`provider: none`). */
  readonly provider: LlmProvider | null;
  readonly store?: StoreContext;
  readonly sourceId?: string | null;
  readonly budget: CostTracker;
  readonly promptsDir?: string;
  readonly log?: (line: string) => void;
}

/** The settings when none are given: provider none, every feature falls back to heuristics. */
export const LLM_OFF: LlmConfig = validateLlmConfig({});

/**
 * The LLM runtime of a run (off without settings). Throws when the active provider's API key is
 * missing from the environment. A resource (it holds the provider): never cached.
 * @tag module=llm
 * @cache ignore
 */
export function llmRuntime(llmConfig: LlmConfig = LLM_OFF, store: StoreContext | null = null, sourceId: string | null = null): LlmRuntime {
  // Defaults, not `?`: the engine sees defaults when it loads nodes without a build step.
  const config = llmConfig;
  return {
    config,
    provider: createProvider(config),
    ...(store ? { store } : {}),
    sourceId: sourceId ?? null,
    budget: new CostTracker(config),
  };
}

/** Why a feature cannot use the LLM right now, or null when it can. */
export function _llmUnavailable(runtime: LlmRuntime | null | undefined, feature: LlmFeature): string | null {
  if (!runtime || !runtime.provider || runtime.config.provider === 'none') return `${feature}: LLM off (provider: none); heuristic result kept`;
  if (!runtime.config.features[feature].enabled) return `${feature}: disabled in llm.yaml (features.${feature}.enabled); heuristic result kept`;
  return null;
}

/** The call context for one feature call. */
export function _llmContext(runtime: LlmRuntime, extra: { tableIds?: readonly string[]; ontology?: string | null } = {}): LlmContext {
  return {
    config: runtime.config,
    provider: runtime.provider!,
    ...(runtime.store ? { store: runtime.store } : {}),
    sourceId: runtime.sourceId ?? null,
    budget: runtime.budget,
    ...(runtime.promptsDir ? { promptsDir: runtime.promptsDir } : {}),
    ...(runtime.log ? { log: runtime.log } : {}),
    ...(extra.tableIds ? { tableIds: extra.tableIds } : {}),
    ...(extra.ontology !== undefined ? { ontology: extra.ontology } : {}),
  };
}

/** What a feature returns: its value (the heuristic one on fallback), who decided, and warnings. */
export interface Refined<T> {
  readonly value: T;
  readonly source: 'llm' | 'heuristic';
  readonly warnings: readonly string[];
}
