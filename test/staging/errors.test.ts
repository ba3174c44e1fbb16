/** The errors staging gives people: what failed, where, and what to do. */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { DuckDBConnection } from '../../nodes/duckdb.ts';
import { SourceConfigError, StagingError, type StagingErrorCode } from '../../nodes/staging/errors.ts';
import { getLoader } from '../../nodes/staging/loaders/registry.ts';
import { parseSourceConfig } from '../../nodes/staging/source-config.ts';
import { sourceConfig, staging } from '../../nodes/staging/staging.ts';
import { stagingFixture, tableCount } from './helpers.ts';

let duckdb: DuckDBConnection;
const tmp = stagingFixture((c) => (duckdb = c));

async function failure(source: unknown): Promise<StagingError> {
  let error: unknown;
  try {
    await staging(sourceConfig(source), duckdb);
  } catch (e) {
    error = e;
  }
  expect(error).toBeInstanceOf(StagingError);
  return error as StagingError;
}

function expectCode(error: StagingError, code: StagingErrorCode, message: RegExp): void {
  expect(error.code).toBe(code);
  expect(error.message).toMatch(message);
}

describe('staging errors', () => {
  it('missing file, folder or glob', async () => {
    const missing = join(tmp.dir, 'missing.csv');
    expectCode(await failure({ source_type: 'csv', path: missing }), 'SOURCE_NOT_FOUND', new RegExp(`File '${missing}' does not exist\\. Check the path`));
    expectCode(await failure({ source_type: 'folder', path: join(tmp.dir, 'nope') }), 'SOURCE_NOT_FOUND', /Folder '.*nope' does not exist/);
    expectCode(await failure({ source_type: 'csv', file_pattern: join(tmp.dir, 'none-*.csv') }), 'SOURCE_NOT_FOUND', /No files match the pattern '.*none-\*\.csv'/);
    expectCode(await failure(missing), 'SOURCE_NOT_FOUND', /Cannot stage '.*missing\.csv': no such file or folder/);
  });

  it('empty file, and a glob of only empty files', async () => {
    const empty = join(tmp.dir, 'empty.csv');
    writeFileSync(empty, '');
    expectCode(await failure(empty), 'EMPTY_SOURCE', /File '.*empty\.csv' is empty \(0 bytes\): nothing to stage/);
    writeFileSync(join(tmp.dir, 'blank-1.json'), '');
    expectCode(await failure({ source_type: 'json', file_pattern: join(tmp.dir, 'blank-*.json') }), 'EMPTY_SOURCE', /are empty: nothing to stage/);
  });

  it('a header-only CSV is not an error: zero rows, its columns known', async () => {
    const path = join(tmp.dir, 'header-only.csv');
    writeFileSync(path, 'id,name\n');
    const [table] = (await staging(sourceConfig(path), duckdb)).tables;
    expect(table).toMatchObject({ rowCount: 0, rejectCount: 0 });
    expect(table.columns.map((c) => c.name)).toEqual(['id', 'name']);
  });

  it('unreadable: a folder where a file is expected, a file of the wrong format', async () => {
    const folder = join(tmp.dir, 'looks-like.parquet');
    mkdirSync(folder);
    expectCode(await failure({ source_type: 'parquet', file_pattern: join(tmp.dir, 'looks-like.parquet', '*.parquet') }), 'SOURCE_NOT_FOUND', /No files match/);
    expectCode(await failure({ source_type: 'duckdb', path: folder }), 'SOURCE_NOT_FOUND', /Folder '.*looks-like\.parquet' holds no duckdb file to stage/);
    const notDuck = join(tmp.dir, 'fake.duckdb');
    writeFileSync(notDuck, 'definitely not a duckdb file '.repeat(200));
    expectCode(await failure(notDuck), 'UNREADABLE_SOURCE', /Cannot open '.*fake\.duckdb' as a DuckDB database/);
    const notJson = join(tmp.dir, 'fake.json');
    writeFileSync(notJson, 'id,name\n1,a\n');
    expectCode(await failure(notJson), 'UNREADABLE_SOURCE', /Cannot read '.*fake\.json' as JSON/);
  });

  it('unknown type', async () => {
    expect(() => getLoader('xlsx')).toThrow(/No loader for source type 'xlsx'. Known types: csv, tsv, json, ndjson, parquet, duckdb, sqlite, postgres/);
    const docx = join(tmp.dir, 'report.docx');
    writeFileSync(docx, 'x');
    expect(() => sourceConfig(docx)).toThrow(/Cannot tell the type of '.*report\.docx' from its extension/);
    expect(() => sourceConfig({ source_type: 'excel', path: docx })).toThrow(SourceConfigError);
  });

  it('bad connection string: a config error that never shows the string', () => {
    const attempt = () => parseSourceConfig({ source_type: 'postgres', connection_string: 'mysql://root:topsecret@db/shop' });
    expect(attempt).toThrow(/connection_string: is not a PostgreSQL URL/);
    try {
      attempt();
    } catch (error) {
      expect((error as Error).message).not.toContain('topsecret');
    }
  });

  it('a failed load leaves no scratch tables behind', async () => {
    expect(await tableCount(duckdb, '__dataraum_%')).toBe(0);
  });
});
