/**
 * PostgreSQL through pg + pg-cursor on the real test server (`inject('pgUrl')`, from the vitest
 * globalSetup in test/setup/postgres.ts). Each run works in its own randomly named schema.
 */
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { DuckDBConnection } from '../../nodes/duckdb.ts';
import { StagingError } from '../../nodes/staging/errors.ts';
import { parseSourceConfig } from '../../nodes/staging/source-config.ts';
import { _stageSource, sourceConfig, staging } from '../../nodes/staging/staging.ts';
import { countOf, memoryDuckDB, rows, tableCount } from './helpers.ts';

const pgUrl = inject('pgUrl');
if (!pgUrl) throw new Error("No PostgreSQL for the staging tests: register test/setup/postgres.ts as a vitest globalSetup (it provides 'pgUrl').");

const schema = `staging_${randomBytes(4).toString('hex')}`;
let admin: pg.Client;
let duckdb: DuckDBConnection;

beforeAll(async () => {
  duckdb = await memoryDuckDB();
  admin = new pg.Client({ connectionString: pgUrl });
  await admin.connect();
  const s = admin.escapeIdentifier(schema);
  await admin.query(`
    CREATE SCHEMA ${s};
    CREATE TYPE ${s}.mood AS ENUM ('sad', 'ok', 'happy');
    CREATE DOMAIN ${s}.positive AS integer CHECK (VALUE > 0);
    CREATE TABLE ${s}.typed (
      small int2, normal int4, big int8, price numeric(10,2), exact numeric, ratio float4, score float8,
      flag bool, body text, code varchar(20), fixed char(3), day date, at_local timestamp, at_utc timestamptz,
      clock time, id uuid, doc json, docb jsonb, ints int[], words text[], raw bytea, span interval,
      addr inet, feeling ${s}.mood, qty ${s}.positive
    );
    INSERT INTO ${s}.typed VALUES
      (1, 2, 9007199254740993, 12345678.91, 123456789012345678901234567890.123456789, 1.5, 0.1,
       true, 'hello', 'v', 'abc', '2024-02-29', '2024-01-01 10:00:00.123456', '2024-01-01 10:00:00+02',
       '23:59:59', 'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11', '{"a": [1, 2]}', '{"b": {"c": null}}',
       '{1,2,3}', '{"x y",z}', '\\x00ff', '1 day 02:00:00', '10.0.0.1', 'happy', 5),
      (NULL, NULL, NULL, NULL, NULL, 'NaN', '-Infinity', NULL, NULL, NULL, NULL, 'infinity', NULL, NULL,
       NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL);
    CREATE TABLE ${s}."we'ird ""table""; --" ("select" int, "Full Name" text, "?!" text);
    INSERT INTO ${s}."we'ird ""table""; --" VALUES (1, 'Ada', 'x');
    CREATE TABLE ${s}.series AS SELECT g AS n, md5(g::text) AS hash FROM generate_series(1, 25000) g;
    CREATE VIEW ${s}.small_series AS SELECT * FROM ${s}.series WHERE n <= 10;
    CREATE TABLE ${s}.far_future (id int, at timestamp, day date, at_tz timestamptz);
    INSERT INTO ${s}.far_future VALUES
      (1, '2024-01-01 00:00:00', '2024-01-01', '2024-01-01 00:00:00+00'),
      (2, '294250-01-01 00:00:00', '0044-03-15 BC', '0044-03-15 12:30:00+00 BC');
  `);
});

afterAll(async () => {
  await admin.query(`DROP SCHEMA IF EXISTS ${admin.escapeIdentifier(schema)} CASCADE`);
  await admin.end();
  duckdb.closeSync();
});

