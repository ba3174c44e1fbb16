/**
 * Temporal profiling node: for every DATE / TIMESTAMP / TIMESTAMP WITH TIME ZONE column (and
 * integer year columns) of a typed source, its range, calendar granularity, completeness, gaps,
 * seasonality and trend. DuckDB does the work: one scan per table for ranges, then two queries
 * per temporal column (its shape at every unit, then its series at the chosen unit).
 */
import type { DuckDBConnection } from '../../duckdb.ts';
import { queryRows } from '../../duckdb.ts';
import { isNumericType } from '../../profiling/column-kinds.ts';
import type { TypedSource, TypedTable } from '../types.ts';
import { bucketFor, chooseGranularity, type ChosenGranularity } from './granularity.ts';
import { TemporalOptionsSchema, type ResolvedTemporalOptions, type TemporalOptions } from './options.ts';
import { isIntegerType, isMeasureColumn, isYearName, temporalKindOf, type TemporalColumnSpec } from './temporal-columns.ts';
import { parseShape, rangeQuery, seriesQuery, shapeQuery, type BuiltQuery } from './temporal-queries.ts';
import type { LagAutocorrelation, SeasonalityResult, TemporalColumnProfile, TemporalGap, TemporalProfiles, TemporalSeries, TemporalTableProfiles, TemporalUnit, TrendResult } from './types.ts';
import { SEASONAL_CYCLES, seasonalLags, seasonalPlan, type SeasonalLag } from './units.ts';
import { forkConnection } from '../../duckdb.ts';

/**
 * Temporal profiles of every date and timestamp column of the typed source.
 * @tag module=temporal
 *
 * @example
 * ```ts
 * const conn = await openDuckDB(':memory:');
 * await conn.run(`CREATE TABLE typed_co2 AS SELECT * FROM read_csv('node_modules/vega-datasets/data/co2-concentration.csv')`);
 * const source = { sourceName: 'co2', tables: [{ name: 'co2', typedTable: 'typed_co2', rowCount: 741,
 *   columns: [{ name: 'Date', originalName: 'Date', position: 0, type: 'DATE' }, { name: 'CO2', originalName: 'CO2', position: 1, type: 'DOUBLE' }] }] };
 * const result = await temporalProfiles(source, conn, { measure: { co2: 'CO2' } });
 * const p = result.tables.co2.columns.Date;
 * p.granularity?.granularity; // 'month'
 * p.gaps[0];                  // { start: '1958-06-01', end: '1958-06-01', missingPeriods: 1 }
 * p.seasonality?.period;      // 12
 * ```
 */
export async function temporalProfiles(typedSource: TypedSource, duckdb: DuckDBConnection, temporalOptions?: TemporalOptions): Promise<TemporalProfiles> {
  // The enrichment branches run concurrently: each takes its own DuckDB connection.
  const fork = await forkConnection(duckdb);
  try {
    return await temporalProfilesOn(typedSource, fork.conn, temporalOptions);
  } finally {
    fork.close();
  }
}

async function temporalProfilesOn(typedSource: TypedSource, duckdb: DuckDBConnection, temporalOptions?: TemporalOptions): Promise<TemporalProfiles> {
  const parsed = TemporalOptionsSchema.safeParse(temporalOptions ?? {});
  if (!parsed.success) {
    throw new Error(`temporalProfiles: invalid temporalOptions: ${parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ')}. Fix the option values (see TemporalOptionsSchema).`);
  }
  const opts = parsed.data;
  if (typeof opts.measure === 'object') {
    const known = new Set(typedSource.tables.map((t) => t.name));
    const unknown = Object.keys(opts.measure).filter((t) => !known.has(t));
    if (unknown.length) {
      throw new Error(`temporalProfiles: temporalOptions.measure names table(s) ${unknown.map((t) => `'${t}'`).join(', ')} that source '${typedSource.sourceName}' does not have (it has ${[...known].map((t) => `'${t}'`).join(', ') || 'no tables'}). Use the logical table names.`);
    }
  }
  const tables: Record<string, TemporalTableProfiles> = {};
  for (const table of typedSource.tables) tables[table.name] = await profileTable(duckdb, table, opts);
  return { sourceName: typedSource.sourceName, profiledAt: new Date().toISOString(), tables };
}

async function run(conn: DuckDBConnection, q: BuiltQuery, table: TypedTable, what: string): Promise<Record<string, unknown>[]> {
  try {
    return await queryRows(conn, q.sql, q.params.valuesOrUndefined);
  } catch (err) {
    throw new Error(`temporalProfiles: the ${what} query on ${table.typedTable} (table '${table.name}') failed: ${(err as Error).message}. Check that the typed table exists with the columns and types the TypedSource lists${/time ?zone/i.test((err as Error).message) ? ', and that temporalOptions.timeZone is an IANA zone name such as Europe/Berlin' : ''}.`, { cause: err });
  }
}

