/**
 * The LLM pass over semantic annotations, shaped as the `SemanticRefiner` seam: it receives the
 * heuristic annotations and returns the same shape, with the entries the model changed marked
 * `source: 'llm'`. Manual annotations are never touched; a role that contradicts the column's
 * type (a text measure) is refused. Tables go in batches of `limits.max_tables_per_request`.
 * Whenever the LLM is off, disabled or fails, the draft comes back unchanged (with a warning).
 *
 * @example
 * ```ts
 * const refine = llmSemanticRefiner(llmRuntime(config, store), { duckdb: conn, onWarning: console.warn });
 * const refined = await refine(await semanticAnnotations(typedSource, conn, ontology));
 * ```
 */
import type { DuckDBConnection } from '../duckdb.ts';
import type { ColumnAnnotation, SemanticAnnotations, SemanticRefiner, TableAnnotation } from '../enrichment/semantic/types.ts';
import { isNumericType, isTemporalType } from '../quality/rule-sql.ts';
import { callLlm } from './call-llm.ts';
import { _llmContext, _llmUnavailable, type LlmRuntime, type Refined } from './llm-runtime.ts';
import { privacyGuard } from './privacy.ts';
import { columnSamples } from './samples.ts';
import type { FeatureAnswer } from './schemas.ts';

export interface SemanticRefinerOptions {
  /** Where the typed tables are, for sample values; without it the prompt has statistics only. */
  readonly duckdb?: DuckDBConnection;
  readonly onWarning?: (warning: string) => void;
}

export function llmSemanticRefiner(runtime: LlmRuntime | null | undefined, opts: SemanticRefinerOptions = {}): SemanticRefiner {
  return async (draft) => {
    const r = await refineSemanticAnnotations(draft, runtime, opts.duckdb);
    for (const w of r.warnings) opts.onWarning?.(w);
    return r.value;
  };
}

/** The refiner with its outcome: who decided and the warnings. */
export async function refineSemanticAnnotations(draft: SemanticAnnotations, runtime: LlmRuntime | null | undefined, duckdb?: DuckDBConnection): Promise<Refined<SemanticAnnotations>> {
  const off = _llmUnavailable(runtime, 'semantic_analysis');
  if (off) return { value: draft, source: 'heuristic', warnings: [off] };
  const rt = runtime!;
  const warnings: string[] = [];
  const guard = privacyGuard(rt.config.privacy);
  const tableNames = Object.keys(draft.tables);
  const batchSize = rt.config.limits.max_tables_per_request;
  let columns = { ...draft.columns };
  let tables = { ...draft.tables };
  let changed = false;
  for (let i = 0; i < tableNames.length; i += batchSize) {
    const batch = tableNames.slice(i, i + batchSize);
    try {
      const payload = [];
      for (const name of batch) payload.push(await tablePayload(draft, name, guard, rt.config.limits.max_sample_values, duckdb));
      const res = await callLlm('semantic_analysis', { ontology: draft.ontology, tables: payload }, _llmContext(rt, { ontology: draft.ontology }));
      const applied = applyAnswer({ ...draft, columns, tables }, res.value, new Set(batch), warnings);
      columns = { ...applied.columns };
      tables = { ...applied.tables };
      changed = true;
    } catch (e) {
      warnings.push(`semantic_analysis: LLM failed for tables ${batch.join(', ')}; heuristic annotations kept: ${(e as Error).message}`);
    }
  }
  // Nothing answered: the draft itself, so callers can tell nothing was refined.
  return changed ? { value: { ...draft, columns, tables }, source: 'llm', warnings } : { value: draft, source: 'heuristic', warnings };
}

async function tablePayload(draft: SemanticAnnotations, name: string, guard: ReturnType<typeof privacyGuard>, perColumn: number, duckdb?: DuckDBConnection) {
  const t = draft.tables[name]!;
  const cols = Object.values(draft.columns[name] ?? {});
  const samples = duckdb ? await columnSamples(duckdb, name, t.typedTable, cols.map((c) => c.column), perColumn, guard) : {};
  return {
    table: name,
    rowCount: t.rowCount,
    heuristic: { entityType: t.entityType, description: t.description, isFact: t.isFact, isDimension: t.isDimension, grainColumns: t.grainColumns, primaryTimeColumn: t.primaryTimeColumn },
    columns: cols.map((c) => ({
      column: c.column,
      type: c.type,
      heuristic: { role: c.role, entityType: c.entityType, businessName: c.businessName, ontologyTerm: c.ontologyTerm, confidence: c.confidence, source: c.source },
      stats: {
        rowCount: c.stats.rowCount, nullCount: c.stats.nullCount, distinctCount: c.stats.distinctCount, maxLength: c.stats.maxLength,
        // Min and max are real values too: they go through the same guard as the samples.
        minValue: guard.value(name, c.column, c.stats.minValue), maxValue: guard.value(name, c.column, c.stats.maxValue),
      },
      samples: samples[c.column] ?? [],
    })),
  };
}

function applyAnswer(ann: SemanticAnnotations, answer: FeatureAnswer<'semantic_analysis'>, batch: ReadonlySet<string>, warnings: string[]): SemanticAnnotations {
  const columns: Record<string, Record<string, ColumnAnnotation>> = Object.fromEntries(Object.entries(ann.columns).map(([t, cs]) => [t, { ...cs }]));
  const tables: Record<string, TableAnnotation> = { ...ann.tables };
  for (const a of answer.columns) {
    const current = batch.has(a.table) ? columns[a.table]?.[a.column] : undefined;
    if (!current) { warnings.push(`semantic_analysis: the model annotated unknown column ${a.table}.${a.column}; ignored`); continue; }
    if (current.source === 'manual') continue;
    if (a.role === 'measure' && !isNumericType(current.type)) { warnings.push(`semantic_analysis: refused role measure for ${a.table}.${a.column} of type ${current.type}`); continue; }
    if (a.role === 'timestamp' && !isTemporalType(current.type) && !isNumericType(current.type)) { warnings.push(`semantic_analysis: refused role timestamp for ${a.table}.${a.column} of type ${current.type}`); continue; }
    const same = a.role === current.role && a.entityType === current.entityType && a.businessName === current.businessName
      && a.businessDescription === current.businessDescription && a.ontologyTerm === current.ontologyTerm;
    if (same) continue;
    columns[a.table]![a.column] = {
      ...current, role: a.role, entityType: a.entityType, businessName: a.businessName, businessDescription: a.businessDescription,
      ontologyTerm: a.ontologyTerm, confidence: a.confidence, source: 'llm',
    };
  }
  for (const a of answer.tables) {
    const current = batch.has(a.table) ? tables[a.table] : undefined;
    if (!current) { warnings.push(`semantic_analysis: the model annotated unknown table ${a.table}; ignored`); continue; }
    if (current.source === 'manual') continue;
    if (a.isFact && a.isDimension) { warnings.push(`semantic_analysis: the model called ${a.table} both fact and dimension; heuristic kept`); continue; }
    const same = a.entityType === current.entityType && a.description === current.description && a.isFact === current.isFact && a.isDimension === current.isDimension;
    if (same) continue;
    tables[a.table] = { ...current, entityType: a.entityType, description: a.description, isFact: a.isFact, isDimension: a.isDimension, confidence: a.confidence, source: 'llm' };
  }
  return { ...ann, columns, tables };
}
