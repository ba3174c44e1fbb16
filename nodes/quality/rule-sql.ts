/**
 * SQL text of rule predicates. Rules are stored and combined into one aggregate per table, so
 * their values are written as literals: strings through `quoteLiteral`, numbers only when finite.
 */
import { quoteIdent, quoteLiteral } from '../duckdb.ts';

/** A numeric literal DuckDB reads back exactly; throws on NaN/Infinity (never valid in a rule). */
export function numberLiteral(n: number): string {
  if (!Number.isFinite(n)) throw new Error(`Quality rule: bound ${n} is not a finite number; rules need finite bounds`);
  // JS prints the shortest text that reads back as the same double; DuckDB parses it (also 1e+21).
  return String(n);
}

/** A literal of a scalar value: text quoted, numbers checked, booleans as TRUE/FALSE. */
export function valueLiteral(v: string | number | boolean): string {
  if (typeof v === 'number') return numberLiteral(v);
  if (typeof v === 'boolean') return v ? 'TRUE' : 'FALSE';
  return quoteLiteral(v);
}

export const isNumericType = (t: string) => /^(TINYINT|SMALLINT|INTEGER|BIGINT|HUGEINT|UTINYINT|USMALLINT|UINTEGER|UBIGINT|UHUGEINT|FLOAT|REAL|DOUBLE|DECIMAL.*|NUMERIC.*)$/i.test(t.trim());
export const isIntegerType = (t: string) => /^(TINYINT|SMALLINT|INTEGER|BIGINT|HUGEINT|UTINYINT|USMALLINT|UINTEGER|UBIGINT|UHUGEINT)$/i.test(t.trim());
export const isTextType = (t: string) => /^(VARCHAR|TEXT|STRING|CHAR.*|ENUM.*)$/i.test(t.trim());
export const isTemporalType = (t: string) => /^(DATE|TIMESTAMP.*|DATETIME)$/i.test(t.trim());
/** Types with an order that min/max/count(DISTINCT) handle cheaply (not lists, structs, maps, JSON, BLOB). */
export const isScalarType = (t: string) => isNumericType(t) || isTextType(t) || isTemporalType(t) || /^(BOOLEAN|TIME|UUID|INTERVAL)$/i.test(t.trim());

const isFloatType = (t: string) => /^(FLOAT|FLOAT4|FLOAT8|REAL|DOUBLE)$/i.test(t.trim());
const notNaN = (c: string, type: string) => (isFloatType(type) ? ` AND NOT isnan(${quoteIdent(c)})` : '');

export const predicates = {
  notNull: (c: string) => `${quoteIdent(c)} IS NOT NULL`,
  /**
   * Holds for rows whose key value occurs once; rows with a null in the key are not judged (SQL's
   * UNIQUE semantics). A semi-join on the table itself, so it works in WHERE as well as in SELECT.
   */
  unique: (typedTable: string, cols: readonly string[]) => {
    const key = cols.length === 1 ? quoteIdent(cols[0]!) : `(${cols.map(quoteIdent).join(', ')})`;
    const complete = cols.map((c) => `${quoteIdent(c)} IS NOT NULL`).join(' AND ');
    return `${cols.map((c) => `${quoteIdent(c)} IS NULL`).join(' OR ')} OR ${key} IN (SELECT ${key} FROM ${quoteIdent(typedTable)} WHERE ${complete} GROUP BY ALL HAVING count(*) = 1)`;
  },
  range: (c: string, min: number | undefined, max: number | undefined) => {
    const parts = [min !== undefined ? `${quoteIdent(c)} >= ${numberLiteral(min)}` : null, max !== undefined ? `${quoteIdent(c)} <= ${numberLiteral(max)}` : null].filter(Boolean);
    return `${quoteIdent(c)} IS NULL OR (${parts.join(' AND ')})`;
  },
  /** NaN sorts above every number in DuckDB, so `NaN >= 0` holds: float columns rule it out. */
  nonNegative: (c: string, type: string) => `${quoteIdent(c)} IS NULL OR ${quoteIdent(c)} >= 0${notNaN(c, type)}`,
  positive: (c: string, type: string) => `${quoteIdent(c)} IS NULL OR ${quoteIdent(c)} > 0${notNaN(c, type)}`,
  allowedValues: (c: string, values: readonly (string | number | boolean)[], caseSensitive: boolean) => {
    const strings = values.every((v) => typeof v === 'string');
    const lhs = caseSensitive || !strings ? quoteIdent(c) : `lower(${quoteIdent(c)})`;
    const list = values.map((v) => (caseSensitive || !strings ? valueLiteral(v) : quoteLiteral(String(v).toLowerCase())));
    return `${quoteIdent(c)} IS NULL OR ${lhs} IN (${list.join(', ')})`;
  },
  pattern: (c: string, regex: string) => `${quoteIdent(c)} IS NULL OR trim(CAST(${quoteIdent(c)} AS VARCHAR)) = '' OR regexp_full_match(trim(CAST(${quoteIdent(c)} AS VARCHAR)), ${quoteLiteral(regex)})`,
  notFuture: (c: string, type: string) => /^DATE$/i.test(type.trim())
    ? `${quoteIdent(c)} IS NULL OR ${quoteIdent(c)} <= current_date`
    : `${quoteIdent(c)} IS NULL OR CAST(${quoteIdent(c)} AS TIMESTAMPTZ) <= current_timestamp`,
  /** Correlated on the child table's own name: the outer query must read `FROM <childTable>` unaliased. */
  referential: (childTable: string, childCols: readonly string[], parentTable: string, parentCols: readonly string[], asText: boolean) => {
    const cast = (e: string) => (asText ? `CAST(${e} AS VARCHAR)` : e);
    const anyNull = childCols.map((c) => `${quoteIdent(childTable)}.${quoteIdent(c)} IS NULL`).join(' OR ');
    const on = childCols.map((c, i) => `${cast(`"_parent".${quoteIdent(parentCols[i]!)}`)} = ${cast(`${quoteIdent(childTable)}.${quoteIdent(c)}`)}`).join(' AND ');
    return `${anyNull} OR EXISTS (SELECT 1 FROM ${quoteIdent(parentTable)} AS "_parent" WHERE ${on})`;
  },
};
