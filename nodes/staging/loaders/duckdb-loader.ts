/**
 * A DuckDB database file: attached read-only, the requested tables (and views) copied into
 * `raw_<table>` with their types (strong), one `CREATE TABLE ... AS SELECT` per table.
 *
 * A view DuckDB cannot bind (it names a table that was dropped) is skipped with a warning, so the
 * file's other tables still load; named in `tables`, it fails the source instead.
 */
import { resolve } from 'node:path';
import { queryRows, quoteIdent, quoteLiteral, type DuckDBConnection } from '../../duckdb.ts';
import { StagingError, firstLine } from '../errors.ts';
import { uniqueNames } from '../names.ts';
import type { SourceConfig } from '../source-config.ts';
import { checkFile } from '../source-files.ts';
import type { StagedTable } from '../types.ts';
import type { LoadContext, SourceLoader } from './registry.ts';
import { committedTable, rawTableName, rejectsTableName, scratchName, withTableSwap } from './raw-table.ts';
import { brokenView, displayName, selectTables, tableOriginals, type SourceTable } from './table-selection.ts';

async function loadDuckDBFile(config: SourceConfig, duckdb: DuckDBConnection, ctx: LoadContext): Promise<StagedTable[]> {
  const path = config.path ?? '';
  checkFile(path);
  const attached = await queryRows<{ database_name: string; path: string | null }>(duckdb, 'SELECT database_name, path FROM duckdb_databases()');
  // The file may be the very database we stage into: read it directly instead of attaching it twice.
  const already = attached.find((d) => d.path && resolve(d.path) === resolve(path));
  const alias = already?.database_name ?? scratchName('src');
  if (!already) {
    try {
      await duckdb.run(`ATTACH ${quoteLiteral(path)} AS ${quoteIdent(alias)} (READ_ONLY)`);
    } catch (error) {
      throw new StagingError('UNREADABLE_SOURCE', `Cannot open '${path}' as a DuckDB database: ${firstLine(error)}. Is it a DuckDB file (and not in use by a writer)?`, { subject: path, cause: error });
    }
  }
  try {
    const schemaFilter = config.schema ? 'AND table_schema = $2' : '';
    const available = await queryRows<{ table_schema: string; table_name: string; table_type: string }>(
      duckdb,
      `SELECT table_schema, table_name, table_type FROM information_schema.tables
       WHERE table_catalog = $1 ${schemaFilter} AND table_name NOT LIKE '\\_\\_dataraum\\_%' ESCAPE '\\'
       ORDER BY table_schema, table_name`,
      config.schema ? [alias, config.schema] : [alias],
    );
    const tables = selectTables(
      available.map((t) => ({ schema: t.table_schema, table: t.table_name })),
      config.tables,
      `DuckDB file '${path}'${config.schema ? ` (schema ${config.schema})` : ''}`,
      config.schema ?? 'main',
    );
    if (tables.length === 0) ctx.warn(`DuckDB file '${path}' has no tables${config.schema ? ` in schema ${config.schema}` : ''}.`);
    const originals = tableOriginals(tables, config.schema ?? 'main');
    const views = new Set(available.filter((t) => t.table_type === 'VIEW').map((t) => JSON.stringify([t.table_schema, t.table_name])));
    const staged: StagedTable[] = [];
    for (const [i, t] of tables.entries()) {
      if (views.has(JSON.stringify([t.schema, t.table]))) {
        try {
          // Binding the view's query resolves its tables without running it.
          (await duckdb.prepare(`SELECT * FROM ${sourceOf(alias, t)}`)).destroySync();
        } catch (error) {
          brokenView(displayName(t, config.schema ?? 'main'), `DuckDB file '${path}'`, firstLine(error), config.tables !== undefined, (m) => ctx.warn(m), error);
          continue;
        }
      }
      staged.push(await copyTable(duckdb, alias, t, originals[i], path, ctx));
    }
    return staged;
  } finally {
    if (!already) await duckdb.run(`DETACH ${quoteIdent(alias)}`).catch(() => undefined);
  }
}

async function copyTable(duckdb: DuckDBConnection, alias: string, t: SourceTable, originalName: string, path: string, ctx: LoadContext): Promise<StagedTable> {
  const name = ctx.claimTableName(originalName);
  const rawTable = rawTableName(name);
  const source = sourceOf(alias, t);
  const cols = (await queryRows<{ column_name: string }>(
    duckdb,
    `SELECT column_name FROM information_schema.columns WHERE table_catalog = $1 AND table_schema = $2 AND table_name = $3 ORDER BY ordinal_position`,
    [alias, t.schema, t.table],
  )).map((c) => c.column_name);
  const columns = uniqueNames(cols);
  await withTableSwap(duckdb, async (swap) => {
    swap.dropOnCommit(rejectsTableName(name));
    const build = swap.temp(rawTable);
    const select = cols.map((c, i) => `${quoteIdent(c)} AS ${quoteIdent(columns[i].name)}`).join(', ');
    try {
      await duckdb.run(`CREATE TABLE ${quoteIdent(build)} AS SELECT ${select} FROM ${source}`);
    } catch (error) {
      throw new StagingError('UNREADABLE_SOURCE', `Cannot copy table '${originalName}' of DuckDB file '${path}': ${firstLine(error)}.`, { subject: `${path}:${originalName}`, cause: error });
    }
  });
  return committedTable(duckdb, { name, originalName, rawTable, strength: 'strong', files: [path] }, cols);
}

/** The attached file's table, quoted. */
function sourceOf(alias: string, t: SourceTable): string {
  return `${quoteIdent(alias)}.${quoteIdent(t.schema)}.${quoteIdent(t.table)}`;
}

export const duckdbLoader: SourceLoader = { type: 'duckdb', strength: 'strong', load: loadDuckDBFile };
