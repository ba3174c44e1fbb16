import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDuckDB, queryRows, type DuckDBConnection } from '../../nodes/duckdb.ts';
import { joinPaths } from '../../nodes/enrichment/topology/join-paths.ts';
import { relationships } from '../../nodes/enrichment/topology/relationships.ts';
import type { JoinPathsResult, RelationshipsResult } from '../../nodes/enrichment/topology/types.ts';
import type { TypedSource } from '../../nodes/enrichment/types.ts';
import { loadVegaCsv, typedSourceOf } from './helpers.ts';
import { retailSchema } from './schemas.ts';

let conn: DuckDBConnection;
let source: TypedSource;
let rels: RelationshipsResult;
let paths: JoinPathsResult;

beforeAll(async () => {
  conn = await openDuckDB(':memory:');
  const schema = await retailSchema(conn);
  source = await typedSourceOf(conn, 'retail', schema.tables);
  rels = await relationships(source, conn);
  paths = joinPaths(rels, source);
});
afterAll(() => conn.closeSync());

const count = async (sql: string) => Number((await queryRows<{ n: string }>(conn, `SELECT count(*) AS n FROM (${sql})`))[0].n);
const between = (r: JoinPathsResult, a: string, b: string) => r.paths.filter((p) => p.fromTable === a && p.toTable === b);

describe('joinPaths', () => {
  it('joins order items to customers through orders, with a runnable SQL join per step', async () => {
    const [p] = between(paths, 'order_items', 'customers');
    expect(p.steps.map((s) => [s.fromTable, s.toTable, s.direction])).toEqual([['order_items', 'orders', 'child_to_parent'], ['orders', 'customers', 'child_to_parent']]);
    expect(p.steps[0].condition).toBe('"typed_order_items"."order_id" = "typed_orders"."id"');
    expect(p.totalConfidence).toBeCloseTo(p.steps[0].confidence * p.steps[1].confidence, 4);
    // Following foreign keys keeps every child row exactly once.
    expect(await count(p.sql)).toBe(await count('SELECT * FROM typed_order_items'));
  });

  it('walks foreign keys backwards too, and crosses a composite key in one step', async () => {
    const [back] = between(paths, 'customers', 'order_items');
    expect(back.steps.map((s) => s.direction)).toEqual(['parent_to_child', 'parent_to_child']);
    const [ret] = between(paths, 'returns', 'customers');
    expect(ret.length).toBe(3);
    expect(ret.steps[0].condition).toBe('"typed_returns"."order_id" = "typed_order_items"."order_id" AND "typed_returns"."line_no" = "typed_order_items"."line_no"');
    expect(await count(ret.sql)).toBe(await count('SELECT * FROM typed_returns'));
  });

  it('covers every connected pair in both directions, within the maximum length', () => {
    const tables = source.tables.map((t) => t.name);
    const all = joinPaths(rels, source, { maxLength: 10 });
    for (const a of tables) for (const b of tables) if (a !== b) expect(between(all, a, b).length, `${a} -> ${b}`).toBeGreaterThan(0);
    expect(Math.max(...paths.paths.map((p) => p.length))).toBeLessThanOrEqual(3);
    // categories -> products -> order_items -> orders -> stores: 4 hops, beyond the default 3.
    expect(between(all, 'categories', 'stores')[0].length).toBe(4);
    expect(between(paths, 'categories', 'stores')).toEqual([]);
    const short = joinPaths(rels, source, { maxLength: 1 });
    expect(short.paths.every((p) => p.length === 1)).toBe(true);
    expect(between(short, 'order_items', 'customers')).toEqual([]);
    // Self-references (manager_id, parent_id) join a table to itself: not a path between tables.
    expect(paths.paths.some((p) => p.fromTable === p.toTable)).toBe(false);
  });

  it('lists each foreign key between the same two tables as its own path (origin and destination)', async () => {
    const vega = await openDuckDB(':memory:');
    await loadVegaCsv(vega, 'airports.csv', 'airports');
    await loadVegaCsv(vega, 'flights-airport.csv', 'flights_airport');
    const src = await typedSourceOf(vega, 'vega', ['airports', 'flights_airport']);
    const result = joinPaths(await relationships(src, vega), src);
    expect(between(result, 'flights_airport', 'airports').map((p) => p.steps[0].fromColumns[0]).sort()).toEqual(['destination', 'origin']);
    expect(between(result, 'airports', 'flights_airport')).toHaveLength(2);
    vega.closeSync();
  });

  it('says which table is unknown when relationships and source disagree', () => {
    const other = { ...source, tables: source.tables.filter((t) => t.name !== 'orders') };
    expect(() => joinPaths(rels, other)).toThrow(/'orders' is not in typed source 'retail'/);
  });
});
