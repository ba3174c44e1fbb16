/**
 * Type inference node: for every VARCHAR column of untyped/weak staged tables, ranked type
 * candidates with confidence, whole-column parse success rate, failing examples and the exact
 * format, plus patterns (on a sample) and units. A probe-family check per 32 columns, one sample
 * survey (patterns, unit affixes; answered without a query when profiling surveyed the same sample
 * on this connection), then per batch of `surveyBatchColumns` (8) columns one survey scan and one
 * verify scan.
 * Tables above SURVEY_SAMPLE_ROWS run the survey's probes on a sample (see tableSample) and count
 * the rest exactly in a shape scan (shape.ts); low-cardinality columns are evaluated once per
 * distinct value in the shape and verify scans.
 * Tables wider than STACK_ABOVE_COLUMNS run the same figures stacked (columns as (position, value)
 * rows, see stackedSurveyQuery): a statement per kind of column and a couple of hundred columns.
 */
import type { DuckDBConnection } from '../duckdb.ts';
import { stackBatches, stackedColumnsPerStatement, unstackRows } from '../stacked.ts';
import { queryRows } from '../duckdb.ts';
import { isTextType } from '../profiling/column-kinds.ts';
import { optionsProblem } from '../profiling/option-errors.ts';
import { sampleSurvey, type ColumnSampleSurvey } from '../profiling/sample-survey.ts';
import { tableSample } from '../profiling/table-sample.ts';
import { detectUnit } from '../profiling/units.ts';
import { rawRows, readingRaw } from '../staging/raw-rows.ts';
import type { StagedColumn, StagedTable, StagingResult } from '../staging/types.ts';
import { affixReading, candidateSpecs, identifierVerdict, rankCandidates, tableDecimalHint, type CandidateSpec, type VerifiedCount } from './candidates.ts';
import { InferenceOptionsSchema, type InferenceOptions, type ResolvedInferenceOptions } from './options.ts';
import { parseSurveyFamilies, parseSurveyRow, stackedSurveyFamiliesQuery, stackedSurveyQuery, surveyFamiliesQuery, surveyQuery, surveyStackKey, type ColumnSurvey, type SurveyColumn } from './survey.ts';
import type { ColumnTypeInference, TableTypeInference, TypeCandidatesResult } from './types.ts';
import { mergeShapeRow, shapeColumn, shapeQuery, shapeStackKey, stackedShapeQuery, type ShapeColumn } from './shape.ts';
import { parseVerifyRow, stackedVerifyQuery, verifyQuery, verifyStackKey, type VerifyColumn } from './verify.ts';

/**
 * Tables with more rows survey their probes on a reservoir sample of this many rows (the exact
 * counts come from the shape pass and the verify pass); smaller tables are surveyed whole.
 */
export const SURVEY_SAMPLE_ROWS = 10_000;

/**
 * Tables with more inferred columns go stacked (see `stackedSurveyQuery`): their statements plan
 * 60-80 ms per 8 columns whatever the row count, the whole of a 1000-column x 20-row inference.
 * Narrow tables keep their per-column statements.
 */
const STACK_ABOVE_COLUMNS = 32;

/**
 * Columns per stacked survey (of at most SURVEY_SAMPLE_ROWS rows). 1000 columns x 20 rows: 100 a
 * statement 1.1 s, 200 0.86 s, 400 0.74 s (15.9 s unstacked); 200 keeps a sampled statement
 * at two million values.
 */
const STACKED_BATCH_COLUMNS = 200;


/**
 * Infers type candidates for the text columns of every untyped or weak staged table.
 *
 * @example
 * ```ts
 * const conn = await openDuckDB(':memory:');
 * await conn.run(`CREATE TABLE raw_t AS SELECT strftime(DATE '2020-01-01' + range::INT, '%d/%m/%Y') AS d FROM range(40)`);
 * const result = await typeCandidates(staging, conn);
 * result.tables.t.columns.d.best; // { type: 'DATE', format: { kind: 'date', strptime: '%d/%m/%Y' }, confidence: 1, ... }
 * ```
 */
