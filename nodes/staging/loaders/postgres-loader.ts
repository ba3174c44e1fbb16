/**
 * PostgreSQL through `pg` + `pg-cursor`: each table streams through a server-side cursor in batches
 * into DuckDB's Appender as PostgreSQL's text output, then one DuckDB statement casts it to the
 * mapped types (strong). Memory is bounded by the batch size. All tables are read from one
 * read-only snapshot, so a source being written to is staged consistently. A relation the role
 * cannot read (no SELECT privilege, an unpopulated materialized view) is skipped with a warning
 * unless `tables:` names it, so the rest of the schema still loads.
 */
import pg from 'pg';
import Cursor from 'pg-cursor';
import { queryRows, quoteIdent, type DuckDBConnection } from '../../duckdb.ts';
import { StagingError, firstLine } from '../errors.ts';
import { uniqueNames } from '../names.ts';
import type { SourceConfig } from '../source-config.ts';
import type { StagedTable } from '../types.ts';
import { mapPgType, type MappedType, type PgColumn, type PgSession } from './postgres-types.ts';
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

/**
 * A driver message with the URL's password taken out. The user stays: `role "bob" does not exist`
 * is the cause the reader needs, and a user name is not a secret.
 */
function scrub(message: string, connectionString: string): string {
  let out = message;
  try {
    const url = new URL(connectionString);
    for (const secret of [url.password, decodeURIComponent(url.password)])
      if (secret) out = out.split(secret).join('***');
  } catch {
    // nothing to scrub that we could identify; the message comes from the driver, not the string
  }
  return out.split(connectionString).join('***');
}

/** Every value as PostgreSQL's text output: exact, and DuckDB parses it. */
const TEXT_TYPES = { getTypeParser: () => (value: string) => value } as unknown as pg.CustomTypesConfig;

/**
 * Every setting the text output depends on, fixed for the transaction so a database's or role's
 * defaults (`ALTER DATABASE ... SET bytea_output = 'escape'`) can't change what mapPgType parses.
 * postgres_verbose is the IntervalStyle DuckDB reads with mixed signs (`@ 1 mon -1 days ago`).
 */
const OUTPUT_SETTINGS = [
  `SET LOCAL DateStyle = 'ISO, YMD'`,
  `SET LOCAL IntervalStyle = 'postgres_verbose'`,
  `SET LOCAL bytea_output = 'hex'`,
  `SET LOCAL TimeZone = 'UTC'`,
  `SET LOCAL extra_float_digits = 3`,
].join('; ');

/** SQLSTATEs of a relation the role cannot read: insufficient_privilege, and an unpopulated materialized view. */
const UNREADABLE_RELATION = new Set(['42501', '55000']);

const RELATION_KINDS: Record<string, string> = { r: 'table', p: 'table', v: 'view', m: 'materialized view', f: 'foreign table' };

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
    await client.query(OUTPUT_SETTINGS);
    const session: PgSession = {
      moneyScale: Number((await client.query<{ scale: number }>(`SELECT scale('0'::money::numeric) AS scale`)).rows[0].scale),
    };
    const schema = config.schema ?? 'public';
    const relations = (
      await client.query<{ table_name: string; relkind: string }>(
        `SELECT c.relname AS table_name, c.relkind FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
         WHERE n.nspname = $1 AND c.relkind IN ('r', 'p', 'v', 'm', 'f') AND NOT c.relispartition ORDER BY c.relname`,
        [schema],
      )
    ).rows;
    const kinds = new Map(relations.map((r) => [r.table_name, RELATION_KINDS[r.relkind] ?? 'relation']));
    const available = relations.map((r) => ({ schema, table: r.table_name }));
    if (available.length === 0) {
      const exists = await client.query('SELECT 1 FROM pg_namespace WHERE nspname = $1', [schema]);
      if (exists.rowCount === 0)
        throw new StagingError('TABLE_NOT_FOUND', `Schema '${schema}' not found in PostgreSQL database ${where}. Set schema in the source config to an existing one.`, { subject: schema });
    }
    const tables = selectTables(available, config.tables, `schema '${schema}' of PostgreSQL database ${where}`, schema);
    if (tables.length === 0) ctx.warn(`Schema '${schema}' of ${where} has no tables.`);
    const originals = tableOriginals(tables, schema);
    const staged: StagedTable[] = [];
    // Every relation is planned (and probed) before any is copied: a named one that can't be read
    // fails the source before anything is staged.
    const plans: { plan: TablePlan; originalName: string }[] = [];
    for (const [i, t] of tables.entries()) {
      const relation = { ...t, kind: kinds.get(t.table) ?? 'relation', requested: config.tables !== undefined };
      const plan = await planTable(client, relation, where, session, (m) => ctx.warn(m));
      if (plan) plans.push({ plan, originalName: originals[i] });
    }
    for (const { plan, originalName } of plans) staged.push(await copyTable(client, duckdb, plan, originalName, where, ctx));
    await client.query('COMMIT');
    return staged;
  } catch (error) {
    if (error instanceof StagingError) throw error;
    throw new StagingError('UNREADABLE_SOURCE', `Cannot read from PostgreSQL ${where}: ${scrub(firstLine(error), connectionString)}.`, { subject: where, cause: error });
  } finally {
    await client.end().catch(() => undefined);
  }
}

