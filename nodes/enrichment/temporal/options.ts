/** Temporal profiling options, validated by zod; every field has a default. */
import { z } from 'zod';

export const TemporalOptionsSchema = z.object({
  /**
   * The per-period series seasonality and trend are measured on:
   * `count` (rows per period), `first_numeric` (the table's first numeric column that is not an
   * id or a year), `{ <table>: <column> }` to name the measure per table (other tables: count), or
   * `auto` (the default): `first_numeric` for a time column holding one row per value (a regular
   * series: a reading per month), `count` for the others (events, several rows per time).
   */
  measure: z.union([z.enum(['auto', 'count', 'first_numeric']), z.record(z.string(), z.string())]).default('auto'),
  /** How a measure is aggregated per period. */
  measureAggregate: z.enum(['avg', 'sum']).default('avg'),
  /** Gaps listed per column (all are counted). */
  maxGaps: z.number().int().min(0).max(10_000).default(20),
  /** Zone in which TIMESTAMP WITH TIME ZONE values are cut into days, months, ... (an IANA name). */
  timeZone: z.string().min(1).default('UTC'),
  /** Also profile integer columns named like a year (`year`, `fiscal_year`) whose values all lie in 1000..2999. */
  yearColumns: z.boolean().default(true),
  /** A lag counts as seasonal when the autocorrelation of the series' detrended changes there reaches this (see LagAutocorrelation). */
  seasonalityMinAcf: z.number().min(0).max(1).default(0.3),
  /** A trend is up or down only when the linear fit explains at least this share of variance (R²). */
  trendMinR2: z.number().min(0).max(1).default(0.25),
  /** Seasonality and trend are skipped when the series would be longer than this many periods. */
  maxSeriesPeriods: z.number().int().min(1).max(100_000_000).default(2_000_000),
  /**
   * Above this many distinct values the granularity is measured on evenly spread blocks of 1000
   * consecutive values (the first and last period, gaps and counts still come from all values).
   */
  shapeSampleValues: z.number().int().min(1000).default(100_000),
});

/** What a caller may pass (everything optional). */
export type TemporalOptions = z.input<typeof TemporalOptionsSchema>;
/** Options with defaults applied. */
export type ResolvedTemporalOptions = z.output<typeof TemporalOptionsSchema>;
