/**
 * Inclusion dependencies measured in DuckDB, batched: one query per referenced column (or
 * composite key) measures all of its candidate children at once. The parent's values are
 * materialized once; each child contributes its distinct values and a LEFT JOIN counts how many
 * the parent has (the parent side is unique, so the join never multiplies rows).
 */
import type { DuckDBConnection } from '@duckdb/node-api';
import { queryRows, quoteIdent } from '../../duckdb.ts';
import type { CompositeCandidate, SingleCandidate } from './candidates.ts';
import { _comparison, type Comparison } from './column-stats.ts';

export interface Measured<C> {
  readonly candidate: C;
  readonly childDistinct: number;
  /** Child rows with all key columns non-null. */
  readonly childNonNull: number;
  readonly matched: number;
}

export interface Containment {
  readonly single: Measured<SingleCandidate>[];
  readonly composite: Measured<CompositeCandidate>[];
  readonly queries: number;
}

const q = quoteIdent;
const num = (v: unknown) => (v === null || v === undefined ? 0 : Number(v));

function groupBy<T>(items: readonly T[], key: (t: T) => string): Map<string, T[]> {
  const out = new Map<string, T[]>();
  for (const it of items) {
    const k = key(it);
    const list = out.get(k);
    if (list) list.push(it); else out.set(k, [it]);
  }
  return out;
}

/** Values of different families compare as text (`123` = `'123'`); same families compare natively. */
function joinCondition(how: Comparison | null): string {
  if (how === 'child_as_text') return 'CAST("c"."v" AS VARCHAR) = "p"."v"';
  if (how === 'parent_as_text') return '"c"."v" = CAST("p"."v" AS VARCHAR)';
  return '"c"."v" = "p"."v"';
}

async function measureSingle(duckdb: DuckDBConnection, group: SingleCandidate[]): Promise<Measured<SingleCandidate>[]> {
  const parent = group[0].parent;
  const toMeasure = group.filter((c) => c.child.nonNull > 0);
  const out: Measured<SingleCandidate>[] = group.filter((c) => c.child.nonNull === 0).map((candidate) => ({ candidate, childDistinct: 0, childNonNull: 0, matched: 0 }));
  if (!toMeasure.length) return out;
  const parts = toMeasure.map((c, k) =>
    `SELECT ${k} AS "k", count(*) AS "cd", count("p"."v") AS "m" ` +
    `FROM (SELECT DISTINCT ${q(c.child.column)} AS "v" FROM ${q(c.child.typedTable)} WHERE ${q(c.child.column)} IS NOT NULL) AS "c" ` +
    `LEFT JOIN "p" ON ${joinCondition(_comparison(c.child, c.parent))}`);
  const sql = `WITH "p" AS MATERIALIZED (SELECT ${q(parent.column)} AS "v" FROM ${q(parent.typedTable)} WHERE ${q(parent.column)} IS NOT NULL) ${parts.join(' UNION ALL ')}`;
  let rows: Record<string, unknown>[];
  try {
    rows = await queryRows(duckdb, sql);
  } catch (error) {
    throw new Error(`topology: measuring containment in ${parent.table}.${parent.column} failed: ${(error as Error).message}`, { cause: error });
  }
  for (const row of rows) {
    const c = toMeasure[num(row.k)];
    out.push({ candidate: c, childDistinct: num(row.cd), childNonNull: c.child.nonNull, matched: num(row.m) });
  }
  return out;
}

async function measureComposite(duckdb: DuckDBConnection, group: CompositeCandidate[]): Promise<Measured<CompositeCandidate>[]> {
  const key = group[0].parent;
  const [p1, p2] = key.columns;
  const parts = group.map((c, k) => {
    const [x, y] = c.childColumns;
    return `SELECT ${k} AS "k", count(*) AS "cd", sum("c"."n") AS "nn", count("p"."v1") AS "m" ` +
      `FROM (SELECT ${q(x.column)} AS "v1", ${q(y.column)} AS "v2", count(*) AS "n" FROM ${q(c.childTypedTable)} ` +
      `WHERE ${q(x.column)} IS NOT NULL AND ${q(y.column)} IS NOT NULL GROUP BY ALL) AS "c" ` +
      `LEFT JOIN "p" ON "c"."v1" = "p"."v1" AND "c"."v2" = "p"."v2"`;
  });
  const sql = `WITH "p" AS MATERIALIZED (SELECT ${q(p1)} AS "v1", ${q(p2)} AS "v2" FROM ${q(key.typedTable)}) ${parts.join(' UNION ALL ')}`;
  let rows: Record<string, unknown>[];
  try {
    rows = await queryRows(duckdb, sql);
  } catch (error) {
    throw new Error(`topology: measuring containment in ${key.table}(${p1}, ${p2}) failed: ${(error as Error).message}`, { cause: error });
  }
  return rows.map((row) => ({ candidate: group[num(row.k)], childDistinct: num(row.cd), childNonNull: num(row.nn), matched: num(row.m) }));
}

/** Measures every candidate, one query per referenced column or composite key. */
export async function _measureContainment(duckdb: DuckDBConnection, single: readonly SingleCandidate[], composite: readonly CompositeCandidate[]): Promise<Containment> {
  let queries = 0;
  const singleOut: Measured<SingleCandidate>[] = [];
  for (const group of groupBy(single, (c) => `${c.parent.table}\u0000${c.parent.column}`).values()) {
    if (group.some((c) => c.child.nonNull > 0)) queries++;
    singleOut.push(...(await measureSingle(duckdb, group)));
  }
  const compositeOut: Measured<CompositeCandidate>[] = [];
  for (const group of groupBy(composite, (c) => `${c.parent.table}\u0000${c.parent.columns.join('\u0000')}`).values()) {
    queries++;
    compositeOut.push(...(await measureComposite(duckdb, group)));
  }
  return { single: singleOut, composite: compositeOut, queries };
}
