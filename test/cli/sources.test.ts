/**
 * `dataraum run` with several sources in one home: a table name one source has is never replaced by
 * another's (the later source's table gets its name in front), two files of the same name in
 * different folders are two sources, a table that left its source is dropped everywhere, and the
 * source's own names of tables and columns are kept in the metadata (SQLite and PostgreSQL).
 */
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { queryRows } from '../../nodes/duckdb.ts';
import { openStore, type StoreDialect } from '../../store/index.ts';
import { createTarget, type TestStoreTarget } from '../store/helpers.ts';
import { cli, type CliEnv, type CliRun } from './helpers.ts';

/** One CLI ingest is a few seconds; a busy shared machine can triple that. */
const TIMEOUT = 300_000;

let work: string;
const homes: string[] = [];

beforeAll(() => {
  work = mkdtempSync(path.join(tmpdir(), 'dataraum-sources-'));
});

afterAll(() => {
  for (const h of homes) rmSync(h, { recursive: true, force: true });
  if (work) rmSync(work, { recursive: true, force: true });
});

function freshHome(): string {
  const home = mkdtempSync(path.join(tmpdir(), 'dataraum-sources-home-'));
  homes.push(home);
  return home;
}

/** `dir/name` holding `rows` orders, created with its folder. */
function writeOrders(dir: string, rows: number, name = 'orders.csv'): string {
  mkdirSync(dir, { recursive: true });
  const lines = ['order_id,amount,ordered_on'];
  for (let i = 1; i <= rows; i++) lines.push(`${i},${(i * 7.25).toFixed(2)},2024-01-${String((i % 28) + 1).padStart(2, '0')}`);
  const file = path.join(dir, name);
  writeFileSync(file, `${lines.join('\n')}\n`);
  return file;
}

async function run(env: CliEnv, args: readonly string[]): Promise<CliRun> {
  const r = await cli(env, ['run', ...args, '--no-progress']);
  expect(r.code, `dataraum run ${args.join(' ')}\nstdout: ${r.stdout}\nstderr: ${r.stderr}`).toBe(0);
  return r;
}

/**
 * Row counts of these DuckDB tables (null for one that does not exist). The instance is closed
 * afterwards: its file lock would keep the next `dataraum run` out.
 */
async function duckCounts(home: string, tables: readonly string[]): Promise<Record<string, number | null>> {
  const instance = await DuckDBInstance.create(path.join(home, 'data.duckdb'), { access_mode: 'READ_ONLY' });
  const duckdb = await instance.connect();
  try {
    const existing = new Set((await queryRows<{ name: string }>(duckdb, `SELECT table_name AS name FROM information_schema.tables WHERE table_schema = 'main'`)).map((r) => r.name));
    const out: Record<string, number | null> = {};
    for (const t of tables) {
      out[t] = existing.has(t) ? Number((await queryRows<{ n: string }>(duckdb, `SELECT count(*) AS n FROM "${t.replaceAll('"', '""')}"`))[0].n) : null;
    }
    return out;
  } finally {
    duckdb.closeSync();
    instance.closeSync();
  }
}

/** Every `source|table|layer|rows|original name` the metadata store holds, sorted. */
async function catalog(env: CliEnv): Promise<string[]> {
  const store = await openStore(env.databaseUrl ? { url: env.databaseUrl } : { sqlitePath: path.join(env.home, 'metadata.sqlite') });
  try {
    const rows = await store.db.selectFrom('tables').innerJoin('sources', 'sources.sourceId', 'tables.sourceId')
      .select(['sources.name as source', 'tables.tableName', 'tables.layer', 'tables.rowCount', 'tables.originalName']).execute();
    return rows.map((r) => `${r.source}|${r.tableName}|${r.layer}|${r.rowCount}|${r.originalName}`).sort();
  } finally {
    await store.close();
  }
}

