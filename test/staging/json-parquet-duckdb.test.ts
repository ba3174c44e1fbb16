/** JSON (weak: text for re-inference), Parquet and DuckDB files (strong: types kept). */
import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import Database from 'better-sqlite3';
import { beforeAll, describe, expect, it } from 'vitest';
import { quoteLiteral, type DuckDBConnection } from '../../nodes/duckdb.ts';
import { StagingError } from '../../nodes/staging/errors.ts';
import { sourceConfig, staging } from '../../nodes/staging/staging.ts';
import { VEGA, countOf, rows, stagingFixture } from './helpers.ts';

let duckdb: DuckDBConnection;
const tmp = stagingFixture((c) => (duckdb = c));

describe('JSON', () => {
  it('movies.json (an array): every object a row, every key a column, values as text', async () => {
    const path = join(VEGA, 'movies.json');
    const movies = JSON.parse(readFileSync(path, 'utf8')) as Record<string, unknown>[];
    const result = await staging(sourceConfig(path), duckdb);
    const [table] = result.tables;
    expect(table).toMatchObject({ name: 'movies', rawTable: 'raw_movies', strength: 'weak', rowCount: movies.length, rejects: [] });
    expect(table.columns.map((c) => c.originalName)).toEqual(Object.keys(movies[0]));
    expect(table.columns.slice(0, 4).map((c) => c.name)).toEqual(['title', 'us_gross', 'worldwide_gross', 'us_dvd_sales']);
    expect(new Set(table.columns.map((c) => c.rawType))).toEqual(new Set(['VARCHAR']));
    // Titles are mostly strings, some numbers (1776): both arrive as their text.
    const titles = (await rows<{ title: string }>(duckdb, 'raw_movies')).map((r) => r.title);
    expect(titles).toContain('1776');
    expect(titles).toContain('The Land Girls');
    expect(titles.filter((t) => t === null)).toHaveLength(movies.filter((m) => m.Title === null).length);
  });

  it('nested values become JSON text; keys that appear late are not lost', async () => {
    const records: unknown[] = [];
    for (let i = 0; i < 3000; i++) records.push({ id: i, tags: ['a', i], meta: { ok: i % 2 === 0 }, price: i % 7 === 0 ? 'n/a' : i / 4 });
    records.push({ id: 3000, late_key: 'only here' });
    const path = join(tmp.dir, 'events.ndjson');
    writeFileSync(path, `${records.map((r) => JSON.stringify(r)).join('\n')}\n`);
    const [table] = (await staging(sourceConfig(path), duckdb)).tables;
    expect(table).toMatchObject({ name: 'events', strength: 'weak', rowCount: 3001 });
    expect(table.columns.map((c) => c.name)).toEqual(['id', 'tags', 'meta', 'price', 'late_key']);
    const staged = await rows<Record<string, string | null>>(duckdb, 'raw_events');
    const byId = new Map(staged.map((r) => [r.id, r]));
    expect(byId.get('1')).toEqual({ id: '1', tags: '["a",1]', meta: '{"ok":false}', price: '0.25', late_key: null });
    expect(byId.get('7')?.price).toBe('n/a');
    expect(byId.get('3000')).toMatchObject({ late_key: 'only here', tags: null });
  });

  it('keys differing only in case, empty and odd keys, and non-object records all keep their values', async () => {
    const path = join(tmp.dir, 'odd-keys.json');
    writeFileSync(path, JSON.stringify([{ id: 1, ID: 2, '': 3, 'a/b': 4, 'q"x': 5, 't~': 6, n: null, s: 'str' }, 7, { late: true }]));
    const result = await staging(sourceConfig(path), duckdb);
    const [table] = result.tables;
    expect(table.columns.map((c) => [c.name, c.originalName])).toEqual([
      ['id', 'id'],
      ['id_2', 'ID'],
      ['column_3', ''],
      ['a_b', 'a/b'],
      ['q_x', 'q"x'],
      ['t', 't~'],
      ['n', 'n'],
      ['s', 's'],
      ['late', 'late'],
      ['json', 'json'],
    ]);
    expect(await rows(duckdb, 'raw_odd_keys')).toEqual([
      { id: '1', id_2: '2', column_3: '3', a_b: '4', q_x: '5', t: '6', n: null, s: 'str', late: null, json: null },
      { id: null, id_2: null, column_3: null, a_b: null, q_x: null, t: null, n: null, s: null, late: null, json: '7' },
      { id: null, id_2: null, column_3: null, a_b: null, q_x: null, t: null, n: null, s: null, late: 'true', json: null },
    ]);
    expect(result.warnings).toEqual(["1 record(s) of 'odd-keys.json' are not JSON objects; their text is in the column 'json'."]);
  });

  it('numbers are staged as written, not as DuckDB prints the double it parsed', async () => {
    const path = join(tmp.dir, 'amounts.json');
    writeFileSync(
      path,
      `[{"amount": 1234567890.123456789, "big": 123456789012345678, "price": 19.90, "e": 1e3, "tax": {"amount": 0.25}},
        {"amount": 99999999999999999.99, "big": 98765432109876543210, "price": "19.90", "e": 1E+2, "tax": {"amount": 99999999999999999.99}},
        {"amount" : -0.50, "big": -1, "price": 0.1, "e": 2.5e-10, "lines": [{"amount": 7.0}]},
        12.50]`,
    );
    const result = await staging(sourceConfig(path), duckdb);
    expect(await rows(duckdb, result.tables[0].rawTable)).toEqual([
      { amount: '1234567890.123456789', big: '123456789012345678', price: '19.90', e: '1e3', tax: '{"amount":0.25}', lines: null, json: null },
      // The key also nested, with the same value written the same way, does not hide what was
      // written; numbers inside nested JSON are as DuckDB prints them.
      { amount: '99999999999999999.99', big: '98765432109876543210', price: '19.90', e: '1E+2', tax: '{"amount":100000000000000000.0}', lines: null, json: null },
      { amount: '-0.50', big: '-1', price: '0.1', e: '2.5e-10', tax: null, lines: '[{"amount":7.0}]', json: null },
      { amount: null, big: null, price: null, e: null, tax: null, lines: null, json: '12.50' },
    ]);
    // NDJSON the same: typing gets 99999999999999999.99, not a double rounded to 1e17.
    const ndjson = join(tmp.dir, 'amounts.ndjson');
    writeFileSync(ndjson, '{"id": 1, "amount": 99999999999999999.99}\n{"id": 2, "amount": 0.10}\n');
    const [table] = (await staging(sourceConfig(ndjson), duckdb)).tables;
    expect(await rows(duckdb, table.rawTable, 'id')).toEqual([
      { id: '1', amount: '99999999999999999.99' },
      { id: '2', amount: '0.10' },
    ]);
  });

  it('bad JSON fails with the file named and the earlier stage kept', async () => {
    const path = join(tmp.dir, 'fragile.json');
    writeFileSync(path, '[{"a": 1}, {"a": 2}]');
    await staging(sourceConfig(path), duckdb);
    writeFileSync(path, '[{"a": 1}, {"a": ');
    const failure = await staging(sourceConfig(path), duckdb).catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(StagingError);
    expect((failure as StagingError).code).toBe('UNREADABLE_SOURCE');
    expect((failure as Error).message).toContain(path);
    expect(await countOf(duckdb, 'raw_fragile')).toBe(2);
  });
});