export async function typeCandidates(staging: StagingResult, duckdb: DuckDBConnection, inferenceOptions?: InferenceOptions): Promise<TypeCandidatesResult> {
  const parsed = InferenceOptionsSchema.safeParse(inferenceOptions ?? {});
  if (!parsed.success) {
    throw new Error(`typeCandidates: ${optionsProblem('inferenceOptions', parsed.error, Object.keys(InferenceOptionsSchema.shape))}. Fix the option values (see InferenceOptionsSchema).`);
  }
  const tables: Record<string, TableTypeInference> = {};
  for (const table of staging.tables) {
    if (table.strength === 'strong') continue;
    const textColumns = [...table.columns].sort((a, b) => a.position - b.position).filter((c) => isTextType(c.rawType));
    if (textColumns.length === 0) continue;
    tables[table.name] = await inferTable(duckdb, table, textColumns.map((c) => ({ name: c.name, originalName: c.originalName, rawType: c.rawType })), parsed.data);
  }
  return { tables, inferredAt: new Date().toISOString() };
}

function run(conn: DuckDBConnection, sql: string, values: Record<string, unknown>, table: StagedTable, what: string): Promise<Record<string, unknown>[]> {
  return readingRaw('typeCandidates', table, what, () => queryRows(conn, sql, values as never));
}

async function inferTable(conn: DuckDBConnection, table: StagedTable, columns: { name: string; originalName: string; rawType: string }[], opts: ResolvedInferenceOptions): Promise<TableTypeInference> {
  const started = performance.now();
  // DuckDB 1.5 slows down super-linearly with very wide aggregate lists (measured on vega's
  // us-employment, 24 columns x ~100 aggregates: one query 10-27 s, 24 one-column queries 0.9 s),
  // so each batch of `surveyBatchColumns` columns gets its own survey, sample and verify queries.
  const surveys: ColumnSurvey[] = [];
  const sample: Record<string, ColumnSampleSurvey> = {};
  const batches: { start: number; columns: typeof columns }[] = [];
  let rowCount = 0;
  let queryCount = 0;
  // Staging's row count only picks the survey path; the counts reported come from the scans.
  const tableRows = table.rowCount;
  const sampleSize = opts.sampleForPatterns > 0 ? opts.sampleForPatterns : 10_000;
  const sampleWhat = { patterns: opts.sampleForPatterns > 0, units: true };
  // Large table: the probes choose readings on a sample; the shape pass then counts what is
  // reported exactly.
  const probeSample = tableRows <= SURVEY_SAMPLE_ROWS ? undefined : await readingRaw('typeCandidates', table, 'sample', () => tableSample(conn, table.rawTable, SURVEY_SAMPLE_ROWS));
  // The survey leaves out probe families that nothing in a column can match: one cheap query for a
  // narrow table, one per STACKED_BATCH_COLUMNS stacked for a wide one.
  const surveyed: SurveyColumn[] = [];
  const wide = columns.length > STACK_ABOVE_COLUMNS;
  if (!wide) {
    const fq = surveyFamiliesQuery(table.rawTable, columns, opts.nullTokens, probeSample);
    const [row] = await run(conn, fq.sql, fq.params.values, table, 'survey families');
    queryCount++;
    surveyed.push(...parseSurveyFamilies(row, columns));
  }
  for (let b = 0; wide && b < columns.length; b += STACKED_BATCH_COLUMNS) {
    const batch = columns.slice(b, b + STACKED_BATCH_COLUMNS);
    const fq = stackedSurveyFamiliesQuery(table.rawTable, batch, opts.nullTokens, probeSample);
    const rows = await run(conn, fq.sql, fq.params.values, table, 'stacked survey families');
    queryCount++;
    surveyed.push(...parseSurveyFamilies(unstackRows(rows, batch.length), batch));
  }
  // Patterns and unit/currency affixes come from a reservoir sample; the affix shapes the number
  // formats, whose exact parse rates the verify pass then measures over the whole column.
  // (Profiling surveys the same sample: on its connection this is answered without a query.)
  Object.assign(sample, await readingRaw('typeCandidates', table, 'sample survey', () => sampleSurvey(conn, table.rawTable, columns.map((c) => c.name), sampleSize, sampleWhat)));
  queryCount++;
  if (wide) {
    const stacked = await stackedSurveys(conn, table, surveyed, probeSample, opts);
    queryCount += stacked.queryCount;
    stacked.surveys.forEach((s, i) => {
      const affix = sample[columns[i].name]?.affix;
      if (affix) s.affixes = { [affix.token]: Math.round(affix.rate * s.nonNull) };
    });
    const decimalHint = tableDecimalHint(stacked.surveys, opts.minCandidateRate);
    const specs: CandidateSpec[][] = columns.map((c, i) => candidateSpecs(c.name, stacked.surveys[i], opts.minCandidateRate, decimalHint, stagedColumn(table, c.name)));
    const vcols = columns.map((c, i) => ({ name: c.name, specs: specs[i], grouped: stacked.grouped[i] }));
    const verified = await stackedVerify(conn, table, vcols, opts);
    queryCount += verified.queryCount;
    return tableInference(table, columns, stacked.surveys, specs, verified.counts, sample, stacked.rowCount, tableRows, queryCount, started, opts);
  }
  // Columns the shape pass evaluated per distinct value are verified the same way.
  const grouped: boolean[] = columns.map(() => false);
  for (let b = 0; b < columns.length; b += opts.surveyBatchColumns) {
    const batch = columns.slice(b, b + opts.surveyBatchColumns);
    const batchFamilies = surveyed.slice(b, b + opts.surveyBatchColumns);
    batches.push({ start: b, columns: batch });
    let batchSurveys: ColumnSurvey[];
    if (!probeSample) {
      const sq = surveyQuery(table.rawTable, batchFamilies, opts.nullTokens);
      const [surveyRow] = await run(conn, sq.sql, sq.params.values, table, 'survey');
      batchSurveys = parseSurveyRow(surveyRow, batch);
      rowCount = Number(surveyRow.total);
      queryCount++;
    } else {
      const sq = surveyQuery(table.rawTable, batchFamilies, opts.nullTokens, probeSample);
      const [survey] = await run(conn, sq.sql, sq.params.values, table, 'sampled survey');
      const sampled = parseSurveyRow(survey, batch);
      const shapeColumns = batch.map((c, i) => shapeColumn(c.name, sampled[i], Number(survey[`dx${i}`]), opts.minCandidateRate));
      const hq = shapeQuery(table.rawTable, shapeColumns, opts.nullTokens);
      const [shapeRow] = await run(conn, hq.sql, hq.params.values, table, 'shape');
      batchSurveys = mergeShapeRow(shapeRow, shapeColumns, sampled);
      shapeColumns.forEach((sc, i) => { grouped[b + i] = sc.grouped; });
      rowCount = Number(shapeRow.total);
      queryCount += 2;
    }
    batch.forEach((c, i) => {
      const affix = sample[c.name]?.affix;
      if (affix) batchSurveys[i].affixes = { [affix.token]: Math.round(affix.rate * batchSurveys[i].nonNull) };
    });
    surveys.push(...batchSurveys);
  }

  const decimalHint = tableDecimalHint(surveys, opts.minCandidateRate);
  const specs: CandidateSpec[][] = columns.map((c, i) => candidateSpecs(c.name, surveys[i], opts.minCandidateRate, decimalHint, stagedColumn(table, c.name)));
  const verified: VerifiedCount[][] = columns.map(() => []);
  for (const { start, columns: batch } of batches) {
    const vcols = batch.map((c, i) => ({ name: c.name, specs: specs[start + i], grouped: grouped[start + i] }));
    if (!vcols.some((v) => v.specs.length > 0)) continue;
    const vq = verifyQuery(rawRows(table), vcols, opts.nullTokens, opts.maxFailedExamples);
    const [verifyRow] = await run(conn, vq.sql, vq.params.values, table, 'verify');
    parseVerifyRow(verifyRow, vcols).forEach((v, i) => { verified[start + i] = v; });
    queryCount++;
  }
  return tableInference(table, columns, surveys, specs, verified, sample, rowCount, tableRows, queryCount, started, opts);
}

