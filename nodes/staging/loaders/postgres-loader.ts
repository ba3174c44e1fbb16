/**
 * PostgreSQL through `pg` + `pg-cursor`: each table streams through a server-side cursor in batches
 * into DuckDB's Appender as PostgreSQL's text output, then one DuckDB statement casts it to the
 * mapped types (strong). Memory is bounded by the batch size. All tables are read from one
 * read-only snapshot, so a source being written to is staged consistently.
 */
import pg from 'pg';
import Cursor from 'pg-cursor';
import { queryRows, quoteIdent, type DuckDBConnection } from '../../duckdb.ts';
import { StagingError, firstLine } from '../errors.ts';
import { uniqueNames } from '../names.ts';
import type { SourceConfig } from '../source-config.ts';
import type { StagedTable } from '../types.ts';
import { mapPgType, type MappedType, type PgColumn } from './postgres-types.ts';
import type { LoadContext, SourceLoader } from './registry.ts';
import { committedTable, rawTableName, rejectsTableName, scratchName, withTableSwap } from './raw-table.ts';
import { selectTables, tableOriginals, type SourceTable } from './table-selection.ts';

/** `host:port/database` of a connection string: enough to say where, never who or with what password. */
export function describeConnection(connectionString: string): string {
  try {
    const url = new URL(connectionString);
    const host = url.hostname || url.searchParams.get('host') || 'localhost';
    return `${host}:${url.port || '5432'}/${decodeURIComponent(url.pathname.replace(/^\//, '')) || '(default database)'}`;
  } catch {
    return '(unparseable connection string)';
  }
}

/** A driver message with the URL's user and password taken out. */
function scrub(message: string, connectionString: string): string {
  let out = message;
  try {
    const url = new URL(connectionString);
    for (const secret of [url.password, decodeURIComponent(url.password), url.username, decodeURIComponent(url.username)])
      if (secret) out = out.split(secret).join('***');
  } catch {
    // nothing to scrub that we could identify; the message comes from the driver, not the string
  }
  return out.split(connectionString).join('***');
}

/** Every value as PostgreSQL's text output: exact, and DuckDB parses it. */
const TEXT_TYPES = { getTypeParser: () => (value: string) => value } as unknown as pg.CustomTypesConfig;

async function loadPostgres(config: SourceConfig, duckdb: DuckDBConnection, ctx: LoadContext): Promise<StagedTable[]> {
  const connectionString = config.connection_string ?? '';
  const where = describeConnection(connectionString);
  const client = new pg.Client({ connectionString, connectionTimeoutMillis: 15_000, application_name: 'dataraum-staging' });
  client.on('error', () => undefined); // a dropped connection surfaces as the failing query's error
  try {
    await client.connect();
  } catch (error) {
    throw new StagingError('CONNECTION_FAILED', `Cannot connect to PostgreSQL at ${where}: ${scrub(firstLine(error), connectionString)}. Check host, port, database, user and password in connection_string.`, { subject: where });
  }
  try {
    await client.query(`BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY`);
    await client.query(`SET LOCAL DateStyle = 'ISO, YMD'; SET LOCAL TimeZone = 'UTC'; SET LOCAL extra_float_digits = 3`);
    const schema = config.schema ?? 'public';
    const available = (
      await client.query<{ table_name: string }>(
        `SELECT c.relname AS table_name FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
         WHERE n.nspname = $1 AND c.relkind IN ('r', 'p', 'v', 'm', 'f') AND NOT c.relispartition ORDER BY c.relname`,
        [schema],
      )
    ).rows.map((r) => ({ schema, table: r.table_name }));
    if (available.length === 0) {
      const exists = await client.query('SELECT 1 FROM pg_namespace WHERE nspname = $1', [schema]);
      if (exists.rowCount === 0)
        throw new StagingError('TABLE_NOT_FOUND', `Schema '${schema}' not found in PostgreSQL database ${where}. Set schema in the source config to an existing one.`, { subject: schema });
    }
    const tables = selectTables(available, config.tables, `schema '${schema}' of PostgreSQL database ${where}`, schema);
    if (tables.length === 0) ctx.warn(`Schema '${schema}' of ${where} has no tables.`);
    const originals = tableOriginals(tables, schema);
    const staged: StagedTable[] = [];
    for (const [i, t] of tables.entries()) staged.push(await copyTable(client, duckdb, t, originals[i], where, ctx));
    await client.query('COMMIT');
    return staged;
  } catch (error) {
    if (error instanceof StagingError) throw error;
    throw new StagingError('UNREADABLE_SOURCE', `Cannot read from PostgreSQL ${where}: ${scrub(firstLine(error), connectionString)}.`, { subject: where, cause: error });
  } finally {
    await client.end().catch(() => undefined);
  }
}

