/**
 * The version of the data behind a source. The cache keys a node on its inputs' values; a source
 * config is only a path, so without this a changed file would look unchanged. Files are versioned
 * by path, size and modification time (with their write-ahead logs); a database server can't be versioned cheaply, so it is
 * read again on every run.
 */
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { DuckDBConnection } from '../duckdb.ts';
import type { SourceConfig } from './source-config.ts';
import { globOf, resolveFiles } from './source-files.ts';

export interface SourceSnapshot {
  readonly files: readonly { readonly path: string; readonly size: number; readonly mtimeMs: number }[];
  /** Set for sources that can't be versioned (a server): a new value every run. */
  readonly readAt?: string;
}

/**
 * Sizes and modification times of the source's files; staging and everything after it run again
 * when they change.
 * @tag module=staging
 * @cache disable
 */
export async function sourceSnapshot(sourceConfig: SourceConfig, duckdb: DuckDBConnection): Promise<SourceSnapshot> {
  if (sourceConfig.source_type === 'postgres') return { files: [], readAt: new Date().toISOString() };
  let paths: string[];
  if (globOf(sourceConfig) !== undefined) paths = (await resolveFiles(duckdb, sourceConfig)).files;
  else if (sourceConfig.path && statSync(sourceConfig.path, { throwIfNoEntry: false })?.isDirectory()) {
    paths = readdirSync(sourceConfig.path).map((f) => join(sourceConfig.path!, f)).sort();
  } else paths = sourceConfig.path ? [sourceConfig.path] : [];
  const files = paths.flatMap((path) => {
    const s = statSync(path, { throwIfNoEntry: false });
    if (!s?.isFile()) return [];
    // A database file's committed changes may sit in its write-ahead log while a writer keeps it
    // open (SQLite's `-wal`, DuckDB's `.wal`): the main file's size and time alone would not move.
    const logs = WRITE_AHEAD_LOGS.flatMap((suffix) => {
      const log = statSync(path + suffix, { throwIfNoEntry: false });
      return log?.isFile() ? [{ path: path + suffix, size: log.size, mtimeMs: log.mtimeMs }] : [];
    });
    return [{ path, size: s.size, mtimeMs: s.mtimeMs }, ...logs];
  });
  return { files: [...new Map(files.map((f) => [f.path, f])).values()] };
}

const WRITE_AHEAD_LOGS = ['-wal', '.wal'] as const;
