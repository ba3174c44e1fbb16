/**
 * What was loaded and what we know about each column: sources, their tables and columns, column
 * profiles, type candidates and decisions, semantic annotations and temporal profiles.
 */
import type { DefaultBoolean, DefaultTimestamp, Json, JsonObject, NullableTimestamp } from './values.ts';

export type TableLayer = 'raw' | 'typed' | 'quarantine';
export type DecisionSource = 'auto' | 'manual' | 'rule';

export interface SourcesTable {
  sourceId: string;
  /** Unique, human-chosen name (`dataraum run --source <name>`). */
  name: string;
  /** Loader kind, e.g. `csv`, `parquet`, `json`, `duckdb`. */
  sourceType: string;
  connectionConfig: Json<JsonObject>;
  createdAt: DefaultTimestamp;
  updatedAt: DefaultTimestamp;
}

export interface TablesTable {
  tableId: string;
  sourceId: string;
  /** The sanitized name: DuckDB holds the table as `<layer>_<tableName>` (`raw_`, `typed_`, `quarantine_`). */
  tableName: string;
  /** The source's name for the table before sanitizing (file name, source table name); null when unknown. */
  originalName: string | null;
  layer: TableLayer;
  /** DuckDB file holding the table, when not the default one. */
  duckdbPath: string | null;
  rowCount: number | null;
  createdAt: DefaultTimestamp;
  lastProfiledAt: NullableTimestamp;
}

export interface ColumnsTable {
  columnId: string;
  tableId: string;
  /** The sanitized name used in DuckDB. */
  columnName: string;
  /** The name in the source before sanitizing; null when unknown. */
  originalName: string | null;
  columnPosition: number;
  rawType: string | null;
  resolvedType: string | null;
}

export interface ColumnProfilesTable {
  profileId: string;
  columnId: string;
  profiledAt: DefaultTimestamp;
  totalCount: number | null;
  nullCount: number | null;
  distinctCount: number | null;
  /** Min/max as text: they can be of any column type. */
  minValue: string | null;
  maxValue: string | null;
  meanValue: number | null;
  stddevValue: number | null;
  percentiles: Json<JsonObject> | null;
  minLength: number | null;
  maxLength: number | null;
  avgLength: number | null;
  histogram: Json | null;
  topValues: Json | null;
  cardinalityRatio: number | null;
  nullRatio: number | null;
}

export interface TypeCandidatesTable {
  candidateId: string;
  columnId: string;
  detectedAt: DefaultTimestamp;
  dataType: string;
  confidence: number | null;
  parseSuccessRate: number | null;
  failedExamples: Json<unknown[]> | null;
  /** How values are read under this candidate (ValueFormat: strptime, separators, currency, ...). */
  format: Json<JsonObject> | null;
  detectedPattern: string | null;
  patternMatchRate: number | null;
  detectedUnit: string | null;
  unitConfidence: number | null;
}

export interface TypeDecisionsTable {
  decisionId: string;
  /** One decision per column (unique). */
  columnId: string;
  decidedType: string;
  decisionSource: DecisionSource;
  decidedAt: DefaultTimestamp;
  decidedBy: string | null;
  previousType: string | null;
  decisionReason: string | null;
  /** How values are read under this decision (format, raw type, null tokens), to re-apply it later. */
  decisionDetail: Json<JsonObject> | null;
}

/** One row per raw column and resolution pass: what applying its type decision did. */
export interface TypeResolutionsTable {
  resolutionId: string;
  columnId: string;
  resolvedAt: DefaultTimestamp;
  decidedType: string;
  /** The DuckDB type of the column in typed_<name>. */
  resolvedType: string;
  successCount: number;
  failureCount: number;
  nullCount: number;
  successRate: number;
  /** `[{ row, value }]`: the first values that failed to convert (their rows are quarantined). */
  sampleFailures: Json<unknown[]> | null;
}

export interface SemanticAnnotationsTable {
  annotationId: string;
  /** One annotation per column (unique). */
  columnId: string;
  semanticRole: string | null;
  entityType: string | null;
  businessName: string | null;
  businessDescription: string | null;
  businessDomain: string | null;
  ontologyTerm: string | null;
  ontologyUri: string | null;
  annotationSource: string | null;
  annotatedAt: DefaultTimestamp;
  annotatedBy: string | null;
  confidence: number | null;
}

export interface TemporalProfilesTable {
  temporalId: string;
  /** One temporal profile per column (unique). */
  columnId: string;
  minTimestamp: NullableTimestamp;
  maxTimestamp: NullableTimestamp;
  detectedGranularity: string | null;
  granularityConfidence: number | null;
  /** Most common gap between consecutive values, as an interval text (e.g. `1 day`). */
  dominantGap: string | null;
  expectedPeriods: number | null;
  actualPeriods: number | null;
  completenessRatio: number | null;
  gapCount: number | null;
  largestGap: string | null;
  gapDetails: Json | null;
  hasSeasonality: DefaultBoolean;
  /** Seasonal period in units of the detected granularity (12 for monthly data with a yearly cycle). */
  seasonalityPeriod: number | null;
  trendDirection: string | null;
  profiledAt: DefaultTimestamp;
}
