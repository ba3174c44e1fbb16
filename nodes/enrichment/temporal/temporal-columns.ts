/**
 * Which typed columns hold time, and how each reads as a TIMESTAMP in SQL: dates and timestamps
 * as they are, timestamps with time zone as wall-clock time in the analysis zone, integer year
 * columns as 1 January of that year.
 */
import { quoteIdent } from '../../duckdb.ts';
import { isNumericType } from '../../profiling/column-kinds.ts';
import type { SqlParams } from '../../profiling/sql-params.ts';
import type { TypedColumn } from '../types.ts';
import type { TemporalKind } from './types.ts';

/** The kind of a DATE / TIMESTAMP-family type, or undefined for anything else. */
export function temporalKindOf(type: string): Exclude<TemporalKind, 'year'> | undefined {
  const t = type.trim().toUpperCase();
  if (t === 'DATE') return 'date';
  if (t === 'TIMESTAMP WITH TIME ZONE' || t === 'TIMESTAMPTZ') return 'timestamp_tz';
  if (/^(TIMESTAMP|TIMESTAMP_S|TIMESTAMP_MS|TIMESTAMP_NS|TIMESTAMP_US|DATETIME)$/.test(t)) return 'timestamp';
  return undefined;
}

/** Integer types only: a DOUBLE or DECIMAL column is never taken for a year. */
export function isIntegerType(type: string): boolean {
  return /^(TINYINT|SMALLINT|INTEGER|INT|INT1|INT2|INT4|INT8|BIGINT|HUGEINT|UTINYINT|USMALLINT|UINTEGER|UBIGINT|UHUGEINT)$/i.test(type.trim());
}

/** `year`, `Year`, `fiscal_year`, `year_of_birth`, `yr`: a name that says year (values are checked too). */
export function isYearName(name: string): boolean {
  return /(^|[^a-z])(year|yr|jahr|annee|anio)s?([^a-z]|$)/i.test(name) || /^(fiscal|calendar)?year$/i.test(name.replace(/[^a-z]/gi, ''));
}

/** Smallest and largest value a year column may hold. */
export const YEAR_RANGE = { min: 1000, max: 2999 } as const;

/** A measure for seasonality and trend: numeric, not an id, not a year. */
export function isMeasureColumn(column: TypedColumn): boolean {
  if (!isNumericType(column.type)) return false;
  if (isYearName(column.name)) return false;
  return !/(^|[^a-z])(id|key|code|zip|no)$/i.test(column.name) && !/^id([^a-z]|$)/i.test(column.name);
}

/** A column to profile: its kind and its SQL. */
export interface TemporalColumnSpec {
  readonly column: TypedColumn;
  readonly kind: TemporalKind;
}

/** How a column's values read in SQL: as wall-clock time, and as the instant's epoch seconds. */
export interface MomentSql {
  /** TIMESTAMP: wall-clock time (in the analysis zone for a column with time zone); calendar units cut this. */
  readonly t: string;
  /** DOUBLE: seconds since 1970 of the instant; hours, minutes and seconds count these, so a DST change is no gap. */
  readonly e: string;
  /** Sub-day period labels are UTC instants (suffix `Z`) rather than wall-clock times. */
  readonly utcLabels: boolean;
}

/** SQL for the values of `expr` (the column, or an alias of it) as a moment. */
export function momentSql(kind: TemporalKind, expr: string, p: SqlParams, timeZone: string): MomentSql {
  switch (kind) {
    case 'date':
    case 'timestamp': return { t: `CAST(${expr} AS TIMESTAMP)`, e: `epoch(CAST(${expr} AS TIMESTAMP))`, utcLabels: false };
    // A getter: the zone is bound only by SQL that uses it (DuckDB rejects unused parameters).
    case 'timestamp_tz': return { get t() { return `timezone(${p.bind(timeZone)}, ${expr})`; }, e: `epoch(${expr})`, utcLabels: true };
    case 'year': {
      const t = `CAST(make_date(CAST(${expr} AS INTEGER), 1, 1) AS TIMESTAMP)`;
      return { t, e: `epoch(${t})`, utcLabels: false };
    }
  }
}

/** SQL condition for the rows whose value takes part: not NULL and finite (DuckDB has infinite dates). */
export function validSql(kind: TemporalKind, expr: string, p: SqlParams): string {
  if (kind === 'year') return `${expr} BETWEEN ${p.bind(YEAR_RANGE.min)} AND ${p.bind(YEAR_RANGE.max)}`;
  return `${expr} IS NOT NULL AND isfinite(${expr})`;
}
