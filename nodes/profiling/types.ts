/**
 * What profiling produces: per table, per column statistics computed in DuckDB with a few scans
 * per table.
 */

/** A value pattern matched on a sample of a VARCHAR column. */
export interface PatternMatch {
  /** Catalogue name: `email`, `url`, `uuid`, `iso_date`, `phone`, `ipv4`, ... (see `PATTERNS`). */
  readonly pattern: string;
  /** Share of sampled non-empty values that match the whole pattern. */
  readonly matchRate: number;
  /** How many non-empty sampled values the rate is over. */
  readonly sampleSize: number;
}

export type UnitQuantity =
  | 'mass' | 'length' | 'speed' | 'temperature' | 'currency' | 'ratio' | 'time' | 'volume'
  | 'energy' | 'power' | 'pressure' | 'data';

/** A unit found in the values' affixes and/or the column name. */
export interface UnitDetection {
  /** Canonical symbol: `kg`, `km/h`, `°C`, `USD`, `%`. */
  readonly unit: string;
  readonly quantity: UnitQuantity;
  readonly source: 'values' | 'name' | 'both';
  /** 0..1. */
  readonly confidence: number;
  /** Why: which token, how often. */
  readonly evidence: string;
}

export interface NumericStats {
  /** `native` for numeric columns; `parsed` when computed over TRY_CAST(text AS DOUBLE). */
  readonly source: 'native' | 'parsed';
  /** Values that are (or parse as) finite numbers. */
  readonly numericCount: number;
  readonly min: number;
  readonly max: number;
  readonly mean: number;
  /** Sample standard deviation; null with fewer than two values. */
  readonly stddev: number | null;
  readonly p25: number;
  readonly p50: number;
  readonly p75: number;
  readonly p95: number;
  readonly p99: number;
}

export interface StringStats {
  readonly minLength: number;
  readonly maxLength: number;
  readonly avgLength: number;
}

/** One equal-width bin; the last bin includes its upper bound. */
export interface HistogramBin {
  readonly lower: number;
  readonly upper: number;
  readonly count: number;
}

export interface TopValue {
  /** The value as text. */
  readonly value: string;
  readonly count: number;
  /** Share of ALL rows (nulls included), 0..1. */
  readonly percentage: number;
}

export interface ColumnProfile {
  readonly column: string;
  /** 0-based position in the table. */
  readonly position: number;
  readonly rawType: string;
  readonly totalCount: number;
  readonly nullCount: number;
  readonly nonNullCount: number;
  /** Exact `count(DISTINCT ...)` over non-null values. */
  readonly distinctCount: number;
  /** nullCount / totalCount (0 for an empty table). */
  readonly nullRatio: number;
  /** distinctCount / nonNullCount (0 when there are no values). */
  readonly cardinalityRatio: number;
  /** Smallest and largest value in the column's own ordering, as text. */
  readonly minValue: string | null;
  readonly maxValue: string | null;
  /** Present for numeric columns and for text columns where most values parse as numbers. */
  readonly numeric?: NumericStats;
  /** Present for VARCHAR columns. */
  readonly string?: StringStats;
  /** Equal-width bins over the numeric values (when histograms are on and min < max). */
  readonly histogram?: readonly HistogramBin[];
  /** Most frequent values, most frequent first (ties by value). */
  readonly topValues: readonly TopValue[];
  /** Value patterns on a sample (VARCHAR columns). */
  readonly patterns?: readonly PatternMatch[];
  readonly unit?: UnitDetection;
}

export interface TableProfile {
  readonly table: string;
  readonly rawTable: string;
  readonly rowCount: number;
  /** Keyed by column name, in table order. */
  readonly columns: Readonly<Record<string, ColumnProfile>>;
  /** SQL statements issued for this table (aggregates, top-k, histograms, patterns). */
  readonly queryCount: number;
  readonly durationMs: number;
}

export interface ProfilingResult {
  /** Keyed by logical table name. */
  readonly tables: Readonly<Record<string, TableProfile>>;
  /** ISO 8601. */
  readonly profiledAt: string;
}
