/**
 * The paragraph that opens a context document. `heuristicContextSummary` writes it from the
 * document's facts; `llmContextSummary` asks the model for a better one from the same facts (no
 * sample values are sent) and falls back to the heuristic paragraph when off or failing.
 *
 * @example
 * ```ts
 * const { value: summary } = await llmContextSummary(doc, runtime);
 * ```
 */
import { formatPercent } from '../context/percent.ts';
import type { ContextDocument } from '../context/schema.ts';
import { callLlm } from './call-llm.ts';
import { _llmContext, _llmUnavailable, type LlmRuntime, type Refined } from './llm-runtime.ts';

/** A plain paragraph from the document: tables and rows, facts and dimensions, links, quality. */
export function heuristicContextSummary(doc: ContextDocument): string {
  const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;
  const parts = [`${doc.source} holds ${plural(doc.tables.length, 'table')}${doc.tables.length ? `: ${doc.tables.map((t) => `${t.name} (${plural(t.row_count, 'row')})`).join(', ')}` : ''}.`];
  const facts = doc.tables.filter((t) => t.kind === 'fact').map((t) => t.name);
  const dims = doc.tables.filter((t) => t.kind === 'dimension').map((t) => t.name);
  if (facts.length) parts.push(`Facts are recorded in ${facts.join(', ')}${dims.length ? `, described by ${dims.join(', ')}` : ''}.`);
  else if (dims.length) parts.push(`${dims.join(', ')} describe${dims.length === 1 ? 's' : ''} entities rather than events.`);
  // Columns named: two links between the same tables (origin, destination) read as one otherwise.
  if (doc.relationships.length) parts.push(`${plural(doc.relationships.length, 'relationship')} connect${doc.relationships.length === 1 ? 's' : ''} the tables: ${doc.relationships.slice(0, 5).map((r) => `${r.from_table}.${r.from_columns.join('+')} -> ${r.to_table}.${r.to_columns.join('+')}`).join(', ')}${doc.relationships.length > 5 ? ', ...' : ''}.`);
  const timed = doc.tables.filter((t) => t.primary_time_column).map((t) => `${t.name}.${t.primary_time_column}`);
  if (timed.length) parts.push(`Time axes: ${timed.join(', ')}.`);
  if (doc.metrics.length) {
    // One name per metric, with the tables it is bound on when there are several (time_span_days of each time axis).
    const tables = new Map<string, string[]>();
    for (const m of doc.metrics) tables.set(m.name, [...(tables.get(m.name) ?? []), m.tables.join('+')]);
    parts.push(`Computable metrics: ${[...tables].map(([name, on]) => (on.length > 1 ? `${name} (${on.join(', ')})` : name)).join(', ')}.`);
  }
  const q = doc.quality_summary;
  if (q) parts.push(`${q.rules_failed} of ${plural(q.rules_total, 'quality rule')} fail${q.rules_failed === 1 ? 's' : ''}${q.overall !== null ? `; overall quality score ${formatPercent(q.overall, 0)}` : ''}.`);
  if (doc.warnings.length) parts.push(`Read the ${plural(doc.warnings.length, 'warning')} before relying on it.`);
  return parts.join(' ');
}

/**
 * The summary paragraph by the model, or the heuristic one (with a warning) when the feature is
 * off or the call fails.
 */
export async function llmContextSummary(contextDocument: ContextDocument, runtime: LlmRuntime | null | undefined): Promise<Refined<string>> {
  const heuristic = heuristicContextSummary(contextDocument);
  const off = _llmUnavailable(runtime, 'context_summary');
  if (off) return { value: heuristic, source: 'heuristic', warnings: [off] };
  const doc = contextDocument;
  // Facts only: no profile min/max or top values and no failing-row samples (they may hold private data).
  const context = {
    source: doc.source,
    tables: doc.tables.map((t) => ({
      name: t.name, row_count: t.row_count, entity_type: t.entity_type, kind: t.kind, description: t.description, grain: t.grain,
      primary_time_column: t.primary_time_column, quality: t.quality,
      columns: t.columns.map((c) => ({ name: c.name, type: c.type, role: c.role, business_name: c.business_name, temporal: c.temporal })),
    })),
    relationships: doc.relationships.map((r) => ({ from: `${r.from_table}(${r.from_columns.join(', ')})`, to: `${r.to_table}(${r.to_columns.join(', ')})`, cardinality: r.cardinality })),
    metrics: doc.metrics.map((m) => ({ name: m.name, description: m.description })),
    quality: doc.quality_summary ? { overall: doc.quality_summary.overall, rules_total: doc.quality_summary.rules_total, rules_failed: doc.quality_summary.rules_failed, failed_rules: doc.quality_summary.failed_rules.slice(0, 10).map((r) => ({ rule: r.rule, pass_rate: r.pass_rate })) } : null,
    warnings: doc.warnings,
  };
  try {
    const res = await callLlm('context_summary', { context }, _llmContext(runtime!));
    return { value: res.value.summary.trim(), source: 'llm', warnings: [] };
  } catch (e) {
    return { value: heuristic, source: 'heuristic', warnings: [`context_summary: LLM failed; heuristic summary kept: ${(e as Error).message}`] };
  }
}
