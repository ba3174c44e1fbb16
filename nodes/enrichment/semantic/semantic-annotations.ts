/**
 * Semantic enrichment, offline: per column a role, entity, business name and description, and the
 * ontology concept it stands for; per table its entity, grain, fact/dimension kind and time axis.
 * Heuristics first; with an active LLM runtime the model refines the draft (`llmSemanticRefiner`),
 * never touching manual annotations, and its warnings land in `warnings`.
 */
import type { ResolvedOntology } from '../../../config/ontology.ts';
import type { DuckDBConnection } from '../../duckdb.ts';
import type { ProfilingResult } from '../../profiling/types.ts';
import type { TypedSource, TypedTable } from '../types.ts';
import { decideColumn, type ColumnDecision } from './column-roles.ts';
import { columnStats } from './column-stats.ts';
import { detectGrain } from './grain.ts';
import { entityFromTableName, humanize } from './names.ts';
import { decideTable, grainCandidates } from './table-roles.ts';
import { relationshipHints } from './relationship-hints.ts';
import type { ColumnAnnotation, ColumnStats, RelationshipHint, RelationshipsInput, SemanticAnnotations, TableAnnotation } from './types.ts';
import { forkConnection } from '../../duckdb.ts';
import { llmSemanticRefiner } from '../../llm/semantic-refiner.ts';
import type { LlmRuntime } from '../../llm/llm-runtime.ts';

/**
 * Column roles, business names and ontology terms; table entities, grain, fact/dimension and time axis.
 * @tag module=semantic
 *
 * @example
 * ```ts
 * const ann = await semanticAnnotations(typedSource, conn, loadOntology('retail'));
 * ann.columns.orders.order_date.role;  // 'timestamp'
 * ann.tables.orders.grainColumns;       // ['order_id']
 * // With a model: entries it changed carry source 'llm'.
 * const refined = await semanticAnnotations(typedSource, conn, ontology, undefined, undefined, 3, llmRuntime(loadLlmConfig('config/llm.yaml')));
 * ```
 */
export async function semanticAnnotations(
  typedSource: TypedSource,
  duckdb: DuckDBConnection,
  ontology: ResolvedOntology,
  profiling?: ProfilingResult,
  // Not `relationships`: that name would wire this node after topology, and the enrichment
  // branches run concurrently. Callers that know relationships pass them as this input.
  knownRelationships?: RelationshipsInput,
  maxGrainColumns: number = 3,
  llmRuntime: LlmRuntime | null = null,
): Promise<SemanticAnnotations> {
  // The enrichment branches run concurrently: each takes its own DuckDB connection.
  const fork = await forkConnection(duckdb);
  try {
    const draft = await semanticAnnotationsOn(typedSource, fork.conn, ontology, profiling, knownRelationships, maxGrainColumns);
    // No provider: nothing to refine, and no "LLM off" warning in every offline result.
    if (!llmRuntime?.provider) return draft;
    const warnings: string[] = [];
    const refined = await llmSemanticRefiner(llmRuntime, { duckdb: fork.conn, onWarning: (w) => warnings.push(w) })(draft);
    return warnings.length ? { ...refined, warnings } : refined;
  } finally {
    fork.close();
  }
}

async function semanticAnnotationsOn(
  typedSource: TypedSource,
  duckdb: DuckDBConnection,
  ontology: ResolvedOntology,
  profiling: ProfilingResult | undefined,
  knownRelationships: RelationshipsInput | undefined,
  maxGrainColumns: number,
): Promise<SemanticAnnotations> {
  const rels = relationshipHints(knownRelationships);
  const tables: Record<string, TableAnnotation> = {};
  const columns: Record<string, Record<string, ColumnAnnotation>> = {};
  // One DuckDB connection runs one statement at a time: tables go one after the other.
  for (const table of typedSource.tables) {
    const result = await annotateTable(table, duckdb, ontology, profiling, rels, maxGrainColumns);
    tables[table.name] = result.table;
    columns[table.name] = result.columns;
  }
  return {
    sourceName: typedSource.sourceName,
    ontology: ontology.name,
    tables,
    columns,
    relationships: rels,
    annotatedAt: new Date().toISOString(),
  };
}

async function annotateTable(
  table: TypedTable,
  duckdb: DuckDBConnection,
  ontology: ResolvedOntology,
  profiling: ProfilingResult | undefined,
  relationships: readonly RelationshipHint[],
  maxGrainColumns: number,
): Promise<{ table: TableAnnotation; columns: Record<string, ColumnAnnotation> }> {
  const stats = await columnStats(duckdb, table, profiling);
  const rowCount = stats[table.columns[0]?.name ?? '']?.rowCount ?? table.rowCount;
  const decisions: Record<string, ColumnDecision> = {};
  for (const c of table.columns) decisions[c.name] = decideColumn(table.name, c, stats[c.name]!, ontology, relationships);

  const grain = await detectGrain(duckdb, table.typedTable, grainCandidates(table, decisions, stats), stats, rowCount, { maxColumns: maxGrainColumns });
  const t = decideTable({ ...table, rowCount }, decisions, stats, grain.columns, relationships);
  const tableEntity = entityFromTableName(table.name);

  const columns: Record<string, ColumnAnnotation> = {};
  for (const c of table.columns) {
    const d = decisions[c.name]!;
    const businessName = humanize(c.originalName || c.name);
    columns[c.name] = {
      table: table.name,
      column: c.name,
      type: c.type,
      role: d.role,
      entityType: d.entityType,
      businessName,
      businessDescription: describeColumn(businessName, d, stats[c.name]!, tableEntity),
      ontologyTerm: d.ontologyTerm,
      confidence: d.confidence,
      evidence: d.evidence,
      stats: stats[c.name]!,
      source: 'heuristic',
    };
  }
  return {
    table: {
      table: table.name,
      typedTable: table.typedTable,
      rowCount,
      entityType: t.entityType,
      description: t.description,
      grainColumns: grain.columns,
      isFact: t.isFact,
      isDimension: t.isDimension,
      primaryTimeColumn: t.primaryTimeColumn,
      confidence: t.confidence,
      evidence: t.evidence,
      source: 'heuristic',
    },
    columns,
  };
}

/** A sentence a reader can check against the data: what the column is, then what its values span. */
function describeColumn(businessName: string, d: ColumnDecision, s: ColumnStats, tableEntity: string): string {
  const entity = humanize(tableEntity).toLowerCase();
  const range = s.minValue !== null && s.maxValue !== null ? `${s.minValue} to ${s.maxValue}` : null;
  const what = d.conceptDescription ?? (() => {
    switch (d.role) {
      case 'key': return `Identifies each ${entity}.`;
      case 'foreign_key': return `Refers to ${d.references ? `the ${d.references} table` : `a ${humanize(d.entityType).toLowerCase()}`}.`;
      case 'timestamp': return `When the ${entity} happened or was recorded.`;
      case 'measure': return `${businessName} of each ${entity}, a quantity to aggregate.`;
      case 'dimension': return `Groups ${entity} rows by ${businessName.toLowerCase()}.`;
      case 'attribute': return `${businessName} of the ${entity}.`;
    }
  })();
  const facts = [`${s.distinctCount} distinct value${s.distinctCount === 1 ? '' : 's'}`];
  if (range && (d.role === 'measure' || d.role === 'timestamp')) facts.push(`from ${range}`);
  if (s.nullCount) facts.push(`${s.nullCount} missing`);
  return `${what} ${facts.join(', ')}.`;
}
