/**
 * Type resolution node: writes `typed_<name>` with every column cast by its decided format, and
 * `quarantine_<name>` with every raw row that failed any cast (all raw values, `_failed_columns`,
 * `_row_number`). typed + quarantined = raw, always: the split is one boolean per row.
 */
import type { DuckDBConnection } from '../duckdb.ts';
import { queryRows, quoteIdent } from '../duckdb.ts';
import { isTextType } from '../profiling/column-kinds.ts';
import { SqlParams } from '../profiling/sql-params.ts';
import type { StagedTable, StagingResult } from '../staging/types.ts';
import { cleanedValue, formatFits, parseExpression, safeType } from './formats.ts';
import { TypeReviewAnswers } from './review-answers.ts';
import type { ColumnResolution, ColumnTypeDecision, TableResolution, TypeDecisions, TypeResolutionResult } from './types.ts';
import { ROW_NUMBER_SQL } from './verify.ts';

/** Failing values kept per column in the result. */
const SAMPLE_FAILURES = 5;

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
  const work = `__resolve_${table.name}`;

  const p = new SqlParams();
  const proj = [`${ROW_NUMBER_SQL} AS _row_number`];
  const parsedIdx: number[] = [];
  columns.forEach((c, i) => {
    const d = decisions.get(c.name)!;
    const raw = quoteIdent(c.name);
    proj.push(`${raw} AS r${i}`);
    if (d.format.kind === 'native' || d.format.kind === 'text') {
      proj.push(`${raw} AS x${i}`);
      return;
    }
    const type = safeType(d.decidedType);
    if (!formatFits(type, d.format)) throw new Error(`typeResolution: ${table.name}.${c.name}: format '${d.format.kind}' cannot produce ${type}`);
    // A strong column re-read through a text format (a manual override) is parsed from its text.
    const v = cleanedValue(isTextType(c.rawType) ? raw : `CAST(${raw} AS VARCHAR)`, d.nullTokens, p);
    // Typed as the decided type even when every value is NULL.
    proj.push(`CAST(${parseExpression(v, type, d.format, p)} AS ${type}) AS x${i}`, `(${v}) IS NULL AS n${i}`);
    parsedIdx.push(i);
  });
  const failed = (i: number): string => `(NOT n${i} AND x${i} IS NULL)`;
  const anyFailed = parsedIdx.length > 0 ? parsedIdx.map(failed).join(' OR ') : 'false';
  // Each statement gets exactly the parameters it uses.
  const q = new SqlParams();
  const failedList = parsedIdx.length > 0
    ? `list_filter([${parsedIdx.map((i) => `CASE WHEN ${failed(i)} THEN ${q.bind(columns[i].name)} END`).join(', ')}], x -> x IS NOT NULL)`
    : 'CAST([] AS VARCHAR[])';

  const stats = [`count(*) AS total`, `count(CASE WHEN ${anyFailed} THEN 1 END) AS quarantined`];
  for (const i of parsedIdx) {
    stats.push(
      `count(CASE WHEN ${failed(i)} THEN 1 END) AS f${i}`, `count(CASE WHEN n${i} THEN 1 END) AS nn${i}`,
      `arg_min(CASE WHEN ${failed(i)} THEN {'row': _row_number, 'value': r${i}} END, CASE WHEN ${failed(i)} THEN _row_number END, ${SAMPLE_FAILURES}) AS e${i}`,
    );
  }
  columns.forEach((_, i) => { if (!parsedIdx.includes(i)) stats.push(`count(r${i}) AS nr${i}`); });

  let row: Record<string, unknown>;
  try {
    await conn.run('BEGIN TRANSACTION');
    // One scan of the raw table computes every cast; typed and quarantine split it by one flag.
    await conn.run(`CREATE OR REPLACE TEMP TABLE ${quoteIdent(work)} AS SELECT ${proj.join(', ')} FROM ${quoteIdent(table.rawTable)}`, p.valuesOrUndefined);
    await conn.run(`CREATE OR REPLACE TABLE ${quoteIdent(typedTable)} AS SELECT ${columns.map((c, i) => `x${i} AS ${quoteIdent(c.name)}`).join(', ')} FROM ${quoteIdent(work)} WHERE NOT (${anyFailed}) ORDER BY _row_number`);
    await conn.run(`CREATE OR REPLACE TABLE ${quoteIdent(quarantineTable)} AS SELECT _row_number, ${columns.map((c, i) => `r${i} AS ${quoteIdent(c.name)}`).join(', ')}, ${failedList} AS _failed_columns FROM ${quoteIdent(work)} WHERE ${anyFailed} ORDER BY _row_number`, q.valuesOrUndefined);
    [row] = await queryRows(conn, `SELECT ${stats.join(', ')} FROM ${quoteIdent(work)}`);
    await conn.run(`DROP TABLE ${quoteIdent(work)}`);
    await conn.run('COMMIT');
  } catch (err) {
    await conn.run('ROLLBACK').catch(() => undefined);
    throw new Error(`typeResolution: writing ${typedTable}/${quarantineTable} from ${table.rawTable} failed: ${(err as Error).message}. Nothing was changed; check the decisions for table '${table.name}'.`, { cause: err });
  }

  const described = await queryRows<{ column_name: string; column_type: string }>(conn, `DESCRIBE ${quoteIdent(typedTable)}`);
  const resolvedTypes = new Map(described.map((d) => [d.column_name, d.column_type]));
  const total = Number(row.total);
  const quarantined = Number(row.quarantined);
  const out: Record<string, ColumnResolution> = {};
  columns.forEach((c, i) => {
    const d = decisions.get(c.name)!;
    const parsed = parsedIdx.includes(i);
    const failureCount = parsed ? Number(row[`f${i}`]) : 0;
    const nullCount = parsed ? Number(row[`nn${i}`]) : total - Number(row[`nr${i}`]);
    const successCount = total - nullCount - failureCount;
    const ex = (parsed ? (row[`e${i}`] as { row: string | number; value: string }[] | null) : null) ?? [];
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
