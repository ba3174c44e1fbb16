/**
 * The staging nodes of the `ingest` dataflow: validate the source config, then load every table of
 * the source into `raw_<table>` DuckDB tables (replacing earlier loads) and describe what was staged.
 */
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { StoreContext } from '../../store/index.ts';
import type { DuckDBConnection } from '../duckdb.ts';
import { StagingError } from './errors.ts';
import { SUPPORTED_EXTENSIONS, baseNameOf, fileTypeOfPath } from './file-types.ts';
import { getLoader, type LoadContext } from './loaders/registry.ts';
import { parseSourceConfig, sourceConfigFromPath, type SourceConfig } from './source-config.ts';
import { NO_SOURCE_TABLES, dropGoneTables, sourceTables, tableNameClaimer, type SourceTables } from './source-tables.ts';
import type { StagedTable, StagingResult } from './types.ts';
import type { SourceSnapshot } from './source-snapshot.ts';

export type { SourceConfig } from './source-config.ts';

/**
 * The validated source config. `source` is a config object (YAML/JSON) or a path to a file or folder.
 *
 * @example
 * ```ts
 * sourceConfig({ source_type: 'csv', path: 'data/airports.csv' }).name; // 'airports'
 * sourceConfig('data/').source_type;                                   // 'folder'
 * ```
 */
export function sourceConfig(source: unknown): SourceConfig {
  return typeof source === 'string' ? sourceConfigFromPath(source) : parseSourceConfig(source);
}

/**
 * Loads the source into DuckDB: one `raw_<table>` per table, created or replaced.
 *
 * With the metadata `store`, a table name another source's tables already carry gets this source's
 * name in front instead of replacing them, and the DuckDB tables of tables this source no longer
 * has are dropped; both are reported in `warnings`.
 *
 * @example
 * ```ts
 * const duckdb = await openDuckDB(':memory:');
 * const result = await staging(sourceConfig('node_modules/vega-datasets/data/airports.csv'), duckdb);
 * result.tables[0].rawTable; // 'raw_airports'
 * result.tables[0].rowCount; // 3376
 * ```
 */
export async function staging(sourceConfig: SourceConfig, duckdb: DuckDBConnection, sourceSnapshot?: SourceSnapshot, store?: StoreContext): Promise<StagingResult> {
  // `sourceSnapshot` is consumed for its version only: a changed file changes this node's cache key.
  void sourceSnapshot;
  return _stageSource(sourceConfig, duckdb, store ? { store } : {});
}

export interface StageOptions {
  /** Rows per batch when streaming from SQLite/PostgreSQL (default 10,000). */
  readonly batchSize?: number;
  /** Progress of streamed tables (SQLite, PostgreSQL): called after each batch with the rows so far. */
  readonly onRows?: (table: string, rows: number) => void;
  /** Rejected rows returned per table (default 1,000; all of them are in the rejects table). */
  readonly maxReturnedRejects?: number;
  /** The metadata store: which table names other sources own, which tables this source had. */
  readonly store?: StoreContext;
}

/**
 * {@link staging} with tuning options.
 *
 * @example
 * ```ts
 * await _stageSource(parseSourceConfig({ source_type: 'sqlite', path: 'app.db' }), duckdb, { batchSize: 1000 });
 * ```
 */
export async function _stageSource(config: SourceConfig, duckdb: DuckDBConnection, options: StageOptions = {}): Promise<StagingResult> {
  const warnings: string[] = [];
  const warn = (message: string) => void warnings.push(message);
  const known = options.store ? await sourceTables(options.store, config.name) : NO_SOURCE_TABLES;
  const ctx: LoadContext = {
    claimTableName: tableNameClaimer(config.name, known, warn),
    warn,
    batchSize: options.batchSize ?? 10_000,
    maxReturnedRejects: options.maxReturnedRejects ?? 1_000,
    ...(options.onRows ? { onRows: options.onRows } : {}),
  };
  const emptied: string[] = [];
  const units = _loadUnits(config, warnings, emptied);
  refuseEmptiedFiles(config, known, units, emptied);
  const tables: StagedTable[] = [];
  for (const unit of units) tables.push(...(await getLoader(unit.source_type).load(unit, duckdb, ctx)));
  await dropGoneTables(duckdb, config.name, known, tables.map((t) => t.name), warn);
  return { sourceName: config.name, sourceType: config.source_type, tables, warnings };
}

/**
 * A folder file that is empty now but whose table was staged before is a truncated export more
 * often than a deletion: dropping its tables would lose data on bad input, so staging stops and
 * changes nothing. The names the files present will take are claimed as the loaders claim them;
 * an earlier table none of them accounts for may be an emptied file's. (With no earlier table
 * unaccounted for, the empty files are new and only skipped; a removed file drops its tables.)
 */
