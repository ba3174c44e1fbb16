/**
 * PostgreSQL types beyond the basics, read from a database whose defaults change every output
 * format the mapping parses (bytea_output, IntervalStyle, DateStyle, TimeZone, extra_float_digits):
 * staging must fix them per session. Runs in its own database on the test server (`inject('pgUrl')`).
 */
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { DuckDBConnection } from '../../nodes/duckdb.ts';
import { sourceConfig, staging } from '../../nodes/staging/staging.ts';
import { memoryDuckDB } from './helpers.ts';

const pgUrl = inject('pgUrl');
if (!pgUrl) throw new Error("No PostgreSQL for the staging tests: register test/setup/postgres.ts as a vitest globalSetup (it provides 'pgUrl').");

const database = `legacy_${randomBytes(4).toString('hex')}`;
const dbUrl = (() => {
  const url = new URL(pgUrl);
  url.pathname = `/${database}`;
  return url.toString();
})();
let admin: pg.Client;
let duckdb: DuckDBConnection;

const json = async (sql: string) => (await duckdb.runAndReadAll(sql)).getRowObjectsJson();
const types = (table: { columns: readonly { name: string; rawType: string }[] }) => Object.fromEntries(table.columns.map((c) => [c.name, c.rawType]));
const stage = (tables: string[]) => staging(sourceConfig({ source_type: 'postgres', connection_string: dbUrl, tables }), duckdb);

beforeAll(async () => {
  duckdb = await memoryDuckDB();
  admin = new pg.Client({ connectionString: pgUrl });
  await admin.connect();
  const db = admin.escapeIdentifier(database);
  await admin.query(`CREATE DATABASE ${db}`);
  await admin.query(`
    ALTER DATABASE ${db} SET bytea_output = 'escape';
    ALTER DATABASE ${db} SET IntervalStyle = 'sql_standard';
    ALTER DATABASE ${db} SET DateStyle = 'SQL, DMY';
    ALTER DATABASE ${db} SET TimeZone = 'Asia/Kolkata';
    ALTER DATABASE ${db} SET extra_float_digits = 0;
  `);
  const setup = new pg.Client({ connectionString: dbUrl });
  await setup.connect();
  try {
    await setup.query(`
      CREATE DOMAIN d1 AS numeric(10,2);
      CREATE DOMAIN d2 AS d1;
      CREATE DOMAIN ints AS int[];
      CREATE TABLE files (id int, content bytea);
      INSERT INTO files VALUES (1, 'abcd'), (2, 'beef'), (3, 'ab'), (4, '\\x5c00ff'), (5, NULL);
      CREATE TABLE amounts (id int, total money, span interval, at timetz, amount d2, rounded numeric(5,-2), tiny numeric(3,5), ratio float8, bits varbit);
      INSERT INTO amounts VALUES
        (1, 1234.56, '1 year 2 mons -3 days 04:05:06.5', '10:00:00.123456+05:30', 12345678.91, 12345, 0.00123, 0.1, '1010'),
        (2, '-92233720368547758.08', '-1 mons +1 day -00:00:00.000001', '23:59:59-08', 0.5, -99999, -0.00999, NULL, '0'),
        (3, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL);
      CREATE TABLE lists (id int, nums int[], words text[], prices d1[], days date[], blobs bytea[], stamps timestamptz[], cash money[], boxed ints);
      INSERT INTO lists VALUES
        (1, '{1,NULL,3}', ARRAY['x y', 'q"uote', 'back\\slash', NULL, '', 'NULL'], '{1.5,2}', '{2024-02-29,0044-03-15 BC}',
         ARRAY['\\x00ff'::bytea, 'ab'], '{"2024-01-01 10:00:00+02"}', '{1.25,-3}', '{7}'),
        (2, '{}', NULL, NULL, '{}', NULL, NULL, NULL, NULL);
      CREATE TABLE odd (id int, grid int[], loose numeric[], addr inet, doc xml);
      INSERT INTO odd VALUES
        (1, '{{1,2},{3,4}}', '{1.5,123456789012345678901234567890.5}', '10.0.0.1', '<a>b</a>'),
        (2, '{5}', '{}', NULL, NULL);
    `);
  } finally {
    await setup.end();
  }
});

afterAll(async () => {
  await admin.query(`DROP DATABASE IF EXISTS ${admin.escapeIdentifier(database)} WITH (FORCE)`);
  await admin.end();
  duckdb.closeSync();
});