describe('Parquet', () => {
  it('keeps the types Parquet declares; a glob unions the files', async () => {
    for (const part of [1, 2]) {
      const path = join(tmp.dir, `measurements-${part}.parquet`);
      await duckdb.run(
        `COPY (SELECT i AS "Sensor ID", CAST(i * 1.5 AS DOUBLE) AS reading, DATE '2024-01-01' + CAST(i AS INTEGER) AS day, TIMESTAMP '2024-01-01 10:00:00' + INTERVAL (i) HOUR AS at,
                      CAST(i AS DECIMAL(10,2)) AS amount, i % 2 = 0 AS even, 'name ' || i AS label, [i, i + 1] AS pair
               FROM range(${part * 100}, ${part * 100 + 50}) t(i)) TO ${quoteLiteral(path)} (FORMAT parquet)`,
      );
    }
    const single = (await staging(sourceConfig(join(tmp.dir, 'measurements-1.parquet')), duckdb)).tables[0];
    expect(single).toMatchObject({ name: 'measurements_1', strength: 'strong', rowCount: 50, rejects: [] });
    expect(single.columns.map((c) => [c.name, c.originalName, c.rawType])).toEqual([
      ['sensor_id', 'Sensor ID', 'BIGINT'],
      ['reading', 'reading', 'DOUBLE'],
      ['day', 'day', 'DATE'],
      ['at_', 'at', 'TIMESTAMP'], // `at` is an SQL keyword (AT TIME ZONE)
      ['amount', 'amount', 'DECIMAL(10,2)'],
      ['even', 'even', 'BOOLEAN'],
      ['label', 'label', 'VARCHAR'],
      ['pair', 'pair', 'BIGINT[]'],
    ]);
    const glob = (await staging(sourceConfig({ source_type: 'parquet', file_pattern: join(tmp.dir, 'measurements-*.parquet') }), duckdb)).tables[0];
    expect(glob).toMatchObject({ name: 'measurements', rowCount: 100, files: [join(tmp.dir, 'measurements-1.parquet'), join(tmp.dir, 'measurements-2.parquet')] });
  });

  it('a file that is not Parquet fails clearly', async () => {
    const path = join(tmp.dir, 'broken.parquet');
    writeFileSync(path, 'this is not parquet at all');
    await expect(staging(sourceConfig(path), duckdb)).rejects.toThrow(/Cannot read '.*broken\.parquet' as Parquet/);
  });
});