interface Relation extends SourceTable {
  /** `table`, `view`, `materialized view`... for messages. */
  readonly kind: string;
  /** Named under `tables:` (an unreadable one then fails the source instead of being skipped). */
  readonly requested: boolean;
}

/**
 * Each column's type with domains resolved through every level (a domain over a domain over
 * numeric(10,2) is numeric(10,2)), and for arrays the element type, resolved the same way. The
 * typmod is the column's, else the nearest domain's that has one; an array's typmod is its element's.
 * Only a type that is its element's canonical array counts as an array (not int2vector and kin).
 */
const COLUMNS_SQL = `
  WITH RECURSIVE chain AS (
    SELECT a.attnum, false AS elem, a.atttypid AS oid, a.atttypmod AS typmod, 0 AS depth
    FROM pg_attribute a WHERE a.attrelid = to_regclass($1) AND a.attnum > 0 AND NOT a.attisdropped
    UNION ALL
    SELECT c.attnum, c.elem OR t.typtype <> 'd',
           CASE WHEN t.typtype = 'd' THEN t.typbasetype ELSE t.typelem END,
           CASE WHEN t.typtype = 'd' AND c.typmod = -1 THEN t.typtypmod ELSE c.typmod END,
           c.depth + 1
    FROM chain c JOIN pg_type t ON t.oid = c.oid
    WHERE t.typtype = 'd'
       OR (NOT c.elem AND t.typelem <> 0 AND t.typlen = -1 AND EXISTS (SELECT 1 FROM pg_type e WHERE e.oid = t.typelem AND e.typarray = t.oid))
  ), resolved AS (
    SELECT DISTINCT ON (c.attnum, c.elem) c.attnum, c.elem, t.typname, t.typcategory, c.typmod, format_type(c.oid, c.typmod) AS formatted
    FROM chain c JOIN pg_type t ON t.oid = c.oid
    ORDER BY c.attnum, c.elem, c.depth DESC
  )
  SELECT a.attname AS name, b.typname, b.typcategory AS category, b.typmod, format_type(a.atttypid, a.atttypmod) AS formatted,
         e.typname AS elem_typname, e.typcategory AS elem_category, e.typmod AS elem_typmod, e.formatted AS elem_formatted
  FROM pg_attribute a
  JOIN resolved b ON b.attnum = a.attnum AND NOT b.elem
  LEFT JOIN resolved e ON e.attnum = a.attnum AND e.elem
  WHERE a.attrelid = to_regclass($1) AND a.attnum > 0 AND NOT a.attisdropped
  ORDER BY a.attnum`;

interface ColumnRow {
  name: string;
  typname: string;
  category: string;
  typmod: number;
  formatted: string;
  elem_typname: string | null;
  elem_category: string | null;
  elem_typmod: number | null;
  elem_formatted: string | null;
}

async function readColumns(client: pg.Client, qualified: string): Promise<PgColumn[]> {
  const { rows } = await client.query<ColumnRow>(COLUMNS_SQL, [qualified]);
  return rows.map((r) => ({
    name: r.name,
    typname: r.typname,
    category: r.category,
    typmod: Number(r.typmod),
    formatted: r.formatted,
    ...(r.elem_typname === null
      ? {}
      : { element: { name: r.name, typname: r.elem_typname, category: r.elem_category ?? '', typmod: Number(r.elem_typmod), formatted: r.elem_formatted ?? r.elem_typname } }),
  }));
}

