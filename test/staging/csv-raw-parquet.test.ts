/**
 * Where a CSV's raw rows live: a Parquet file next to a file-backed database (`<db>.raw/`), with
 * `raw_<name>` a view over it. Re-staging swaps the file; the data survives reopening the database;
 * row numbers (failed examples, quarantine) are the file's data rows.
 */
import { existsSync, readdirSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDuckDB, queryRows, type DuckDBConnection } from '../../nodes/duckdb.ts';
import { profiling } from '../../nodes/profiling/profiling.ts';
import { parseSourceConfig } from '../../nodes/staging/source-config.ts';
import { staging } from '../../nodes/staging/staging.ts';
import { autoTypeDecisions } from '../../nodes/typing/decisions.ts';
import { typeCandidates } from '../../nodes/typing/inference.ts';
import { typeResolution } from '../../nodes/typing/resolution.ts';
import { countOf, tempDir } from './helpers.ts';

describe('raw Parquet files behind CSV sources', () => {
  const { dir, cleanup } = tempDir('dataraum-raw-parquet-');
  const dbPath = join(dir, 'work.duckdb');
  const rawDir = join(dir, 'work.raw');
  let duckdb: DuckDBConnection;

  beforeAll(async () => {
    duckdb = await openDuckDB(dbPath);
  });
  afterAll(() => {
    duckdb.closeSync();
    cleanup();
  });

  const parquetFiles = () => readdirSync(rawDir).filter((f) => f.endsWith('.parquet'));

  it('stages into <db>.raw/ and makes raw_<name> a view over the file', async () => {
    const csv = join(dir, 'orders.csv');
    writeFileSync(csv, 'id,amount\n1,10\n2,20\n3,30\n');
    const result = await staging(parseSourceConfig({ source_type: 'csv', path: csv }), duckdb);
    const [table] = result.tables;
    expect(table.rawFile).toBeDefined();
    expect(table.rawFile!.startsWith(rawDir)).toBe(true);
    expect(parquetFiles()).toEqual([table.rawFile!.slice(rawDir.length + 1)]);
    const [kind] = await queryRows<{ table_type: string }>(duckdb, `SELECT table_type FROM information_schema.tables WHERE table_name = 'raw_orders'`);
    expect(kind.table_type).toBe('VIEW');
    expect(await queryRows(duckdb, 'SELECT * FROM raw_orders')).toEqual([
      { id: '1', amount: '10' }, { id: '2', amount: '20' }, { id: '3', amount: '30' },
    ]);
  });

  it('re-staging writes a new file, swaps the view and deletes the old file', async () => {
    const csv = join(dir, 'orders.csv');
    const before = parquetFiles();
    writeFileSync(csv, 'id,amount\n1,10\n2,20\n3,30\n4,40\n');
    const result = await staging(parseSourceConfig({ source_type: 'csv', path: csv }), duckdb);
    expect(await countOf(duckdb, 'raw_orders')).toBe(4);
    expect(parquetFiles()).toHaveLength(1);
    expect(parquetFiles()).not.toEqual(before);
    expect(existsSync(result.tables[0].rawFile!)).toBe(true);
  });

  it('a staged table that was a DuckDB table before becomes the view (and back: a view is dropped as a view)', async () => {
    await duckdb.run('CREATE TABLE raw_legacy AS SELECT 1 AS x');
    const csv = join(dir, 'legacy.csv');
    writeFileSync(csv, 'y\na\nb\n');
    await staging(parseSourceConfig({ source_type: 'csv', path: csv }), duckdb);
    expect(await queryRows(duckdb, 'SELECT * FROM raw_legacy')).toEqual([{ y: 'a' }, { y: 'b' }]);
    const json = join(dir, 'legacy.json');
    writeFileSync(json, '[{"z": 1}]');
    await staging(parseSourceConfig({ source_type: 'json', path: json }), duckdb);
    expect(await queryRows(duckdb, 'SELECT * FROM raw_legacy')).toEqual([{ z: '1' }]);
  });

  it('deletes files an interrupted load left behind once they are an hour old, and only those', async () => {
    const stale = join(rawDir, 'deadbeefdeadbeef.parquet');
    const fresh = join(rawDir, 'feedfacefeedface.parquet');
    writeFileSync(stale, 'partial');
    writeFileSync(fresh, 'still being written');
    const twoHoursAgo = new Date(Date.now() - 2 * 3600_000);
    utimesSync(stale, twoHoursAgo, twoHoursAgo);
    const live = parquetFiles().filter((f) => !f.startsWith('deadbeef') && !f.startsWith('feedface'));
    for (const f of live) utimesSync(join(rawDir, f), twoHoursAgo, twoHoursAgo);
    const csv = join(dir, 'other.csv');
    writeFileSync(csv, 'a\n1\n');
    await staging(parseSourceConfig({ source_type: 'csv', path: csv }), duckdb);
    expect(existsSync(stale)).toBe(false);
    expect(existsSync(fresh)).toBe(true);
    for (const f of live) expect(existsSync(join(rawDir, f))).toBe(true);
    expect(await countOf(duckdb, 'raw_orders')).toBe(4);
  });

  it('says to re-stage when a raw file has gone missing', async () => {
    const csv = join(dir, 'vanishing.csv');
    writeFileSync(csv, 'a,b\n1,x\n2,y\n');
    const staged = await staging(parseSourceConfig({ source_type: 'csv', path: csv }), duckdb);
    rmSync(staged.tables[0].rawFile!);
    await expect(profiling(staged, duckdb)).rejects.toThrow(/raw_vanishing[\s\S]*Parquet file[\s\S]*re-stage the source/);
    await expect(typeCandidates(staged, duckdb)).rejects.toThrow(/^typeCandidates: [\s\S]*raw_vanishing[\s\S]*re-stage the source/);
  });

  it('survives closing and reopening the database', async () => {
    duckdb.closeSync();
    duckdb = await openDuckDB(dbPath);
    expect(await countOf(duckdb, 'raw_orders')).toBe(4);
  });

  it("reports the file's data row numbers for failed values and quarantined rows", async () => {
    const csv = join(dir, 'mostly_numbers.csv');
    const lines = ['n'];
    for (let i = 1; i <= 400; i++) lines.push(i === 257 ? 'oops' : String(i));
    writeFileSync(csv, `${lines.join('\n')}\n`);
    const staged = await staging(parseSourceConfig({ source_type: 'csv', path: csv }), duckdb);
    const candidates = await typeCandidates(staged, duckdb);
    const best = candidates.tables.mostly_numbers.columns.n.best;
    expect(best.type).toMatch(/INT/);
    expect(best.failedExamples).toEqual([{ row: 257, value: 'oops' }]);
    const auto = autoTypeDecisions(candidates, staged);
    const decisions = { decisions: [...auto.decided, ...auto.uncertain.map((u) => u.suggestion)] };
    const resolved = await typeResolution(staged, decisions, duckdb);
    expect(resolved.tables.mostly_numbers.quarantinedRowCount).toBe(1);
    expect(await queryRows(duckdb, 'SELECT _row_number, n FROM quarantine_mostly_numbers')).toEqual([{ _row_number: '257', n: 'oops' }]);
    expect(await countOf(duckdb, 'typed_mostly_numbers')).toBe(399);
  });
});
