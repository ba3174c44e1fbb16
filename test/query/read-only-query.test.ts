import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listExposedTables, QueryFailedError, QueryRefusedError, QueryTimeoutError, runReadOnlyQuery } from '../../server/query/read-only-query.ts';

const AIRPORTS = resolve('node_modules/vega-datasets/data/airports.csv');
let dir: string;
let db: string;

function checksum(path: string): string {
  return createHash('sha256').update(readFileSync(path)).digest('hex');
}

/** A DuckDB file shaped like an ingest's: raw_ text, typed_ and quarantine_ tables, and a table nobody may read. */
beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'dataraum-query-'));
  db = join(dir, 'data.duckdb');
  const inst = await DuckDBInstance.create(db);
  const c = await inst.connect();
  await c.run(`CREATE TABLE raw_airports AS SELECT * FROM read_csv('${AIRPORTS.replaceAll("'", "''")}', all_varchar = true)`);
  await c.run('CREATE TABLE typed_airports AS SELECT iata, name, city, state, country, CAST(latitude AS DOUBLE) AS latitude, CAST(longitude AS DOUBLE) AS longitude FROM raw_airports');
  await c.run('CREATE TABLE quarantine_airports (_row_number BIGINT, iata VARCHAR, reason VARCHAR)');
  await c.run("INSERT INTO quarantine_airports VALUES (7, 'XXX', 'latitude: not a number')");
  await c.run("CREATE TABLE raw_airports__rejects AS SELECT 'airports.csv' AS file, 12 AS line, 'Expected Number of Columns: 7 Found: 9' AS error, 'a,b,c' AS raw_line");
  await c.run("CREATE TABLE secrets AS SELECT 'hunter2' AS password");
  await c.run('CREATE VIEW typed_sneaky AS SELECT * FROM secrets');
  c.closeSync();
  inst.closeSync();
});

afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

