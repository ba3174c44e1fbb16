/**
 * Type resolution node: writes `typed_<name>` with every column cast by its decided format, and
 * `quarantine_<name>` with every raw row that failed any cast (all raw values, `_failed_columns`,
 * `_row_number`). typed + quarantined = raw, always: the split is one boolean per row.
 */
import type { DuckDBConnection } from '../duckdb.ts';
import { aggregateInBatches, queryRows, quoteIdent } from '../duckdb.ts';
import { isTextType } from '../profiling/column-kinds.ts';
import { SqlParams } from '../profiling/sql-params.ts';
import { RAW_DATA_HINT, rawRows, rowNumberSql } from '../staging/raw-rows.ts';
import type { StagedTable, StagingResult } from '../staging/types.ts';
import { cleanedValue, formatFits, parseExpression, safeType } from './formats.ts';
import { TypeReviewAnswers } from './review-answers.ts';
import type { ColumnResolution, ColumnTypeDecision, TableResolution, TypeDecisions, TypeResolutionResult } from './types.ts';

/** Failing values kept per column in the result. */
const SAMPLE_FAILURES = 5;

/** Columns per statement of the typed and quarantine counts (one statement up to this width). */
const STATS_BATCH_COLUMNS = 100;

/**
 * Applies the type decisions to every staged table.
 *
 * @example
 * ```ts
 * const result = await typeResolution(staging, decisions, conn);
 * result.tables.orders.quarantinedRowCount; // rows in quarantine_orders
 * result.tables.orders.columns.amount;      // { resolvedType: 'DECIMAL(10,2)', successCount, failureCount, ... }
 * ```
 */
export async function typeResolution(staging: StagingResult, typeDecisions: TypeDecisions, duckdb: DuckDBConnection): Promise<TypeResolutionResult> {
  const checked = TypeReviewAnswers.safeParse(typeDecisions);
  if (!checked.success) {
    throw new Error(`typeResolution: the type decisions are invalid: ${checked.error.issues.slice(0, 5).map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}. Fix the review answers and resume.`);
  }
  const byTable = new Map<string, Map<string, ColumnTypeDecision>>();
  for (const d of typeDecisions.decisions) {
    if (!byTable.has(d.table)) byTable.set(d.table, new Map());
    byTable.get(d.table)!.set(d.column, d);
  }
  const tables: Record<string, TableResolution> = {};
  for (const table of staging.tables) tables[table.name] = await resolveTable(duckdb, table, byTable.get(table.name) ?? new Map());
  return { tables, resolvedAt: new Date().toISOString() };
}

