/**
 * The verification pass: ONE query over the whole table that counts, for every candidate reading
 * of every column, the non-null values that parse with exactly the format resolution would use,
 * and keeps the first failing values with their row numbers.
 */
import { quoteIdent } from '../duckdb.ts';
import { SqlParams } from '../profiling/sql-params.ts';
import { rowNumberSql, type RawRows } from '../staging/raw-rows.ts';
import type { CandidateSpec, VerifiedCount } from './candidates.ts';
import { cleanedValue, parseExpression } from './formats.ts';

export interface VerifyColumn {
  readonly name: string;
  readonly specs: readonly CandidateSpec[];
  /** Few distinct values: parse each distinct value once and weight it by its occurrences. */
  readonly grouped?: boolean;
}

export function verifyQuery(rows: RawRows, columns: readonly VerifyColumn[], nullTokens: readonly string[], maxExamples: number): { sql: string; params: SqlParams } {
  const p = new SqlParams();
  const inner: string[] = [`${rowNumberSql(rows)} AS rn`];
  const mid: string[] = ['rn'];
  const aggs: string[] = [];
  const grouped: string[] = [];
  const k = Math.floor(maxExamples);
  columns.forEach((c, i) => {
    if (c.grouped && c.specs.length > 0) {
      grouped.push(groupedColumn(rows, c, i, nullTokens, k, p));
      return;
    }
    inner.push(`${quoteIdent(c.name)} AS r${i}`, `${cleanedValue(quoteIdent(c.name), nullTokens, p)} AS v${i}`);
    mid.push(`r${i}`, `v${i}`);
    c.specs.forEach((spec, j) => {
      mid.push(`${parseExpression(`v${i}`, spec.duckdbType, spec.format, p)} AS x${i}_${j}`);
      const failed = `v${i} IS NOT NULL AND x${i}_${j} IS NULL`;
      aggs.push(`count(x${i}_${j}) AS c${i}_${j}`);
      if (k > 0) {
        // FILTER, not CASE: the struct is then built only for failing rows.
        aggs.push(`arg_min({'row': rn, 'value': r${i}}, rn, ${k}) FILTER (WHERE ${failed}) AS e${i}_${j}`);
      }
    });
  });
  if (aggs.length === 0 && grouped.length === 0) aggs.push('count(*) AS rows');
  const perRow = aggs.length > 0 ? [`(SELECT ${aggs.join(', ')} FROM (SELECT ${mid.join(', ')} FROM (SELECT ${inner.join(', ')} FROM ${rows.from}))) t`] : [];
  const sql = `SELECT * FROM ${[...perRow, ...grouped].join(', ')}`;
  return { sql, params: p };
}

/**
 * One column verified over its distinct raw values: each value parsed once, counts weighted by
 * occurrences; every value keeps its first `k` row numbers, so the first `k` failing rows overall
 * are among them (the same examples, in the same row order, as the per-row form).
 */
function groupedColumn(rows: RawRows, c: VerifyColumn, i: number, nullTokens: readonly string[], k: number, p: SqlParams): string {
  const raw = quoteIdent(c.name);
  const xs = c.specs.map((spec, j) => `${parseExpression('v', spec.duckdbType, spec.format, p)} AS x${j}`);
  const aggs: string[] = [];
  c.specs.forEach((_, j) => {
    aggs.push(`coalesce(sum(CASE WHEN x${j} IS NOT NULL THEN n END), 0) AS c${i}_${j}`);
    if (k > 0) {
      const rows = `list_transform(first_rows, x -> {'row': x, 'value': r})`;
      aggs.push(`list_sort(flatten(list(${rows}) FILTER (WHERE v IS NOT NULL AND x${j} IS NULL)))[1:${k}] AS e${i}_${j}`);
    }
  });
  const firstRows = k > 0 ? `, min(${rowNumberSql(rows)}, ${k}) AS first_rows` : '';
  const groups = `SELECT ${raw} AS r, count(*) AS n${firstRows} FROM ${rows.from} GROUP BY ${raw}`;
  const parsed = `SELECT *, ${xs.join(', ')} FROM (SELECT *, ${cleanedValue('r', nullTokens, p)} AS v FROM (${groups}))`;
  return `(SELECT ${aggs.join(', ')} FROM (${parsed})) g${i}`;
}

export function parseVerifyRow(row: Record<string, unknown>, columns: readonly VerifyColumn[]): VerifiedCount[][] {
  return columns.map((c, i) => c.specs.map((_, j) => {
    const ex = (row[`e${i}_${j}`] as { row: string | number; value: string }[] | null | undefined) ?? [];
    return { parsed: Number(row[`c${i}_${j}`]), failedExamples: ex.map((e) => ({ row: Number(e.row), value: e.value })) };
  }));
}
