/**
 * Turning a config's `path` / `file_pattern` into the list of files to read, with clear errors for
 * missing, empty and unreadable files.
 */
import { accessSync, constants, statSync } from 'node:fs';
import { isAbsolute, join } from 'node:path';
import { queryRows, type DuckDBConnection } from '../duckdb.ts';
import { StagingError } from './errors.ts';

export interface ResolvedFiles {
  /** Files to read, sorted, each non-empty and readable. */
  readonly files: string[];
  /** Empty files of a glob, left out (a single empty file is an error instead). */
  readonly skippedEmpty: string[];
}

/** The glob a config describes: `file_pattern`, relative to `path` when both are given. */
export function globOf(config: { path?: string; file_pattern?: string }): string | undefined {
  if (!config.file_pattern) return undefined;
  if (config.path && !isAbsolute(config.file_pattern)) return join(config.path, config.file_pattern);
  return config.file_pattern;
}

/**
 * Expands the config's file or glob (DuckDB's `glob()`, the same matcher its readers use).
 *
 * @example
 * ```ts
 * await resolveFiles(duckdb, { file_pattern: 'data/part-*.csv' });
 * // { files: ['data/part-1.csv', 'data/part-2.csv'], skippedEmpty: [] }
 * ```
 */
export async function resolveFiles(duckdb: DuckDBConnection, config: { path?: string; file_pattern?: string }): Promise<ResolvedFiles> {
  const pattern = globOf(config);
  if (pattern === undefined) {
    const path = config.path ?? '';
    checkFile(path);
    return { files: [path], skippedEmpty: [] };
  }
  const matched = (await queryRows<{ file: string }>(duckdb, 'SELECT file FROM glob($1) ORDER BY file', [pattern])).map((r) => r.file);
  const files = matched.filter((f) => statSync(f, { throwIfNoEntry: false })?.isFile());
  if (files.length === 0)
    throw new StagingError('SOURCE_NOT_FOUND', `No files match the pattern '${pattern}'. Check the folder and the pattern (relative paths start at ${process.cwd()}).`, { subject: pattern });
  const skippedEmpty = files.filter((f) => statSync(f).size === 0);
  const nonEmpty = files.filter((f) => statSync(f).size > 0);
  if (nonEmpty.length === 0)
    throw new StagingError('EMPTY_SOURCE', `All ${files.length} file(s) matching '${pattern}' are empty: nothing to stage.`, { subject: pattern });
  for (const f of nonEmpty) checkReadable(f);
  return { files: nonEmpty, skippedEmpty };
}

/** Throws a StagingError unless `path` is a readable, non-empty file. */
export function checkFile(path: string): void {
  const stats = statSync(path, { throwIfNoEntry: false });
  if (!stats)
    throw new StagingError('SOURCE_NOT_FOUND', `File '${path}' does not exist. Check the path (relative paths start at ${process.cwd()}).`, { subject: path });
  if (stats.isDirectory())
    throw new StagingError('UNREADABLE_SOURCE', `'${path}' is a folder, not a file. Use source_type 'folder' to stage every file in it, or file_pattern to load matching files into one table.`, { subject: path });
  if (!stats.isFile())
    throw new StagingError('UNREADABLE_SOURCE', `'${path}' is not a regular file (a device, socket or pipe?).`, { subject: path });
  checkReadable(path);
  if (stats.size === 0)
    throw new StagingError('EMPTY_SOURCE', `File '${path}' is empty (0 bytes): nothing to stage. Check that the export that wrote it finished.`, { subject: path });
}

function checkReadable(path: string): void {
  try {
    accessSync(path, constants.R_OK);
  } catch (error) {
    throw new StagingError('UNREADABLE_SOURCE', `File '${path}' cannot be read (${(error as NodeJS.ErrnoException).code ?? 'permission denied'}). Check its permissions.`, { subject: path, cause: error });
  }
}
