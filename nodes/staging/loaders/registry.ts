/**
 * Source loaders, keyed by source type. A loader reads one source (a file, a glob of files, or a
 * database) into `raw_<table>` DuckDB tables and says what it staged. Adding a source type means
 * adding one loader file and one line here.
 */
import type { DuckDBConnection } from '../../duckdb.ts';
import { StagingError } from '../errors.ts';
import type { SourceConfig } from '../source-config.ts';
import type { StagedTable, TypeStrength } from '../types.ts';
import { csvLoader, tsvLoader } from './csv-loader.ts';
import { duckdbLoader } from './duckdb-loader.ts';
import { jsonLoader, ndjsonLoader } from './json-loader.ts';
import { parquetLoader } from './parquet-loader.ts';
import { postgresLoader } from './postgres-loader.ts';
import { sqliteLoader } from './sqlite-loader.ts';

/** What a loader may ask of the staging run around it. */
export interface LoadContext {
  /**
   * A unique, sanitized table name for the source's own name of a table (file base name, table
   * name), never one another source's tables carry. `identity` (the file's name, the source
   * table's name: what the table's originalName records; `original` when not given) keeps the
   * name an earlier run gave it.
   */
  claimTableName(original: string, identity?: string): string;
  /** Something the user should know that did not stop the load (skipped empty file, lossy mapping...). */
  warn(message: string): void;
  /** Rows per batch for loaders that stream through JavaScript (SQLite, PostgreSQL). */
  readonly batchSize: number;
  /** Called by streaming loaders after each batch is appended: the source table and its rows so far. */
  readonly onRows?: (table: string, rows: number) => void;
  /** At most this many rejected rows are returned in `StagedTable.rejects` (all are in the rejects table). */
  readonly maxReturnedRejects: number;
}

export interface SourceLoader {
  readonly type: string;
  readonly strength: TypeStrength;
  /** Creates or replaces `raw_<table>` for every table of the source; never appends to an old one. */
  load(config: SourceConfig, duckdb: DuckDBConnection, ctx: LoadContext): Promise<StagedTable[]>;
}

const LOADERS: ReadonlyMap<string, SourceLoader> = new Map(
  [csvLoader, tsvLoader, jsonLoader, ndjsonLoader, parquetLoader, duckdbLoader, sqliteLoader, postgresLoader].map(
    (loader) => [loader.type, loader] as const,
  ),
);

/** Source types that have a loader. */
export function loaderTypes(): string[] {
  return [...LOADERS.keys()];
}

/**
 * The loader for a source type.
 *
 * @example
 * ```ts
 * getLoader('parquet').strength; // 'strong'
 * ```
 */
export function getLoader(type: string): SourceLoader {
  const loader = LOADERS.get(type);
  if (!loader)
    throw new StagingError('UNKNOWN_SOURCE_TYPE', `No loader for source type '${type}'. Known types: ${loaderTypes().join(', ')}.`, { subject: type });
  return loader;
}
