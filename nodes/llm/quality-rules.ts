/**
 * The LLM pass over quality rules: the model sees the typed tables (statistics, protected
 * samples) and the heuristic rules, and may add rules, adjust one (same name) or drop one it
 * judges wrong. Ontology rules are never adjusted or dropped. Every model-written predicate is
 * checked by DuckDB (one SELECT on its own table, LIMIT 0) before it is kept; a refused one is
 * dropped with a warning. Off, disabled or failing: the heuristic rules come back unchanged.
 *
 * @example
 * ```ts
 * const { value: rules, warnings } = await llmQualityRules(await qualityRules(typedSource, conn), typedSource, conn, runtime);
 * ```
 */
import type { DuckDBConnection } from '../duckdb.ts';
import type { SemanticAnnotations } from '../enrichment/semantic/types.ts';
import type { TypedSource } from '../enrichment/types.ts';
import type { QualityRules, QualityRuleSpec, RuleSource } from '../quality/types.ts';
import { callLlm } from './call-llm.ts';
import { _llmContext, _llmUnavailable, type LlmRuntime, type Refined } from './llm-runtime.ts';
import { privacyGuard } from './privacy.ts';
import { columnSamples } from './samples.ts';
import { checkPredicate } from './sql-check.ts';

/**
 * A rule whose source may be the model. Once the quality module's `RuleSource` includes 'llm'
 * this is exactly `QualityRuleSpec`.
 */
export type RefinedQualityRule = Omit<QualityRuleSpec, 'source'> & { readonly source: RuleSource | 'llm' };
export type RefinedQualityRules = Omit<QualityRules, 'rules'> & { readonly rules: readonly RefinedQualityRule[] };

export async function llmQualityRules(
  qualityRules: QualityRules,
  typedSource: TypedSource,
  duckdb: DuckDBConnection,
  runtime: LlmRuntime | null | undefined,
  semanticAnnotations?: SemanticAnnotations,
): Promise<Refined<RefinedQualityRules>> {
  const off = _llmUnavailable(runtime, 'quality_rules');
  if (off) return { value: qualityRules, source: 'heuristic', warnings: [off] };
  const rt = runtime!;
  const warnings: string[] = [];
  const guard = privacyGuard(rt.config.privacy);
  const tables = typedSource.tables.slice(0, rt.config.limits.max_tables_per_request);
  if (tables.length < typedSource.tables.length) warnings.push(`quality_rules: only the first ${tables.length} of ${typedSource.tables.length} tables sent (limits.max_tables_per_request)`);
  let answer;
  try {
    const payload = [];
    for (const t of tables) {
      const samples = await columnSamples(duckdb, t.name, t.typedTable, t.columns.map((c) => c.name), rt.config.limits.max_sample_values, guard);
      payload.push({
        table: t.name, duckdbTable: t.typedTable, rowCount: t.rowCount,
        columns: t.columns.map((c) => ({ column: c.name, type: c.type, role: semanticAnnotations?.columns[t.name]?.[c.name]?.role ?? null, samples: samples[c.name] })),
      });
    }
    const names = new Set(tables.map((t) => t.name));
    // Predicates carry literals from the data (allowed values, patterns): they pass the guard too.
    const existing = qualityRules.rules.filter((r) => names.has(r.table)).map((r) => ({ name: r.name, type: r.type, table: r.table, columns: r.columns, predicate: guard.sql(r.table, r.columns, r.predicate), source: r.source }));
    answer = (await callLlm('quality_rules', { tables: payload, rules: existing }, _llmContext(rt, { tableIds: tables.flatMap((t) => (t.tableId ? [t.tableId] : [])) }))).value;
  } catch (e) {
    return { value: qualityRules, source: 'heuristic', warnings: [...warnings, `quality_rules: LLM failed; heuristic rules kept: ${(e as Error).message}`] };
  }

  const rules = new Map<string, RefinedQualityRule>(qualityRules.rules.map((r) => [r.name, r]));
  for (const name of answer.drop) {
    const r = rules.get(name);
    if (!r) warnings.push(`quality_rules: the model asked to drop unknown rule ${name}; ignored`);
    else if (r.source === 'ontology') warnings.push(`quality_rules: the model asked to drop ontology rule ${name}; kept`);
    else { rules.delete(name); warnings.push(`quality_rules: dropped ${name} on the model's advice`); }
  }
  for (const a of answer.rules) {
    const table = typedSource.tables.find((t) => t.name === a.table);
    const name = `${a.table}.${a.columns.join(',')}.${a.type}`;
    if (!table) { warnings.push(`quality_rules: dropped model rule ${name}: no table ${a.table}`); continue; }
    const unknown = a.columns.filter((c) => !table.columns.some((tc) => tc.name === c));
    if (unknown.length) { warnings.push(`quality_rules: dropped model rule ${name}: no column ${unknown.join(', ')} in ${a.table}`); continue; }
    if (rules.get(name)?.source === 'ontology') { warnings.push(`quality_rules: dropped model rule ${name}: the ontology's rule wins`); continue; }
    const refused = await checkPredicate(duckdb, a.predicate, table.typedTable);
    if (refused) { warnings.push(`quality_rules: dropped model rule ${name}: its predicate ${refused}`); continue; }
    rules.set(name, {
      name, type: a.type, table: a.table, typedTable: table.typedTable, columns: a.columns, predicate: a.predicate,
      parameters: {}, severity: a.severity, source: 'llm', dimension: a.dimension, tolerance: a.tolerance, description: a.description,
    });
  }
  return { value: { ...qualityRules, rules: [...rules.values()] }, source: 'llm', warnings };
}
