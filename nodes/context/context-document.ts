/**
 * Assembles the context document from everything the ingest dataflow learned about a source:
 * typed tables, semantic annotations, relationships, temporal profiles, quality and metrics.
 * `contextDocument` is pure and synchronous (heuristics only); `refinedContextDocument` adds what
 * needs a model and so is async: its suggested queries and the summary paragraph.
 */
import type { ResolvedOntology } from '../../config/ontology.ts';
import type { StoredSemanticAnnotations } from '../enrichment/semantic/stored-semantic-annotations.ts';
import type { OntologyMetrics, SemanticAnnotations, SemanticRole } from '../enrichment/semantic/types.ts';
import type { TemporalColumnProfile, TemporalProfiles } from '../enrichment/temporal/types.ts';
import type { JoinPathsResult, RelationshipsResult } from '../enrichment/topology/types.ts';
import type { TypedSource } from '../enrichment/types.ts';
import type { QualityResults, QualityRules, QualityScores, ScoreSet } from '../quality/types.ts';
import { columnKey, columnLinks } from '../enrichment/semantic/column-roles.ts';
import { settleColumn } from './column-annotations.ts';
import { overallScore } from './overall-score.ts';
import { ContextDocumentSchema, type ColumnContext, type ContextDocument, type TableContext } from './schema.ts';
import { describeTable } from '../enrichment/semantic/table-description.ts';
import { joinCondition, suggestedQueries } from './suggested-queries.ts';
import { forkConnection, type DuckDBConnection } from '../duckdb.ts';
import type { ContextSummary } from '../llm/context-summary-node.ts';
import { heuristicContextSummary } from '../llm/context-summary.ts';
import type { LlmRuntime } from '../llm/llm-runtime.ts';
import { llmSuggestedQueries } from '../llm/suggested-queries.ts';

export { ContextDocumentSchema } from './schema.ts';

/** Failed rules listed in the quality summary, worst first. */
const MAX_FAILED_RULES = 50;

/**
 * The context document of one source, validated against `ContextDocumentSchema`. People's
 * annotations (`storedSemanticAnnotations.manual`) are laid over the automatic ones.
 * @tag module=context
 * @check ContextDocumentSchema fail
 *
 * @example
 * ```ts
 * const doc = contextDocument(typedSource, annotations, rels, temporal, scores, metrics, loadOntology('base'), results, paths, rules, stored);
 * doc.suggested_queries.filter((q) => q.category === 'trends').map((q) => q.sql);
 * ```
 */