function refuseEmptiedFiles(config: SourceConfig, known: SourceTables, units: readonly SourceConfig[], emptied: readonly string[]): void {
  if (emptied.length === 0 || known.previous.size === 0) return;
  const claim = tableNameClaimer(config.name, known, () => undefined);
  // A database file's tables are named after the tables inside it: it accounts for none up front.
  const files = units.filter((u) => !DATABASE_FILES.has(u.source_type)).map((u) => ({ base: baseNameOf(u.path ?? u.name), file: (u.path ?? '').split(/[\\/]/).pop() ?? '' }));
  const named = new Set(files.map((f) => claim(f.base, f.file)));
  // A JSON file's arrays of records are tables named by the file and the array's JSON Pointer.
  for (const [identity, name] of known.held) if (files.some((f) => identity.startsWith(`${f.file}#/`))) named.add(name);
  const unaccounted = [...known.previous].filter((n) => !named.has(n)).sort();
  if (unaccounted.length === 0) return;
  throw new StagingError(
    'EMPTY_SOURCE',
    `${emptied.map((f) => `'${f}'`).join(', ')} ${emptied.length === 1 ? 'is' : 'are'} empty (0 bytes), and source '${config.name}' had table(s) ${unaccounted.join(', ')} ` +
      `that no other file accounts for: a truncated export? Nothing was staged or dropped. Restore the file(s), or delete the empty file(s) from the folder to drop those tables.`,
    { subject: emptied[0] },
  );
}

const DATABASE_FILES: ReadonlySet<string> = new Set(['sqlite', 'duckdb']);

/**
 * What to hand to loaders: the config itself, or, for a folder, one config per file (each file a
 * table, its type from its extension).
 */
export function _loadUnits(config: SourceConfig, warnings: string[] = [], skippedEmpty: string[] = []): SourceConfig[] {
  const isFolder = config.source_type === 'folder' || (config.path !== undefined && config.file_pattern === undefined && statSync(config.path, { throwIfNoEntry: false })?.isDirectory());
  if (!isFolder || config.source_type === 'postgres') return [config];
  const folder = config.path ?? '';
  const stats = statSync(folder, { throwIfNoEntry: false });
  if (!stats) throw new StagingError('SOURCE_NOT_FOUND', `Folder '${folder}' does not exist. Check the path (relative paths start at ${process.cwd()}).`, { subject: folder });
  if (!stats.isDirectory()) throw new StagingError('UNREADABLE_SOURCE', `'${folder}' is a file, not a folder; use its own source_type (e.g. csv) to stage a single file.`, { subject: folder });
  const units: SourceConfig[] = [];
  const unreadable: string[] = [];
  const subfolders: string[] = [];
  for (const entry of readdirSync(folder).sort()) {
    // Hidden entries (.DS_Store, .git) are the system's, not data.
    if (entry.startsWith('.')) continue;
    const file = join(folder, entry);
    const type = fileTypeOfPath(file);
    const fileStats = statSync(file, { throwIfNoEntry: false });
    if (fileStats?.isDirectory()) subfolders.push(entry);
    if (!fileStats?.isFile()) continue;
    if (!type) unreadable.push(entry);
    if (!type || (config.source_type !== 'folder' && type !== config.source_type)) continue;
    if (fileStats.size === 0) {
      warnings.push(`Skipped empty file '${file}' (0 bytes).`);
      skippedEmpty.push(file);
      continue;
    }
    units.push(Object.freeze({ ...config, source_type: type, path: file }));
  }
  if (unreadable.length > 0 && units.length > 0) {
    const shown = unreadable.length > 10 ? `${unreadable.slice(0, 10).join(', ')} and ${unreadable.length - 10} more` : unreadable.join(', ');
    warnings.push(`Skipped ${unreadable.length} file(s) in '${folder}' that staging cannot read: ${shown} (supported: ${SUPPORTED_EXTENSIONS.join(' ')}).`);
  }
  if (subfolders.length > 0 && units.length > 0) {
    const shown = subfolders.length > 10 ? `${subfolders.slice(0, 10).join(', ')} and ${subfolders.length - 10} more` : subfolders.join(', ');
    warnings.push(`Did not look into ${subfolders.length} subfolder(s) of '${folder}': ${shown}. Stage each as a source of its own, or name files across folders with file_pattern (e.g. '${join(folder, '**', '*.csv')}').`);
  }
  if (units.length === 0)
    throw new StagingError(
      'SOURCE_NOT_FOUND',
      `Folder '${folder}' holds no ${config.source_type === 'folder' ? 'supported' : config.source_type} file to stage (supported: ${SUPPORTED_EXTENSIONS.join(' ')}).`,
      { subject: folder },
    );
  return units;
}
