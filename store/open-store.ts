/**
 * Opening the metadata store: picks the dialect, installs the plugins that make both dialects
 * behave the same, and migrates to the latest schema.
 */
import { CamelCasePlugin, Kysely, Migrator, sql, type Dialect, type Transaction } from 'kysely';
import { postgresDialect, redactUrl } from './dialects/postgres.ts';
import { sqliteDialect } from './dialects/sqlite.ts';
import { StoreError } from './errors.ts';
import { migrationProvider, migrations } from './migrations/index.ts';
import type { Database } from './schema/database.ts';
import { ValueCodecPlugin, type StoreDialect } from './value-codec-plugin.ts';

export const DEFAULT_SQLITE_PATH = '.dataraum/metadata.sqlite';
export const DATABASE_URL_ENV = 'DATARAUM_DATABASE_URL';

export interface OpenStoreOptions {
  /** A `postgres://` or `postgresql://` URL. Wins over DATARAUM_DATABASE_URL. */
  readonly url?: string;
  /**
   * SQLite file (created with its directory), or `':memory:'`; used when neither `url` nor
   * DATARAUM_DATABASE_URL is set. Default `.dataraum/metadata.sqlite`.
   */
  readonly sqlitePath?: string;
}

export interface Store {
  /** The query builder: camelCase names here, snake_case in SQL. */
  readonly db: Kysely<Database>;
  readonly dialect: StoreDialect;
  /** Where the store lives: the SQLite path or the PostgreSQL URL without its password. */
  readonly location: string;
  /**
   * Runs `fn` in one transaction: committed when it resolves, rolled back when it throws.
   * SQLite: keep one store per file per process; better-sqlite3 waits for another connection's
   * lock synchronously, so two stores of one process writing at once can stall each other.
   */
  transaction<T>(fn: (trx: Transaction<Database>) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

/**
 * Opens the metadata store and migrates it to the latest schema (a no-op when it is current).
 *
 * PostgreSQL when `url` (or else DATARAUM_DATABASE_URL) is set, otherwise SQLite at `sqlitePath`
 * (default `.dataraum/metadata.sqlite`). Concurrent opens of one database are safe: PostgreSQL
 * migrations hold an advisory lock, SQLite ones the database's write lock.
 *
 * @example
 * ```ts
 * import { openStore, upsertSource } from 'dataraum/store';
 * const store = await openStore({ sqlitePath: ':memory:' });
 * const source = await upsertSource(store, 'airports', 'csv', { path: 'airports.csv' });
 * const rows = await store.db.selectFrom('sources').selectAll().execute();
 * await store.close();
 * ```
 */
export async function openStore(opts: OpenStoreOptions = {}): Promise<Store> {
  const target = resolveTarget(opts);
  let dialect: Dialect;
  let location: string;
  if (target.dialect === 'postgres') {
    dialect = postgresDialect(target.url).dialect;
    location = redactUrl(target.url);
  } else {
    dialect = sqliteDialect(target.path);
    location = target.path;
  }
  const db = new Kysely<Database>({
    dialect,
    // Order matters: the codec reads the snake_case names CamelCasePlugin produces.
    // maintainNestedObjectKeys: JSON values are data; without it, keys inside jsonb objects (which
    // pg has already parsed) would be camelCased on PostgreSQL but not on SQLite.
    plugins: [new CamelCasePlugin({ maintainNestedObjectKeys: true }), new ValueCodecPlugin(target.dialect)],
  });
  try {
    await migrateToLatest(db, target.dialect, location);
  } catch (error) {
    await db.destroy().catch(() => {});
    throw error;
  }
  return Object.freeze({
    db,
    dialect: target.dialect,
    location,
    transaction: <T>(fn: (trx: Transaction<Database>) => Promise<T>) => db.transaction().execute(fn),
    close: () => db.destroy(),
  });
}

type Target = { dialect: 'postgres'; url: string } | { dialect: 'sqlite'; path: string };

function resolveTarget(opts: OpenStoreOptions): Target {
  if (opts.url) return postgresTarget(opts.url, 'the url option');
  const env = process.env[DATABASE_URL_ENV];
  if (env) return postgresTarget(env, DATABASE_URL_ENV);
  return { dialect: 'sqlite', path: opts.sqlitePath ?? DEFAULT_SQLITE_PATH };
}

function postgresTarget(url: string, from: string): Target {
  if (/^postgres(ql)?:\/\//i.test(url)) return { dialect: 'postgres', url };
  throw new StoreError(
    'INVALID_URL',
    `Unsupported metadata store URL in ${from}: '${redactUrl(url)}'. Use postgres://user:password@host:5432/database, ` +
      `or leave it unset to use SQLite at ${DEFAULT_SQLITE_PATH} (or the sqlitePath option).`,
  );
}

/** Migrates `db` to the latest schema. Exported for tests and `dataraum` maintenance commands. */
export async function migrateToLatest(db: Kysely<Database>, dialect: StoreDialect, location: string): Promise<void> {
  // Migrations write snake_case SQL themselves; the store's plugins must not rewrite it.
  const plain = db.withoutPlugins();
  const migrator = new Migrator({ db: plain, provider: migrationProvider(dialect) });
  if (dialect === 'postgres') {
    // Migrator takes a PostgreSQL advisory lock and runs each migration in a transaction.
    report(await migrator.migrateToLatest(), location);
    return;
  }
  // Already current (the usual case): done without taking the write lock. better-sqlite3 waits
  // for a lock synchronously, so two stores on one file in one process must not both hold it.
  if (!(await sqliteHasPendingMigrations(plain, dialect))) return;
  // Kysely's SQLite adapter neither locks nor wraps migrations in a transaction. The dialect has
  // a single connection, so BEGIN IMMEDIATE here makes the whole run one transaction holding the
  // write lock: another process opening the same file waits (busy_timeout), then sees it done.
  await sql`begin immediate`.execute(plain);
  let result: Awaited<ReturnType<Migrator['migrateToLatest']>>;
  try {
    result = await migrator.migrateToLatest();
  } catch (error) {
    await sql`rollback`.execute(plain);
    throw wrap(error, undefined, location);
  }
  if (result.error) {
    await sql`rollback`.execute(plain);
    report(result, location);
  }
  await sql`commit`.execute(plain);
}

async function sqliteHasPendingMigrations(plain: Kysely<any>, dialect: StoreDialect): Promise<boolean> {
  const { rows } = await sql<{ name: string }>`select name from sqlite_master where type = 'table' and name = 'kysely_migration'`.execute(plain);
  if (!rows.length) return true;
  const applied = new Set((await plain.selectFrom('kysely_migration').select('name').execute()).map((r: { name: string }) => r.name));
  return Object.keys(migrations(dialect)).some((name) => !applied.has(name));
}

function report(result: Awaited<ReturnType<Migrator['migrateToLatest']>>, location: string): void {
  if (!result.error) return;
  const failed = result.results?.find((r) => r.status === 'Error')?.migrationName;
  throw wrap(result.error, failed, location);
}

// Connection-level failures (node's errno codes, PostgreSQL's auth / missing database SQLSTATEs).
const CONNECTION_CODES = new Set(['ECONNREFUSED', 'ENOTFOUND', 'ETIMEDOUT', 'ECONNRESET', 'EHOSTUNREACH', '28P01', '28000', '3D000']);

function wrap(error: unknown, migration: string | undefined, location: string): StoreError {
  const reason = error instanceof Error ? error.message || String((error as { code?: unknown }).code ?? error) : String(error);
  const code = String((error as { code?: unknown } | undefined)?.code ?? '');
  if (CONNECTION_CODES.has(code) || error instanceof AggregateError) {
    return new StoreError(
      'OPEN_FAILED',
      `Cannot connect to the metadata store at ${location}: ${reason}. Check ${DATABASE_URL_ENV} (or the url option) and that the server is running and reachable.`,
      { cause: error },
    );
  }
  const advice = /corrupted migrations/i.test(reason)
    ? 'This store was probably written by a newer dataraum: upgrade dataraum, or point it at another store.'
    : 'The store is left at its last completed migration; fix the cause and open it again.';
  return new StoreError(
    'MIGRATION_FAILED',
    `Cannot migrate the metadata store at ${location}${migration ? ` (migration ${migration})` : ''}: ${reason}. ${advice}`,
    { cause: error },
  );
}
