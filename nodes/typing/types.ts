/**
 * What type inference, the type decisions, the review gate and type resolution produce.
 */
import type { PatternMatch, UnitDetection } from '../profiling/types.ts';

/** The types inference chooses between. */
export type CandidateType =
  | 'INTEGER' | 'BIGINT' | 'DOUBLE' | 'DECIMAL' | 'BOOLEAN' | 'DATE' | 'TIMESTAMP' | 'TIMESTAMPTZ'
  | 'TIME' | 'INTERVAL' | 'JSON' | 'VARCHAR';

/** Decimal and grouping separators of a number format. */
export type DecimalSeparator = '.' | ',';
/** `' '` also stands for the no-break spaces U+00A0 and U+202F. */
export type ThousandsSeparator = '' | ',' | '.' | ' ' | "'";

/**
 * How negatives are written besides a leading `-` (or U+2212 `−`, always read as one):
 * `parentheses` as in accounting, `(1,234.50)` or `($5)`; `trailing` as SAP exports, `1.234,50-`.
 */
export type NegativeStyle = 'parentheses' | 'trailing';

/**
 * How text becomes a number: separators, an optional currency (its symbols/codes are stripped,
 * e.g. `$`, `US$`, `USD` for USD), an optional unit suffix, and percent.
 * Percent values are stored as FRACTIONS: `45%` -> 0.45 (DOUBLE).
 */
export interface NumberFormat {
  readonly kind: 'number';
  readonly decimal: DecimalSeparator;
  readonly thousands: ThousandsSeparator;
  /** ISO 4217 code from the unit catalogue (`USD`, `EUR`, `GBP`, `JPY`, `CHF`). */
  readonly currency?: string;
  /** Values end with `%` (required) and are divided by 100. */
  readonly percent?: boolean;
  /** A unit token stripped from the end of values (`kg`, `km/h`, `°C`). */
  readonly unit?: string;
  /** Negatives written in parentheses or with a trailing minus (a leading `-` always reads). */
  readonly negative?: NegativeStyle;
}

/** How a raw text value is read as its decided type. */
export type ValueFormat =
  /** Keep the raw column as it is (strong sources, non-text raw columns). */
  | { readonly kind: 'native' }
  /** Keep the raw text verbatim (VARCHAR). */
  | { readonly kind: 'text' }
  | NumberFormat
  /** Lower-cased tokens for true and false. */
  | { readonly kind: 'boolean'; readonly trueValues: readonly string[]; readonly falseValues: readonly string[] }
  | { readonly kind: 'date'; readonly strptime: string }
  | { readonly kind: 'time'; readonly strptime: string }
  /** `strptime: null` means ISO 8601 read by DuckDB's own cast (fractional seconds, `T` or space). */
  | { readonly kind: 'timestamp'; readonly strptime: string | null }
  /** `strptime: null` means ISO 8601 with a zone (`Z`, `+02:00`, `+0200`). */
  | { readonly kind: 'timestamptz'; readonly strptime: string | null }
  | { readonly kind: 'interval' }
  | { readonly kind: 'json' };

/** A value that did not parse, with its 1-based row number in the raw table (rowid + 1). */
export interface FailedExample {
  readonly row: number;
  readonly value: string;
}

export interface TypeCandidate {
  readonly type: CandidateType;
  /** The exact DuckDB type to cast to: `INTEGER`, `DECIMAL(12,2)`, ... */
  readonly duckdbType: string;
  readonly format: ValueFormat;
  /** 0..1: parse success rate weighted by specificity, ambiguity and identifier evidence. */
  readonly confidence: number;
  /** Non-null values that parse with this format / non-null values, over the WHOLE column. */
  readonly parseSuccessRate: number;
  readonly parsedCount: number;
  readonly failedCount: number;
  /** Up to `maxFailedExamples` failing values, first rows first. */
  readonly failedExamples: readonly FailedExample[];
  /** Why the confidence is what it is. */
  readonly notes: readonly string[];
}

export interface ColumnTypeInference {
  readonly table: string;
  readonly column: string;
  readonly rawType: string;
  readonly rowCount: number;
  /** Values that are neither NULL, empty nor a null token. */
  readonly nonNullCount: number;
  /** Values that were a null token (`NA`, `NULL`, ...) rather than SQL NULL or empty. */
  readonly nullTokenCount: number;
  /**
   * Distinct non-null values: exact for tables surveyed whole (up to 10,000 rows); above, a
   * HyperLogLog estimate (at most `nonNullCount`) and `distinctCountApproximate` is set. Profiling
   * has the exact count.
   */
  readonly distinctCount: number;
  readonly distinctCountApproximate: boolean;
  readonly minLength: number | null;
  readonly maxLength: number | null;
  /** Ranked, best first. */
  readonly candidates: readonly TypeCandidate[];
  readonly best: TypeCandidate;
  /** All matching patterns on the sample, best first, and the column's pattern when one dominates (>= 0.8). */
  readonly patterns: readonly PatternMatch[];
  readonly pattern?: PatternMatch;
  readonly unit?: UnitDetection;
  /** Set when the column looks like a code or key rather than a quantity. */
  readonly identifier?: { readonly reason: string };
  /** Tokens treated as NULL (compared after trimming). */
  readonly nullTokens: readonly string[];
}