function stagedColumn(table: StagedTable, name: string): StagedColumn | undefined {
  return table.columns.find((c) => c.name === name);
}

/** A table's inference from its surveys, candidate specs and verified counts. */
function tableInference(table: StagedTable, columns: readonly { name: string; originalName: string; rawType: string }[], surveys: readonly ColumnSurvey[], specs: readonly CandidateSpec[][], verified: readonly VerifiedCount[][], sample: Readonly<Record<string, ColumnSampleSurvey>>, rowCount: number, tableRows: number, queryCount: number, started: number, opts: ResolvedInferenceOptions): TableTypeInference {
  const out: Record<string, ColumnTypeInference> = {};
  columns.forEach((c, i) => {
    const s = surveys[i];
    const identifier = identifierVerdict(c.name, s, opts.minCandidateRate);
    const candidates = rankCandidates(c.name, s, specs[i], verified[i], identifier);
    const patterns = sample[c.name]?.patterns ?? [];
    const affix = affixReading(s);
    // The source's own name, as profiling does: sanitizing splits `Power (kW)` into `power_k_w`.
    const unit = opts.detectUnits ? detectUnit(c.originalName, affix.token, affix.rate) : undefined;
    out[c.name] = {
      table: table.name,
      column: c.name,
      rawType: c.rawType,
      rowCount,
      nonNullCount: s.nonNull,
      nullTokenCount: s.nullTokenCount,
      distinctCount: s.distinct,
      // The same test that chose the sampled survey and the shape pass above.
      distinctCountApproximate: tableRows > SURVEY_SAMPLE_ROWS,
      minLength: s.minLength,
      maxLength: s.maxLength,
      candidates,
      best: candidates[0],
      patterns,
      ...(patterns[0] && patterns[0].matchRate >= 0.8 ? { pattern: patterns[0] } : {}),
      ...(unit ? { unit } : {}),
      ...(identifier ? { identifier: { reason: identifier.reason } } : {}),
      nullTokens: opts.nullTokens,
    };
  });
  return { table: table.name, rawTable: table.rawTable, rowCount, columns: out, queryCount, durationMs: Math.round(performance.now() - started) };
}


