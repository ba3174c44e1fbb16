/** SQLite through better-sqlite3 -> DuckDB appender, everything as VARCHAR text (weak types). */
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DuckDBConnection } from '../../nodes/duckdb.ts';
import { StagingError } from '../../nodes/staging/errors.ts';
import { parseSourceConfig } from '../../nodes/staging/source-config.ts';
import { sourceSnapshot } from '../../nodes/staging/source-snapshot.ts';
import { _stageSource, sourceConfig, staging } from '../../nodes/staging/staging.ts';
import { countOf, memoryDuckDB, rows, tableCount, tempDir } from './helpers.ts';

let duckdb: DuckDBConnection;
const tmp = tempDir();
const path = join(tmp.dir, 'app.sqlite');

beforeAll(async () => {
  duckdb = await memoryDuckDB();
  const db = new Database(path);
  db.exec(`
    CREATE TABLE mixed (id INTEGER PRIMARY KEY, v, note TEXT);
    CREATE TABLE "we""ird table; --" ("a b" TEXT, "select" INTEGER, "" TEXT);
    CREATE TABLE numbers (n INTEGER, half REAL);
    CREATE VIEW even_numbers AS SELECT n FROM numbers WHERE n % 2 = 0;
  `);
  const insert = db.prepare('INSERT INTO mixed (id, v, note) VALUES (?, ?, ?)');
  insert.run(1, 42, 'integer');
  insert.run(2, 2.5, 'real');
  insert.run(3, 'text', 'text');
  insert.run(4, null, null);
  insert.run(5, Buffer.from([0x00, 0xff, 0x10]), 'blob');
  insert.run(6, 9007199254740993n, 'beyond 2^53');
  db.prepare(`INSERT INTO "we""ird table; --" VALUES (?, ?, ?)`).run('x', 1, 'empty-named column');
  const number = db.prepare('INSERT INTO numbers VALUES (?, ?)');
  db.transaction(() => {
    for (let n = 0; n < 1000; n++) number.run(n, n / 2);
  })();
  db.close();
});
afterAll(() => {
  duckdb.closeSync();
  tmp.cleanup();
});