/** The query streaming a relation: each column as the text its mapping casts. */
function selectSql(client: pg.Client, qualified: string, columns: readonly PgColumn[], mapped: readonly MappedType[]): string {
  const list = columns.map((c, i) => {
    const ident = client.escapeIdentifier(c.name);
    return mapped[i].select?.(ident) ?? ident;
  });
  return `SELECT ${list.join(', ')} FROM ${qualified}`;
}

/**
 * Whether the role can read the relation, asked before anything is staged: a savepoint keeps the
 * snapshot's transaction usable when it can't. Unreadable and named under `tables:` fails; else a
 * warning, and false so the caller skips it.
 */
async function readable(client: pg.Client, sql: string, relation: Relation, qualified: string, where: string, warn: (message: string) => void): Promise<boolean> {
  await client.query('SAVEPOINT dataraum_probe');
  try {
    await client.query(`${sql} LIMIT 0`);
    await client.query('RELEASE SAVEPOINT dataraum_probe');
    return true;
  } catch (error) {
    const code = (error as { code?: string }).code;
    if (!(error instanceof pg.DatabaseError) || !code || !UNREADABLE_RELATION.has(code)) throw error;
    await client.query('ROLLBACK TO SAVEPOINT dataraum_probe');
    const name = relation.table;
    const reason = firstLine(error);
    const fix =
      code === '55000'
        ? `Populate it (REFRESH MATERIALIZED VIEW ${qualified})`
        : `Grant the connecting role SELECT on it (GRANT SELECT ON ${qualified} TO ...)`;
    if (relation.requested)
      throw new StagingError('UNREADABLE_SOURCE', `The ${relation.kind} '${name}' of PostgreSQL ${where} cannot be read: ${reason}. ${fix}, or leave it out of tables: in the source config.`, { subject: name, cause: error });
    warn(`Skipped the ${relation.kind} '${name}' of PostgreSQL ${where}: it cannot be read (${reason}). ${fix} to stage it, or list the tables to stage under tables: in the source config.`);
    return false;
  }
}

/** How one relation is read: its columns, their mappings and the streaming query. */
interface TablePlan {
  readonly relation: Relation;
  readonly pgColumns: readonly PgColumn[];
  readonly mapped: readonly MappedType[];
  readonly sql: string;
}

/** The relation's plan, or undefined when the role can't read it and it is skipped (with a warning). */
async function planTable(client: pg.Client, relation: Relation, where: string, session: PgSession, warn: (message: string) => void): Promise<TablePlan | undefined> {
  const qualified = `${client.escapeIdentifier(relation.schema)}.${client.escapeIdentifier(relation.table)}`;
  const pgColumns = await readColumns(client, qualified);
  const mapped = pgColumns.map((c) => mapPgType(c, session));
  const sql = selectSql(client, qualified, pgColumns, mapped);
  return (await readable(client, sql, relation, qualified, where, warn)) ? { relation, pgColumns, mapped, sql } : undefined;
}

async function copyTable(client: pg.Client, duckdb: DuckDBConnection, { relation: t, pgColumns, mapped, sql }: TablePlan, originalName: string, where: string, ctx: LoadContext): Promise<StagedTable> {
  const name = ctx.claimTableName(originalName);
  const rawTable = rawTableName(name);
  const columns = uniqueNames(pgColumns.map((c) => c.name));
  for (const [i, m] of mapped.entries()) if (m.note) ctx.warn(`${originalName}.${pgColumns[i].name}: ${m.note}.`);

  await withTableSwap(duckdb, async (swap) => {
    swap.dropOnCommit(rejectsTableName(name));
    const build = swap.temp(rawTable);
    const text = scratchName('pg_text');
    try {
      await duckdb.run(`CREATE TABLE ${quoteIdent(text)} (${columns.map((c) => `${quoteIdent(c.name)} VARCHAR`).join(', ')})`);
      await streamRows(client, duckdb, sql, text, ctx.batchSize, (rows) => ctx.onRows?.(t.table, rows));
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
async function streamRows(client: pg.Client, duckdb: DuckDBConnection, sql: string, target: string, batchSize: number, onRows: (rows: number) => void): Promise<void> {
  const cursor = client.query(new Cursor<(string | null)[]>(sql, [], { rowMode: 'array', types: TEXT_TYPES }));
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