describe('PostgreSQL', () => {
  it('maps PostgreSQL types to DuckDB types and keeps every value exact', async () => {
    const result = await staging(sourceConfig({ source_type: 'postgres', connection_string: pgUrl, schema, tables: ['typed'] }), duckdb);
    expect(result).toMatchObject({ sourceName: 'postgres', sourceType: 'postgres' });
    const [table] = result.tables;
    expect(table).toMatchObject({ name: 'typed', originalName: 'typed', rawTable: 'raw_typed', rowCount: 2, strength: 'strong', rejects: [], files: [] });
    expect(Object.fromEntries(table.columns.map((c) => [c.name, c.rawType]))).toEqual({
      small: 'SMALLINT', normal: 'INTEGER', big: 'BIGINT', price: 'DECIMAL(10,2)', exact: 'VARCHAR', ratio: 'FLOAT',
      score: 'DOUBLE', flag: 'BOOLEAN', body: 'VARCHAR', code: 'VARCHAR', fixed: 'VARCHAR', day: 'DATE',
      at_local: 'TIMESTAMP', at_utc: 'TIMESTAMP WITH TIME ZONE', clock: 'TIME', id: 'UUID', doc: 'JSON', docb: 'JSON',
      ints: 'INTEGER[]', words: 'VARCHAR[]', raw: 'BLOB', span: 'INTERVAL', addr: 'VARCHAR', feeling: 'VARCHAR', qty: 'INTEGER',
    });
    expect(result.warnings).toEqual([
      expect.stringContaining('typed.exact: numeric has no precision'),
      'typed.addr: inet has no DuckDB type; staged as text.',
    ]);
    const [first] = (
      await duckdb.runAndReadAll(`SELECT * EXCLUDE (at_utc, raw, span), epoch_ms(at_utc) AS utc_ms, hex(raw) AS raw_hex, span::VARCHAR AS span FROM raw_typed WHERE small = 1`)
    ).getRowObjectsJson();
    expect(first).toEqual({
      small: 1, normal: 2, big: '9007199254740993', price: '12345678.91', exact: '123456789012345678901234567890.123456789',
      ratio: 1.5, score: 0.1, flag: true, body: 'hello', code: 'v', fixed: 'abc', day: '2024-02-29',
      at_local: '2024-01-01 10:00:00.123456', clock: '23:59:59', id: 'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11',
      doc: '{"a": [1, 2]}', docb: '{"b": {"c": null}}', ints: [1, 2, 3], words: ['x y', 'z'], span: '1 day 02:00:00',
      addr: '10.0.0.1', feeling: 'happy', qty: 5, utc_ms: String(Date.UTC(2024, 0, 1, 8)), raw_hex: '00FF',
    });
    const [second] = (await duckdb.runAndReadAll(`SELECT ratio::VARCHAR AS ratio, score::VARCHAR AS score, day::VARCHAR AS day FROM raw_typed WHERE small IS NULL`)).getRowObjectsJson();
    expect(second).toEqual({ ratio: 'nan', score: '-inf', day: 'infinity' });
  });

  it('stages every table and view of the schema; hostile names are sanitized, originals kept', async () => {
    const result = await staging(sourceConfig({ source_type: 'postgres', connection_string: pgUrl, schema }), duckdb);
    expect(result.tables.map((t) => [t.name, t.originalName, t.rowCount])).toEqual([
      ['far_future', 'far_future', 2],
      ['series', 'series', 25000],
      ['small_series', 'small_series', 10],
      ['typed', 'typed', 2],
      ['we_ird_table', `we'ird "table"; --`, 1],
    ]);
    expect(result.tables[4].columns.map((c) => [c.name, c.originalName, c.rawType])).toEqual([
      ['select_', 'select', 'INTEGER'],
      ['full_name', 'Full Name', 'VARCHAR'],
      ['column_3', '?!', 'VARCHAR'],
    ]);
    expect(await rows(duckdb, 'raw_we_ird_table')).toEqual([{ select_: 1, full_name: 'Ada', column_3: 'x' }]);
  });

  it('a column with values DuckDB cannot hold in the mapped type is staged as text, not lost; BC dates stay BC', async () => {
    const result = await staging(sourceConfig({ source_type: 'postgres', connection_string: pgUrl, schema, tables: ['far_future'] }), duckdb);
    expect(result.tables[0].columns.map((c) => [c.name, c.rawType])).toEqual([
      ['id', 'INTEGER'],
      ['at_', 'VARCHAR'],
      ['day', 'DATE'],
      ['at_tz', 'TIMESTAMP WITH TIME ZONE'],
    ]);
    expect(result.warnings).toContainEqual(expect.stringMatching(/^far_future\.at \(timestamp without time zone\) of .* has values DuckDB can't read as TIMESTAMP; staged as text\.$/));
    const staged = await rows<{ id: number; at_: string }>(duckdb, 'raw_far_future', 'id');
    expect(staged.map((r) => r.at_)).toEqual(['2024-01-01 00:00:00', '294250-01-01 00:00:00']);
    const [bc] = (
      await duckdb.runAndReadAll(`SELECT day::VARCHAR AS day, year(day) AS y, epoch(at_tz) AS e FROM raw_far_future WHERE id = 2`)
    ).getRowObjectsJson() as { day: string; y: string; e: number }[];
    expect(bc).toMatchObject({ day: '0044-03-15 (BC)', y: '-43' });
    expect(bc.e).toBeLessThan(-62_000_000_000); // 44 BC, not AD 44 (-60.8e9 s)
  });

  it('streams through a cursor in batches; re-staging replaces', async () => {
    const config = parseSourceConfig({ source_type: 'postgres', connection_string: pgUrl, schema, tables: ['series'] });
    const seen: number[] = [];
    const first = await _stageSource(config, duckdb, { batchSize: 1000, onRows: (_, n) => seen.push(n) });
    // The cursor hands over one batch at a time: 25 reads of 1000 rows, each appended before the next.
    expect(seen).toEqual(Array.from({ length: 25 }, (_, i) => (i + 1) * 1000));
    const before = await tableCount(duckdb, '%');
    const larger: [string, number][] = [];
    const second = await _stageSource(config, duckdb, { batchSize: 4096, onRows: (table, n) => void larger.push([table, n]) });
    expect(larger).toEqual([4096, 8192, 12288, 16384, 20480, 24576, 25000].map((n) => ['series', n]));
    expect(second).toEqual(first);
    expect(await countOf(duckdb, 'raw_series')).toBe(25000);
    expect(await tableCount(duckdb, '%')).toBe(before);
    const [check] = (await duckdb.runAndReadAll(`SELECT sum(n) AS total, count(DISTINCT hash) AS hashes FROM raw_series`)).getRowObjectsJson();
    expect(check).toEqual({ total: String((25000 * 25001) / 2), hashes: '25000' });
  });

  it('names a missing table or schema, with close matches', async () => {
    await expect(staging(sourceConfig({ source_type: 'postgres', connection_string: pgUrl, schema, tables: ['serie'] }), duckdb)).rejects.toThrow(
      /Table 'serie' \(did you mean 'series'\?\) not found in schema/,
    );
    const failure = await staging(sourceConfig({ source_type: 'postgres', connection_string: pgUrl, schema: `${schema}_nope` }), duckdb).catch((e: unknown) => e);
    expect(failure).toMatchObject({ code: 'TABLE_NOT_FOUND', message: expect.stringContaining(`Schema '${schema}_nope' not found`) });
  });

  it('connection failures say where and why, never the password', async () => {
    const url = new URL(pgUrl);
    const secretUser = 'secret_user_x';
    const password = 'hunter2-s3cret';
    const noSuchDb = new URL(pgUrl);
    noSuchDb.username = secretUser;
    noSuchDb.password = password;
    const unknownUser = await staging(sourceConfig({ source_type: 'postgres', connection_string: noSuchDb.toString() }), duckdb).catch((e: unknown) => e);
    expect(unknownUser).toBeInstanceOf(StagingError);
    expect(unknownUser).toMatchObject({ code: 'CONNECTION_FAILED', message: expect.stringContaining(`Cannot connect to PostgreSQL at 127.0.0.1:${url.port}/postgres`) });
    // The user is the cause here, and not a secret: only the password is masked.
    expect((unknownUser as Error).message).toContain(`role "${secretUser}" does not exist`);
    expect((unknownUser as Error).message).not.toContain(password);

    const closed = new URL(pgUrl);
    closed.port = '1';
    closed.password = password;
    const refused = await staging(sourceConfig({ source_type: 'postgres', connection_string: closed.toString() }), duckdb).catch((e: unknown) => e);
    expect(refused).toMatchObject({ code: 'CONNECTION_FAILED', message: expect.stringContaining('127.0.0.1:1/postgres') });
    expect((refused as Error).message).not.toContain(password);
  });
});
