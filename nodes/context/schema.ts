/**
 * The context document: everything an AI (or a person) needs to query one source well, in one
 * validated value. Field names are snake_case: the document is read as JSON/YAML/Markdown outside
 * TypeScript.
 */
import { z } from 'zod';

const Score = z.number().min(0).max(1).nullable();

export const ScoresSchema = z.strictObject({
  completeness: Score, validity: Score, consistency: Score, uniqueness: Score, timeliness: Score, overall: Score,
});

export const ColumnContextSchema = z.strictObject({
  name: z.string().min(1),
  /** DuckDB type of the typed column. */
  type: z.string().min(1),
  role: z.string().nullable(),
  business_name: z.string().nullable(),
  description: z.string().nullable(),
  ontology_term: z.string().nullable(),
  /** Profile highlights: nulls, distinct values, range. */
  profile: z.strictObject({
    null_count: z.number().int().nonnegative().nullable(),
    null_ratio: z.number().min(0).max(1).nullable(),
    distinct_count: z.number().int().nonnegative().nullable(),
    min: z.string().nullable(),
    max: z.string().nullable(),
    /** The column's whole domain, when it is small and stable (from its allowed_values rule). */
    values: z.array(z.union([z.string(), z.number(), z.boolean()])).nullable(),
  }),
  temporal: z.strictObject({
    granularity: z.string().nullable(),
    min: z.string().nullable(),
    max: z.string().nullable(),
    completeness: z.number().min(0).max(1).nullable(),
    gaps: z.number().int().nonnegative(),
    /** What the cycle and the trend are measured on: `rows` per period, or `avg(temp_max)`. */
    series: z.string().nullable().optional(),
    /** A repeating cycle: its length (`365 days`) and the autocorrelation at it. */
    seasonality: z.strictObject({ period: z.string(), strength: z.number() }).nullable().optional(),
    /** A linear trend that explains part of the series (r² at least 0.3). */
    trend: z.strictObject({ direction: z.enum(['up', 'down']), r2: z.number() }).nullable().optional(),
  }).nullable(),
  quality: ScoresSchema.nullable(),
});

export const TableContextSchema = z.strictObject({
  name: z.string().min(1),
  /** The DuckDB table to query. */
  typed_table: z.string().min(1),
  row_count: z.number().int().nonnegative(),
  entity_type: z.string().nullable(),
  description: z.string().nullable(),
  grain: z.array(z.string()),
  kind: z.enum(['fact', 'dimension', 'other']),
  primary_time_column: z.string().nullable(),
  quality: ScoresSchema.nullable(),
  columns: z.array(ColumnContextSchema),
});

export const RelationshipContextSchema = z.strictObject({
  from_table: z.string(), from_columns: z.array(z.string()).min(1),
  to_table: z.string(), to_columns: z.array(z.string()).min(1),
  cardinality: z.string(),
  confidence: z.number().min(0).max(1),
  /** DuckDB join condition on the typed tables. */
  join_condition: z.string(),
});

export const JoinPathContextSchema = z.strictObject({
  from_table: z.string(), to_table: z.string(), length: z.number().int().positive(), confidence: z.number().min(0).max(1), sql: z.string(),
});

export const MetricContextSchema = z.strictObject({
  name: z.string(), description: z.string(), formula: z.string(),
  /** Runnable DuckDB query returning the metric. */
  sql: z.string(),
  tables: z.array(z.string()), unit: z.string().nullable(), output_type: z.string(),
});

export const OntologyContextSchema = z.strictObject({
  name: z.string(), description: z.string(), version: z.string(), lineage: z.array(z.string()),
  concepts: z.array(z.strictObject({ name: z.string(), description: z.string(), semantic_role: z.string() })),
});

export const DomainConceptSchema = z.strictObject({ concept: z.string(), description: z.string().nullable(), table: z.string(), column: z.string() });

export const QualitySummarySchema = z.strictObject({
  overall: Score,
  tables: z.array(z.strictObject({
    table: z.string(), overall: Score, completeness: Score, validity: Score,
    /** Rules checked on the table and how many failed: a selection of tables sums them. Optional: documents written before they existed stay valid. */
    rules_total: z.number().int().nonnegative().optional(),
    rules_failed: z.number().int().nonnegative().optional(),
  })),
  rules_total: z.number().int().nonnegative(),
  rules_failed: z.number().int().nonnegative(),
  failed_rules: z.array(z.strictObject({
    rule: z.string(), table: z.string(), columns: z.array(z.string()), type: z.string(), severity: z.string(),
    failed_records: z.number().int().nonnegative(), pass_rate: z.number().min(0).max(1), trend: z.string().nullable(),
  })),
  anomalies: z.array(z.strictObject({ kind: z.string(), table: z.string(), column: z.string().nullable(), severity: z.string(), message: z.string() })),
});

export const QUERY_CATEGORIES = ['overview', 'metrics', 'trends', 'segments', 'quality'] as const;

export const SuggestedQuerySchema = z.strictObject({
  category: z.enum(QUERY_CATEGORIES),
  title: z.string().min(1),
  description: z.string().min(1),
  /** DuckDB SQL over the typed tables (quoted identifiers). */
  sql: z.string().min(1),
  tables: z.array(z.string()),
});

export const ContextDocumentSchema = z.strictObject({
  source: z.string().min(1),
  tables: z.array(TableContextSchema),
  relationships: z.array(RelationshipContextSchema),
  join_paths: z.array(JoinPathContextSchema),
  ontology: OntologyContextSchema.nullable(),
  metrics: z.array(MetricContextSchema),
  domain_concepts: z.array(DomainConceptSchema),
  quality_summary: QualitySummarySchema.nullable(),
  warnings: z.array(z.string()),
  /**
   * The entries of `warnings` that are about each table (a warning in no list is about the whole
   * source): a selection of tables keeps only theirs. Optional: documents written before it existed stay valid.
   */
  table_warnings: z.record(z.string(), z.array(z.string())).optional(),
  suggested_queries: z.array(SuggestedQuerySchema),
  /**
   * One paragraph introducing the source: the model's (`llm`) or one written from the document's
   * facts (`heuristic`). Optional: documents written before it existed stay valid.
   */
  summary: z.object({ text: z.string().min(1), source: z.enum(['llm', 'heuristic']) }).nullable().optional(),
  /** ISO 8601. */
  generated_at: z.iso.datetime(),
});

export type ContextDocument = z.output<typeof ContextDocumentSchema>;
export type TableContext = z.output<typeof TableContextSchema>;
export type ColumnContext = z.output<typeof ColumnContextSchema>;
export type SuggestedQuery = z.output<typeof SuggestedQuerySchema>;
export type QueryCategory = (typeof QUERY_CATEGORIES)[number];

/** The parts of the document `selectContext` can keep or drop. */
export const CONTEXT_MODULES = ['tables', 'relationships', 'metrics', 'ontology', 'concepts', 'quality', 'warnings', 'queries'] as const;
export type ContextModule = (typeof CONTEXT_MODULES)[number];