describe('SQLite', () => {
  it('stages every table and view as VARCHAR text, values exact', async () => {
    const result = await staging(sourceConfig(path), duckdb);
    expect(result).toMatchObject({ sourceName: 'app', sourceType: 'sqlite' });
    expect(result.tables.map((t) => [t.name, t.originalName, t.rowCount, t.strength])).toEqual([
      ['even_numbers', 'even_numbers', 500, 'weak'],
      ['mixed', 'mixed', 6, 'weak'],
      ['numbers', 'numbers', 1000, 'weak'],
      ['we_ird_table', 'we"ird table; --', 1, 'weak'],
    ]);
    for (const t of result.tables) expect(t.columns.every((c) => c.rawType === 'VARCHAR')).toBe(true);
    expect(await rows(duckdb, 'raw_mixed', 'note')).toEqual([
      { id: '6', v: '9007199254740993', note: 'beyond 2^53' },
      { id: '5', v: '\\x00ff10', note: 'blob' },
      { id: '1', v: '42', note: 'integer' },
      { id: '2', v: '2.5', note: 'real' },
      { id: '3', v: 'text', note: 'text' },
      { id: '4', v: null, note: null },
    ]);
    expect(result.warnings).toEqual([expect.stringContaining("Table 'mixed'")]);
    const weird = result.tables[3];
    expect(weird.columns.map((c) => [c.name, c.originalName])).toEqual([
      ['a_b', 'a b'],
      ['select_', 'select'],
      ['column_3', ''],
    ]);
    expect(await rows(duckdb, 'raw_we_ird_table')).toEqual([{ a_b: 'x', select_: '1', column_3: 'empty-named column' }]);
  });

  it('records how SQLite stored each column\'s values, which the staged text no longer shows', async () => {
    const result = await staging(sourceConfig(path), duckdb);
    const classes = (table: string) => Object.fromEntries(result.tables.find((t) => t.name === table)!.columns.map((c) => [c.name, c.storageClasses]));
    expect(classes('mixed')).toEqual({ id: ['integer'], v: ['blob', 'integer', 'real', 'text'], note: ['text'] });
    // REAL affinity stores 0, 1, 2 as floats too: the column is all REAL although its text reads '0', '1'.
    expect(classes('numbers')).toEqual({ n: ['integer'], half: ['real'] });
  });

  it('streams in batches (bounded memory) and re-staging replaces', async () => {
    const config = parseSourceConfig({ source_type: 'sqlite', path, tables: ['numbers'] });
    const first = await _stageSource(config, duckdb, { batchSize: 7 });
    expect(first.tables.map((t) => t.rowCount)).toEqual([1000]);
    const before = await tableCount(duckdb, '%');
    const progress: [string, number][] = [];
    const again = await _stageSource(config, duckdb, { batchSize: 333, onRows: (table, n) => progress.push([table, n]) });
    expect(again).toEqual(first);
    // Appended and reported batch by batch.
    expect(progress).toEqual([['numbers', 333], ['numbers', 666], ['numbers', 999], ['numbers', 1000]]);
    expect(await countOf(duckdb, 'raw_numbers')).toBe(1000);
    expect(await tableCount(duckdb, '%')).toBe(before);
    const [{ half }] = (await duckdb.runAndReadAll(`SELECT half FROM raw_numbers WHERE n = '999'`)).getRowObjectsJson() as { half: string }[];
    expect(half).toBe('499.5');
  });

  it('skips a view that names a dropped table, with a warning, unless tables names it', async () => {
    const broken = join(tmp.dir, 'broken-view.sqlite');
    const db = new Database(broken);
    db.exec(`
      CREATE TABLE kept (x INTEGER); INSERT INTO kept VALUES (1), (2);
      CREATE TABLE gone (y INTEGER);
      CREATE VIEW v_broken AS SELECT y FROM gone;
      CREATE VIEW v_fine AS SELECT x FROM kept;
      DROP TABLE gone;
    `);
    db.close();
    const result = await staging(sourceConfig(broken), duckdb);
    expect(result.tables.map((t) => [t.originalName, t.rowCount])).toEqual([
      ['kept', 2],
      ['v_fine', 2],
    ]);
    expect(result.warnings).toEqual([
      `Skipped view 'v_broken' of SQLite file '${broken}': it cannot be read (no such table: main.gone). Fix or drop the view, or list the tables to stage under tables: in the source config.`,
    ]);
    const named = await staging(sourceConfig({ source_type: 'sqlite', path: broken, tables: ['kept', 'v_broken'] }), duckdb).catch((e: unknown) => e);
    expect(named).toBeInstanceOf(StagingError);
    expect(named).toMatchObject({
      code: 'UNREADABLE_SOURCE',
      message: `View 'v_broken' of SQLite file '${broken}' cannot be read: no such table: main.gone. Fix the view, or leave it out of tables: in the source config.`,
    });
  });

  it('names missing tables and unreadable files', async () => {
    await expect(staging(sourceConfig({ source_type: 'sqlite', path, tables: ['numbrs'] }), duckdb)).rejects.toThrow(
      /Table 'numbrs' \(did you mean 'numbers'\?\) not found in SQLite file/,
    );
    const notSqlite = join(tmp.dir, 'not.sqlite');
    (await import('node:fs')).writeFileSync(notSqlite, 'plain text, not a database'.repeat(100));
    const failure = await staging(sourceConfig(notSqlite), duckdb).catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(StagingError);
    expect(failure).toMatchObject({ code: 'UNREADABLE_SOURCE', message: expect.stringContaining(`Cannot open '${notSqlite}' as a SQLite database`) });
  });
});

describe('a SQLite file in WAL mode with a writer that keeps it open', () => {
  it('is a new source version after each commit (the change sits in the -wal file)', async () => {
    const walPath = join(tmp.dir, 'live.sqlite');
    const writer = new Database(walPath);
    try {
      writer.pragma('journal_mode = WAL');
      writer.exec('CREATE TABLE t (n INTEGER)');
      const insert = writer.prepare('INSERT INTO t VALUES (?)');
      writer.transaction(() => { for (let n = 0; n < 100; n++) insert.run(n); })();
      const config = parseSourceConfig({ source_type: 'sqlite', path: walPath });
      const before = await sourceSnapshot(config, duckdb);
      const mainBefore = before.files.find((f) => f.path === walPath);
      writer.exec('DELETE FROM t WHERE n >= 50');
      const after = await sourceSnapshot(config, duckdb);
      // The main file did not move; the snapshot did, through the log.
      expect(after.files.find((f) => f.path === walPath)).toEqual(mainBefore);
      expect(after.files.map((f) => f.path)).toContain(`${walPath}-wal`);
      expect(after).not.toEqual(before);
      expect(await countOf(duckdb, (await staging(config, duckdb)).tables[0].rawTable)).toBe(50);
    } finally {
      writer.close();
    }
  });
});