/** Original names of the columns of `source.table` in `layer`, by column name. */
async function columnOriginals(env: CliEnv, source: string, table: string, layer: 'raw' | 'typed'): Promise<Record<string, string | null>> {
  const store = await openStore(env.databaseUrl ? { url: env.databaseUrl } : { sqlitePath: path.join(env.home, 'metadata.sqlite') });
  try {
    const rows = await store.db.selectFrom('columns').innerJoin('tables', 'tables.tableId', 'columns.tableId').innerJoin('sources', 'sources.sourceId', 'tables.sourceId')
      .select(['columns.columnName', 'columns.originalName'])
      .where('sources.name', '=', source).where('tables.tableName', '=', table).where('tables.layer', '=', layer).execute();
    return Object.fromEntries(rows.map((r) => [r.columnName, r.originalName]));
  } finally {
    await store.close();
  }
}

describe('sources sharing a home', () => {
  it('never replaces another source\'s tables: the later source\'s table gets its name in front', async () => {
    const env = { home: freshHome() };
    const data = path.join(work, 'clash', 'data');
    writeOrders(data, 300);
    const other = writeOrders(path.join(work, 'clash', 'other'), 2);

    await run(env, [data]);
    const second = await run(env, [other]);
    expect(second.stdout).toMatch(/warning: Table name 'orders' belongs to source 'data', so 'orders' of source 'orders' is staged as 'orders_orders' \(raw_orders_orders, typed_orders_orders, quarantine_orders_orders\); the tables of 'data' are left as they are\. .*--name/);
    expect(await duckCounts(env.home, ['typed_orders', 'typed_orders_orders'])).toEqual({ typed_orders: 300, typed_orders_orders: 2 });
    expect(await catalog(env)).toEqual([
      'data|orders|quarantine|0|orders.csv', 'data|orders|raw|300|orders.csv', 'data|orders|typed|300|orders.csv',
      'orders|orders_orders|quarantine|0|orders.csv', 'orders|orders_orders|raw|2|orders.csv', 'orders|orders_orders|typed|2|orders.csv',
    ]);

    // Re-staging a source replaces its own tables, under the names it has.
    writeOrders(data, 250);
    const again = await run(env, [data]);
    expect(again.stdout).not.toMatch(/belongs to source/);
    writeOrders(path.dirname(other), 5);
    const otherAgain = await run(env, [other]);
    expect(otherAgain.stdout).toMatch(/staged as 'orders_orders'/);
    expect(await duckCounts(env.home, ['typed_orders', 'typed_orders_orders'])).toEqual({ typed_orders: 250, typed_orders_orders: 5 });
    expect((await catalog(env)).filter((r) => r.includes('|typed|'))).toEqual(['data|orders|typed|250|orders.csv', 'orders|orders_orders|typed|5|orders.csv']);
  }, TIMEOUT);

  it('tells two files of the same name apart by their path', async () => {
    const env = { home: freshHome() };
    const first = writeOrders(path.join(work, 'paths', 'a'), 4);
    const second = writeOrders(path.join(work, 'paths', 'b'), 6);

    await run(env, [first]);
    const b = await run(env, [second]);
    expect(b.stderr).toContain(`note: Source name 'orders' is already used by ${first}; ${second} is a different source, registered as 'b_orders'.`);
    // The same path again is the same source: no new name, no note.
    const bAgain = await run(env, [second]);
    expect(bAgain.stderr).not.toMatch(/note:/);
    const shop = await run(env, [path.join(work, 'paths', 'a', 'orders.csv'), '--name', 'shop']);
    expect(shop.stdout).toMatch(/staged as 'shop_orders'/);

    expect(await duckCounts(env.home, ['typed_orders', 'typed_b_orders', 'typed_shop_orders'])).toEqual({ typed_orders: 4, typed_b_orders: 6, typed_shop_orders: 4 });
    expect((await catalog(env)).filter((r) => r.includes('|raw|'))).toEqual(['b_orders|b_orders|raw|6|orders.csv', 'orders|orders|raw|4|orders.csv', 'shop|shop_orders|raw|4|orders.csv']);
  }, TIMEOUT);
});

