/**
 * Bound parameters for generated SQL: every value that reaches a query goes through `bind`, which
 * returns a `$name` placeholder. Equal values share one placeholder so wide aggregate queries stay
 * small.
 *
 * @example
 * ```ts
 * const p = new SqlParams();
 * const sql = `SELECT count(CASE WHEN regexp_full_match(v, ${p.bind("[0-9]+")}) THEN 1 END) FROM t`;
 * await queryRows(conn, sql, p.values);
 * ```
 */
import type { DuckDBValue } from '@duckdb/node-api';

export class SqlParams {
  /** Named values to pass to `queryRows(conn, sql, params.values)`. */
  readonly values: Record<string, DuckDBValue> = {};
  private readonly byValue = new Map<string, string>();

  /** Binds a value and returns its placeholder (`$p0`, `$p1`, ...). */
  bind(value: string | number | boolean): string {
    const key = `${typeof value}:${String(value)}`;
    let name = this.byValue.get(key);
    if (name === undefined) {
      name = `p${this.byValue.size}`;
      this.byValue.set(key, name);
      this.values[name] = value;
    }
    return `$${name}`;
  }

  /** Binds several values and returns them as a comma-separated placeholder list. */
  bindList(values: readonly (string | number)[]): string {
    return values.map((v) => this.bind(v)).join(', ');
  }

  /** The values to pass to a query, or undefined when nothing was bound (DuckDB rejects `{}` for some statements). */
  get valuesOrUndefined(): Record<string, DuckDBValue> | undefined {
    return this.byValue.size > 0 ? this.values : undefined;
  }
}
