/**
 * The verification pass: ONE query over the whole table that counts, for every candidate reading
 * of every column, the non-null values that parse with exactly the format resolution would use,
 * and keeps the first failing values with their row numbers.
 */
import { quoteIdent } from '../duckdb.ts';
import { SqlParams } from '../profiling/sql-params.ts';
import { stackedSelect } from '../stacked.ts';
import { rowNumberSql, type RawRows } from '../staging/raw-rows.ts';
import type { CandidateSpec, VerifiedCount } from './candidates.ts';
import { cleanedValue, parseExpression } from './formats.ts';
import type { NumberFormat } from './types.ts';

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
  const chained: string[] = [];
  const k = Math.floor(maxExamples);
  columns.forEach((c, i) => {
    // A column without candidates costs nothing: no trim, no read.
    if (c.specs.length === 0) return;
    if (c.grouped) {
      grouped.push(groupedColumn(rows, c, i, nullTokens, k, p));
      return;
    }
    inner.push(`${quoteIdent(c.name)} AS r${i}`, `${cleanedValue(quoteIdent(c.name), nullTokens, p)} AS v${i}`);
    mid.push(`r${i}`, `v${i}`);
    const parses = specParses(`v${i}`, c.specs, (j) => `x${i}_${j}`, p);
    mid.push(...parses.first);
    chained.push(...parses.then);
    c.specs.forEach((_, j) => {
      const failed = `v${i} IS NOT NULL AND x${i}_${j} IS NULL`;
      aggs.push(`count(x${i}_${j}) AS c${i}_${j}`);
      if (k > 0) {
        // FILTER, not CASE: the struct is then built only for failing rows.
        aggs.push(`arg_min({'row': rn, 'value': r${i}}, rn, ${k}) FILTER (WHERE ${failed}) AS e${i}_${j}`);
      }
    });
  });
  if (aggs.length === 0 && grouped.length === 0) aggs.push('count(*) AS rows');
  const parsed = `SELECT ${mid.join(', ')} FROM (SELECT ${inner.join(', ')} FROM ${rows.from})`;
  const withChained = chained.length > 0 ? `SELECT *, ${chained.join(', ')} FROM (${parsed})` : parsed;
  const perRow = aggs.length > 0 ? [`(SELECT ${aggs.join(', ')} FROM (${withChained})) t`] : [];
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
  const xs = specParses('v', c.specs, (j) => `x${j}`, p);
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
  const first = `SELECT *, ${xs.first.join(', ')} FROM (SELECT *, ${cleanedValue('r', nullTokens, p)} AS v FROM (${groups}))`;
  const parsed = xs.then.length > 0 ? `SELECT *, ${xs.then.join(', ')} FROM (${first})` : first;
  return `(SELECT ${aggs.join(', ')} FROM (${parsed})) g${i}`;
}

/**
 * Columns that can share one stacked verify statement (`stackedVerifyQuery`): the same candidate
 * readings, in the same order, and the same grouping.
 */
export function verifyStackKey(c: VerifyColumn): string {
  return JSON.stringify([c.grouped ?? false, c.specs.map((s) => [s.duckdbType, s.format])]);
}

/**
 * `verifyQuery` for a wide table, stacked (see `stackedSurveyQuery`): the columns (all with one
 * `verifyStackKey` and at least one spec) become (position, row number, value) rows and ONE set of
 * per-spec counts and first failing rows, grouped by position, serves them all. Each column gets
 * the counts and examples `verifyQuery` gives it; read the rows with `unstackRows` and
 * `parseVerifyRow`.
 */
