/**
 * Profiling node: per column counts, exact distinct counts, numeric and string statistics,
 * histograms, top-k values, patterns and units, computed in DuckDB with two queries per table
 * (sample survey, grouped profile; a table wider than `PROFILE_BATCH_COLUMNS` columns takes a few
 * stacked ones of each instead), the sample drawn once (see tableSample).
 */
import type { DuckDBConnection } from '../duckdb.ts';
import { queryRows } from '../duckdb.ts';
import { readingRaw } from '../staging/raw-rows.ts';
import type { StagedTable, StagingResult } from '../staging/types.ts';
import { stackBatches } from '../stacked.ts';
import { isTextType } from './column-kinds.ts';
import { optionsProblem } from './option-errors.ts';
import { ProfilingOptionsSchema, type ProfilingOptions, type ResolvedProfilingOptions } from './options.ts';
import { groupedProfileQuery, parseAggregateRow, PROFILE_BATCH_COLUMNS, parseGroupedTopK, parseHistogram, stackedProfileColumns, stackedProfileQuery, stackedProfileRow, stackKey, type BuiltQuery, type ProfiledColumn } from './profile-queries.ts';
import { sampleSurvey, sampleSurveyStatements, type ColumnSampleSurvey } from './sample-survey.ts';
import type { ColumnProfile, HistogramBin, ProfilingResult, TableProfile, TopValue } from './types.ts';
import { detectUnit } from './units.ts';

/**
 * Profiles every staged table.
 *
 * @example
 * ```ts
 * const conn = await openDuckDB(':memory:');
 * await conn.run(`CREATE TABLE raw_t AS SELECT range::VARCHAR AS n FROM range(100)`);
 * const result = await profiling(staging, conn, { buckets: 10 });
 * result.tables.t.columns.n.numeric?.p50; // 49.5
 * ```
 */
export async function profiling(staging: StagingResult, duckdb: DuckDBConnection, profilingOptions?: ProfilingOptions): Promise<ProfilingResult> {
  const parsed = ProfilingOptionsSchema.safeParse(profilingOptions ?? {});
  if (!parsed.success) {
    throw new Error(`profiling: ${optionsProblem('profilingOptions', parsed.error, Object.keys(ProfilingOptionsSchema.shape))}. Fix the option values (see ProfilingOptionsSchema).`);
  }
  const tables: Record<string, TableProfile> = {};
  for (const table of staging.tables) tables[table.name] = await profileTable(duckdb, table, parsed.data);
  return { tables, profiledAt: new Date().toISOString() };
}

function run(conn: DuckDBConnection, q: BuiltQuery, table: StagedTable, what: string): Promise<Record<string, unknown>[]> {
  return readingRaw('profiling', table, what, () => queryRows(conn, q.sql, q.params.valuesOrUndefined));
}

