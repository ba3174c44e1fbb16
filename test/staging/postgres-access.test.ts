/**
 * PostgreSQL relations the connecting role cannot read: a table without SELECT privilege and an
 * unpopulated materialized view are skipped with a warning, or fail clearly when `tables:` names
 * them. Runs in its own database and role on the test server (`inject('pgUrl')`).
 */
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { DuckDBConnection } from '../../nodes/duckdb.ts';
import { sourceConfig, staging } from '../../nodes/staging/staging.ts';
import { memoryDuckDB, rows } from './helpers.ts';

const pgUrl = inject('pgUrl');
if (!pgUrl) throw new Error("No PostgreSQL for the staging tests: register test/setup/postgres.ts as a vitest globalSetup (it provides 'pgUrl').");

const suffix = randomBytes(4).toString('hex');
const database = `access_${suffix}`;
const role = `reader_${suffix}`;
const urlAs = (user?: string) => {
  const url = new URL(pgUrl);
  url.pathname = `/${database}`;
  if (user) url.username = user;
  return url.toString();
};
let admin: pg.Client;
let duckdb: DuckDBConnection;

const stageAs = (tables?: string[]) => staging(sourceConfig({ source_type: 'postgres', connection_string: urlAs(role), ...(tables ? { tables } : {}) }), duckdb);

beforeAll(async () => {
  duckdb = await memoryDuckDB();
  admin = new pg.Client({ connectionString: pgUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${admin.escapeIdentifier(database)}`);
  // The role's own default output format must not matter either.
  await admin.query(`CREATE ROLE ${admin.escapeIdentifier(role)} LOGIN; ALTER ROLE ${admin.escapeIdentifier(role)} SET bytea_output = 'escape'`);
  const setup = new pg.Client({ connectionString: urlAs() });
  await setup.connect();
  try {
    const r = setup.escapeIdentifier(role);
    await setup.query(`
      CREATE TABLE open (id int, content bytea);
      INSERT INTO open VALUES (1, 'ab');
      CREATE TABLE secret (id int);
      CREATE MATERIALIZED VIEW unpop AS SELECT 1 AS one WITH NO DATA;
      CREATE TABLE zeta (id int);
      INSERT INTO zeta VALUES (7);
      GRANT SELECT ON open, unpop, zeta TO ${r};
    `);
  } finally {
    await setup.end();
  }
});

afterAll(async () => {
  await admin.query(`DROP DATABASE IF EXISTS ${admin.escapeIdentifier(database)} WITH (FORCE)`);
  await admin.query(`DROP ROLE IF EXISTS ${admin.escapeIdentifier(role)}`);
  await admin.end();
  duckdb.closeSync();
});

describe('PostgreSQL relations the role cannot read', () => {
  it('are skipped with a warning naming them, the reason and the fix; the others load from the same snapshot', async () => {
    const result = await stageAs();
    expect(result.tables.map((t) => [t.name, t.rowCount])).toEqual([
      ['open', 1],
      ['zeta', 1],
    ]);
    expect(result.warnings).toEqual([
      expect.stringMatching(/^Skipped the table 'secret' of PostgreSQL .*: it cannot be read \(permission denied for table secret\)\. Grant the connecting role SELECT on it .*, or list the tables to stage under tables: in the source config\.$/),
      expect.stringMatching(/^Skipped the materialized view 'unpop' of PostgreSQL .*: it cannot be read \(materialized view "unpop" has not been populated\)\. Populate it \(REFRESH MATERIALIZED VIEW "public"\."unpop"\) to stage it, or list/),
    ]);
    expect(await rows(duckdb, 'raw_zeta')).toEqual([{ id: 7 }]);
    expect((await duckdb.runAndReadAll(`SELECT hex(content) AS h FROM raw_open`)).getRowObjectsJson()).toEqual([{ h: '6162' }]);
  });

  it('fail the source when tables: names them', async () => {
    const denied = await stageAs(['zeta', 'secret']).catch((e: unknown) => e);
    expect(denied).toMatchObject({
      code: 'UNREADABLE_SOURCE',
      subject: 'secret',
      message: expect.stringMatching(/^The table 'secret' of PostgreSQL .* cannot be read: permission denied for table secret\. Grant the connecting role SELECT on it .*, or leave it out of tables: in the source config\.$/),
    });
    const unpopulated = await stageAs(['unpop']).catch((e: unknown) => e);
    expect(unpopulated).toMatchObject({
      code: 'UNREADABLE_SOURCE',
      message: expect.stringContaining(`The materialized view 'unpop' of PostgreSQL 127.0.0.1:${new URL(pgUrl).port}/${database} cannot be read: materialized view "unpop" has not been populated. Populate it`),
    });
  });
});
