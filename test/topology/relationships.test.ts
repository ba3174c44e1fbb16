/**
 * Targeted behaviour of the `relationships` node: mixed key types, all-null references, orphans,
 * value-only evidence into dense ranges, and errors that name the table.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openDuckDB, quoteLiteral, type DuckDBConnection } from '../../nodes/duckdb.ts';
import { relationships } from '../../nodes/enrichment/topology/relationships.ts';
import { typedSourceOf, VEGA_DIR } from './helpers.ts';

let conn: DuckDBConnection;
beforeEach(async () => { conn = await openDuckDB(':memory:'); });
afterEach(() => conn.closeSync());

describe('relationships', () => {
  it('compares an integer child with a parent id typed as text (fixed-width ids read as VARCHAR)', async () => {
    await conn.run(`
      CREATE TABLE typed_customers AS SELECT CAST(10000 + i AS VARCHAR) AS customer_id, 'name ' || i AS name FROM range(1, 301) t(i);
      CREATE TABLE typed_orders AS SELECT i AS id, CAST(10001 + (i * 7) % 300 AS BIGINT) AS customer_id, i % 12 + 1 AS month FROM range(1, 2001) t(i);`);
    const result = await relationships(await typedSourceOf(conn, 's', ['customers', 'orders']), conn);
    expect(result.relationships.map((r) => [r.key, r.cardinality, r.evidence.containment, r.comparison])).toEqual([['orders(customer_id)->customers(customer_id)', 'many_to_one', 1, 'text']]);
  });

  it('reads whole-valued DOUBLE columns as integer keys (ids with NULLs read by pandas), never fractional ones', async () => {
    await conn.run(`
      CREATE TABLE typed_users AS SELECT i AS id, 'user' || i AS login FROM range(1, 201) t(i);
      CREATE TABLE typed_posts AS SELECT i AS id, CASE WHEN i % 10 = 0 THEN NULL ELSE CAST(1 + i % 200 AS DOUBLE) END AS user_id,
        CAST(1 + i % 200 AS DOUBLE) + 0.5 AS score FROM range(1, 1001) t(i);`);
    const source = await typedSourceOf(conn, 's', ['users', 'posts']);
    expect(source.tables[1].columns.map((c) => c.type)).toEqual(['BIGINT', 'DOUBLE', 'DOUBLE']);
    const result = await relationships(source, conn);
    expect(result.relationships.map((r) => [r.key, r.evidence.containment, r.comparison])).toEqual([['posts(user_id)->users(id)', 1, 'native']]);
    expect(result.stats.candidatePairs).toBe(2); // user_id -> users.id and -> posts.id; score never takes part
  });

  it('follows a natural key that is not the first column (sku), but not a shared attribute (city)', async () => {
    await conn.run(`
      CREATE TABLE typed_products AS SELECT i AS id, 'SKU-' || (7000 + i * 3) AS sku, 'City ' || i AS city FROM range(1, 301) t(i);
      CREATE TABLE typed_order_items AS SELECT i AS id, 'SKU-' || (7000 + (1 + i % 300) * 3) AS sku, 'City ' || (1 + i % 40) AS city FROM range(1, 2001) t(i);`);
    const result = await relationships(await typedSourceOf(conn, 's', ['products', 'order_items']), conn);
    expect(result.relationships.map((r) => [r.key, r.evidence.nameRule])).toEqual([['order_items(sku)->products(sku)', 'same-name']]);
  });

  it('follows a graph\'s edge ends to its node key: vega\'s miserables.json links.source/target -> nodes.index', async () => {
    const json = quoteLiteral(`${VEGA_DIR}miserables.json`);
    await conn.run(`
      CREATE TABLE typed_miserables_nodes AS SELECT unnest(nodes, recursive := true) FROM read_json(${json});
      CREATE TABLE typed_miserables_links AS SELECT unnest(links, recursive := true) FROM read_json(${json});`);
    const result = await relationships(await typedSourceOf(conn, 's', ['miserables_nodes', 'miserables_links']), conn);
    expect(result.relationships.map((r) => [r.key, r.evidence.containment, r.evidence.nameRule])).toEqual([
      ['miserables_links(source)->miserables_nodes(index)', 1, 'edge->node'],
      ['miserables_links(target)->miserables_nodes(index)', 1, 'edge->node'],
    ]);
    // The link weight fits into the dense node index too, but nothing names it an edge end.
    expect(result.relationships.some((r) => r.fromColumns.includes('value'))).toBe(false);
  });

  it('keeps an all-null reference on a strong name alone, and says so', async () => {
    await conn.run(`
      CREATE TABLE typed_languages AS SELECT i AS language_id, 'Lang ' || i AS name FROM range(1, 7) t(i);
      CREATE TABLE typed_films AS SELECT i AS film_id, 1 + i % 6 AS language_id, CAST(NULL AS INTEGER) AS original_language_id, CAST(NULL AS INTEGER) AS misc_id FROM range(1, 101) t(i);`);
    const result = await relationships(await typedSourceOf(conn, 's', ['languages', 'films']), conn);
    const byKey = Object.fromEntries(result.relationships.map((r) => [r.key, r]));
    expect(Object.keys(byKey).sort()).toEqual(['films(language_id)->languages(language_id)', 'films(original_language_id)->languages(language_id)']);
    const nameOnly = byKey['films(original_language_id)->languages(language_id)'];
    expect(nameOnly.detectionMethod).toBe('name');
    expect(nameOnly.evidence.containment).toBeNull();
    expect(nameOnly.confidence).toBeLessThan(byKey['films(language_id)->languages(language_id)'].confidence);
  });

  it('tolerates orphans when names agree, at a lower confidence with the count in the evidence', async () => {
    await conn.run(`
      CREATE TABLE typed_products AS SELECT i AS product_id, 'p' || i AS name FROM range(1, 201) t(i);
      CREATE TABLE typed_reviews AS SELECT i AS review_id, 1 + i % 210 AS product_id, 1 + i % 5 AS stars FROM range(1, 3001) t(i);`);
    const result = await relationships(await typedSourceOf(conn, 's', ['products', 'reviews']), conn);
    const [rel] = result.relationships;
    expect(rel.key).toBe('reviews(product_id)->products(product_id)');
    expect(rel.evidence.containment).toBeCloseTo(200 / 210, 4);
    expect(rel.evidence.penalties).toContain('10 of 210 distinct child values not in the parent');
    expect(rel.confidence).toBeLessThan(0.93);
    // stars 1..5 sit inside product_id 1..200 but are a rating, not a product.
    expect(result.relationships.some((r) => r.fromColumns[0] === 'stars')).toBe(false);
  });

  it('never queries value-only inclusion into a dense id range: it could not reach the minimum confidence', async () => {
    await conn.run(`
      CREATE TABLE typed_stations AS SELECT i AS id, 'st' || i AS label FROM range(1, 1001) t(i);
      CREATE TABLE typed_readings AS SELECT i AS id, 1 + (i * 13) % 400 AS sensor, 1990 + i % 30 AS yr FROM range(1, 5001) t(i);`);
    const result = await relationships(await typedSourceOf(conn, 's', ['stations', 'readings']), conn);
    expect(result.relationships).toEqual([]);
    // sensor (1..400) and yr (1990..2019) both sit inside stations.id 1..1000.
    // Each also against readings.id (dense 1..5000).
    expect(result.stats.candidatePairs).toBe(4);
    expect(result.stats.prunedBeforeQuery).toBe(4);
    expect(result.stats.queries.containment).toBe(0);
  });

  it('measures value-only candidates into sparse keys and reports the ones it drops', async () => {
    await conn.run(`
      CREATE TABLE typed_stations AS SELECT 'ST' || (1000 + i * 37) AS code, 'st' || i AS label FROM range(1, 301) t(i);
      CREATE TABLE typed_readings AS SELECT i AS id, 'ST' || (1000 + (1 + i % 300) * 37) AS origin, 'ST' || (1000 + (1 + i % 300) * 37 + i % 2) AS partial FROM range(1, 5001) t(i);`);
    const result = await relationships(await typedSourceOf(conn, 's', ['stations', 'readings']), conn);
    expect(result.relationships.map((r) => [r.key, r.detectionMethod])).toEqual([['readings(origin)->stations(code)', 'value']]);
    // Half of `partial`'s values are off by one: measured (it could have been a key), then dropped.
    const partial = result.rejected.find((r) => r.fromColumns[0] === 'partial');
    expect(partial).toMatchObject({ containment: 0.5, reason: 'containment 0.5 below 0.9' });
  });

  it('handles sources with nothing to relate: no tables, empty tables, no key-typed columns', async () => {
    expect((await relationships({ sourceName: 'none', tables: [] }, conn)).relationships).toEqual([]);
    await conn.run(`
      CREATE TABLE typed_empty (id INTEGER, other_id INTEGER);
      CREATE TABLE typed_measures AS SELECT i * 0.5 AS x, i % 2 = 0 AS flag FROM range(1, 50) t(i);`);
    const result = await relationships(await typedSourceOf(conn, 's', ['empty', 'measures']), conn);
    expect(result.relationships).toEqual([]);
    expect(result.stats.queries.containment).toBe(0);
  });

  it('names the table whose typed table is missing', async () => {
    const source = { sourceName: 's', tables: [{ name: 'ghost', typedTable: 'typed_ghost', rowCount: 0, columns: [{ name: 'id', originalName: 'id', position: 0, type: 'INTEGER' }] }] };
    await expect(relationships(source, conn)).rejects.toThrow(/table 'ghost' \(DuckDB table typed_ghost\)/);
  });

  it('drops a copy of a table (a view) as a reference either way, but keeps a 1:1 extension table and a registry of ids', async () => {
    await conn.run(`
      CREATE TABLE typed_misc AS SELECT 'M' || lpad(i::VARCHAR, 5, '0') AS md, i * 3 AS amount, ['a', 'b', 'c'][1 + i % 3] AS cat FROM range(500) t(i);
      CREATE TABLE typed_v_misc AS SELECT md, amount FROM typed_misc;
      CREATE TABLE typed_users AS SELECT 'U' || lpad(i::VARCHAR, 5, '0') AS user_code, 'user' || i AS login FROM range(400) t(i);
      CREATE TABLE typed_user_settings AS SELECT user_code, CASE WHEN length(login) % 2 = 0 THEN 'dark' ELSE 'light' END AS theme FROM typed_users;
      CREATE TABLE typed_entities AS SELECT 'E' || lpad(i::VARCHAR, 5, '0') AS entity_code FROM range(300) t(i);
      CREATE TABLE typed_entity_details AS SELECT entity_code, 'detail of ' || entity_code AS detail FROM typed_entities;`);
    const result = await relationships(await typedSourceOf(conn, 's', ['misc', 'v_misc', 'users', 'user_settings', 'entities', 'entity_details']), conn);
    const keys = result.relationships.map((r) => r.key);
    expect(keys.filter((k) => k.includes('misc'))).toEqual([]);
    expect(result.rejected.filter((r) => /view or copy/.test(r.reason)).map((r) => [r.fromTable, r.toTable].sort())).toEqual([['misc', 'v_misc']]);
    expect(keys.filter((k) => k.includes('user'))).toHaveLength(1);
    expect(keys.filter((k) => k.includes('entit'))).toHaveLength(1);
  });
});
