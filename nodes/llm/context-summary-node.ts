/**
 * The context summary as a node, ready for the ingest dataflow: it reads the context document
 * and the LLM runtime and produces the opening paragraph (the heuristic one when the LLM is off,
 * disabled or failing).
 */
import type { ContextDocument } from '../context/schema.ts';
import { llmContextSummary } from './context-summary.ts';
import type { LlmRuntime } from './llm-runtime.ts';

export interface ContextSummary {
  readonly text: string;
  /** `llm` when the model wrote it, `heuristic` otherwise. */
  readonly source: 'llm' | 'heuristic';
  readonly warnings: readonly string[];
}

/**
 * One paragraph introducing the source, for the top of its context document.
 * @tag module=llm
 *
 * @example
 * ```ts
 * const s = await contextSummary(doc, llmRuntime(loadLlmConfig('config/llm.yaml'), store));
 * console.log(s.text);
 * ```
 */
export async function contextSummary(contextDocument: ContextDocument, llmRuntime: LlmRuntime | null = null): Promise<ContextSummary> {
  const r = await llmContextSummary(contextDocument, llmRuntime);
  return { text: r.value, source: r.source, warnings: r.warnings };
}