export function contextDocument(
  typedSource: TypedSource,
  semanticAnnotations: SemanticAnnotations,
  relationships: RelationshipsResult,
  temporalProfiles: TemporalProfiles,
  qualityScores: QualityScores,
  ontologyMetrics: OntologyMetrics,
  ontology: ResolvedOntology,
  qualityResults?: QualityResults,
  joinPaths?: JoinPathsResult,
  qualityRules?: QualityRules,
  storedSemanticAnnotations?: StoredSemanticAnnotations,
): ContextDocument {
  const warnings: string[] = [];
  const tableWarnings: Record<string, string[]> = {};
  const warn = (message: string, table?: string) => {
    warnings.push(message);
    if (table !== undefined) (tableWarnings[table] ??= []).push(message);
  };
  const manual = storedSemanticAnnotations?.manual ?? {};
  const domains = new Map<string, (string | number | boolean)[]>();
  for (const r of qualityRules?.rules ?? []) {
    const values = r.parameters.values;
    if (r.type === 'allowed_values' && r.columns.length === 1 && Array.isArray(values)) domains.set(`${r.table}\u0000${r.columns[0]}`, [...values]);
  }
  // Semantic enrichment runs beside topology, not after it: a detected relationship decides the key roles here.
  const links = columnLinks(relationships.relationships);
  const tables: TableContext[] = typedSource.tables.map((t) => {
    const ta = semanticAnnotations.tables[t.name];
    const tq = qualityScores.tables[t.name];
    if (!ta) warn(`table ${t.name} has no semantic annotation: roles and business names are missing`, t.name);
    // Rows missing from the typed table must be visible to whoever reads only this document.
    if (t.rejectedRows) warn(`table ${t.name}: ${t.rejectedRows} source line(s) could not be parsed (ragged rows, bad quoting, malformed JSON or invalid UTF-8) and are not in ${t.typedTable}; they are kept with their line numbers in ${t.rejectsTable ?? 'the rejects table'}`, t.name);
    if (t.quarantinedRows) warn(`table ${t.name}: ${t.quarantinedRows} row(s) failed a type conversion and are not in ${t.typedTable}; they are kept with their raw values in ${t.quarantineTable ?? `quarantine_${t.name}`}`, t.name);
    const columns: ColumnContext[] = t.columns.map((c) => {
      const a = semanticAnnotations.columns[t.name]?.[c.name];
      const q = tq?.columns[c.name];
      const tp = temporalProfiles.tables[t.name]?.columns[c.name];
      const nullCount = q?.nullCount ?? a?.stats.nullCount ?? null;
      const key = columnKey(t.name, c.name);
      const auto = { role: a?.role ?? null, business_name: a?.businessName ?? null, description: a?.businessDescription ?? null, ontology_term: a?.ontologyTerm ?? null };
      return {
        name: c.name, type: c.type,
        ...settleColumn(auto, manual[t.name]?.[c.name], links.references.get(key), links.referenced.has(key)),
        profile: {
          null_count: nullCount, null_ratio: nullCount === null ? null : t.rowCount ? Math.min(1, nullCount / t.rowCount) : 0,
          distinct_count: a?.stats.distinctCount ?? q?.distinctCount ?? null, min: a?.stats.minValue ?? null, max: a?.stats.maxValue ?? null,
          values: domains.get(`${t.name}\u0000${c.name}`) ?? null,
        },
        temporal: tp ? { granularity: tp.granularity?.granularity ?? null, min: tp.min, max: tp.max, completeness: tp.completenessRatio, gaps: tp.gapCount, ...cycleAndTrend(tp) } : null,
        quality: q ? scores(q) : null,
      };
    });
    // Semantic enrichment classified the table before relationships were found: one whose settled
    // foreign keys come with measures or a time axis records events (orders of customers).
    const foreignKeys = columns.some((c) => c.role === 'foreign_key');
    const events = foreignKeys && (columns.some((c) => c.role === 'measure') || Boolean(ta?.primaryTimeColumn));
    const kind = events || ta?.isFact ? 'fact' : ta?.isDimension ? 'dimension' : 'other';
    const refersTo = [...new Set(relationships.relationships.filter((r) => r.fromTable === t.name).map((r) => r.toTable))];
    // A model's or a person's description stands; the heuristic one is said again from the settled roles.
    const description = ta?.source === 'heuristic'
      ? describeTable({ kind, entityType: ta.entityType, rowCount: t.rowCount, grain: ta.grainColumns, primaryTimeColumn: ta.primaryTimeColumn, measures: columns.filter((c) => c.role === 'measure').map((c) => c.name), refersTo })
      : ta?.description ?? null;
    return {
      name: t.name, typed_table: t.typedTable, row_count: t.rowCount, entity_type: ta?.entityType ?? null, description,
      grain: [...(ta?.grainColumns ?? [])], kind,
      primary_time_column: ta?.primaryTimeColumn ?? null, quality: tq ? scores(tq) : null, columns,
    };
  });
  // Suggested queries read roles from the annotations: give them the settled ones (no average of a key).
  const settled: SemanticAnnotations = {
    ...semanticAnnotations,
    columns: Object.fromEntries(tables.map((t) => [t.name, Object.fromEntries(t.columns.flatMap((c) => {
      const a = semanticAnnotations.columns[t.name]?.[c.name];
      return a ? [[c.name, c.role && c.role !== a.role ? { ...a, role: c.role as SemanticRole } : a]] : [];
    }))])),
  };

  const rels = relationships.relationships.flatMap((r) => {
    const on = joinCondition(typedSource, r.fromTable, r.fromColumns, r.toTable, r.toColumns);
    return on ? [{ from_table: r.fromTable, from_columns: [...r.fromColumns], to_table: r.toTable, to_columns: [...r.toColumns], cardinality: r.cardinality, confidence: r.confidence, join_condition: on }] : [];
  });

  const results = qualityResults?.results ?? [];
  const failed = results.filter((r) => !r.passed)
    .sort((a, b) => severityRank(a.severity) - severityRank(b.severity) || a.passRate - b.passRate || a.rule.localeCompare(b.rule));
  // Weighted by the rows of the typed tables, as selectContext weights a selection of them.
  const typedRows = new Map(typedSource.tables.map((t) => [t.name, t.rowCount]));
  const overall = overallScore(Object.values(qualityScores.tables).map((t) => ({ overall: t.overall, rows: typedRows.get(t.table) ?? t.rowCount })));
  const errors = failed.filter((x) => x.severity === 'error');
  for (const r of errors) warn(`${r.rule} fails on ${r.failedRecords} of ${r.totalRecords} rows`, r.table);
  // Orphans are a referential rule's failures: said once, by the rule's warning when it is an error.
  const warnedRules = new Set(errors.map((r) => r.rule));
  for (const a of qualityScores.anomalies.filter((x) => x.kind === 'duplicate_rows' || (x.kind === 'orphans' && !warnedRules.has(String(x.evidence?.rule))))) warn(a.message, a.table);
  const ruleCount = (table: string, onlyFailed: boolean) => results.filter((r) => r.table === table && (!onlyFailed || !r.passed)).length;

  const concepts = new Map(ontology.concepts.map((c) => [c.name, c]));
  // Every column a concept stands for (US and worldwide gross are both amounts).
  const domainConcepts = Object.entries(ontologyMetrics.conceptColumns).flatMap(([table, m]) =>
    Object.entries(m).flatMap(([concept, columns]) => columns.map((column) => ({ concept, description: concepts.get(concept)?.description ?? null, table, column }))));

  const doc: ContextDocument = {
    source: typedSource.sourceName,
    tables,
    relationships: rels,
    join_paths: (joinPaths?.paths ?? []).map((p) => ({ from_table: p.fromTable, to_table: p.toTable, length: p.length, confidence: p.totalConfidence, sql: p.sql })),
    ontology: {
      name: ontology.name, description: ontology.description, version: ontology.version, lineage: [...ontology.lineage],
      concepts: ontology.concepts.map((c) => ({ name: c.name, description: c.description, semantic_role: c.semantic_role })),
    },
    metrics: ontologyMetrics.metrics.map((m) => ({ name: m.metric, description: m.description, formula: m.formula, sql: m.sql, tables: [...m.tables], unit: m.unit, output_type: m.outputType })),
    domain_concepts: domainConcepts,
    quality_summary: {
      overall,
      tables: Object.values(qualityScores.tables).map((t) => ({
        table: t.table, overall: t.overall, completeness: t.completeness, validity: t.validity, rules_total: ruleCount(t.table, false), rules_failed: ruleCount(t.table, true),
      })),
      rules_total: results.length,
      rules_failed: failed.length,
      failed_rules: failed.slice(0, MAX_FAILED_RULES).map((r) => ({ rule: r.rule, table: r.table, columns: [...r.columns], type: r.type, severity: r.severity, failed_records: r.failedRecords, pass_rate: r.passRate, trend: r.trend })),
      anomalies: qualityScores.anomalies.map((a) => ({ kind: a.kind, table: a.table, column: a.column, severity: a.severity, message: a.message })),
    },
    warnings,
    table_warnings: tableWarnings,
    suggested_queries: suggestedQueries({ typedSource, semanticAnnotations: settled, relationships, temporalProfiles, ontologyMetrics, qualityResults }),
    generated_at: new Date().toISOString(),
  };
  const parsed = ContextDocumentSchema.safeParse(doc);
  if (!parsed.success) {
    throw new Error(`Context document of source '${typedSource.sourceName}' is invalid (a bug in an upstream value or in contextDocument): ${parsed.error.issues.slice(0, 5).map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
  }
  return parsed.data;
}

/**
 * The context document as written: the model's suggested queries added to the heuristic ones
 * (each checked in DuckDB first), the summary paragraph, and the LLM passes' warnings (semantic,
 * quality, queries, summary). Without an active LLM it is the document plus the heuristic summary.
 * @tag module=context
 *
 * @example
 * ```ts
 * const doc = contextDocument(typedSource, annotations, rels, temporal, scores, metrics, ontology);
 * const written = await refinedContextDocument(doc, typedSource, conn, annotations, rels, await contextSummary(doc, runtime), runtime);
 * written.summary; // { text: 'flights holds 2 tables: ...', source: 'llm' }
 * ```
 */
export async function refinedContextDocument(
  contextDocument: ContextDocument,
  typedSource: TypedSource,
  duckdb: DuckDBConnection,
  semanticAnnotations?: SemanticAnnotations,
  relationships?: RelationshipsResult,
  contextSummary: ContextSummary | null = null,
  llmRuntime: LlmRuntime | null = null,
  qualityRules?: QualityRules,
): Promise<ContextDocument> {
  const active = !!llmRuntime?.provider;
  const summary = contextSummary
    ? { text: contextSummary.text, source: contextSummary.source }
    : { text: heuristicContextSummary(contextDocument), source: 'heuristic' as const };
  // Offline the "LLM off" notes of each feature would only be noise in every document.
  const warnings = active
    ? [...(semanticAnnotations?.warnings ?? []), ...(qualityRules?.warnings ?? []), ...(contextSummary?.warnings ?? [])]
    : [];
  let queries = contextDocument.suggested_queries;
  if (active) {
    // Other nodes may still be querying the shared connection: the checks take their own.
    const fork = await forkConnection(duckdb);
    try {
      const r = await llmSuggestedQueries(queries, typedSource, semanticAnnotations, fork.conn, llmRuntime, relationships?.relationships ?? []);
      queries = r.value;
      warnings.push(...r.warnings);
    } finally {
      fork.close();
    }
  }
  const doc: ContextDocument = { ...contextDocument, warnings: [...contextDocument.warnings, ...warnings], suggested_queries: queries, summary };
  const parsed = ContextDocumentSchema.safeParse(doc);
  if (!parsed.success) {
    throw new Error(`Refined context document of source '${contextDocument.source}' is invalid (a bug in refinedContextDocument or an LLM feature): ${parsed.error.issues.slice(0, 5).map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
  }
  return parsed.data;
}

const scores = (s: ScoreSet) => ({ completeness: s.completeness, validity: s.validity, consistency: s.consistency, uniqueness: s.uniqueness, timeliness: s.timeliness, overall: s.overall });
const severityRank = (s: string) => (s === 'error' ? 0 : s === 'warning' ? 1 : 2);

/** Below this r² a linear fit explains too little of the series to call it a trend. */
const TREND_R2 = 0.3;

/** A temporal profile's cycle and trend, as the document states them. */
function cycleAndTrend(tp: TemporalColumnProfile): Pick<ColumnContext['temporal'] & object, 'series' | 'seasonality' | 'trend'> {
  const s = tp.seasonality;
  const unit = tp.periodUnit?.replace('_', ' ');
  const period = s?.hasSeasonality && s.period !== null && s.strength !== null && unit ? `${s.period * (tp.periodStep ?? 1)} ${unit}s` : null;
  const t = tp.trend;
  return {
    series: tp.series.measure ? `${tp.series.aggregate}(${tp.series.measure})` : 'rows',
    seasonality: period ? { period, strength: Math.round(s!.strength! * 100) / 100 } : null,
    trend: t && t.direction !== 'flat' && t.r2 !== null && t.r2 >= TREND_R2 ? { direction: t.direction, r2: Math.round(t.r2 * 100) / 100 } : null,
  };
}