describe('PostgreSQL output settings and types', () => {
  it("bytea stays exact under the database's bytea_output = 'escape'", async () => {
    const result = await stage(['files']);
    expect(types(result.tables[0])).toEqual({ id: 'INTEGER', content: 'BLOB' });
    expect(await json(`SELECT id, hex(content) AS content FROM raw_files ORDER BY id`)).toEqual([
      { id: 1, content: '61626364' },
      { id: 2, content: '62656566' },
      { id: 3, content: '6162' },
      { id: 4, content: '5C00FF' },
      { id: 5, content: null },
    ]);
  });

  it('money, interval, timetz, bit strings, domains over domains and PostgreSQL 15 numeric scales get DuckDB types, exactly', async () => {
    const result = await stage(['amounts']);
    expect(result.warnings).toEqual([]);
    expect(types(result.tables[0])).toEqual({
      id: 'INTEGER', total: 'DECIMAL(19,2)', span: 'INTERVAL', at_: 'TIME WITH TIME ZONE', amount: 'DECIMAL(10,2)',
      rounded: 'DECIMAL(7,0)', tiny: 'DECIMAL(5,5)', ratio: 'DOUBLE', bits: 'BIT',
    });
    expect(
      await json(`SELECT id, total::VARCHAR AS total, span::VARCHAR AS span, at_::VARCHAR AS at_, amount::VARCHAR AS amount,
                         rounded::VARCHAR AS rounded, tiny::VARCHAR AS tiny, ratio, bits::VARCHAR AS bits FROM raw_amounts ORDER BY id`),
      // (DuckDB prints a DECIMAL(5,5) without the leading zero.)
    ).toEqual([
      { id: 1, total: '1234.56', span: '1 year 2 months -3 days 04:05:06.5', at_: '10:00:00.123456+05:30', amount: '12345678.91', rounded: '12300', tiny: '.00123', ratio: 0.1, bits: '1010' },
      { id: 2, total: '-92233720368547758.08', span: '-1 month 1 day -00:00:00.000001', at_: '23:59:59-08', amount: '0.50', rounded: '-100000', tiny: '-.00999', ratio: null, bits: '0' },
      { id: 3, total: null, span: null, at_: null, amount: null, rounded: null, tiny: null, ratio: null, bits: null },
    ]);
    // Numbers and durations, not text: they add up and subtract.
    expect(await json(`SELECT sum(total)::VARCHAR AS total, (max(span) - min(span))::VARCHAR AS span FROM raw_amounts`)).toEqual([
      { total: '-92233720368546523.52', span: '1 year 3 months -4 days 04:05:06.500001' },
    ]);
  });

  it('arrays become DuckDB lists of their element type, NULLs, quoting and BC dates intact', async () => {
    const result = await stage(['lists']);
    expect(result.warnings).toEqual([]);
    expect(types(result.tables[0])).toEqual({
      id: 'INTEGER', nums: 'INTEGER[]', words: 'VARCHAR[]', prices: 'DECIMAL(10,2)[]', days: 'DATE[]', blobs: 'BLOB[]',
      stamps: 'TIMESTAMP WITH TIME ZONE[]', cash: 'DECIMAL(19,2)[]', boxed: 'INTEGER[]',
    });
    expect(
      await json(`SELECT id, nums, words, prices::VARCHAR[] AS prices, days::VARCHAR[] AS days, list_transform(blobs, lambda b: hex(b)) AS blobs,
                         list_transform(stamps, lambda s: epoch_ms(s)) AS stamps, cash::VARCHAR[] AS cash, boxed FROM raw_lists ORDER BY id`),
    ).toEqual([
      {
        id: 1, nums: [1, null, 3], words: ['x y', 'q"uote', 'back\\slash', null, '', 'NULL'], prices: ['1.50', '2.00'],
        days: ['2024-02-29', '0044-03-15 (BC)'], blobs: ['00FF', '6162'], stamps: [String(Date.UTC(2024, 0, 1, 8))], cash: ['1.25', '-3.00'], boxed: [7],
      },
      { id: 2, nums: [], words: null, prices: null, days: [], blobs: null, stamps: null, cash: null, boxed: null },
    ]);
    expect(await json(`SELECT sum(list_sum(nums))::INTEGER AS n FROM raw_lists`)).toEqual([{ n: 4 }]);
  });

  it('what has no lossless DuckDB type is staged as text or JSON, and a warning names the column and type', async () => {
    const result = await stage(['odd']);
    expect(types(result.tables[0])).toEqual({ id: 'INTEGER', grid: 'VARCHAR', loose: 'JSON', addr: 'VARCHAR', doc: 'VARCHAR' });
    expect(result.warnings).toEqual([
      'odd.loose: numeric[] has elements without a lossless DuckDB type (numeric has no precision; staged as exact text so no digit is lost); staged as JSON text.',
      'odd.addr: inet has no DuckDB type; staged as text.',
      'odd.doc: xml has no DuckDB type; staged as text.',
      expect.stringMatching(/^odd\.grid \(integer\[\]\) of .* has values DuckDB can't read as INTEGER\[\]; staged as text\.$/),
    ]);
    expect(await json(`SELECT id, grid, loose, addr, doc FROM raw_odd ORDER BY id`)).toEqual([
      { id: 1, grid: '[[1,2],[3,4]]', loose: '[1.5,123456789012345678901234567890.5]', addr: '10.0.0.1', doc: '<a>b</a>' },
      { id: 2, grid: '["5"]', loose: '[]', addr: null, doc: null },
    ]);
  });
});
