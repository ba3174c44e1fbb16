/** The SQLite side of the store: one better-sqlite3 connection with WAL, foreign keys and a busy timeout. */
import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { SqliteDialect } from 'kysely';
import { StoreError } from '../errors.ts';

/** How long a writer waits for another process's lock before SQLITE_BUSY. */
export const SQLITE_BUSY_TIMEOUT_MS = 10_000;

export function sqliteDialect(path: string): SqliteDialect {
  let database: BetterSqlite3.Database;
  try {
    if (path !== ':memory:') mkdirSync(dirname(resolve(path)), { recursive: true });
    database = new BetterSqlite3(path, { timeout: SQLITE_BUSY_TIMEOUT_MS });
    // WAL lets readers run beside the one writer; it is meaningless for ':memory:'.
    if (path !== ':memory:') database.pragma('journal_mode = WAL');
    database.pragma('foreign_keys = ON');
    database.pragma(`busy_timeout = ${SQLITE_BUSY_TIMEOUT_MS}`);
    database.pragma('synchronous = NORMAL');
  } catch (error) {
    throw new StoreError(
      'OPEN_FAILED',
      `Cannot open the SQLite metadata store at ${path}: ${(error as Error).message}. ` +
        'Check that the directory is writable and the file is a SQLite database (or pass another sqlitePath).',
      { cause: error },
    );
  }
  return new SqliteDialect({ database });
}