function candidateSpecs(table: TypedTable, opts: ResolvedTemporalOptions): TemporalColumnSpec[] {
  const specs: TemporalColumnSpec[] = [];
  for (const column of [...table.columns].sort((a, b) => a.position - b.position)) {
    const kind = temporalKindOf(column.type);
    if (kind) specs.push({ column, kind });
    else if (opts.yearColumns && isIntegerType(column.type) && isYearName(column.name)) specs.push({ column, kind: 'year' });
  }
  return specs;
}

function measureOf(table: TypedTable, specs: readonly TemporalColumnSpec[], opts: ResolvedTemporalOptions): TemporalSeries {
  const aggregate = opts.measureAggregate;
  if (opts.measure === 'count') return { aggregate: 'count', measure: null };
  if (opts.measure === 'first_numeric' || opts.measure === 'auto') {
    const temporal = new Set(specs.map((s) => s.column.name));
    const first = [...table.columns].sort((a, b) => a.position - b.position).find((c) => !temporal.has(c.name) && isMeasureColumn(c));
    return first ? { aggregate, measure: first.name } : { aggregate: 'count', measure: null };
  }
  const named = opts.measure[table.name];
  if (named === undefined) return { aggregate: 'count', measure: null };
  const column = table.columns.find((c) => c.name === named);
  if (!column || !isNumericType(column.type)) {
    const candidates = table.columns.filter((c) => isNumericType(c.type)).map((c) => `'${c.name}'`);
    throw new Error(`temporalProfiles: temporalOptions.measure names column '${named}' for table '${table.name}', which ${column ? `is ${column.type}, not numeric` : 'the table does not have'}. Name a numeric column (candidates: ${candidates.join(', ') || 'none'}) or use 'count'.`);
  }
  return { aggregate, measure: named };
}

async function profileTable(conn: DuckDBConnection, table: TypedTable, opts: ResolvedTemporalOptions): Promise<TemporalTableProfiles> {
  const started = performance.now();
  const base = { table: table.name, typedTable: table.typedTable, ...(table.tableId ? { tableId: table.tableId } : {}) };
  const specs = candidateSpecs(table, opts);
  if (specs.length === 0) return { ...base, columns: {}, queryCount: 0, durationMs: 0 };
  const measured = measureOf(table, specs, opts);
  const counted: TemporalSeries = { aggregate: 'count', measure: null };

  const [range] = await run(conn, rangeQuery(table.typedTable, specs), table, 'range');
  let queryCount = 1;
  const total = Number(range.t);
  // A year column must hold years only: every non-null value in range.
  const stats = specs.map((s, i) => ({ spec: s, nonNull: Number(range[`nn${i}`]), valid: Number(range[`ok${i}`]), distinct: Number(range[`d${i}`]), min: (range[`lo${i}`] ?? null) as string | null, max: (range[`hi${i}`] ?? null) as string | null }));
  const kept = stats.filter((s) => s.spec.kind !== 'year' || (s.nonNull > 0 && s.valid === s.nonNull));

  const columns: Record<string, TemporalColumnProfile> = {};
  for (const s of kept) {
    const spec = s.spec;
    // `auto`: a regular series (one row per time value) is measured; rows per period say nothing there.
    const series = opts.measure === 'auto' && s.distinct !== s.nonNull ? counted : measured;
    const common = {
      table: table.name, column: spec.column.name, columnType: spec.column.type, kind: spec.kind,
      ...(spec.column.columnId ? { columnId: spec.column.columnId } : {}),
      totalCount: total, nonNullCount: s.nonNull, distinctCount: s.distinct, min: s.min, max: s.max,
      timeZone: spec.kind === 'timestamp_tz' ? opts.timeZone : null, series,
    };
    const none = { gaps: [] as TemporalGap[], gapCount: 0, missingPeriods: 0, largestGap: null, seasonality: null, trend: null };
    if (s.distinct === 0) {
      columns[spec.column.name] = { ...common, granularity: null, periodUnit: null, periodStep: null, expectedPeriods: null, actualPeriods: null, completenessRatio: null, ...none, note: 'no non-null values' };
      continue;
    }
    if (s.distinct === 1) {
      columns[spec.column.name] = { ...common, granularity: null, periodUnit: null, periodStep: null, expectedPeriods: 1, actualPeriods: 1, completenessRatio: 1, ...none, note: 'a single distinct value: no spacing, seasonality or trend' };
      continue;
    }
    const [shapeRow] = await run(conn, shapeQuery(table.typedTable, spec, opts.timeZone, s.distinct, opts.shapeSampleValues), table, `shape (column '${spec.column.name}')`);
    queryCount++;
    const shape = parseShape(shapeRow);
    const chosen = chooseGranularity(shape);
    if (!chosen) throw new Error(`temporalProfiles: column '${spec.column.name}' of ${table.typedTable} (table '${table.name}') has ${s.distinct} distinct values by count but fewer than two in the shape query. The table changed while it was profiled: run again.`);
    const granularity = detection(chosen);
    // Regular values are counted per their own period; events per day (or hour, minute).
    const periods = chosen.shape ?? bucketFor(shape);
    if (!periods || periods.minIndex === null || periods.maxIndex === null) {
      throw new Error(`temporalProfiles: the shape query on column '${spec.column.name}' of ${table.typedTable} (table '${table.name}') returned no first or last period. This is a bug: please report it with the column's type (${spec.column.type}).`);
    }
    const { unit } = periods;
    const step = chosen.shape ? chosen.step : 1;
    const lo = periods.minIndex;
    const hi = periods.maxIndex;
    const expected = Math.floor((hi - lo) / step) + 1;
    const withSeries = expected <= opts.maxSeriesPeriods;
    // A lag needs two cycles of pairs to say anything (in blocks, for a long cycle).
    const lags = seasonalPlan(unit, step).filter((l) => Math.floor(expected / l.block) >= 2 * l.blockLag + 2);
    const [row] = await run(conn, seriesQuery(table.typedTable, spec, { unit, step, minIndex: lo, maxIndex: hi, measure: series.measure, aggregate: series.aggregate, maxGaps: opts.maxGaps, lags, withSeries }, opts.timeZone), table, `series (column '${spec.column.name}')`);
    queryCount++;
    const actual = Number(row.actual_periods);
    const notes = [
      ...(chosen.granularity === 'irregular' ? [`irregular spacing: rows are counted per ${unit}, and gaps are ${unit}s without rows`] : []),
      ...(withSeries ? [] : [`${expected} periods exceed temporalOptions.maxSeriesPeriods (${opts.maxSeriesPeriods}): seasonality and trend skipped`]),
    ];
    columns[spec.column.name] = {
      ...common,
      granularity,
      periodUnit: unit,
      periodStep: step,
      expectedPeriods: expected,
      actualPeriods: actual,
      completenessRatio: Math.min(1, actual / expected),
      gaps: ((row.gaps ?? []) as Record<string, unknown>[]).map(gapOf),
      gapCount: Number(row.gap_count),
      missingPeriods: Number(row.missing_total),
      largestGap: row.largest ? gapOf(row.largest as Record<string, unknown>) : null,
      seasonality: withSeries ? seasonalityOf(row, lags, opts, expected, unit, step) : null,
      trend: withSeries ? trendOf(row, opts) : null,
      ...(notes.length ? { note: notes.join('; ') } : {}),
    };
  }
  return { ...base, columns, queryCount, durationMs: Math.round(performance.now() - started) };
}

