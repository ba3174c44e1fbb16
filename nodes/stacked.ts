/**
 * Stacked statements for very wide tables. DuckDB plans a statement per column it names, so a
 * per-column aggregate over a 1000-column table spends its time planning (20-80 ms a column
 * whatever the row count). Stacked, a batch of columns is read as (position `i`, value) rows and
 * ONE set of aggregates grouped by position serves them all; the statement no longer grows with
 * its columns. Profiling and type inference go stacked above 32 columns.
 *
 * @example
 * ```ts
 * const sql = `SELECT i, count(v) AS n FROM (SELECT ${stackedSelect(['"a"', '"b"'], 'v')} FROM t) GROUP BY i`;
 * unstackRows(await queryRows(conn, sql), [0, 1]); // { total: 0, n0: 3, n1: 2 }
 * ```
 */

/**
 * Select list turning `exprs` (one per column) into rows `(i, <as>)`: one per column and table
 * row, `i` from `positions` (default 0, 1, ...), which are our own integers.
 */
export function stackedSelect(exprs: readonly string[], as: string, positions: readonly number[] = exprs.map((_, i) => i)): string {
  return `unnest([${positions.join(', ')}]) AS i, unnest([${exprs.join(', ')}]) AS ${as}`;
}

/**
 * The rows of a stacked statement (one per position `i`, figures named without it) as the one row
 * its per-column form returns: `rn` of position 2 becomes `rn2`, `nb_1` becomes `nb2_1`; `total` is
 * kept. `positions`: the positions, or their count (0, 1, ...). A position without a row (no values, or an empty table) gets `defaults` (named likewise);
 * a row whose `i` is NULL (an outer join over no rows) gives only its `total`.
 */
export function unstackRows(rows: readonly Record<string, unknown>[], positions: number | readonly number[], defaults: Readonly<Record<string, unknown>> = {}): Record<string, unknown> {
  const all = typeof positions === 'number' ? Array.from({ length: positions }, (_, i) => i) : positions;
  const out: Record<string, unknown> = { total: rows[0]?.total ?? 0 };
  const named = (key: string, i: number): string => {
    const cut = key.indexOf('_');
    return cut < 0 ? `${key}${i}` : `${key.slice(0, cut)}${i}${key.slice(cut)}`;
  };
  for (const i of all) for (const [key, value] of Object.entries(defaults)) out[named(key, i)] = value;
  for (const r of rows) {
    if (r.i === null || r.i === undefined) continue;
    const i = Number(r.i);
    for (const [key, value] of Object.entries(r)) if (key !== 'i' && key !== 'total') out[named(key, i)] = value;
  }
  return out;
}

/** Positions of `items` grouped by `key` (groups in order of first appearance), at most `size` a group. */
export function stackBatches<T>(items: readonly T[], key: (item: T) => string, size: number): number[][] {
  const byKey = new Map<string, number[]>();
  items.forEach((item, i) => {
    const k = key(item);
    const group = byKey.get(k);
    if (group) group.push(i);
    else byKey.set(k, [i]);
  });
  return [...byKey.values()].flatMap((all) => Array.from({ length: Math.ceil(all.length / size) }, (_, b) => all.slice(b * size, (b + 1) * size)));
}

/**
 * Columns per stacked statement that reads every row of a `rows`-row table: about two million
 * values (1000 columns x 20,000 rows: 100 columns a statement ran 3 ms a column, 250 of them 7),
 * between 16 and `max`.
 */
export function stackedColumnsPerStatement(rows: number, max: number): number {
  return Math.min(max, Math.max(16, Math.floor(2_000_000 / Math.max(1, rows))));
}
