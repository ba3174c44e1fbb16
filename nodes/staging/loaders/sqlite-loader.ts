/**
 * A SQLite file through better-sqlite3 (DuckDB's sqlite extension is not available offline).
 * SQLite columns hold any type in any row, so everything is staged as VARCHAR text (weak) and typing
 * re-infers it. Rows stream from an iterator into DuckDB's Appender, flushed every batch, so memory
 * stays bounded whatever the table's size.
 *
 * A view SQLite cannot read (it names a table that was dropped) is skipped with a warning, so the
 * file's other tables still load; named in `tables`, it fails the source instead.
 */
import Database from 'better-sqlite3';
import { quoteIdent, type DuckDBConnection } from '../../duckdb.ts';
import { StagingError, firstLine } from '../errors.ts';
import { uniqueNames } from '../names.ts';
import type { SourceConfig } from '../source-config.ts';
import { checkFile } from '../source-files.ts';
import type { SqliteStorageClass, StagedTable } from '../types.ts';
import type { LoadContext, SourceLoader } from './registry.ts';
import { committedTable, rawTableName, rejectsTableName, withTableSwap } from './raw-table.ts';
import { brokenView, selectTables, tableOriginals, type SourceTable } from './table-selection.ts';

/** SQLite quotes identifiers like DuckDB and PostgreSQL: `"a""b"`. */
const quoteSqlite = (name: string): string => `"${name.replaceAll('"', '""')}"`;

/** How SQLite stored a value, from what better-sqlite3 returns for it (integers as bigint). */
function storageClass(value: unknown): SqliteStorageClass {
  if (typeof value === 'bigint') return 'integer';
  if (typeof value === 'number') return 'real';
  if (Buffer.isBuffer(value)) return 'blob';
  return 'text';
}

/**
 * Text for one SQLite value; integers arrive as bigint so none loses digits, and a REAL's text is
 * the shortest that reads back as the same double.
 */
function asText(value: unknown): string | null {
  if (value === null || value === undefined) return null;
  if (typeof value === 'string') return value;
  if (typeof value === 'bigint' || typeof value === 'number') return value.toString();
  if (Buffer.isBuffer(value)) return `\\x${value.toString('hex')}`;
  return String(value);
}

async function loadSqlite(config: SourceConfig, duckdb: DuckDBConnection, ctx: LoadContext): Promise<StagedTable[]> {
  const path = config.path ?? '';
  checkFile(path);
  let db: Database.Database;
  let available: SourceTable[];
  let views: Set<string>;
  try {
    db = new Database(path, { readonly: true, fileMustExist: true });
    const objects = db
      .prepare<[], { name: string; type: string }>(`SELECT name, type FROM sqlite_schema WHERE type IN ('table', 'view') AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\' ORDER BY name`)
      .all();
    available = objects.map((r) => ({ schema: 'main', table: r.name }));
    views = new Set(objects.filter((r) => r.type === 'view').map((r) => r.name));
  } catch (error) {
    throw new StagingError('UNREADABLE_SOURCE', `Cannot open '${path}' as a SQLite database: ${firstLine(error)}. Is it a SQLite file?`, { subject: path, cause: error });
  }
  try {
    const tables = selectTables(available, config.tables, `SQLite file '${path}'`, 'main');
    if (tables.length === 0) ctx.warn(`SQLite file '${path}' has no tables.`);
    const originals = tableOriginals(tables, 'main');
    const staged: StagedTable[] = [];
    for (const [i, t] of tables.entries()) {
      let statement: Database.Statement;
      try {
        // SQLite resolves a view's tables when the query is prepared: a broken view fails here.
        statement = db.prepare(`SELECT * FROM ${quoteSqlite(t.table)}`);
      } catch (error) {
        if (!views.has(t.table))
          throw new StagingError('UNREADABLE_SOURCE', `Cannot read table '${t.table}' of SQLite file '${path}': ${firstLine(error)}.`, { subject: `${path}:${t.table}`, cause: error });
        brokenView(t.table, `SQLite file '${path}'`, firstLine(error), config.tables !== undefined, (m) => ctx.warn(m), error);
        continue;
      }
      staged.push(await copyTable(statement, duckdb, t.table, originals[i], path, ctx));
    }
    return staged;
  } finally {
    db.close();
  }
}

async function copyTable(query: Database.Statement, duckdb: DuckDBConnection, table: string, originalName: string, path: string, ctx: LoadContext): Promise<StagedTable> {
  const name = ctx.claimTableName(originalName);
  const rawTable = rawTableName(name);
  const statement = query.raw(true).safeIntegers(true);
  const sourceColumns = statement.columns().map((c) => c.name);
  const columns = uniqueNames(sourceColumns);
  const classes = columns.map(() => new Set<SqliteStorageClass>());
  await withTableSwap(duckdb, async (swap) => {
    swap.dropOnCommit(rejectsTableName(name));
    const build = swap.temp(rawTable);
    await duckdb.run(`CREATE TABLE ${quoteIdent(build)} (${columns.map((c) => `${quoteIdent(c.name)} VARCHAR`).join(', ')})`);
    const appender = await duckdb.createAppender(build);
    try {
      let inBatch = 0;
      let rows = 0;
      for (const row of statement.iterate() as IterableIterator<unknown[]>) {
        row.forEach((value, i) => {
          const text = asText(value);
          if (text === null) {
            appender.appendNull();
            return;
          }
          appender.appendVarchar(text);
          classes[i].add(storageClass(value));
        });
        appender.endRow();
        if (++inBatch >= ctx.batchSize) {
          appender.flushSync();
          ctx.onRows?.(table, (rows += inBatch));
          inBatch = 0;
          // Let timers and other I/O run between batches of a long synchronous iteration.
          await new Promise((r) => setImmediate(r));
        }
      }
      appender.flushSync();
      if (inBatch > 0) ctx.onRows?.(table, rows + inBatch);
    } catch (error) {
      throw new StagingError('UNREADABLE_SOURCE', `Cannot read table '${table}' of SQLite file '${path}': ${firstLine(error)}.`, { subject: `${path}:${table}`, cause: error });
    } finally {
      try {
        appender.closeSync();
      } catch {
        // A half-appended row makes close fail too; the scratch table is dropped by the swap anyway.
      }
    }
  });
  if (classes.some((c) => c.has('blob'))) ctx.warn(`Table '${table}' of '${path}' holds BLOB values; they are staged as hex text (\\x0a1b...).`);
  const staged = await committedTable(duckdb, { name, originalName, rawTable, strength: 'weak', files: [path] }, sourceColumns);
  // The staged text loses how SQLite stored each value; typing needs it (a REAL is exactly a DOUBLE).
  return { ...staged, columns: staged.columns.map((c, i) => ({ ...c, storageClasses: [...classes[i]].sort() })) };
}

export const sqliteLoader: SourceLoader = { type: 'sqlite', strength: 'weak', load: loadSqlite };
