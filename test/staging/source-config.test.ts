import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { SourceConfigError, StagingError } from '../../nodes/staging/errors.ts';
import { SourceConfigSchema, parseSourceConfig, sourceConfigFromPath } from '../../nodes/staging/source-config.ts';
import { VEGA, tempDir } from './helpers.ts';

function problemsOf(input: unknown): { path: string; message: string }[] {
  try {
    parseSourceConfig(input);
  } catch (error) {
    expect(error).toBeInstanceOf(SourceConfigError);
    return (error as SourceConfigError).problems.map((p) => ({ path: p.path.join('.'), message: p.message }));
  }
  throw new Error('expected the config to be rejected');
}

describe('parseSourceConfig', () => {
  it('derives the name from the file, folder, glob or database', () => {
    expect(parseSourceConfig({ source_type: 'csv', path: 'data/Airports.csv' }).name).toBe('airports');
    expect(parseSourceConfig({ source_type: 'folder', path: 'exports/2024 Q1/' }).name).toBe('s_2024_q1');
    expect(parseSourceConfig({ source_type: 'csv', file_pattern: 'data/sales/sales-*.csv' }).name).toBe('sales');
    expect(parseSourceConfig({ source_type: 'csv', file_pattern: 'data/orders/*.csv' }).name).toBe('orders');
    expect(parseSourceConfig({ source_type: 'postgres', connection_string: 'postgres://u:p@db:5432/shop' }).name).toBe('shop');
    expect(parseSourceConfig({ name: 'mine', source_type: 'csv', path: 'x.csv' }).name).toBe('mine');
  });

  it('returns a frozen config', () => {
    const config = parseSourceConfig({ source_type: 'sqlite', path: 'a.db', tables: ['t'] });
    expect(Object.isFrozen(config)).toBe(true);
    expect(Object.isFrozen(config.tables)).toBe(true);
  });

  it('lists every problem at once, each with its path', () => {
    const problems = problemsOf({ source_type: 'postgres', delimter: ';', sample_size: 'lots', tables: ['a', ''], path: 'x.csv' });
    expect(problems).toEqual(
      expect.arrayContaining([
        { path: 'delimter', message: "unknown field (did you mean 'delimiter'?)" },
        { path: 'sample_size', message: 'must be a number' },
        { path: 'tables.1', message: 'a table name must not be empty' },
        { path: 'connection_string', message: expect.stringContaining('is required for a postgres source') },
        { path: 'path', message: 'does not apply to a postgres source (use connection_string)' },
      ]),
    );
    expect(problems).toHaveLength(5);
  });

  it('names the error in words, with the paths, in its message', () => {
    expect(() => parseSourceConfig({ source_type: 'xls', path: 'a.xls' })).toThrow(
      /Invalid source config \(1 problem\):\n  - source_type: must be one of csv, tsv, json, ndjson, parquet, duckdb, sqlite, postgres, folder \(got "xls"\)/,
    );
    expect(() => parseSourceConfig('a.csv')).toThrow(/must be an object/);
    expect(problemsOf({})).toEqual([{ path: 'source_type', message: expect.stringMatching(/^is required: one of csv/) }]);
  });

  it('requires a path or pattern for files and a connection string for postgres', () => {
    expect(problemsOf({ source_type: 'csv' })).toEqual([{ path: 'path', message: expect.stringContaining('needs path') }]);
    expect(problemsOf({ source_type: 'sqlite', file_pattern: '*.db' })).toEqual([
      { path: 'file_pattern', message: 'does not apply to a sqlite database file (use path)' },
    ]);
    expect(problemsOf({ source_type: 'postgres' })).toEqual([{ path: 'connection_string', message: expect.stringContaining('is required') }]);
  });

  it('rejects a bad connection string without echoing it (it may hold a password)', () => {
    const problems = problemsOf({ source_type: 'postgres', connection_string: 'host=db password=hunter2' });
    expect(problems).toEqual([{ path: 'connection_string', message: expect.stringContaining('is not a PostgreSQL URL') }]);
    expect(JSON.stringify(problems)).not.toContain('hunter2');
  });

  it('keeps CSV options to CSV sources and database options to databases', () => {
    expect(problemsOf({ source_type: 'parquet', path: 'a.parquet', delimiter: ';', tables: ['x'] })).toEqual([
      { path: 'tables', message: 'only applies to database sources (duckdb, sqlite, postgres), not parquet' },
      { path: 'delimiter', message: 'is a CSV option and does not apply to a parquet source' },
    ]);
    expect(parseSourceConfig({ source_type: 'csv', path: 'a.csv', delimiter: ';', quote: '', header: false, encoding: 'latin-1' })).toMatchObject({
      delimiter: ';',
      quote: '',
      header: false,
      encoding: 'latin-1',
    });
    expect(problemsOf({ source_type: 'csv', path: 'a.csv', encoding: 'ebcdic', quote: '""' })).toEqual([
      { path: 'quote', message: 'must be a single character, or empty for none' },
      { path: 'encoding', message: 'must be one of utf-8, utf-16, utf-16be, latin-1, windows-1252' },
    ]);
  });

  it('is a zod schema others can compose', () => {
    expect(SourceConfigSchema.safeParse({ source_type: 'csv', path: 'a.csv' }).success).toBe(true);
  });
});

describe('sourceConfigFromPath', () => {
  const { dir, cleanup } = tempDir();
  afterAll(cleanup);

  it('takes the type from the extension', () => {
    expect(sourceConfigFromPath(join(VEGA, 'airports.csv'))).toMatchObject({ source_type: 'csv', name: 'airports' });
    expect(sourceConfigFromPath(join(VEGA, 'unemployment.tsv'))).toMatchObject({ source_type: 'tsv', name: 'unemployment' });
    expect(sourceConfigFromPath(join(VEGA, 'movies.json'))).toMatchObject({ source_type: 'json', name: 'movies' });
    expect(sourceConfigFromPath(join(VEGA, 'flights-3m.parquet'))).toMatchObject({ source_type: 'parquet', name: 'flights_3m' });
  });

  it('makes a folder one source', () => {
    mkdirSync(join(dir, 'Exports'));
    writeFileSync(join(dir, 'Exports', 'a.csv'), 'x\n1\n');
    expect(sourceConfigFromPath(join(dir, 'Exports'))).toMatchObject({ source_type: 'folder', name: 'exports', path: join(dir, 'Exports') });
  });

  it('fails clearly for missing paths, unknown extensions and folders without data', () => {
    expect(() => sourceConfigFromPath(join(dir, 'nope.csv'))).toThrow(/no such file or folder/);
    writeFileSync(join(dir, 'notes.docx'), 'x');
    expect(() => sourceConfigFromPath(join(dir, 'notes.docx'))).toThrow(StagingError);
    expect(() => sourceConfigFromPath(join(dir, 'notes.docx'))).toThrow(/Cannot tell the type .* from its extension/);
    mkdirSync(join(dir, 'docs'));
    writeFileSync(join(dir, 'docs', 'readme.md'), 'x');
    expect(() => sourceConfigFromPath(join(dir, 'docs'))).toThrow(/holds no file staging can read/);
  });
});
