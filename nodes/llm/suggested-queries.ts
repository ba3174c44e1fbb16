/**
 * The LLM pass over suggested queries: the model proposes queries beyond the heuristic ones;
 * each is checked by DuckDB (one SELECT over the typed tables only, executed with LIMIT 0) and a
 * refused one is dropped with a warning. The heuristic queries always stay, first.
 *
 * @example
 * ```ts
 * const { value: queries } = await llmSuggestedQueries(doc.suggested_queries, typedSource, annotations, conn, runtime);
 * ```
 */
import type { SuggestedQuery } from '../context/schema.ts';
import type { DuckDBConnection } from '../duckdb.ts';
import type { SemanticAnnotations } from '../enrichment/semantic/types.ts';
import type { TypedSource } from '../enrichment/types.ts';
import { callLlm } from './call-llm.ts';
import { _llmContext, _llmUnavailable, type LlmRuntime, type Refined } from './llm-runtime.ts';
import { checkSelect } from './sql-check.ts';

/** A relationship as the prompt shows it (topology's result fits). */
export interface QueryRelationship {
  readonly fromTable: string;
  readonly fromColumns: readonly string[];
  readonly toTable: string;
  readonly toColumns: readonly string[];
}

export async function llmSuggestedQueries(
  suggestedQueries: readonly SuggestedQuery[],
  typedSource: TypedSource,
  semanticAnnotations: SemanticAnnotations | undefined,
  duckdb: DuckDBConnection,
  runtime: LlmRuntime | null | undefined,
  relationships: readonly QueryRelationship[] = [],
): Promise<Refined<SuggestedQuery[]>> {
  const off = _llmUnavailable(runtime, 'suggested_queries');
  if (off) return { value: [...suggestedQueries], source: 'heuristic', warnings: [off] };
  const rt = runtime!;
  const tables = typedSource.tables.slice(0, rt.config.limits.max_tables_per_request);
  let answer;
  try {
    const payload = tables.map((t) => ({
      table: t.name, duckdbTable: t.typedTable, rowCount: t.rowCount,
      entity: semanticAnnotations?.tables[t.name]?.entityType ?? null,
      isFact: semanticAnnotations?.tables[t.name]?.isFact ?? null,
      columns: t.columns.map((c) => {
        const a = semanticAnnotations?.columns[t.name]?.[c.name];
        return { column: c.name, type: c.type, role: a?.role ?? null, businessName: a?.businessName ?? null };
      }),
    }));
    const existing = suggestedQueries.map((q) => ({ title: q.title, sql: q.sql }));
    const rels = relationships.map((r) => ({ from: `${r.fromTable}(${r.fromColumns.join(', ')})`, to: `${r.toTable}(${r.toColumns.join(', ')})` }));
    answer = (await callLlm('suggested_queries', { tables: payload, relationships: rels, existing }, _llmContext(rt))).value;
  } catch (e) {
    return { value: [...suggestedQueries], source: 'heuristic', warnings: [`suggested_queries: LLM failed; heuristic queries kept: ${(e as Error).message}`] };
  }
  const warnings: string[] = [];
  const allowed = new Set(typedSource.tables.map((t) => t.typedTable));
  const logical = new Set(typedSource.tables.map((t) => t.name));
  const seen = new Set(suggestedQueries.map((q) => normalize(q.sql)));
  const out = [...suggestedQueries];
  for (const q of answer.queries) {
    const sql = q.sql.trim().replace(/;\s*$/, '');
    if (seen.has(normalize(sql))) continue;
    const refused = await checkSelect(duckdb, sql, allowed, { allowSubqueries: true });
    if (refused) { warnings.push(`suggested_queries: dropped '${q.title}': ${refused}`); continue; }
    seen.add(normalize(sql));
    out.push({ ...q, sql, tables: q.tables.filter((t) => logical.has(t)) });
  }
  return { value: out, source: 'llm', warnings };
}

function normalize(sql: string): string {
  return sql.replace(/\s+/g, ' ').trim().toLowerCase();
}
