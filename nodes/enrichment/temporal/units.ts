/**
 * Calendar units as SQL: each unit numbers its periods with a BIGINT index (consecutive periods
 * differ by 1), so gaps, expected periods and steps are integer arithmetic in DuckDB whatever the
 * unit. Months and quarters count calendar months (a 28-day February and a 31-day March are both
 * one step); business days count Monday..Friday only, so a weekend is not a gap.
 */
import type { TemporalUnit } from './types.ts';

/** Coarse to fine: on a tie the coarser unit wins. */
export const UNITS: readonly TemporalUnit[] = ['year', 'quarter', 'month', 'week', 'business_day', 'day', 'hour', 'minute', 'second'];

/**
 * Nominal length of one step in seconds, to check that a unit's step really is the gap in time
 * (two values a day apart are in consecutive ISO weeks too, but the gap is not a week). A
 * business-day step averages 7/5 days because Friday -> Monday is one step.
 */
export const NOMINAL_SECONDS: Readonly<Record<TemporalUnit, number>> = {
  year: 365.2425 * 86_400,
  quarter: (365.2425 / 4) * 86_400,
  month: (365.2425 / 12) * 86_400,
  week: 7 * 86_400,
  business_day: 1.4 * 86_400,
  day: 86_400,
  hour: 3_600,
  minute: 60,
  second: 1,
};

/** Natural cycles in units, tested as seasonal lags (divided by the step when it divides them). */
export const SEASONAL_CYCLES: Readonly<Record<TemporalUnit, readonly number[]>> = {
  year: [],
  quarter: [4],
  month: [12],
  week: [52],
  business_day: [5],
  day: [7, 365],
  hour: [24, 168],
  minute: [60, 1440],
  second: [60],
};

const DAY0 = "DATE '1970-01-01'";
// A Monday: ISO weeks and business days count from here.
const MONDAY0 = "DATE '1970-01-05'";

/** SQL for a period's index: sub-day units count the instant's epoch seconds `e`, calendar units cut the wall-clock TIMESTAMP `t`. */
export function indexSql(unit: TemporalUnit, m: { t: string; e: string }): string {
  if (unit === 'second') return `CAST(floor(${m.e}) AS BIGINT)`;
  if (unit === 'minute') return `CAST(floor(${m.e} / 60) AS BIGINT)`;
  if (unit === 'hour') return `CAST(floor(${m.e} / 3600) AS BIGINT)`;
  // Read only here: for a column with time zone, `t` binds the zone.
  const t = m.t;
  switch (unit) {
    case 'day': return `CAST(CAST(${t} AS DATE) - ${DAY0} AS BIGINT)`;
    // 5 per full week plus the weekday (Saturday and Sunday share the next Monday's index).
    case 'business_day': {
      const d = `CAST(CAST(${t} AS DATE) - ${MONDAY0} AS BIGINT)`;
      return `CAST(5 * floor(${d} / 7) + least(${d} - 7 * floor(${d} / 7), 5) AS BIGINT)`;
    }
    case 'week': return `CAST(floor(CAST(CAST(${t} AS DATE) - ${MONDAY0} AS BIGINT) / 7) AS BIGINT)`;
    case 'month': return `CAST(year(${t}) * 12 + month(${t}) - 1 AS BIGINT)`;
    case 'quarter': return `CAST(year(${t}) * 4 + quarter(${t}) - 1 AS BIGINT)`;
    case 'year': return `CAST(year(${t}) AS BIGINT)`;
  }
}

/** SQL for the ISO text of the start of the period with index `i` (a BIGINT expression); `utc` marks sub-day labels as UTC instants. */
export function labelSql(unit: TemporalUnit, i: string, utc = false): string {
  const dateText = (d: string) => `strftime(${d}, '%Y-%m-%d')`;
  const timeText = (seconds: string) => `strftime(make_timestamp(CAST(${seconds} AS BIGINT) * 1000000), '%Y-%m-%dT%H:%M:%S${utc ? 'Z' : ''}')`;
  const floorDiv = (n: number) => `CAST(floor(${i} / ${n}) AS BIGINT)`;
  switch (unit) {
    case 'second': return timeText(i);
    case 'minute': return timeText(`${i} * 60`);
    case 'hour': return timeText(`${i} * 3600`);
    case 'day': return dateText(`${DAY0} + CAST(${i} AS INTEGER)`);
    case 'business_day': return dateText(`${MONDAY0} + CAST(7 * ${floorDiv(5)} + (${i} - 5 * ${floorDiv(5)}) AS INTEGER)`);
    case 'week': return dateText(`${MONDAY0} + CAST(${i} * 7 AS INTEGER)`);
    case 'month': return dateText(`make_date(CAST(${floorDiv(12)} AS INTEGER), CAST(${i} - 12 * ${floorDiv(12)} + 1 AS INTEGER), 1)`);
    case 'quarter': return dateText(`make_date(CAST(${floorDiv(4)} AS INTEGER), CAST((${i} - 4 * ${floorDiv(4)}) * 3 + 1 AS INTEGER), 1)`);
    case 'year': return `CAST(${i} AS VARCHAR)`;
  }
}

