/**
 * Which file extensions staging understands, and what a file's base name is without them.
 */
import { closeSync, openSync, readSync } from 'node:fs';

/** Source types read from files (everything except `postgres`). */
export const FILE_SOURCE_TYPES = ['csv', 'tsv', 'json', 'ndjson', 'parquet', 'duckdb', 'sqlite'] as const;
export type FileSourceType = (typeof FILE_SOURCE_TYPES)[number];

/** Extensions, longest first so `.csv.gz` wins over `.gz`. Compressed text is read by DuckDB directly. */
const EXTENSIONS: readonly (readonly [string, FileSourceType])[] = [
  ['.csv.gz', 'csv'], ['.csv.zst', 'csv'], ['.tsv.gz', 'tsv'], ['.tab.gz', 'tsv'],
  ['.ndjson.gz', 'ndjson'], ['.jsonl.gz', 'ndjson'], ['.json.gz', 'json'],
  ['.csv', 'csv'], ['.tsv', 'tsv'], ['.tab', 'tsv'],
  ['.ndjson', 'ndjson'], ['.jsonl', 'ndjson'], ['.json', 'json'],
  ['.parquet', 'parquet'], ['.pq', 'parquet'],
  ['.duckdb', 'duckdb'], ['.ddb', 'duckdb'],
  ['.sqlite', 'sqlite'], ['.sqlite3', 'sqlite'], ['.db', 'sqlite'],
];

/** Every extension staging recognises, for error messages. */
export const SUPPORTED_EXTENSIONS: readonly string[] = EXTENSIONS.map(([ext]) => ext);

/**
 * The source type a file name implies, or undefined.
 *
 * @example
 * ```ts
 * fileTypeOf('data/2024 sales.CSV'); // 'csv'
 * fileTypeOf('events.jsonl.gz');     // 'ndjson'
 * fileTypeOf('notes.docx');          // undefined
 * ```
 */
export function fileTypeOf(fileName: string): FileSourceType | undefined {
  const lower = fileName.toLowerCase();
  return EXTENSIONS.find(([ext]) => lower.endsWith(ext))?.[1];
}

/**
 * A file's name without directory and without its (recognised) extension.
 *
 * @example
 * ```ts
 * baseNameOf('/data/Airports.csv'); // 'Airports'
 * baseNameOf('x/y.tsv.gz');         // 'y'
 * ```
 */
export function baseNameOf(filePath: string): string {
  const name = filePath.replace(/[\\/]+$/, '').split(/[\\/]/).pop() ?? filePath;
  const lower = name.toLowerCase();
  const ext = EXTENSIONS.find(([e]) => lower.endsWith(e))?.[0];
  if (ext && name.length > ext.length) return name.slice(0, -ext.length);
  const dot = name.lastIndexOf('.');
  return dot > 0 ? name.slice(0, dot) : name;
}

/**
 * The source type of a file on disk: its extension, except that a `.db` file is checked by its
 * first bytes (both SQLite and DuckDB files are commonly named `.db`).
 *
 * @example
 * ```ts
 * fileTypeOfPath('warehouse.db'); // 'duckdb' when the file starts like a DuckDB database
 * ```
 */
export function fileTypeOfPath(path: string): FileSourceType | undefined {
  const byName = fileTypeOf(path);
  if (!path.toLowerCase().endsWith('.db')) return byName;
  const head = Buffer.alloc(16);
  let fd: number | undefined;
  try {
    fd = openSync(path, 'r');
    readSync(fd, head, 0, 16, 0);
  } catch {
    return byName;
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
  if (head.toString('latin1', 8, 12) === 'DUCK') return 'duckdb';
  return byName; // 'SQLite format 3\0', or unknown: SQLite says so clearly if it isn't one
}