/** Every one of these must be refused, each for a stated reason. */
const HOSTILE: readonly [label: string, sql: string, reason: RegExp][] = [
  ['insert', "INSERT INTO typed_airports (iata) VALUES ('ZZZ')", /INSERT statement/],
  ['update', "UPDATE typed_airports SET name = 'x'", /UPDATE statement/],
  ['delete', 'DELETE FROM typed_airports', /DELETE statement/],
  ['create table', 'CREATE TABLE typed_new AS SELECT 1', /CREATE statement/],
  ['create view', 'CREATE VIEW v AS SELECT * FROM raw_airports', /CREATE statement/],
  ['create macro', 'CREATE MACRO m(x) AS x + 1', /CREATE statement/],
  ['drop', 'DROP TABLE typed_airports', /DROP statement/],
  ['alter', 'ALTER TABLE typed_airports ADD COLUMN z INTEGER', /ALTER statement/],
  ['truncate', 'TRUNCATE typed_airports', /TRUNCATE statement|DELETE statement/],
  ['attach another file', "ATTACH '/tmp/other.duckdb' AS other", /ATTACH statement/],
  ['attach sqlite', "ATTACH 'x.sqlite' (TYPE sqlite)", /ATTACH statement/],
  ['detach', 'DETACH data', /DETACH statement/],
  ['copy to a file', "COPY typed_airports TO '/tmp/leak.csv'", /COPY statement/],
  ['copy select to a file', "COPY (SELECT * FROM typed_airports) TO '/tmp/leak.parquet' (FORMAT parquet)", /COPY statement/],
  ['copy from', "COPY typed_airports FROM '/etc/passwd'", /COPY statement/],
  ['export', "EXPORT DATABASE '/tmp/dump'", /EXPORT statement/],
  ['import', "IMPORT DATABASE '/tmp/dump'", /IMPORT statement|file system operations are disabled/],
  ['install', 'INSTALL httpfs', /INSTALL statement/],
  ['load', 'LOAD httpfs', /LOAD statement/],
  ['set', 'SET enable_external_access = true', /SET statement/],
  ['reset', 'RESET enable_external_access', /RESET statement/],
  ['pragma', 'PRAGMA enable_profiling', /PRAGMA statement/],
  ['pragma table_info', "PRAGMA table_info('raw_airports')", /PRAGMA statement/],
  ['call', 'CALL duckdb_settings()', /CALL statement/],
  ['checkpoint', 'CHECKPOINT', /CHECKPOINT statement/],
  ['begin', 'BEGIN TRANSACTION', /BEGIN statement/],
  ['vacuum', 'VACUUM', /VACUUM statement/],
  ['explain analyze', 'EXPLAIN ANALYZE SELECT 1', /EXPLAIN statement/],
  ['two statements', 'SELECT 1; DROP TABLE typed_airports', /2 statements/],
  ['two selects', 'SELECT 1; SELECT 2', /2 statements/],
  ['statement hidden after a comment', 'SELECT 1 /* harmless */; /* x */ DELETE FROM typed_airports', /2 statements/],
  ['line comment hiding a newline statement', 'SELECT 1 -- comment\n; DROP TABLE typed_airports', /2 statements/],
  ['comment before a write', '/* SELECT */ DROP TABLE typed_airports', /DROP statement/],
  ['case and whitespace tricks', '  \n\tdRoP\n  TaBlE   typed_airports  ', /DROP statement/],
  ['cte wrapping a write', "WITH x AS (SELECT 1) INSERT INTO typed_airports (iata) SELECT 'Q' FROM x", /INSERT statement/],
  ['cte wrapping a delete', 'WITH x AS (SELECT 1) DELETE FROM typed_airports', /DELETE statement/],
  ['read_csv /etc/passwd', "SELECT * FROM read_csv('/etc/passwd')", /read_csv\(\) is not allowed/],
  ['read_csv_auto', "SELECT * FROM read_csv_auto('/etc/hosts')", /read_csv_auto\(\) is not allowed/],
  ['read_parquet', "SELECT * FROM read_parquet('x.parquet')", /read_parquet\(\) is not allowed/],
  ['read_json', "SELECT * FROM read_json('/etc/x.json')", /read_json\(\) is not allowed/],
  ['read_text', "SELECT content FROM read_text('/etc/passwd')", /read_text\(\) is not allowed/],
  ['read_blob', "SELECT content FROM read_blob('/etc/passwd')", /read_blob\(\) is not allowed/],
  ['glob', "SELECT * FROM glob('/etc/*')", /glob\(\) is not allowed/],
  ['replacement scan of a csv path', "SELECT * FROM '/etc/passwd.csv'", /file path/],
  ['replacement scan of a parquet file', "SELECT * FROM 'x.parquet'", /file path/],
  ['replacement scan in a subquery', "SELECT * FROM typed_airports WHERE iata IN (SELECT * FROM 'codes.csv')", /file path/],
  ['https url', "SELECT * FROM 'https://example.com/data.csv'", /URL/],
  ['s3 url in a reader', "SELECT * FROM read_parquet('s3://bucket/x.parquet')", /read_parquet\(\) is not allowed/],
  ['sqlite_scan', "SELECT * FROM sqlite_scan('x.db', 'users')", /sqlite_scan\(\) is not allowed/],
  ['postgres_scan', "SELECT * FROM postgres_scan('host=x', 'public', 'users')", /postgres_scan\(\) is not allowed/],
  ['raw table', 'SELECT * FROM raw_airports', /raw staging table.*typed_airports.*raw_airports__rejects/],
  ['raw table in a join', 'SELECT t.iata FROM typed_airports t JOIN raw_airports r USING (iata)', /raw staging table/],
  ['raw table in a scalar subquery', 'SELECT (SELECT count(*) FROM raw_airports) AS n', /raw staging table/],
  ['upper-case quoted raw table', 'SELECT * FROM "RAW_AIRPORTS"', /raw staging table/],
  ['other table', 'SELECT * FROM secrets', /not a typed_\*, quarantine_\* or raw_\*__rejects table/],
  ['view over another table', 'SELECT * FROM typed_sneaky', /plan scans .*secrets/],
  ['cte name shadowing in another scope', 'SELECT * FROM (WITH raw_airports AS (SELECT 1 AS x) SELECT * FROM raw_airports) a, raw_airports', /plan scans .*raw_airports/],
  ['information_schema', 'SELECT * FROM information_schema.tables', /schema 'information_schema'/],
  ['pg_catalog', 'SELECT * FROM pg_catalog.pg_class', /schema 'pg_catalog'/],
  ['sqlite_master', 'SELECT * FROM sqlite_master', /not a typed_\*, quarantine_\* or raw_\*__rejects table/],
  ['duckdb_tables()', 'SELECT * FROM duckdb_tables()', /duckdb_tables\(\) is not allowed/],
  ['duckdb_settings()', 'SELECT * FROM duckdb_settings()', /duckdb_settings\(\) is not allowed/],
  ['pragma_table_info()', "SELECT * FROM pragma_table_info('raw_airports')", /pragma_table_info\(\) is not allowed/],
  ['getenv', "SELECT getenv('HOME')", /getenv\(\)/],
  ['getenv in a where clause', "SELECT iata FROM typed_airports WHERE name = getenv('PATH')", /getenv\(\)/],
  ['current_setting', "SELECT current_setting('home_directory')", /current_setting\(\)/],
  ['query() runs sql from a string', "SELECT * FROM query('SELECT * FROM raw_airports')", /query\(\) is not allowed/],
  ['query_table()', "SELECT * FROM query_table('raw_airports')", /query_table\(\) is not allowed/],
  ['catalog-qualified other database', 'SELECT * FROM other.main.typed_airports', /catalog 'other'/],
  ['system catalog', 'SELECT * FROM system.main.duckdb_tables', /catalog 'system'/],
  ['describe', 'DESCRIBE raw_airports', /DESCRIBE|SHOW/],
  ['show tables', 'SHOW TABLES', /DESCRIBE|SHOW/],
  ['summarize', 'SUMMARIZE raw_airports', /DESCRIBE|SHOW|SUMMARIZE/],
  ['pivot over a raw table', "SELECT * FROM (PIVOT raw_airports ON state IN ('AK') USING count(*))", /raw staging table/],
  ['pivot needing a hidden statement', 'PIVOT typed_airports ON state USING count(*)', /PIVOT without an explicit value list/],
  ['union with a raw table', 'SELECT iata FROM typed_airports UNION SELECT iata FROM raw_airports', /raw staging table/],
  ['from-first syntax', 'FROM raw_airports', /raw staging table/],
  ['quoted, qualified raw table', 'SELECT * FROM "data"."main"."raw_airports"', /raw staging table/],
  ['quoted function name', 'SELECT "GETENV"(\'HOME\')', /getenv\(\)/i],
  ['temp catalog', 'SELECT * FROM temp.main.x', /catalog 'temp'/],
  ['execute', 'EXECUTE p', /EXECUTE statement/],
  ['empty', '   ', /empty/],
  ['only a comment', '-- nothing here', /no statement/],
];

