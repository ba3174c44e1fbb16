/**
 * What temporal profiling produces: per DATE / TIMESTAMP / TIMESTAMP WITH TIME ZONE column (and
 * integer year columns), its range, calendar granularity, completeness and gaps, seasonality and
 * trend. Timestamps in results are ISO-8601 text.
 */

/** Calendar units a series can be regular in, coarse to fine. */
export type TemporalUnit = 'year' | 'quarter' | 'month' | 'week' | 'business_day' | 'day' | 'hour' | 'minute' | 'second';

/** A unit, or `irregular` when no unit explains the spacing of the values (event timestamps). */
export type TemporalGranularity = TemporalUnit | 'irregular';

/** How the column holds time: a date, a timestamp without or with time zone, or an integer year. */
export type TemporalKind = 'date' | 'timestamp' | 'timestamp_tz' | 'year';

/** A run of consecutive missing periods. */
export interface TemporalGap {
  /** Start of the first missing period (ISO date, or date-time for sub-day units). */
  readonly start: string;
  /** Start of the last missing period (equal to `start` for a single missing period). */
  readonly end: string;
  /** Periods (of `step` units each) missing in this run. */
  readonly missingPeriods: number;
}

/** The spacing of the distinct values. */
export interface GranularityDetection {
  readonly granularity: TemporalGranularity;
  /** Units between consecutive periods: 1 for daily data, 15 for quarter-hourly data (granularity `minute`). */
  readonly step: number;
  /** 0..1: share of consecutive distinct values exactly one step apart, weighted by alignment. */
  readonly confidence: number;
  /** The most common gap as interval text, e.g. `1 month`, `1 business day`, `15 minutes`; null when no unit fits. */
  readonly dominantGap: string | null;
  /** Share of consecutive distinct values exactly one step apart. */
  readonly dominantGapShare: number;
  /**
   * Share of values at the most common position inside their period: the same day of month
   * (month, quarter; the last day counts as one position), calendar day (year), weekday (week),
   * time of day (day, business_day) or minute/second (hour, minute).
   */
  readonly alignment: number;
}

/**
 * Autocorrelation at one seasonal lag of the per-period series' changes (the differenced series)
 * less their mean over the surrounding cycle, so that a curved trend (growth that speeds up) does
 * not read as a cycle.
 */
export interface LagAutocorrelation {
  /** In periods (steps of the granularity). */
  readonly lag: number;
  /** Pearson correlation of the detrended changes with themselves one lag later; null when undefined (constant series, too few pairs). */
  readonly acf: number | null;
  /** Pairs the correlation is over (of blocks, for a long cycle). */
  readonly pairs: number;
  /**
   * Long cycles (over 24 periods): measured on the means of `periods` consecutive periods, `lag`
   * blocks apart (a year of days: 4-week blocks, 13 apart). Absent when measured period by period.
   */
  readonly block?: { readonly periods: number; readonly lag: number };
}

/** Which per-period series seasonality and trend are measured on. */
export interface TemporalSeries {
  /** `count`: rows per period (missing periods count 0); otherwise the measure's aggregate per period (missing periods are skipped). */
  readonly aggregate: 'count' | 'avg' | 'sum';
  /** The measure column, or null for row counts. */
  readonly measure: string | null;
}

export interface SeasonalityResult {
  readonly hasSeasonality: boolean;
  /** Seasonal period in periods of the granularity (12 for monthly data with a yearly cycle); null without seasonality. */
  readonly period: number | null;
  /** The autocorrelation at `period`. */
  readonly strength: number | null;
  /** Every lag that was tested (those the series is long enough for). */
  readonly autocorrelations: readonly LagAutocorrelation[];
  /** Why nothing could be tested, when `autocorrelations` is empty. */
  readonly reason?: string;
}

export interface TrendResult {
  readonly direction: 'up' | 'down' | 'flat';
  /** Least-squares slope of the series per period (DuckDB regr_slope). */
  readonly slope: number | null;
  /** Coefficient of determination of that fit (DuckDB regr_r2). */
  readonly r2: number | null;
  /** Periods with a value the fit is over. */
  readonly periods: number;
}

export interface TemporalColumnProfile {
  readonly table: string;
  readonly column: string;
  /** DuckDB type of the typed column. */
  readonly columnType: string;
  readonly kind: TemporalKind;
  readonly columnId?: string;
  readonly totalCount: number;
  readonly nonNullCount: number;
  readonly distinctCount: number;
  /** Earliest value, ISO text: `2012-01-01`, `2012-01-01T05:00:00` (no zone), `2012-01-01T05:00:00Z` (with zone: the instant in UTC), `1880` (year). */
  readonly min: string | null;
  readonly max: string | null;
  /** Zone in which a TIMESTAMP WITH TIME ZONE column was cut into calendar periods; null for other kinds. */
  readonly timeZone: string | null;
  /** Null with fewer than two distinct values. */
  readonly granularity: GranularityDetection | null;
  /**
   * The unit periods, gaps and the series are counted in: the granularity's unit, or for
   * irregular timestamps (events) the bucket rows are counted per: day, or hour / minute when
   * the values span less than two weeks / two days. Null without two distinct values.
   */
  readonly periodUnit: TemporalUnit | null;
  /** Units per period: the granularity's step (1 for buckets). */
  readonly periodStep: number | null;
  /** Periods between the first and the last one; null with no values. */
  readonly expectedPeriods: number | null;
  /** Distinct periods that have values. */
  readonly actualPeriods: number | null;
  /** actualPeriods / expectedPeriods (at most 1). */
  readonly completenessRatio: number | null;
  /** The first `maxGaps` gaps in time order. */
  readonly gaps: readonly TemporalGap[];
  /** All gaps (runs of missing periods), listed or not. */
  readonly gapCount: number;
  /** Missing periods over all gaps. */
  readonly missingPeriods: number;
  /** The gap with the most missing periods (earliest on ties). */
  readonly largestGap: TemporalGap | null;
  readonly series: TemporalSeries;
  readonly seasonality: SeasonalityResult | null;
  readonly trend: TrendResult | null;
  /** Why parts of the profile are null (no values, a single value, irregular spacing, a series too long). */
  readonly note?: string;
}

export interface TemporalTableProfiles {
  readonly table: string;
  readonly typedTable: string;
  readonly tableId?: string;
  /** Column name -> profile, for the table's temporal columns only. */
  readonly columns: Readonly<Record<string, TemporalColumnProfile>>;
  /** DuckDB queries run for this table. */
  readonly queryCount: number;
  readonly durationMs: number;
}

export interface TemporalProfiles {
  readonly sourceName: string;
  readonly profiledAt: string;
  /** Logical table name -> profiles; tables without temporal columns are included with no columns. */
  readonly tables: Readonly<Record<string, TemporalTableProfiles>>;
}