describe.each<StoreDialect>(['sqlite', 'postgres'])('a folder source on %s', (dialect) => {
  let target: TestStoreTarget | undefined;
  let env: CliEnv;
  let folder: string;

  beforeAll(async () => {
    if (dialect === 'postgres') target = await createTarget('postgres');
    env = { home: freshHome(), ...(target ? { databaseUrl: (target.options as { url: string }).url } : {}) };
    folder = path.join(work, `shop-${dialect}`);
    writeOrders(folder, 3, 'one.csv');
    writeOrders(folder, 4, 'two.csv');
    writeFileSync(path.join(folder, 'Sales Report (2024).csv'), 'Order ID,Total €,Région\n1,1234.50,Île-de-France\n2,99.00,Bretagne\n');
    const db = new Database(path.join(folder, 'app.sqlite'));
    db.exec('CREATE TABLE "weird name" ("First Name" TEXT, "Age (years)" INTEGER); INSERT INTO "weird name" VALUES (\'Ana\', 41), (\'Bo\', 7);');
    db.close();
  });

  afterAll(async () => {
    await target?.destroy();
  });

  it('keeps the source\'s names of tables and columns, in every layer', async () => {
    await run(env, [folder]);
    const source = path.basename(folder).replaceAll('-', '_');
    const tables = await catalog(env);
    for (const layer of ['raw', 'typed', 'quarantine']) {
      expect(tables).toContainEqual(expect.stringMatching(new RegExp(`^${source}\\|sales_report_2024\\|${layer}\\|\\d+\\|Sales Report \\(2024\\)\\.csv$`)));
      expect(tables).toContainEqual(expect.stringMatching(new RegExp(`^${source}\\|weird_name\\|${layer}\\|\\d+\\|weird name$`)));
      expect(tables).toContainEqual(expect.stringMatching(new RegExp(`^${source}\\|one\\|${layer}\\|\\d+\\|one\\.csv$`)));
    }
    const sales = { order_id: 'Order ID', total_eur: 'Total €', region: 'Région' };
    expect(await columnOriginals(env, source, 'sales_report_2024', 'raw')).toEqual(sales);
    expect(await columnOriginals(env, source, 'sales_report_2024', 'typed')).toEqual(sales);
    expect(await columnOriginals(env, source, 'weird_name', 'typed')).toEqual({ first_name: 'First Name', age_years: 'Age (years)' });
  }, TIMEOUT);

  it('refuses a file emptied since its table was staged (a truncated export), changing nothing', async () => {
    for (const [file, table] of [['two.csv', 'two'], ['app.sqlite', 'weird_name']] as const) {
      const layers = [`raw_${table}`, `typed_${table}`, `quarantine_${table}`];
      const before = await duckCounts(env.home, layers);
      const emptied = path.join(folder, file);
      const content = readFileSync(emptied);
      writeFileSync(emptied, '');
      try {
        const r = await cli(env, ['run', folder, '--no-progress']);
        expect(r.code, file).toBe(1);
        expect(r.stderr).toContain(`'${emptied}' is empty (0 bytes), and source '${path.basename(folder).replaceAll('-', '_')}' had table(s) `);
        // The SQLite file's tables are named from inside it: they count as unaccounted for too.
        expect(r.stderr).toMatch(new RegExp(`had table\\(s\\) [^:]*\\b${table}\\b[^:]* that no other file accounts for: a truncated export\\? Nothing was staged or dropped\\.`));
        expect(await duckCounts(env.home, layers)).toEqual(before);
      } finally {
        writeFileSync(emptied, content);
      }
    }
  }, TIMEOUT);

  it('drops a table whose file left the folder: every layer, in DuckDB and in the metadata', async () => {
    const source = path.basename(folder).replaceAll('-', '_');
    const layers = (t: string) => [`raw_${t}`, `raw_${t}__rejects`, `typed_${t}`, `quarantine_${t}`];
    expect(await duckCounts(env.home, layers('two'))).toEqual({ raw_two: 4, raw_two__rejects: 0, typed_two: 4, quarantine_two: 0 });

    rmSync(path.join(folder, 'two.csv'));
    const after = await run(env, [folder]);
    expect(after.stdout).toContain(`warning: Table 'two' is no longer in source '${source}' (its file or source table is gone): dropped raw_two, raw_two__rejects, typed_two, quarantine_two and its metadata.`);
    expect(await duckCounts(env.home, [...layers('two'), 'typed_one'])).toEqual({ raw_two: null, raw_two__rejects: null, typed_two: null, quarantine_two: null, typed_one: 3 });
    const tables = await catalog(env);
    expect(tables.filter((r) => r.split('|')[1] === 'two')).toEqual([]);
    expect(tables.filter((r) => r.split('|')[1] === 'one')).toHaveLength(3);
    // The raw Parquet file behind raw_two went with it: one file per CSV table left.
    expect(readdirSync(path.join(env.home, 'data.raw')).filter((f) => f.endsWith('.parquet'))).toHaveLength(2);
  }, TIMEOUT);
});