async function resolveTable(conn: DuckDBConnection, table: StagedTable, decisions: Map<string, ColumnTypeDecision>): Promise<TableResolution> {
  const started = performance.now();
  const columns = [...table.columns].sort((a, b) => a.position - b.position);
  const missing = columns.filter((c) => !decisions.has(c.name)).map((c) => c.name);
  if (missing.length > 0) {
    throw new Error(`typeResolution: no type decision for ${missing.map((m) => `${table.name}.${m}`).join(', ')}. Re-run autoTypeDecisions, typeReview and typeDecisions for this staging result.`);
  }
  for (const reserved of ['_row_number', '_failed_columns']) {
    if (columns.some((c) => c.name === reserved)) throw new Error(`typeResolution: ${table.rawTable} has a column named '${reserved}', which quarantine tables reserve. Rename it in staging.`);
  }
  const typedTable = `typed_${table.name}`;
  const quarantineTable = `quarantine_${table.name}`;

  // Each statement gets exactly the parameters it uses, so each builds its own cast expressions.
  const parsedIdx: number[] = [];
  columns.forEach((c, i) => {
    const d = decisions.get(c.name)!;
    if (d.format.kind === 'native' || d.format.kind === 'text') return;
    const type = safeType(d.decidedType);
    if (!formatFits(type, d.format)) throw new Error(`typeResolution: ${table.name}.${c.name}: format '${d.format.kind}' cannot produce ${type}`);
    parsedIdx.push(i);
  });
  const readings = (p: SqlParams): { casts: string[]; failed: (i: number) => string } => {
    const cleaned: string[] = [];
    const casts = columns.map((c, i) => {
      const d = decisions.get(c.name)!;
      const raw = quoteIdent(c.name);
      if (!parsedIdx.includes(i)) return raw;
      const type = safeType(d.decidedType);
      // A strong column re-read through a text format (a manual override) is parsed from its text.
      cleaned[i] = cleanedValue(isTextType(c.rawType) ? raw : `CAST(${raw} AS VARCHAR)`, d.nullTokens, p);
      // Typed as the decided type even when every value is NULL.
      return `CAST(${parseExpression(cleaned[i], type, d.format, p)} AS ${type})`;
    });
    // A value failed when it is not a null (token) and its cast is NULL.
    return { casts, failed: (i) => `((${cleaned[i]}) IS NOT NULL AND ${casts[i]} IS NULL)` };
  };
  const pq = new SqlParams();
  const { failed } = readings(pq);
  const failedList = parsedIdx.length > 0
    ? `list_filter([${parsedIdx.map((i) => `CASE WHEN ${failed(i)} THEN ${pq.bind(columns[i].name)} END`).join(', ')}], x -> x IS NOT NULL)`
    : 'CAST([] AS VARCHAR[])';
  // typed in three projections so each cleaned value and each cast is computed once per row
  // (DuckDB re-evaluates an expression at every use inside one projection, CASE included):
  // cleaned values, then casts and null flags, then the columns and the failed-row id.
  const pt = new SqlParams();
  const rows = rawRows(table);
  const level0 = [`${rows.rowId} AS _rid`, ...columns.map((c, i) => {
    const raw = quoteIdent(c.name);
    if (!parsedIdx.includes(i)) return `${raw} AS v${i}`;
    return `${cleanedValue(isTextType(c.rawType) ? raw : `CAST(${raw} AS VARCHAR)`, decisions.get(c.name)!.nullTokens, pt)} AS v${i}`;
  })];
  const level1 = ['_rid', ...columns.flatMap((c, i) => {
    if (!parsedIdx.includes(i)) return [`v${i} AS x${i}`];
    const d = decisions.get(c.name)!;
    const type = safeType(d.decidedType);
    // Typed as the decided type even when every value is NULL.
    return [`CAST(${parseExpression(`v${i}`, type, d.format, pt)} AS ${type}) AS x${i}`, `v${i} IS NULL AS n${i}`];
  })];
  const rowFailed = parsedIdx.length > 0 ? parsedIdx.map((i) => `(NOT n${i} AND x${i} IS NULL)`).join(' OR ') : 'false';
  // `_row_number` is reserved for quarantine tables, so it is free as typed's scratch column.
  const level2 = [...columns.map((c, i) => `x${i} AS ${quoteIdent(c.name)}`), `CASE WHEN ${rowFailed} THEN _rid END AS _row_number`];
  const raw = rows.from;

  let typedStats: Record<string, unknown>;
  let quarantineStats: Record<string, unknown>;
  try {
    await conn.run('BEGIN TRANSACTION');
    // One pass computes every cast: typed gets all rows plus the raw row id of each row where a
    // cast failed. Those few rows then go to quarantine (read back from raw by row id, their
    // failing columns recomputed) and are deleted from typed; the scratch column is dropped.
    // Nothing is sorted but the quarantined rows, and typed keeps the raw row order.
    await conn.run(`CREATE OR REPLACE TABLE ${quoteIdent(typedTable)} AS SELECT ${level2.join(', ')} FROM (SELECT ${level1.join(', ')} FROM (SELECT ${level0.join(', ')} FROM ${raw}))`, pt.valuesOrUndefined);
    const [{ n: failedRows }] = await queryRows<{ n: string | number }>(conn, `SELECT count(_row_number) AS n FROM ${quoteIdent(typedTable)}`);
    const failedIds = Number(failedRows) === 0 ? 'false' : `${rows.rowId} IN (SELECT _row_number FROM ${quoteIdent(typedTable)} WHERE _row_number IS NOT NULL)`;
    await conn.run(`CREATE OR REPLACE TABLE ${quoteIdent(quarantineTable)} AS SELECT ${rowNumberSql(rows)} AS _row_number, ${columns.map((c) => quoteIdent(c.name)).join(', ')}, ${failedList} AS _failed_columns FROM ${raw} WHERE ${failedIds} ORDER BY _row_number`, pq.valuesOrUndefined);
    if (Number(failedRows) > 0) await conn.run(`DELETE FROM ${quoteIdent(typedTable)} WHERE _row_number IS NOT NULL`);
    await conn.run(`ALTER TABLE ${quoteIdent(typedTable)} DROP COLUMN _row_number`);
    // Counts: non-null per column over typed rows (where a NULL is always a null, never a failure),
    // failures, nulls and first failing values over the quarantined rows.
    // In batches of columns: a wide table's one statement plans in seconds even over no rows.
    ({ row: typedStats } = await aggregateInBatches(conn, quoteIdent(typedTable), columns.map((c, i) => [`count(${quoteIdent(c.name)}) AS c${i}`]), STATS_BATCH_COLUMNS, ['count(*) AS total']));
    const q = new SqlParams();
    const qs = columns.map((c, i) => {
      const col = quoteIdent(c.name);
      if (!parsedIdx.includes(i)) return [`count(${col}) AS c${i}`];
      const d = decisions.get(c.name)!;
      const hit = `list_contains(_failed_columns, ${q.bind(c.name)})`;
      return [
        `count(CASE WHEN ${hit} THEN 1 END) AS f${i}`,
        `count(CASE WHEN (${cleanedValue(isTextType(c.rawType) ? col : `CAST(${col} AS VARCHAR)`, d.nullTokens, q)}) IS NULL THEN 1 END) AS nn${i}`,
        `arg_min(CASE WHEN ${hit} THEN {'row': _row_number, 'value': ${col}} END, CASE WHEN ${hit} THEN _row_number END, ${SAMPLE_FAILURES}) AS e${i}`,
      ];
    });
    ({ row: quarantineStats } = await aggregateInBatches(conn, quoteIdent(quarantineTable), qs, STATS_BATCH_COLUMNS, ['count(*) AS total'], q.values));
    await conn.run('COMMIT');
  } catch (err) {
    await conn.run('ROLLBACK').catch(() => undefined);
    throw new Error(`typeResolution: writing ${typedTable}/${quarantineTable} from ${table.rawTable} failed: ${(err as Error).message}. Nothing was changed. Check the decisions for table '${table.name}'. ${RAW_DATA_HINT}`, { cause: err });
  }

  const described = await queryRows<{ column_name: string; column_type: string }>(conn, `DESCRIBE ${quoteIdent(typedTable)}`);
  const resolvedTypes = new Map(described.map((d) => [d.column_name, d.column_type]));
  const typedRows = Number(typedStats.total);
  const quarantined = Number(quarantineStats.total);
  const total = typedRows + quarantined;
  const out: Record<string, ColumnResolution> = {};
  columns.forEach((c, i) => {
    const d = decisions.get(c.name)!;
    const parsed = parsedIdx.includes(i);
    const typedNonNull = Number(typedStats[`c${i}`]);
    const failureCount = parsed ? Number(quarantineStats[`f${i}`]) : 0;
    const nullCount = parsed ? typedRows - typedNonNull + Number(quarantineStats[`nn${i}`]) : total - typedNonNull - Number(quarantineStats[`c${i}`]);
    const successCount = total - nullCount - failureCount;
    const ex = (parsed ? (quarantineStats[`e${i}`] as { row: string | number; value: string }[] | null) : null) ?? [];
    out[c.name] = {
      column: c.name, decidedType: d.decidedType, resolvedType: resolvedTypes.get(c.name) ?? d.decidedType, format: d.format,
      successCount, failureCount, nullCount, successRate: successCount + failureCount > 0 ? successCount / (successCount + failureCount) : 1,
      sampleFailures: ex.map((e) => ({ row: Number(e.row), value: e.value })),
    };
  });
  return {
    table: table.name, rawTable: table.rawTable, typedTable, quarantineTable,
    rawRowCount: total, typedRowCount: total - quarantined, quarantinedRowCount: quarantined,
    columns: out, durationMs: Math.round(performance.now() - started),
  };
}