async function profileTable(conn: DuckDBConnection, table: StagedTable, opts: ResolvedProfilingOptions): Promise<TableProfile> {
  const started = performance.now();
  const staged = [...table.columns].sort((a, b) => a.position - b.position);
  let queryCount = 0;
  if (staged.length === 0) return { table: table.name, rawTable: table.rawTable, rowCount: 0, columns: {}, queryCount, durationMs: 0 };

  // The sample first: besides patterns and units it says which text columns hold numbers at all.
  // Parsing every value of a column that mostly fails costs far more than parsing one that reads
  // (a failing TRY_CAST is the expensive path), so numeric views go only to columns whose sample
  // reaches half the threshold; a column below that cannot plausibly reach it over all its rows
  // (and when the table is no larger than the sample, the sample is the column).
  const textColumns = staged.filter((c) => isTextType(c.rawType)).map((c) => c.name);
  const wantPatterns = opts.sampleForPatterns > 0;
  const surveyWhat = { patterns: wantPatterns, units: opts.detectUnits, numbers: true };
  // A wide table's survey goes stacked (see sampleSurvey): one row per column would plan in minutes.
  const survey: Record<string, ColumnSampleSurvey> = {};
  if (table.rowCount !== 0) {
    const sampleSize = opts.sampleForPatterns > 0 ? opts.sampleForPatterns : 10_000;
    Object.assign(survey, await readingRaw('profiling', table, 'sample survey', () => sampleSurvey(conn, table.rawTable, textColumns, sampleSize, surveyWhat)));
    if (Object.keys(survey).length > 0) queryCount += sampleSurveyStatements(textColumns.length, sampleSize);
  }
  const columns: ProfiledColumn[] = staged.map((c) => {
    const rate = survey[c.name]?.numericRate;
    return { name: c.name, rawType: c.rawType, ...(rate !== undefined && rate < opts.numericParseThreshold / 2 ? { numbers: false } : {}) };
  });

  // One statement for a narrow table. A wide one goes stacked, columns of one kind together, in
  // statements whose rows merge into the one row the grouped profile returns.
  const aggRow: Record<string, unknown> = {};
  const buckets = opts.histograms ? opts.buckets : 0;
  if (columns.length <= PROFILE_BATCH_COLUMNS) {
    const [row] = await run(conn, groupedProfileQuery(table.rawTable, columns, opts.topK, buckets), table, 'grouped profile');
    Object.assign(aggRow, row);
    queryCount++;
  } else {
    for (const positions of stackBatches(columns, stackKey, stackedProfileColumns(table.rowCount))) {
      const batch = positions.map((index) => ({ column: columns[index], index }));
      const what = `stacked profile (${batch.length} ${batch[0].column.rawType} columns from column ${batch[0].index + 1} of ${columns.length})`;
      const rows = await run(conn, stackedProfileQuery(table.rawTable, batch, opts.topK, buckets), table, what);
      Object.assign(aggRow, stackedProfileRow(rows, batch));
      queryCount++;
    }
  }
  const { total, columns: stats } = parseAggregateRow(aggRow, columns);
  const topValues: TopValue[][] = parseGroupedTopK(aggRow, columns.length, total);

  // Numeric stats count for a text column only when most of its values are numbers.
  const numericOk = columns.map((c, i) => {
    const s = stats[i];
    if (!s.numeric) return false;
    return !isTextType(c.rawType) || (s.nonNull > 0 && s.numericCount / s.nonNull >= opts.numericParseThreshold);
  });

  // Histograms came with the grouped profile; they count for the columns whose numbers count.
  const histograms: (HistogramBin[] | undefined)[] = columns.map((_, i) => {
    const n = stats[i].numeric;
    return opts.histograms && numericOk[i] && n && n.max > n.min ? parseHistogram(aggRow[`h${i}`], n.min, n.max, opts.buckets) : undefined;
  });

  const out: Record<string, ColumnProfile> = {};
  columns.forEach((c, i) => {
    const s = stats[i];
    const sv = total > 0 ? survey[c.name] : undefined;
    // The source's own name: sanitizing splits `Power (kW)` into `power_k_w`, which names no unit.
    const unit = opts.detectUnits ? detectUnit(staged[i].originalName, sv?.affix?.token, sv?.affix?.rate ?? 0) : undefined;
    const nullCount = total - s.nonNull;
    out[c.name] = {
      column: c.name,
      position: i,
      rawType: c.rawType,
      totalCount: total,
      nullCount,
      nonNullCount: s.nonNull,
      distinctCount: s.distinct,
      nullRatio: total > 0 ? nullCount / total : 0,
      cardinalityRatio: s.nonNull > 0 ? s.distinct / s.nonNull : 0,
      minValue: s.min,
      maxValue: s.max,
      ...(numericOk[i] && s.numeric ? { numeric: { source: isTextType(c.rawType) ? ('parsed' as const) : ('native' as const), ...s.numeric } } : {}),
      ...(s.string ? { string: s.string } : {}),
      ...(histograms[i] ? { histogram: histograms[i] } : {}),
      topValues: topValues[i],
      ...(sv && wantPatterns ? { patterns: sv.patterns } : {}),
      ...(unit ? { unit } : {}),
    };
  });
  return { table: table.name, rawTable: table.rawTable, rowCount: total, columns: out, queryCount, durationMs: Math.round(performance.now() - started) };
}