async function copyTable(client: pg.Client, duckdb: DuckDBConnection, t: SourceTable, originalName: string, where: string, ctx: LoadContext): Promise<StagedTable> {
  const qualified = `${client.escapeIdentifier(t.schema)}.${client.escapeIdentifier(t.table)}`;
  const pgColumns = (
    await client.query<{ name: string; typname: string; category: string; typmod: number; formatted: string }>(
      `SELECT a.attname AS name,
              CASE WHEN t.typtype = 'd' THEN bt.typname ELSE t.typname END AS typname,
              CASE WHEN t.typtype = 'd' THEN bt.typcategory ELSE t.typcategory END AS category,
              CASE WHEN a.atttypmod = -1 AND t.typtype = 'd' THEN t.typtypmod ELSE a.atttypmod END AS typmod,
              format_type(a.atttypid, a.atttypmod) AS formatted
       FROM pg_attribute a
       JOIN pg_type t ON t.oid = a.atttypid
       LEFT JOIN pg_type bt ON bt.oid = t.typbasetype
       WHERE a.attrelid = to_regclass($1) AND a.attnum > 0 AND NOT a.attisdropped
       ORDER BY a.attnum`,
      [qualified],
    )
  ).rows as PgColumn[];
  const name = ctx.claimTableName(originalName);
  const rawTable = rawTableName(name);
  const columns = uniqueNames(pgColumns.map((c) => c.name));
  const mapped: MappedType[] = pgColumns.map(mapPgType);
  for (const [i, m] of mapped.entries()) if (m.note) ctx.warn(`${originalName}.${pgColumns[i].name}: ${m.note}.`);

  await withTableSwap(duckdb, async (swap) => {
    swap.dropOnCommit(rejectsTableName(name));
    const build = swap.temp(rawTable);
    const text = scratchName('pg_text');
    try {
      await duckdb.run(`CREATE TABLE ${quoteIdent(text)} (${columns.map((c) => `${quoteIdent(c.name)} VARCHAR`).join(', ')})`);
      await streamRows(client, duckdb, qualified, pgColumns, text, ctx.batchSize, (rows) => ctx.onRows?.(t.table, rows));
      const fits = await columnsThatFit(duckdb, text, columns.map((c) => c.name), mapped);
      const select = columns.map((c, i) => {
        if (fits[i]) return `${mapped[i].cast(quoteIdent(c.name))} AS ${quoteIdent(c.name)}`;
        ctx.warn(`${originalName}.${pgColumns[i].name} (${pgColumns[i].formatted}) of ${where} has values DuckDB can't read as ${mapped[i].duckdbType}; staged as text.`);
        return quoteIdent(c.name);
      });
      await duckdb.run(`CREATE TABLE ${quoteIdent(build)} AS SELECT ${select.join(', ')} FROM ${quoteIdent(text)}`);
    } finally {
      await duckdb.run(`DROP TABLE IF EXISTS ${quoteIdent(text)}`).catch(() => undefined);
    }
  });
  return committedTable(duckdb, { name, originalName, rawTable, strength: 'strong', files: [] }, pgColumns.map((c) => c.name));
}

/** Cursor -> Appender, one batch at a time. */
async function streamRows(client: pg.Client, duckdb: DuckDBConnection, qualified: string, columns: readonly PgColumn[], target: string, batchSize: number, onRows: (rows: number) => void): Promise<void> {
  const list = columns.map((c) => client.escapeIdentifier(c.name)).join(', ');
  const cursor = client.query(new Cursor<(string | null)[]>(`SELECT ${list} FROM ${qualified}`, [], { rowMode: 'array', types: TEXT_TYPES }));
  const appender = await duckdb.createAppender(target);
  let total = 0;
  try {
    for (;;) {
      const rows = await cursor.read(batchSize);
      if (rows.length === 0) break;
      for (const row of rows) {
        for (const value of row) {
          if (value === null) appender.appendNull();
          else appender.appendVarchar(value);
        }
        appender.endRow();
      }
      appender.flushSync();
      onRows((total += rows.length));
    }
  } finally {
    try {
      appender.closeSync();
    } catch {
      // closing after a failed append fails too; the scratch table is dropped by the caller
    }
    await cursor.close().catch(() => undefined);
  }
}

/** One scan: for each column, does every non-NULL text convert to its mapped type? */
async function columnsThatFit(duckdb: DuckDBConnection, table: string, names: readonly string[], mapped: readonly MappedType[]): Promise<boolean[]> {
  const checks = names
    .map((_, i) => ({ i, tryCast: mapped[i].tryCast }))
    .filter((c) => c.tryCast !== undefined)
    .map(({ i, tryCast }) => `count(*) FILTER (WHERE ${quoteIdent(names[i])} IS NOT NULL AND ${tryCast!(quoteIdent(names[i]))} IS NULL) AS ${quoteIdent(`c${i}`)}`);
  if (checks.length === 0) return names.map(() => true);
  const [row] = await queryRows<Record<string, string>>(duckdb, `SELECT ${checks.join(', ')} FROM ${quoteIdent(table)}`);
  return names.map((_, i) => row[`c${i}`] === undefined || Number(row[`c${i}`]) === 0);
}

export const postgresLoader: SourceLoader = { type: 'postgres', strength: 'strong', load: loadPostgres };