/**
 * The surveys of a wide table's columns, stacked: columns leaving out the same probe families
 * share a statement; above SURVEY_SAMPLE_ROWS the probes run on `probeSample` and the shape
 * statements (columns counting the same figures together) count the rest exactly.
 */
async function stackedSurveys(conn: DuckDBConnection, table: StagedTable, columns: readonly SurveyColumn[], probeSample: string | undefined, opts: ResolvedInferenceOptions) {
  const surveys: ColumnSurvey[] = new Array(columns.length);
  const grouped: boolean[] = columns.map(() => false);
  const shapes: ShapeColumn[] = new Array(columns.length);
  let rowCount = 0;
  let queryCount = 0;
  for (const positions of stackBatches(columns, surveyStackKey, STACKED_BATCH_COLUMNS)) {
    const batch = positions.map((i) => columns[i]);
    const sq = stackedSurveyQuery(table.rawTable, batch, opts.nullTokens, probeSample);
    const row = unstackRows(await run(conn, sq.sql, sq.params.values, table, probeSample ? 'stacked sampled survey' : 'stacked survey'), batch.length, { lmin: null, lmax: null });
    queryCount++;
    const parsed = parseSurveyRow(row, batch);
    positions.forEach((col, i) => {
      surveys[col] = parsed[i];
      if (probeSample) shapes[col] = shapeColumn(columns[col].name, parsed[i], Number(row[`dx${i}`] ?? 0), opts.minCandidateRate);
    });
    rowCount = Number(row.total);
  }
  if (!probeSample) return { surveys, grouped, rowCount, queryCount };
  for (const positions of stackBatches(shapes, shapeStackKey, stackedColumnsPerStatement(table.rowCount, STACKED_BATCH_COLUMNS))) {
    const batch = positions.map((i) => shapes[i]);
    const hq = stackedShapeQuery(table.rawTable, batch, opts.nullTokens);
    const row = unstackRows(await run(conn, hq.sql, hq.params.values, table, 'stacked shape'), batch.length, { lmin: null, lmax: null });
    queryCount++;
    const merged = mergeShapeRow(row, batch, positions.map((i) => surveys[i]));
    positions.forEach((col, i) => {
      surveys[col] = merged[i];
      grouped[col] = batch[i].grouped;
    });
    rowCount = Number(row.total);
  }
  return { surveys, grouped, rowCount, queryCount };
}

/** The verified counts of a wide table's columns: columns with the same readings share a stacked statement. */
async function stackedVerify(conn: DuckDBConnection, table: StagedTable, columns: readonly VerifyColumn[], opts: ResolvedInferenceOptions) {
  const counts: VerifiedCount[][] = columns.map(() => []);
  let queryCount = 0;
  const withSpecs = columns.flatMap((c, i) => (c.specs.length > 0 ? [i] : []));
  for (const positions of stackBatches(withSpecs, (i) => verifyStackKey(columns[i]), stackedColumnsPerStatement(table.rowCount, STACKED_BATCH_COLUMNS))) {
    const batch = positions.map((p) => columns[withSpecs[p]]);
    const vq = stackedVerifyQuery(rawRows(table), batch, opts.nullTokens, opts.maxFailedExamples);
    const row = unstackRows(await run(conn, vq.sql, vq.params.values, table, 'stacked verify'), batch.length);
    queryCount++;
    parseVerifyRow(row, batch).forEach((v, i) => { counts[withSpecs[positions[i]]] = v; });
  }
  return { counts, queryCount };
}
