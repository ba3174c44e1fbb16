/** Type inference options, validated by zod; every field has a default. */
import { z } from 'zod';

export const DEFAULT_NULL_TOKENS: readonly string[] = ['', 'NULL', 'null', 'Null', 'NA', 'N/A', 'n/a', '#N/A', 'NaN', 'nan', '-', '?'];

export const InferenceOptionsSchema = z.strictObject({
  /** Sample size for pattern detection (0: no pattern detection). */
  sampleForPatterns: z.number().int().min(0).max(10_000_000).default(10_000),
  /** Detect units from value affixes and column names. */
  detectUnits: z.boolean().default(true),
  /**
   * Trimmed values read as NULL (never as a parse failure) for non-text types. `NaN` is among
   * them: a missing number, not IEEE NaN. Text (VARCHAR) columns keep every value verbatim.
   */
  nullTokens: z.array(z.string()).default([...DEFAULT_NULL_TOKENS]),
  /** A reading becomes a candidate when at least this share of non-null values parse in the survey. */
  minCandidateRate: z.number().min(0).max(1).default(0.5),
  /** Columns per batch of survey/sample/verify queries: very wide aggregate queries are slower in DuckDB than several narrow ones. */
  surveyBatchColumns: z.number().int().min(1).max(1000).default(8),
  /** Failing values kept per candidate. */
  maxFailedExamples: z.number().int().min(0).max(100).default(5),
});

export type InferenceOptions = z.input<typeof InferenceOptionsSchema>;
export type ResolvedInferenceOptions = z.output<typeof InferenceOptionsSchema>;
