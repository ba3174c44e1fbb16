/** Profiling options, validated by zod; every field has a default. */
import { z } from 'zod';

export const ProfilingOptionsSchema = z.strictObject({
  /** Compute equal-width histograms for numeric columns. */
  histograms: z.boolean().default(true),
  /** Number of histogram bins. */
  buckets: z.number().int().min(1).max(1000).default(20),
  /** How many most-frequent values to keep per column (0: none). */
  topK: z.number().int().min(0).max(1000).default(10),
  /** Sample size for pattern detection (0: no pattern detection). */
  sampleForPatterns: z.number().int().min(0).max(10_000_000).default(10_000),
  /** Detect units from value affixes and column names. */
  detectUnits: z.boolean().default(true),
  /** A text column gets numeric stats when at least this share of its values parse as DOUBLE. */
  numericParseThreshold: z.number().min(0).max(1).default(0.8),
});

/** What a caller may pass (everything optional). */
export type ProfilingOptions = z.input<typeof ProfilingOptionsSchema>;
/** Options with defaults applied. */
export type ResolvedProfilingOptions = z.output<typeof ProfilingOptionsSchema>;