describe('DuckDB file', () => {
  let path: string;
  beforeAll(async () => {
    path = join(tmp.dir, 'warehouse.duckdb');
    const instance = await DuckDBInstance.create(path);
    const source = await instance.connect();
    await source.run(`
      CREATE TABLE customers (id INTEGER PRIMARY KEY, "Full Name" VARCHAR, since DATE, balance DECIMAL(12,2));
      INSERT INTO customers VALUES (1, 'Ada', DATE '2020-01-01', 10.50), (2, 'Grace', NULL, -3.25);
      CREATE TABLE "odd ""name""; drop" (x INTEGER);
      INSERT INTO "odd ""name""; drop" VALUES (1), (2), (3);
      CREATE SCHEMA sales;
      CREATE TABLE sales.orders (id BIGINT, customer_id INTEGER, total DOUBLE, placed TIMESTAMPTZ);
      INSERT INTO sales.orders VALUES (10, 1, 99.5, TIMESTAMPTZ '2024-05-01 12:00:00+00');
    `);
    source.closeSync();
    instance.closeSync();
  });

  it('copies every table with its types (strong); schemas other than main are prefixed', async () => {
    const result = await staging(sourceConfig(path), duckdb);
    expect(result.tables.map((t) => [t.name, t.originalName, t.rowCount, t.strength])).toEqual([
      ['customers', 'customers', 2, 'strong'],
      ['odd_name_drop', 'odd "name"; drop', 3, 'strong'],
      ['sales_orders', 'sales.orders', 1, 'strong'],
    ]);
    expect(result.tables[0].columns.map((c) => [c.name, c.originalName, c.rawType])).toEqual([
      ['id', 'id', 'INTEGER'],
      ['full_name', 'Full Name', 'VARCHAR'],
      ['since', 'since', 'DATE'],
      ['balance', 'balance', 'DECIMAL(12,2)'],
    ]);
    expect(result.tables[2].columns.map((c) => c.rawType)).toEqual(['BIGINT', 'INTEGER', 'DOUBLE', 'TIMESTAMP WITH TIME ZONE']);
    expect(await rows(duckdb, 'raw_customers', 'id')).toEqual([
      { id: 1, full_name: 'Ada', since: '2020-01-01', balance: '10.50' },
      { id: 2, full_name: 'Grace', since: null, balance: '-3.25' },
    ]);
    // the source is detached again
    const attached = (await duckdb.runAndReadAll(`SELECT database_name FROM duckdb_databases() WHERE NOT internal`)).getRowObjectsJson();
    expect(attached).toEqual([{ database_name: 'memory' }]);
  });

  it('honours schema and tables, and names a missing table with close matches', async () => {
    const only = await staging(sourceConfig({ source_type: 'duckdb', path, schema: 'sales', tables: ['orders'] }), duckdb);
    expect(only.tables.map((t) => t.name)).toEqual(['orders']);
    const failure = await staging(sourceConfig({ source_type: 'duckdb', path, tables: ['customer', 'nope'] }), duckdb).catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(StagingError);
    expect((failure as StagingError).code).toBe('TABLE_NOT_FOUND');
    expect((failure as Error).message).toMatch(/Tables 'customer' \(did you mean 'customers'\?\), 'nope' not found in DuckDB file/);
  });

  it('skips a view that names a dropped table, with a warning, unless tables names it', async () => {
    const broken = join(tmp.dir, 'broken-view.duckdb');
    const instance = await DuckDBInstance.create(broken);
    const source = await instance.connect();
    await source.run(`
      CREATE TABLE kept AS SELECT 1 AS x UNION ALL SELECT 2;
      CREATE TABLE gone AS SELECT 2 AS y;
      CREATE VIEW v_broken AS SELECT y FROM gone;
      CREATE VIEW v_fine AS SELECT x FROM kept;
      DROP TABLE gone;
    `);
    source.closeSync();
    instance.closeSync();
    const result = await staging(sourceConfig(broken), duckdb);
    expect(result.tables.map((t) => [t.originalName, t.rowCount])).toEqual([
      ['kept', 2],
      ['v_fine', 2],
    ]);
    expect(result.warnings).toEqual([
      `Skipped view 'v_broken' of DuckDB file '${broken}': it cannot be read (Catalog Error: Table with name gone does not exist!). Fix or drop the view, or list the tables to stage under tables: in the source config.`,
    ]);
    const named = await staging(sourceConfig({ source_type: 'duckdb', path: broken, tables: ['v_broken'] }), duckdb).catch((e: unknown) => e);
    expect(named).toBeInstanceOf(StagingError);
    expect(named).toMatchObject({ code: 'UNREADABLE_SOURCE', message: expect.stringMatching(/^View 'v_broken' of DuckDB file '.*broken-view\.duckdb' cannot be read: Catalog Error: Table with name gone does not exist!\. Fix the view, or leave it out of tables: in the source config\.$/) });
    // the source is detached again, after the failure too
    const attached = (await duckdb.runAndReadAll(`SELECT database_name FROM duckdb_databases() WHERE NOT internal`)).getRowObjectsJson();
    expect(attached).toEqual([{ database_name: 'memory' }]);
  });

  it('a .db file is recognised as DuckDB or SQLite by its first bytes', async () => {
    const folder = join(tmp.dir, 'dbs');
    mkdirSync(folder);
    copyFileSync(path, join(folder, 'duck.db'));
    const lite = new Database(join(folder, 'lite.db'));
    lite.exec(`CREATE TABLE notes (t TEXT); INSERT INTO notes VALUES ('x')`);
    lite.close();
    expect(sourceConfig(join(folder, 'duck.db')).source_type).toBe('duckdb');
    expect(sourceConfig(join(folder, 'lite.db')).source_type).toBe('sqlite');
    const result = await staging(sourceConfig(folder), duckdb);
    expect(result.tables.map((t) => [t.name, t.strength, t.rowCount])).toEqual([
      ['customers', 'strong', 2],
      ['odd_name_drop', 'strong', 3],
      ['sales_orders', 'strong', 1],
      ['notes', 'weak', 1],
    ]);
  });
});