export function stackedVerifyQuery(rows: RawRows, columns: readonly VerifyColumn[], nullTokens: readonly string[], maxExamples: number): { sql: string; params: SqlParams } {
  const p = new SqlParams();
  const k = Math.floor(maxExamples);
  const [{ specs, grouped }] = columns;
  const stacked = `SELECT ${rowNumberSql(rows)} AS rn, ${stackedSelect(columns.map((c) => quoteIdent(c.name)), 'r')} FROM ${rows.from}`;
  const xs = specParses('v', specs, (j) => `x_${j}`, p);
  const aggs: string[] = [];
  if (grouped) {
    specs.forEach((_, j) => {
      aggs.push(`coalesce(sum(CASE WHEN x_${j} IS NOT NULL THEN n END), 0) AS c_${j}`);
      if (k > 0) aggs.push(`list_sort(flatten(list(list_transform(first_rows, x -> {'row': x, 'value': r})) FILTER (WHERE v IS NOT NULL AND x_${j} IS NULL)))[1:${k}] AS e_${j}`);
    });
    const groups = `SELECT i, r, count(*) AS n${k > 0 ? `, min(rn, ${k}) AS first_rows` : ''} FROM (${stacked}) GROUP BY i, r`;
    const first = `SELECT *, ${xs.first.join(', ')} FROM (SELECT *, ${cleanedValue('r', nullTokens, p)} AS v FROM (${groups}))`;
    const parsed = xs.then.length > 0 ? `SELECT *, ${xs.then.join(', ')} FROM (${first})` : first;
    return { sql: `SELECT i, ${aggs.join(', ')} FROM (${parsed}) GROUP BY i`, params: p };
  }
  specs.forEach((_, j) => {
    aggs.push(`count(x_${j}) AS c_${j}`);
    // FILTER, not CASE: the struct is then built only for failing rows.
    if (k > 0) aggs.push(`arg_min({'row': rn, 'value': r}, rn, ${k}) FILTER (WHERE v IS NOT NULL AND x_${j} IS NULL) AS e_${j}`);
  });
  const first = `SELECT rn, i, r, v, ${xs.first.join(', ')} FROM (SELECT rn, i, r, ${cleanedValue('r', nullTokens, p)} AS v FROM (${stacked}))`;
  const parsed = xs.then.length > 0 ? `SELECT *, ${xs.then.join(', ')} FROM (${first})` : first;
  return { sql: `SELECT i, ${aggs.join(', ')} FROM (${parsed}) GROUP BY i`, params: p };
}

const INTEGER_RANGE: Readonly<Record<string, readonly [string, string]>> = {
  INTEGER: ['-2147483648', '2147483647'],
  BIGINT: ['-9223372036854775808', '9223372036854775807'],
};

function sameNumberFormat(a: NumberFormat, b: NumberFormat): boolean {
  return a.decimal === b.decimal && a.thousands === b.thousands && a.currency === b.currency && a.unit === b.unit && a.negative === b.negative && !a.percent && !b.percent;
}

/**
 * The parse expression of every spec of one column over `v`, named by `alias`. A value read as an
 * integer is read by every wider number reading of the same format, so those reuse the widest
 * integer parse (computed in `first`) instead of running their regexes again: INTEGER is BIGINT
 * in range, DOUBLE is BIGINT cast where it parsed. The counts are the same; `then` needs one more
 * projection over `first`.
 */
function specParses(v: string, specs: readonly CandidateSpec[], alias: (j: number) => string, p: SqlParams): { first: string[]; then: string[] } {
  const integers = specs.flatMap((s, j) => (s.format.kind === 'number' && !s.format.percent && INTEGER_RANGE[s.duckdbType.toUpperCase()] ? [j] : []));
  const base = integers.find((j) => specs[j].duckdbType.toUpperCase() === 'BIGINT') ?? integers[0];
  const first: string[] = [];
  const then: string[] = [];
  specs.forEach((spec, j) => {
    const full = parseExpression(v, spec.duckdbType, spec.format, p);
    const b = base === undefined ? undefined : specs[base];
    if (b === undefined || j === base || spec.format.kind !== 'number' || b.format.kind !== 'number' || !sameNumberFormat(b.format, spec.format)) {
      first.push(`${full} AS ${alias(j)}`);
      return;
    }
    const type = spec.duckdbType.toUpperCase();
    const range = INTEGER_RANGE[type];
    if (range && INTEGER_RANGE[b.duckdbType.toUpperCase()]) {
      then.push(`CASE WHEN ${alias(base!)} BETWEEN ${range[0]} AND ${range[1]} THEN CAST(${alias(base!)} AS ${type}) END AS ${alias(j)}`);
    } else if (type === 'DOUBLE') {
      then.push(`CASE WHEN ${alias(base!)} IS NOT NULL THEN CAST(${alias(base!)} AS DOUBLE) ELSE ${full} END AS ${alias(j)}`);
    } else {
      first.push(`${full} AS ${alias(j)}`);
    }
  });
  return { first, then };
}

export function parseVerifyRow(row: Record<string, unknown>, columns: readonly VerifyColumn[]): VerifiedCount[][] {
  return columns.map((c, i) => c.specs.map((_, j) => {
    const ex = (row[`e${i}_${j}`] as { row: string | number; value: string }[] | null | undefined) ?? [];
    return { parsed: Number(row[`c${i}_${j}`] ?? 0), failedExamples: ex.map((e) => ({ row: Number(e.row), value: e.value })) };
  }));
}