/** SQL for a value's position inside its period (see GranularityDetection.alignment). */
export function positionSql(unit: TemporalUnit, t: string): string {
  switch (unit) {
    // The last day of the period is position 0, so month-end series (31, 29, 31, 30, ...) align too.
    case 'year': return `CASE WHEN month(${t}) = 12 AND day(${t}) = 31 THEN 0 ELSE month(${t}) * 100 + day(${t}) END`;
    case 'quarter': return `CASE WHEN month(${t}) % 3 = 0 AND CAST(${t} AS DATE) = last_day(${t}) THEN 0 ELSE ((month(${t}) - 1) % 3) * 100 + day(${t}) END`;
    case 'month': return `CASE WHEN CAST(${t} AS DATE) = last_day(${t}) THEN 0 ELSE day(${t}) END`;
    case 'week': return `isodow(${t})`;
    case 'business_day':
    case 'day': return `hour(${t}) * 3600 + minute(${t}) * 60 + second(${t})`;
    case 'hour': return `minute(${t}) * 60 + second(${t})`;
    case 'minute': return `second(${t})`;
    case 'second': return '0';
  }
}

/** `1 month`, `15 minutes`, `3 business days`. */
export function intervalText(count: number, unit: TemporalUnit): string {
  return `${count} ${unit === 'business_day' ? 'business day' : unit}${count === 1 ? '' : 's'}`;
}

/** Seasonal lags (in steps) for a unit and step: the unit's cycles the step divides, at least 2 steps long. */
export function seasonalLags(unit: TemporalUnit, step: number): number[] {
  return SEASONAL_CYCLES[unit].filter((c) => c % step === 0 && c / step >= 2).map((c) => c / step);
}

/**
 * How one seasonal lag is measured: on the series itself (`block` 1, `blockLag` = `lag`), or for
 * a long cycle on the means of `block` consecutive periods, `blockLag` blocks apart.
 */
export interface SeasonalLag {
  /** The cycle in periods (steps). */
  readonly lag: number;
  readonly block: number;
  readonly blockLag: number;
}

/** Cycles longer than this many periods are measured on block means. */
export const LONG_CYCLE_PERIODS = 24;
/** About this many blocks per long cycle: months of a year, two-hour blocks of a day. */
const BLOCKS_PER_CYCLE = 12;

/**
 * The seasonal lags of a unit and step and how each is measured. Period-to-period noise swamps a
 * slow cycle (a year of daily temperatures changes by a few tenths of a degree a day, the weather by
 * degrees), so a cycle longer than LONG_CYCLE_PERIODS is measured on block means, about
 * BLOCKS_PER_CYCLE blocks per cycle. A block is a whole number of the next shorter cycle (4 weeks
 * for a year of days, 1 day for a week of hours), so that cycle averages out instead of leaking
 * into the long one.
 *
 * @example
 * ```ts
 * seasonalPlan('day', 1);   // [{ lag: 7, block: 1, blockLag: 7 }, { lag: 365, block: 28, blockLag: 13 }]
 * seasonalPlan('hour', 1);  // [{ lag: 24, block: 1, blockLag: 24 }, { lag: 168, block: 24, blockLag: 7 }]
 * ```
 */
export function seasonalPlan(unit: TemporalUnit, step: number): SeasonalLag[] {
  const lags = seasonalLags(unit, step);
  return lags.map((lag) => {
    if (lag <= LONG_CYCLE_PERIODS) return { lag, block: 1, blockLag: lag };
    const shorter = Math.max(1, ...lags.filter((l) => l < lag));
    const block = shorter * Math.max(1, Math.round(lag / (shorter * BLOCKS_PER_CYCLE)));
    return { lag, block, blockLag: Math.round(lag / block) };
  });
}
