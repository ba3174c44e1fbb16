/**
 * Parquet files staged by their own schemas: a glob whose files disagree on a column's type warns,
 * naming the files and their types, and never changes a value silently (BIGINT next to DOUBLE, a
 * time without a zone next to one with it); a column keeps the file's own name.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { queryRows, quoteIdent, quoteLiteral, type DuckDBConnection } from '../../nodes/duckdb.ts';
import { sourceConfig, staging } from '../../nodes/staging/staging.ts';
import { rows, stagingFixture } from './helpers.ts';

let duckdb: DuckDBConnection;
const fx = stagingFixture((conn) => (duckdb = conn));

async function parquet(name: string, select: string): Promise<string> {
  const path = join(fx.dir, name);
  await duckdb.run(`COPY (${select}) TO ${quoteLiteral(path)} (FORMAT parquet)`);
  return path;
}

const glob = (pattern: string) => staging(sourceConfig({ source_type: 'parquet', file_pattern: join(fx.dir, pattern) }), duckdb);

describe('Parquet files that disagree on a column\'s type', () => {
  it('stage BIGINT next to DOUBLE as each file\'s exact text, with a warning naming files and types', async () => {
    const a = await parquet('orders-a.parquet', `SELECT 9007199254740993::BIGINT AS order_id, 1::INTEGER AS qty`);
    const b = await parquet('orders-b.parquet', `SELECT 1.5::DOUBLE AS order_id, 2::BIGINT AS qty`);
    const result = await glob('orders-*.parquet');
    const table = result.tables[0];
    // qty: INTEGER widens to BIGINT without loss, so it is DuckDB's to unify, without a word.
    expect(table.columns.map((c) => [c.name, c.rawType])).toEqual([['order_id', 'VARCHAR'], ['qty', 'BIGINT']]);
    expect(await rows(duckdb, table.rawTable, 'qty')).toEqual([{ order_id: '9007199254740993', qty: '1' }, { order_id: '1.5', qty: '2' }]);
    expect(result.warnings).toEqual([
      `Column 'order_id' of '${join(fx.dir, 'orders-*.parquet')}' has different types in its files: BIGINT in '${a}'; DOUBLE in '${b}'. ` +
        "One type for all would round some values (DuckDB's DOUBLE), so the column is staged as VARCHAR: each file's own values as exact text (a DOUBLE's shortest digits that read back as it).",
    ]);
  });

  it('read a time without a zone next to one with a zone as UTC, whatever the session\'s time zone', async () => {
    const a = await parquet('events-a.parquet', `SELECT TIMESTAMP '2024-01-01 12:00:00' AS ts, 1 AS id`);
    const b = await parquet('events-b.parquet', `SELECT TIMESTAMPTZ '2024-06-01 12:00:00+00' AS ts, 2 AS id`);
    for (const zone of ['America/New_York', 'Asia/Tokyo']) {
      await duckdb.run(`SET TimeZone = ${quoteLiteral(zone)}`);
      const result = await glob('events-*.parquet');
      const table = result.tables[0];
      expect(table.columns.map((c) => [c.name, c.rawType])).toEqual([['ts', 'TIMESTAMP WITH TIME ZONE'], ['id', 'INTEGER']]);
      expect(await queryRows(duckdb, `SELECT id, epoch(ts)::INTEGER AS seconds FROM ${quoteIdent(table.rawTable)} ORDER BY id`)).toEqual([
        { id: 1, seconds: 1704110400 }, // 2024-01-01 12:00:00 UTC
        { id: 2, seconds: 1717243200 }, // 2024-06-01 12:00:00 UTC
      ]);
      expect(result.warnings).toEqual([
        `Column 'ts' of '${join(fx.dir, 'events-*.parquet')}' has different types in its files: TIMESTAMP in '${a}'; TIMESTAMP WITH TIME ZONE in '${b}'. ` +
          "Staged as TIMESTAMP WITH TIME ZONE: the times without a zone are read as UTC, whatever this machine's time zone.",
      ]);
    }
    await duckdb.run(`RESET TimeZone`);
  });

  it('warn about any other difference, with the type they are staged as', async () => {
    const a = await parquet('codes-a.parquet', `SELECT 7::INTEGER AS code`);
    const b = await parquet('codes-b.parquet', `SELECT 'X7' AS code`);
    const result = await glob('codes-*.parquet');
    expect(result.tables[0].columns.map((c) => c.rawType)).toEqual(['VARCHAR']);
    expect(result.warnings).toEqual([
      `Column 'code' of '${join(fx.dir, 'codes-*.parquet')}' has different types in its files: INTEGER in '${a}'; VARCHAR in '${b}'. Staged as VARCHAR, the type DuckDB unifies them to.`,
    ]);
  });
});

describe('Parquet column names', () => {
  it('keep the file\'s own name when two differ only in case', async () => {
    // DuckDB cannot write two names that differ only in case: the second is patched in the footer
    // (same length, so the file stays valid).
    const path = await parquet('cased.parquet', `SELECT 1 AS "AAAA", 2 AS "QQQQ", {'x': 1, 'y': {'z': 2}} AS nested, 3 AS "Last One"`);
    const bytes = readFileSync(path);
    for (let i = bytes.indexOf('QQQQ'); i >= 0; i = bytes.indexOf('QQQQ', i + 1)) bytes.write('aaaa', i);
    writeFileSync(path, bytes);
    const table = (await staging(sourceConfig(path), duckdb)).tables[0];
    expect(table.columns.map((c) => [c.name, c.originalName])).toEqual([
      ['aaaa', 'AAAA'], ['aaaa_2', 'aaaa'], ['nested', 'nested'], ['last_one', 'Last One'],
    ]);
    expect(await rows(duckdb, table.rawTable)).toEqual([{ aaaa: 1, aaaa_2: 2, nested: { x: 1, y: { z: 2 } }, last_one: 3 }]);
  });
});
