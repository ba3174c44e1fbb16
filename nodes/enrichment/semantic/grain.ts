/**
 * The grain of a table: the smallest set of columns whose values are unique over all rows,
 * checked in DuckDB. Single columns are decided from the column stats (distinct = rows, no
 * nulls); combinations of 2..maxColumns candidates are counted with one query per size, every
 * combination of that size in the same scan (on large tables after a pre-check on a slice).
 */
import { queryRows, quoteIdent, type DuckDBConnection } from '../../duckdb.ts';
import type { ColumnStats } from './types.ts';

export interface GrainResult {
  /** The grain columns, or empty when no combination of up to `maxColumns` candidates is unique. */
  readonly columns: readonly string[];
  /** Combinations counted over the whole table (single columns come from the stats; pre-checks not included). */
  readonly combinationsChecked: number;
  /** SQL statements issued. */
  readonly queries: number;
}

export interface GrainOptions {
  /** Largest grain searched for. Default 3. */
  readonly maxColumns?: number;
  /** How many candidates enter the combinations (best first). Default 8: 28 pairs, 56 triples. */
  readonly maxCandidates?: number;
  /** Tables over twice this size are pre-checked on their first `sampleRows` rows. Default 100 000. */
  readonly sampleRows?: number;
}

/**
 * Finds the grain among `candidates` (most preferred first; the first unique combination in that
 * order wins). Columns with nulls never form a grain, and a combination whose distinct counts
 * multiply to fewer than the row count cannot be unique, so it is not counted.
 *
 * @example
 * ```ts
 * const g = await detectGrain(conn, 'typed_stocks', ['symbol', 'date', 'price'], stats, 4);
 * g.columns; // ['symbol', 'date']
 * ```
 */
export async function detectGrain(
  duckdb: DuckDBConnection,
  duckdbTable: string,
  candidates: readonly string[],
  stats: Readonly<Record<string, ColumnStats>>,
  rowCount: number,
  options: GrainOptions = {},
): Promise<GrainResult> {
  const maxColumns = options.maxColumns ?? 3;
  const usable = candidates.filter((c) => stats[c] && stats[c].nullCount === 0 && stats[c].distinctCount > 0);
  if (rowCount <= 0) return { columns: [], combinationsChecked: 0, queries: 0 };
  const single = usable.find((c) => stats[c]!.distinctCount === rowCount);
  if (single) return { columns: [single], combinationsChecked: 0, queries: 0 };

  // A column with one value adds nothing to a combination.
  const pool = usable.filter((c) => stats[c]!.distinctCount > 1).slice(0, options.maxCandidates ?? 8);
  let checked = 0;
  let queries = 0;
  const sampleRows = options.sampleRows ?? 100_000;
  for (let size = 2; size <= Math.min(maxColumns, pool.length); size++) {
    let combos = combinations(pool, size).filter((combo) => combo.reduce((p, c) => p * stats[c]!.distinctCount, 1) >= rowCount);
    if (!combos.length) continue;
    // What is unique over the table is unique over any part of it: a cheap pass over the first
    // rows (hashes, where a collision can only hide a grain, never invent one) drops most combinations.
    if (rowCount > sampleRows * 2) {
      const selects = combos.map((combo, i) => `count(DISTINCT hash(${combo.map(quoteIdent).join(', ')})) AS "g${i}"`);
      const [row] = await queryRows<Record<string, string>>(duckdb, `SELECT count(*) AS "n", ${selects.join(', ')} FROM (SELECT * FROM ${quoteIdent(duckdbTable)} LIMIT ${sampleRows})`);
      queries++;
      combos = combos.filter((_, i) => Number(row?.[`g${i}`]) === Number(row?.n));
      if (!combos.length) continue;
    }
    const selects = combos.map((combo, i) => `count(DISTINCT row(${combo.map(quoteIdent).join(', ')})) AS "g${i}"`);
    const [row] = await queryRows<Record<string, string>>(duckdb, `SELECT ${selects.join(', ')} FROM ${quoteIdent(duckdbTable)}`);
    queries++;
    checked += combos.length;
    const hit = combos.findIndex((_, i) => Number(row?.[`g${i}`]) === rowCount);
    if (hit >= 0) return { columns: combos[hit]!, combinationsChecked: checked, queries };
  }
  return { columns: [], combinationsChecked: checked, queries };
}

/** k-combinations in lexicographic order of positions (so earlier = more preferred columns). */
function combinations<T>(items: readonly T[], k: number): T[][] {
  const out: T[][] = [];
  const pick: number[] = [];
  const walk = (start: number): void => {
    if (pick.length === k) {
      out.push(pick.map((i) => items[i]!));
      return;
    }
    for (let i = start; i <= items.length - (k - pick.length); i++) {
      pick.push(i);
      walk(i + 1);
      pick.pop();
    }
  };
  walk(0);
  return out;
}