describe('files of one base name in a folder', () => {
  it('keep their table names when another joins or leaves: a table stays with its file', async () => {
    const env = { home: freshHome() };
    const folder = path.join(work, 'same-base');
    mkdirSync(folder, { recursive: true });
    writeFileSync(path.join(folder, 'orders.json'), JSON.stringify([{ id: 1, city: 'Oslo' }, { id: 2, city: 'Rome' }, { id: 3, city: 'Lima' }]));
    await run(env, [folder]);
    const typed = (rows: string[]) => rows.filter((r) => r.includes('|typed|'));
    expect(typed(await catalog(env))).toEqual(['same_base|orders|typed|3|orders.json']);

    // orders.csv sorts first and would have taken 'orders' (and the JSON file's type decisions).
    writeOrders(folder, 5);
    await run(env, [folder]);
    expect(typed(await catalog(env))).toEqual(['same_base|orders_2|typed|5|orders.csv', 'same_base|orders|typed|3|orders.json']);
    expect(await duckCounts(env.home, ['typed_orders', 'typed_orders_2'])).toEqual({ typed_orders: 3, typed_orders_2: 5 });

    rmSync(path.join(folder, 'orders.json'));
    const after = await run(env, [folder]);
    expect(after.stdout).toContain("warning: Table 'orders' is no longer in source 'same_base' (its file or source table is gone)");
    expect(typed(await catalog(env))).toEqual(['same_base|orders_2|typed|5|orders.csv']);
    expect(await duckCounts(env.home, ['typed_orders', 'typed_orders_2'])).toEqual({ typed_orders: null, typed_orders_2: 5 });
  }, TIMEOUT);
});

describe('a JSON file holding several arrays of records', () => {
  it('stages a table per array, keeps their names when a file of the same name joins, and accounts for them', async () => {
    const env = { home: freshHome() };
    const folder = path.join(work, 'graph');
    mkdirSync(folder, { recursive: true });
    writeFileSync(path.join(folder, 'graph.json'), JSON.stringify({ nodes: [{ id: 1, label: 'a' }, { id: 2, label: 'b' }], links: [{ source: 1, target: 2 }] }));
    const first = await run(env, [folder]);
    expect(first.stdout).toContain(`'graph.json' is one JSON object with 2 arrays of records, each staged as a table: "nodes" (2 record(s)) as 'graph_nodes', "links" (1 record(s)) as 'graph_links'.`);
    const typed = async () => (await catalog(env)).filter((r) => r.includes('|typed|'));
    expect(await typed()).toEqual(['graph|graph_links|typed|1|graph.json#/links', 'graph|graph_nodes|typed|2|graph.json#/nodes']);

    // graph-nodes.csv sorts first and would have taken 'graph_nodes' from the JSON file's array.
    writeFileSync(path.join(folder, 'graph-nodes.csv'), 'id,weight\n1,0.5\n2,0.25\n3,1\n');
    await run(env, [folder]);
    expect(await typed()).toEqual([
      'graph|graph_links|typed|1|graph.json#/links', 'graph|graph_nodes_2|typed|3|graph-nodes.csv', 'graph|graph_nodes|typed|2|graph.json#/nodes',
    ]);

    // An emptied CSV is a truncated export: refused, naming its table only (the arrays' tables are accounted for).
    writeFileSync(path.join(folder, 'graph-nodes.csv'), '');
    const refused = await cli(env, ['run', folder, '--no-progress']);
    expect(refused.code).not.toBe(0);
    expect(refused.stderr).toContain(`'${path.join(folder, 'graph-nodes.csv')}' is empty (0 bytes), and source 'graph' had table(s) graph_nodes_2 that no other file accounts for`);
    expect(await duckCounts(env.home, ['typed_graph_nodes', 'typed_graph_links', 'typed_graph_nodes_2'])).toEqual({ typed_graph_nodes: 2, typed_graph_links: 1, typed_graph_nodes_2: 3 });
  }, TIMEOUT);
});
