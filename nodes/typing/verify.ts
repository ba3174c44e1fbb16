/**
 * The verification pass: ONE query over the whole table that counts, for every candidate reading
 * of every column, the non-null values that parse with exactly the format resolution would use,
 * and keeps the first failing values with their row numbers.
 */
import { quoteIdent } from '../duckdb.ts';
import { SqlParams } from '../profiling/sql-params.ts';
import type { CandidateSpec, VerifiedCount } from './candidates.ts';
import { cleanedValue, parseExpression } from './formats.ts';

export interface VerifyColumn {
  readonly name: string;
  readonly specs: readonly CandidateSpec[];
}

/** `rowid + 1`: the 1-based raw row number, stable while the raw table is not rewritten. */
export const ROW_NUMBER_SQL = '(rowid + 1)';

export function verifyQuery(table: string, columns: readonly VerifyColumn[], nullTokens: readonly string[], maxExamples: number): { sql: string; params: SqlParams } {
  const p = new SqlParams();
  const inner: string[] = [`${ROW_NUMBER_SQL} AS rn`];
  const mid: string[] = ['rn'];
  const aggs: string[] = [];
  columns.forEach((c, i) => {
    inner.push(`${quoteIdent(c.name)} AS r${i}`, `${cleanedValue(quoteIdent(c.name), nullTokens, p)} AS v${i}`);
    mid.push(`r${i}`, `v${i}`);
    c.specs.forEach((spec, j) => {
      mid.push(`${parseExpression(`v${i}`, spec.duckdbType, spec.format, p)} AS x${i}_${j}`);
      const failed = `v${i} IS NOT NULL AND x${i}_${j} IS NULL`;
      aggs.push(`count(x${i}_${j}) AS c${i}_${j}`);
      if (maxExamples > 0) {
        aggs.push(`arg_min(CASE WHEN ${failed} THEN {'row': rn, 'value': r${i}} END, CASE WHEN ${failed} THEN rn END, ${Math.floor(maxExamples)}) AS e${i}_${j}`);
      }
    });
  });
  if (aggs.length === 0) aggs.push('count(*) AS rows');
  const sql = `SELECT ${aggs.join(', ')} FROM (SELECT ${mid.join(', ')} FROM (SELECT ${inner.join(', ')} FROM ${quoteIdent(table)}))`;
  return { sql, params: p };
}

export function parseVerifyRow(row: Record<string, unknown>, columns: readonly VerifyColumn[]): VerifiedCount[][] {
  return columns.map((c, i) => c.specs.map((_, j) => {
    const ex = (row[`e${i}_${j}`] as { row: string | number; value: string }[] | null | undefined) ?? [];
    return { parsed: Number(row[`c${i}_${j}`]), failedExamples: ex.map((e) => ({ row: Number(e.row), value: e.value })) };
  }));
}