export interface TableTypeInference {
  readonly table: string;
  readonly rawTable: string;
  readonly rowCount: number;
  /** Inferred (VARCHAR) columns only, keyed by name in table order. */
  readonly columns: Readonly<Record<string, ColumnTypeInference>>;
  /**
   * SQL statements issued: per batch of columns a survey scan, a sample query and a verify scan;
   * for tables above the survey sample size, the survey runs on a sample in the sample query's
   * statement and an exact shape scan takes its place.
   */
  readonly queryCount: number;
  readonly durationMs: number;
}

export interface TypeCandidatesResult {
  /** Tables of untyped/weak sources that have VARCHAR columns, keyed by logical name. */
  readonly tables: Readonly<Record<string, TableTypeInference>>;
  readonly inferredAt: string;
}

/** How a column's type was decided. */
export type DecisionSource = 'auto' | 'manual';

export interface ColumnTypeDecision {
  readonly table: string;
  readonly column: string;
  readonly rawType: string;
  /** DuckDB type of the typed column (`DOUBLE`, `DECIMAL(10,2)`, `DATE`, ...; the raw type for `native`). */
  readonly decidedType: string;
  readonly format: ValueFormat;
  /** Trimmed values read as NULL for non-text types. */
  readonly nullTokens: readonly string[];
  readonly confidence: number;
  readonly decisionSource: DecisionSource;
  readonly reason: string;
  /** Who decided: `dataraum` for automatic decisions, the reviewer otherwise. */
  readonly decidedBy: string;
  readonly decidedAt: string;
  /**
   * A person's decision only: how well it read the column when they made it. It is applied again
   * without asking while the data fits it at least this well (or reaches the threshold).
   */
  readonly acceptedFit?: AcceptedFit;
}

/** How well a decision read a column's non-null values when a person made it. */
export interface AcceptedFit {
  readonly parseSuccessRate: number;
  readonly parsedCount: number;
  readonly failedCount: number;
}

/** Every column of every staged table, decided. This is the type_review gate's value. */
export interface TypeDecisions {
  readonly decisions: readonly ColumnTypeDecision[];
}

/** How well a decision reads a column's non-null values, over the WHOLE column. */
export interface DecisionFit {
  readonly parseSuccessRate: number;
  readonly parsedCount: number;
  readonly failedCount: number;
  /** The first failing values, first rows first. */
  readonly failedExamples: readonly FailedExample[];
}

/** A person's decision from an earlier run that reads this run's data below the decision threshold. */
export interface StaleDecision extends DecisionFit {
  readonly decision: ColumnTypeDecision;
  /** Why the column is asked again, in words. */
  readonly note: string;
}

/**
 * A column whose best candidate is below the decision threshold, or whose earlier manual decision
 * no longer fits the data.
 */
export interface UncertainColumn {
  /** `table.column`: the review item id. */
  readonly itemId: string;
  readonly table: string;
  readonly column: string;
  /** What would be applied if a reviewer accepted the suggestion. */
  readonly suggestion: ColumnTypeDecision;
  readonly candidates: readonly TypeCandidate[];
  readonly hints: {
    readonly nonNullCount: number;
    readonly distinctCount: number;
    /** `distinctCount` is an estimate (large tables), not an exact count. */
    readonly distinctCountApproximate: boolean;
    readonly minLength: number | null;
    readonly maxLength: number | null;
    readonly pattern?: PatternMatch;
    readonly unit?: UnitDetection;
    readonly identifier?: { readonly reason: string };
  };
  /** Set when a person decided this column on an earlier run and that decision no longer fits. */
  readonly earlierDecision?: StaleDecision;
}

export interface AutoTypeDecisions {
  readonly threshold: number;
  /** Every column as `table.column`, in staging order (tables, then column positions). */
  readonly order: readonly string[];
  /** Columns decided without asking: confident, kept from a strong source, or decided by a person on an earlier run (still fitting). */
  readonly decided: readonly ColumnTypeDecision[];
  readonly uncertain: readonly UncertainColumn[];
}

export interface ColumnResolution {
  readonly column: string;
  readonly decidedType: string;
  /** The DuckDB type of the column in `typed_<name>`. */
  readonly resolvedType: string;
  readonly format: ValueFormat;
  /** Non-null raw values that converted. */
  readonly successCount: number;
  /** Non-null raw values that did not convert (their rows are quarantined). */
  readonly failureCount: number;
  /** Raw values that were NULL, empty or a null token. */
  readonly nullCount: number;
  /** successCount / (successCount + failureCount); 1 when there are no values. */
  readonly successRate: number;
  readonly sampleFailures: readonly FailedExample[];
}

export interface TableResolution {
  readonly table: string;
  readonly rawTable: string;
  readonly typedTable: string;
  readonly quarantineTable: string;
  readonly rawRowCount: number;
  readonly typedRowCount: number;
  readonly quarantinedRowCount: number;
  readonly columns: Readonly<Record<string, ColumnResolution>>;
  readonly durationMs: number;
}

export interface TypeResolutionResult {
  readonly tables: Readonly<Record<string, TableResolution>>;
  readonly resolvedAt: string;
}