function detection(c: ChosenGranularity): TemporalColumnProfile['granularity'] {
  const { shape: _shape, ...rest } = c;
  return rest;
}

function gapOf(g: Record<string, unknown>): TemporalGap {
  return { start: String(g.start), end: String(g.end), missingPeriods: Number(g.missing) };
}

function finite(v: unknown): number | null {
  if (v === null || v === undefined) return null;
  const n = Number(v);
  return Number.isFinite(n) ? n : null;
}

function seasonalityOf(row: Record<string, unknown>, lags: readonly SeasonalLag[], opts: ResolvedTemporalOptions, expected: number, unit: TemporalUnit, step: number): SeasonalityResult {
  const autocorrelations: LagAutocorrelation[] = lags.map((l, j) => ({
    lag: l.lag, acf: finite(row[`acf${j}`]), pairs: Number(row[`pairs${j}`] ?? 0),
    ...(l.block > 1 ? { block: { periods: l.block, lag: l.blockLag } } : {}),
  }));
  // Above the chosen floor and above the noise band of a white-noise autocorrelation.
  const seasonal = autocorrelations.filter((a) => a.acf !== null && a.pairs > 0 && a.acf >= opts.seasonalityMinAcf && a.acf > 1.96 / Math.sqrt(a.pairs));
  const best = seasonal.sort((a, b) => b.acf! - a.acf!)[0];
  return {
    hasSeasonality: best !== undefined,
    period: best?.lag ?? null,
    strength: best?.acf ?? null,
    autocorrelations,
    ...(lags.length > 0 ? {} : { reason: noLagReason(unit, step, expected) }),
  };
}

function noLagReason(unit: TemporalUnit, step: number, expected: number): string {
  const cycles = SEASONAL_CYCLES[unit];
  if (cycles.length === 0) return `no seasonal cycle is tested at ${unit} granularity`;
  const lags = seasonalLags(unit, step);
  if (lags.length === 0) return `no tested cycle (${cycles.join(', ')} ${unit}s) is a whole number of ${step}-${unit} periods`;
  return `${expected} periods: too short for a seasonal lag of ${lags.join(' or ')} periods (a lag needs two full cycles)`;
}

function trendOf(row: Record<string, unknown>, opts: ResolvedTemporalOptions): TrendResult {
  const slope = finite(row.slope);
  const r2 = finite(row.r2);
  const periods = Number(row.n_v ?? 0);
  const sd = finite(row.sd_v) ?? 0;
  // A constant series has R² 1 by convention, and slope 0: that is flat.
  const moving = periods >= 3 && sd > 0 && slope !== null && slope !== 0 && r2 !== null && r2 >= opts.trendMinR2;
  return { direction: moving ? (slope! > 0 ? 'up' : 'down') : 'flat', slope, r2, periods };
}