describe('runReadOnlyQuery refuses hostile queries', () => {
  it(`has a corpus of at least 40 (${HOSTILE.length})`, () => {
    expect(HOSTILE.length).toBeGreaterThanOrEqual(40);
  });

  it.each(HOSTILE)('refuses %s', async (_label, sql, reason) => {
    const err = await runReadOnlyQuery(db, sql).then(() => undefined, (e: unknown) => e);
    expect(err).toBeInstanceOf(QueryRefusedError);
    expect((err as QueryRefusedError).reason).toMatch(reason);
  });
});

describe('runReadOnlyQuery runs read queries over typed tables', () => {
  it('returns columns with types and JSON-safe rows', async () => {
    const r = await runReadOnlyQuery(db, "SELECT state, count(*) AS n, max(latitude) AS lat FROM typed_airports WHERE state = 'AK' GROUP BY state");
    expect(r.columns).toEqual([{ name: 'state', type: 'VARCHAR' }, { name: 'n', type: 'BIGINT' }, { name: 'lat', type: 'DOUBLE' }]);
    expect(r.rows).toHaveLength(1);
    expect(r.rows[0]!.state).toBe('AK');
    expect(typeof r.rows[0]!.n).toBe('number');
    expect(r.rowCount).toBe(1);
    expect(r.truncated).toBe(false);
    expect(r.elapsedMs).toBeGreaterThanOrEqual(0);
  });

  it('counts rows exactly like the source', async () => {
    const lines = readFileSync(AIRPORTS, 'utf8').trim().split('\n').length - 1;
    const r = await runReadOnlyQuery(db, 'SELECT count(*) AS n FROM typed_airports');
    expect(r.rows[0]!.n).toBe(lines);
  });

  it('reads the lines staging rejected (raw_*__rejects)', async () => {
    const r = await runReadOnlyQuery(db, 'SELECT line, error FROM raw_airports__rejects');
    expect(r.rows).toEqual([{ line: 12, error: 'Expected Number of Columns: 7 Found: 9' }]);
  });

  it('allows CTEs, VALUES, joins with quarantine tables, range()', async () => {
    const cte = await runReadOnlyQuery(db, "WITH ak AS (SELECT * FROM typed_airports WHERE state = 'AK') SELECT count(*) AS n FROM ak");
    expect(Number(cte.rows[0]!.n)).toBeGreaterThan(100);
    const values = await runReadOnlyQuery(db, 'VALUES (1, \'a\'), (2, \'b\')');
    expect(values.rows).toEqual([{ col0: 1, col1: 'a' }, { col0: 2, col1: 'b' }]);
    const q = await runReadOnlyQuery(db, 'SELECT q.reason FROM quarantine_airports q LEFT JOIN typed_airports t USING (iata)');
    expect(q.rows).toEqual([{ reason: 'latitude: not a number' }]);
    const pivot = await runReadOnlyQuery(db, "PIVOT (SELECT state FROM typed_airports) ON state IN ('AK', 'TX') USING count(*)");
    expect(pivot.rows).toEqual([{ AK: 263, TX: 209 }]);
    const range = await runReadOnlyQuery(db, 'SELECT sum(range) AS s FROM range(10)');
    expect(range.rows[0]!.s).toBe(45);
  });

  it('converts bigints, hugeints, dates, timestamps and nested values to JSON', async () => {
    const r = await runReadOnlyQuery(db, "SELECT 12::BIGINT AS b, 123456789012345678901::HUGEINT AS h, DATE '2020-01-02' AS d, TIMESTAMP '2020-01-02 03:04:05' AS ts, [1, 2] AS l, {'a': 1} AS s, 1 AS x, 2 AS x");
    expect(r.rows[0]).toEqual({ b: 12, h: '123456789012345678901', d: '2020-01-02', ts: '2020-01-02 03:04:05', l: [1, 2], s: { a: 1 }, x: 1, x_2: 2 });
    expect(JSON.parse(JSON.stringify(r.rows))).toEqual(r.rows);
  });

  it('prints every value as DuckDB does: microseconds, infinities, NaN, BIT, exact decimals, intervals', async () => {
    const r = await runReadOnlyQuery(db, `SELECT
      TIMESTAMP '2024-01-01 10:00:00.123456' AS ts, 'infinity'::TIMESTAMP AS ts_inf, '-infinity'::TIMESTAMP AS ts_ninf,
      'infinity'::DATE AS d_inf, '-infinity'::DATE AS d_ninf, 'infinity'::TIMESTAMP_NS AS ns_inf, TIMESTAMP_NS '2024-01-01 10:00:00.123456789' AS ns,
      TIMESTAMPTZ '2024-01-01 10:00:00.5+02' AS tz, 'infinity'::TIMESTAMPTZ AS tz_inf, TIME '10:11:12.5' AS t, TIMETZ '10:11:12+02' AS ttz,
      '10101'::BIT AS bits, 1.10::DECIMAL(5,2) AS dec, 12345678901234567890.123456789::DECIMAL(38,9) AS dec_long,
      18446744073709551615::UBIGINT AS ub, INTERVAL '1 year 2 months 3 days 04:05:06.5' AS iv,
      'NaN'::DOUBLE AS nan, 'inf'::DOUBLE AS inf, '-inf'::FLOAT AS ninf, 0.1::FLOAT AS f, '\\xAA\\x00ab'::BLOB AS blob,
      ['infinity'::DATE, DATE '2020-01-02'] AS dates, {'at': TIMESTAMP '2024-01-01 00:00:00.5'} AS st, MAP {'k': 1.5::DOUBLE} AS m`);
    expect(r.rows[0]).toEqual({
      ts: '2024-01-01 10:00:00.123456', ts_inf: 'infinity', ts_ninf: '-infinity',
      d_inf: 'infinity', d_ninf: '-infinity', ns_inf: 'infinity', ns: '2024-01-01 10:00:00.123456789',
      tz: '2024-01-01 08:00:00.5+00', tz_inf: 'infinity', t: '10:11:12.5', ttz: '10:11:12+02',
      bits: '10101', dec: 1.1, dec_long: '12345678901234567890.123456789',
      ub: '18446744073709551615', iv: '1 year 2 months 3 days 04:05:06.5',
      nan: 'nan', inf: 'inf', ninf: '-inf', f: 0.1, blob: '\\xAA\\x00ab',
      dates: ['infinity', '2020-01-02'], st: { at: '2024-01-01 00:00:00.5' }, m: [{ key: 'k', value: 1.5 }],
    });
    expect(JSON.parse(JSON.stringify(r.rows))).toEqual(r.rows);
  });

  it('reads an open-ended validity period and NaN stored in a typed table', async () => {
    const scd = join(dir, 'scd.duckdb');
    const inst = await DuckDBInstance.create(scd);
    const c = await inst.connect();
    await c.run(`CREATE TABLE typed_scd AS SELECT i AS id, TIMESTAMP '2024-01-01 10:00:00.123456' AS valid_from,
      CASE WHEN i < 2 THEN TIMESTAMP '2024-06-01' ELSE 'infinity'::TIMESTAMP END AS valid_to, CASE WHEN i = 3 THEN 'NaN'::DOUBLE ELSE i / 2 END AS score
      FROM range(1, 4) r(i)`);
    c.closeSync();
    inst.closeSync();
    const r = await runReadOnlyQuery(scd, 'SELECT * FROM typed_scd ORDER BY id');
    expect(r.rows).toEqual([
      { id: 1, valid_from: '2024-01-01 10:00:00.123456', valid_to: '2024-06-01 00:00:00', score: 0.5 },
      { id: 2, valid_from: '2024-01-01 10:00:00.123456', valid_to: 'infinity', score: 1 },
      { id: 3, valid_from: '2024-01-01 10:00:00.123456', valid_to: 'infinity', score: 'nan' },
    ]);
  });

  it('caps rows and reports truncation', async () => {
    const r = await runReadOnlyQuery(db, 'SELECT iata FROM typed_airports ORDER BY iata', { maxRows: 5 });
    expect(r.rowCount).toBe(5);
    expect(r.rows).toHaveLength(5);
    expect(r.truncated).toBe(true);
    const exact = await runReadOnlyQuery(db, 'SELECT iata FROM typed_airports ORDER BY iata LIMIT 5', { maxRows: 5 });
    expect(exact.truncated).toBe(false);
  });

  it('interrupts a slow query at the time cap', async () => {
    const started = Date.now();
    const err = await runReadOnlyQuery(db, 'SELECT count(*) FROM typed_airports a, typed_airports b, typed_airports c', { timeoutMs: 500 }).then(() => undefined, (e: unknown) => e);
    expect(err).toBeInstanceOf(QueryTimeoutError);
    expect((err as Error).message).toMatch(/interrupted after 500 ms/);
    expect(Date.now() - started).toBeLessThan(5000);
  });

  it('reports a bad column as a failed query, and a missing file with what to do', async () => {
    await expect(runReadOnlyQuery(db, 'SELECT no_such_column FROM typed_airports')).rejects.toBeInstanceOf(QueryFailedError);
    await expect(runReadOnlyQuery(join(dir, 'missing.duckdb'), 'SELECT 1')).rejects.toThrow(/no DuckDB database .*`dataraum run/);
    await expect(runReadOnlyQuery(db, 'SELECT * FROM typed_nope')).rejects.toThrow(/typed_nope does not exist; available: quarantine_airports, raw_airports__rejects, typed_airports/);
  });

  it('lists only the exposed tables with row counts and columns', async () => {
    const tables = await listExposedTables(db);
    expect(tables.map((t) => t.name)).toEqual(['quarantine_airports', 'raw_airports__rejects', 'typed_airports']);
    expect(tables[0]!.rowCount).toBe(1);
    expect(tables[2]!.columns.find((c) => c.name === 'latitude')?.type).toBe('DOUBLE');
  });
});

describe('the database file', () => {
  it('is untouched by hostile and valid queries alike', async () => {
    const before = checksum(db);
    const filesBefore = readdirSync(dir).sort();
    for (const [, sql] of HOSTILE) await runReadOnlyQuery(db, sql).catch(() => undefined);
    await runReadOnlyQuery(db, 'SELECT count(*) FROM typed_airports');
    await runReadOnlyQuery(db, 'SELECT count(*) FROM typed_airports a, typed_airports b, typed_airports c', { timeoutMs: 200 }).catch(() => undefined);
    expect(checksum(db)).toBe(before);
    expect(readdirSync(dir).sort()).toEqual(filesBefore);
    expect(existsSync('/tmp/leak.csv')).toBe(false);
  });
});
