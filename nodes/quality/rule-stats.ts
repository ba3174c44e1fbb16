/**
 * The statistics rule suggestion rests on, measured on the typed table itself (profiling reads
 * the raw text): one aggregate over every column, then one query for the value domains of the
 * low-cardinality text columns.
 */
import { aggregateInBatches, quoteIdent, type DuckDBConnection } from '../duckdb.ts';
import { PATTERNS } from '../profiling/patterns.ts';
import type { TypedTable } from '../enrichment/types.ts';
import { isNumericType, isScalarType, isTextType } from './rule-sql.ts';

/** Patterns worth a rule when (nearly) every value matches: formats with a clear definition. */
export const RULE_PATTERNS = PATTERNS.filter((p) => ['uuid', 'email', 'url', 'ipv4'].includes(p.name));

/**
 * A cheap necessary condition per pattern (over the trimmed value `v`), checked before the regex:
 * on columns that hold something else (codes, names) most rows never reach the regex.
 */
const PREFILTER: Readonly<Record<string, (v: string) => string>> = {
  uuid: (v) => `length(${v}) = 36`,
  email: (v) => `contains(${v}, '@')`,
  url: (v) => `(contains(${v}, '://') OR contains(${v}, 'www.'))`,
  ipv4: (v) => `(length(${v}) BETWEEN 7 AND 15 AND contains(${v}, '.'))`,
};

export interface RuleColumnStats {
  readonly column: string;
  readonly type: string;
  readonly nonNull: number;
  readonly distinct: number;
  /** Numeric columns only, over their finite values (null when there are none). */
  readonly min: number | null;
  readonly max: number | null;
  /** Text columns: pattern name -> share of sampled non-empty values that match it (only when measured here). */
  readonly patternRates: Readonly<Record<string, number>>;
  /** Sorted distinct values of low-cardinality text columns. */
  readonly domain: readonly string[] | null;
}

export interface RuleTableStats {
  readonly rows: number;
  readonly columns: Readonly<Record<string, RuleColumnStats>>;
  readonly queries: number;
}

/** Rows the pattern regexes run on (a reservoir sample; the rule itself is then checked on every row). */
export const PATTERN_SAMPLE_ROWS = 20_000;

/**
 * Columns per statement: each exact distinct count holds its own hash table, so a 1000-column
 * table in one statement grew past 8 GB, and DuckDB plans the list slower than linearly (100
 * columns: 175 ms in one statement, 120 in statements of 32). Narrower tables stay one statement.
 */
const STATS_BATCH_COLUMNS = 32;

/**
 * Measures `table` in DuckDB: one aggregate, one query for the domains of low-cardinality text
 * columns, one for patterns on a sample of the text columns (each in batches of columns for very
 * wide tables). `measurePatterns: false` skips the
 * last (profiling already matched patterns); `maxDomain` bounds which domains are listed.
 */
export async function ruleStats(duckdb: DuckDBConnection, table: TypedTable, measurePatterns: boolean, maxDomain: number): Promise<RuleTableStats> {
  const cols = table.columns.filter((c) => isScalarType(c.type));
  const from = quoteIdent(table.typedTable);
  const measures = cols.map((c, i) => {
    const q = quoteIdent(c.name);
    const sel = [`count(${q}) AS "nn_${i}"`, `count(DISTINCT ${q}) AS "d_${i}"`];
    if (isNumericType(c.type)) {
      // Bounds come from the finite values: NaN/inf would make a range rule meaningless (and its
      // literal invalid); the range rule then fails those rows instead.
      const v = `CAST(${q} AS DOUBLE)`;
      sel.push(`min(${v}) FILTER (WHERE isfinite(${v})) AS "min_${i}"`, `max(${v}) FILTER (WHERE isfinite(${v})) AS "max_${i}"`);
    }
    return sel;
  });
  let queries = 0;
  const batched = async (parts: readonly string[][], tail = '', head: string[] = []) => {
    const { row, statements } = await aggregateInBatches(duckdb, `${from}${tail}`, parts, STATS_BATCH_COLUMNS, head);
    queries += statements;
    return row;
  };
  const row = await batched(measures, '', ['count(*) AS "rows"']);
  const num = (k: string) => (row?.[k] === null || row?.[k] === undefined ? null : Number(row[k]));
  const rows = num('rows') ?? 0;
  const out: Record<string, RuleColumnStats> = {};
  const domainCols: number[] = [];
  cols.forEach((c, i) => {
    const nonNull = num(`nn_${i}`) ?? 0;
    const distinct = num(`d_${i}`) ?? 0;
    out[c.name] = { column: c.name, type: c.type, nonNull, distinct, min: num(`min_${i}`), max: num(`max_${i}`), patternRates: {}, domain: null };
    if (isTextType(c.type) && distinct > 0 && distinct <= maxDomain) domainCols.push(i);
  });
  if (domainCols.length) {
    const d = await batched(domainCols.map((i) => [`list(DISTINCT ${quoteIdent(cols[i]!.name)} ORDER BY ${quoteIdent(cols[i]!.name)}) FILTER (WHERE ${quoteIdent(cols[i]!.name)} IS NOT NULL) AS "v_${i}"`]));
    for (const i of domainCols) {
      const c = cols[i]!;
      out[c.name] = { ...out[c.name]!, domain: ((d[`v_${i}`] as unknown[] | null) ?? []).map(String) };
    }
  }
  const textCols = cols.map((c, i) => ({ c, i })).filter(({ c }) => isTextType(c.type) && (out[c.name]?.nonNull ?? 0) > 0);
  if (measurePatterns && textCols.length) {
    // Regexes cost far more than the aggregates: run them on a sample, behind a cheap prefilter.
    const parts = textCols.map(({ c, i }) => {
      const v = `trim(${quoteIdent(c.name)})`;
      return [`count(*) FILTER (WHERE ${v} <> '') AS "n_${i}"`,
        ...RULE_PATTERNS.map((p, k) => `count(*) FILTER (WHERE ${PREFILTER[p.name]?.(v) ?? 'true'} AND regexp_full_match(${v}, ${quoteLiteralRegex(p.regex)})) AS "p_${i}_${k}"`)];
    });
    const p = await batched(parts, ` USING SAMPLE reservoir(${PATTERN_SAMPLE_ROWS} ROWS) REPEATABLE (42)`);
    for (const { c, i } of textCols) {
      const n = Number(p?.[`n_${i}`] ?? 0);
      const rates: Record<string, number> = {};
      RULE_PATTERNS.forEach((pat, k) => { rates[pat.name] = n ? Number(p?.[`p_${i}_${k}`] ?? 0) / n : 0; });
      out[c.name] = { ...out[c.name]!, patternRates: rates };
    }
  }
  return { rows, columns: out, queries };
}

// Regexes are constants of this module, not user data; quoting still doubles any quote.
const quoteLiteralRegex = (r: string) => `'${r.replaceAll("'", "''")}'`;
