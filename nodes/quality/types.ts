/**
 * What the quality module produces: rules suggested from the data (deequ-style: a rule only
 * where the data supports it), their results from a few DuckDB scans per table, and scores per
 * column and table with the anomalies behind them.
 */

/** Rule kinds. `unique` and `referential_integrity` are checked with aggregates/anti-joins, the rest row by row. */
export type QualityRuleType =
  | 'not_null' | 'unique' | 'range' | 'non_negative' | 'positive' | 'allowed_values' | 'pattern'
  | 'not_future' | 'max_null_ratio' | 'referential_integrity';

/** Who proposed the rule: the data's profile, its semantic annotations, a relationship, the ontology, or a language model. */
export type RuleSource = 'profile' | 'semantic' | 'relationship' | 'ontology' | 'llm';

export type RuleSeverity = 'error' | 'warning' | 'info';

/** The score dimension a rule counts towards. */
export type RuleDimension = 'completeness' | 'validity' | 'consistency' | 'uniqueness';

/** Plain JSON parameters of a rule (bounds, allowed values, regex, referenced table...). */
export type RuleParameters = Readonly<Record<string, string | number | boolean | null | readonly (string | number | boolean)[]>>;

export interface QualityRuleSpec {
  /** Unique within the source: `<table>.<column>.<type>` (`<table>.<cols>.referential_integrity`). */
  readonly name: string;
  readonly type: QualityRuleType;
  /** Logical table name. */
  readonly table: string;
  /** The DuckDB table checked (`typed_<name>`). */
  readonly typedTable: string;
  /** Columns the rule reads (one for column rules; the child columns of a foreign key). */
  readonly columns: readonly string[];
  /**
   * DuckDB boolean expression over one row of `typedTable` that holds for valid rows (identifiers
   * quoted, literals quoted): `SELECT * FROM <typedTable> WHERE NOT (<predicate>)` lists the
   * failing rows. `unique` and `referential_integrity` hold subqueries on the typed tables (the
   * latter correlated on the table's own name, so the outer query reads it unaliased).
   */
  readonly predicate: string;
  readonly parameters: RuleParameters;
  readonly severity: RuleSeverity;
  readonly source: RuleSource;
  readonly dimension: RuleDimension;
  /** Largest share of failing rows for which the rule still passes (0 for most; `max_null_ratio` sets it). */
  readonly tolerance: number;
  readonly description: string;
}

export interface QualityRules {
  readonly sourceName: string;
  readonly rules: readonly QualityRuleSpec[];
  /** DuckDB queries run to decide the rules, per logical table. */
  readonly queryCounts: Readonly<Record<string, number>>;
  readonly generatedAt: string;
  /** What the LLM pass reported (a refused predicate, a failed call); absent when it did not run. */
  readonly warnings?: readonly string[];
}

export type Trend = 'up' | 'down' | 'stable';

export interface RuleResult {
  readonly rule: string;
  readonly type: QualityRuleType;
  readonly table: string;
  readonly columns: readonly string[];
  readonly severity: RuleSeverity;
  readonly dimension: RuleDimension;
  readonly totalRecords: number;
  readonly failedRecords: number;
  readonly passedRecords: number;
  /** passed / total (1 for an empty table). */
  readonly passRate: number;
  /** Failing share within the rule's tolerance. */
  readonly passed: boolean;
  /** Up to `failureSampleSize` failing rows (JSON objects), empty when none fail. */
  readonly failureSamples: readonly Readonly<Record<string, unknown>>[];
  readonly previousPassRate: number | null;
  readonly trend: Trend | null;
}

/** DuckDB statements run for one table. */
export interface QueryCounts {
  /** The one aggregate over all row-level and unique rules. */
  readonly aggregate: number;
  /** One anti-join per foreign key. */
  readonly referential: number;
  /** One UNION ALL of failing-row samples, when some rule failed. */
  readonly samples: number;
}

export interface QualityResults {
  readonly sourceName: string;
  readonly executedAt: string;
  readonly results: readonly RuleResult[];
  readonly queryCounts: Readonly<Record<string, QueryCounts>>;
}

/** Scores are 0..1; null where the dimension has nothing to measure (no rules, no time column). */
export interface ScoreSet {
  readonly completeness: number | null;
  readonly validity: number | null;
  readonly consistency: number | null;
  readonly uniqueness: number | null;
  readonly timeliness: number | null;
  /** Weighted mean of the non-null dimensions (`SCORE_WEIGHTS`). */
  readonly overall: number | null;
}

export type AnomalyKind = 'constant_column' | 'outliers' | 'skew' | 'non_finite' | 'duplicate_rows' | 'orphans' | 'rejected_rows';

export interface Anomaly {
  readonly kind: AnomalyKind;
  readonly table: string;
  /** Null for table-level anomalies (duplicate rows). */
  readonly column: string | null;
  readonly severity: RuleSeverity;
  /** What was measured, in words. */
  readonly message: string;
  /** The numbers behind it (counts, fences, skewness, samples). */
  readonly evidence: Readonly<Record<string, unknown>>;
}

export interface ColumnQuality extends ScoreSet {
  readonly column: string;
  readonly nullCount: number;
  readonly distinctCount: number;
}

export interface TableQuality extends ScoreSet {
  readonly table: string;
  readonly rowCount: number;
  readonly duplicateRows: number;
  readonly columns: Readonly<Record<string, ColumnQuality>>;
  /** DuckDB statements run for the scores and anomalies of this table. */
  readonly queryCount: number;
}

export interface QualityScores {
  readonly sourceName: string;
  readonly computedAt: string;
  readonly tables: Readonly<Record<string, TableQuality>>;
  readonly anomalies: readonly Anomaly[];
}

export interface StoredQuality {
  /** Rules inserted or updated (generated ones). */
  readonly rules: number;
  /** Generated rules no longer suggested, now inactive. */
  readonly deactivated: number;
  readonly results: number;
  readonly scores: number;
  readonly warnings: readonly string[];
}
