/**
 * Where text sources keep their raw rows: one Parquet file per staged CSV/TSV table, with
 * `raw_<name>` a DuckDB view over it.
 *
 * Why not a DuckDB table: storing all-VARCHAR columns in DuckDB's own format costs two to three
 * times the parse (its string compression analysis runs on one thread while insertion order is
 * kept): 2.3 s for a 1M-row, 12-column file whose parse takes 0.3 s. Parquet with dictionary pages
 * costs 0.85 s, keeps row order (`file_row_number`), and reads back as dictionary vectors, which
 * DuckDB evaluates once per distinct value: profiling and typing get faster too.
 *
 * File-backed databases keep the files in `<database>.raw/` next to the database file. In-memory
 * databases have nowhere durable to keep them, so they use a per-process temporary folder that is
 * removed when the process exits.
 */
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, extname, join, resolve } from 'node:path';
import { queryRows, type DuckDBConnection } from '../../duckdb.ts';

/** Comment a raw view carries, naming the Parquet file it reads (so re-staging can delete it). */
export const RAW_VIEW_COMMENT_PREFIX = 'dataraum raw parquet: ';

let processTempDir: string | undefined;

function temporaryDir(): string {
  if (processTempDir === undefined) {
    const dir = mkdtempSync(join(tmpdir(), 'dataraum-raw-'));
    process.once('exit', () => rmSync(dir, { recursive: true, force: true }));
    processTempDir = dir;
  }
  return processTempDir;
}

/** Files older than this that no view reads are left over from an interrupted load. */
const ORPHAN_AGE_MS = 60 * 60 * 1000;

/**
 * The folder raw Parquet files of this connection's database go to (created if missing). For a
 * file-backed database it also deletes files an interrupted load left behind: files no raw view
 * reads that are older than an hour (a younger one may be a load still running on another
 * connection).
 */
export async function rawStoreDir(duckdb: DuckDBConnection): Promise<string> {
  const [row] = await queryRows<{ path: string | null }>(duckdb, 'SELECT path FROM duckdb_databases() WHERE database_name = current_database()');
  const path = row?.path;
  if (!path) return temporaryDir();
  const dir = join(dirname(resolve(path)), `${basename(path, extname(path))}.raw`);
  mkdirSync(dir, { recursive: true });
  await sweepOrphans(duckdb, dir);
  return dir;
}

async function sweepOrphans(duckdb: DuckDBConnection, dir: string): Promise<void> {
  const referenced = new Set((await rawViewFiles(duckdb)).values());
  const now = Date.now();
  for (const name of readdirSync(dir)) {
    const file = join(dir, name);
    if (!name.endsWith('.parquet') || referenced.has(file)) continue;
    const stat = statSync(file, { throwIfNoEntry: false });
    if (stat && now - stat.mtimeMs > ORPHAN_AGE_MS) rmSync(file, { force: true });
  }
}

/** A new, unused file name in `dir` for one build of a raw table. */
export function newRawFile(dir: string): string {
  return join(dir, `${randomBytes(8).toString('hex')}.parquet`);
}

/**
 * The Parquet file behind each of these raw views, or behind every raw view of the database when
 * `views` is left out (views dataraum did not make are left out).
 */
export async function rawViewFiles(duckdb: DuckDBConnection, views?: readonly string[]): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  if (views?.length === 0) return out;
  const only = views ? ` AND schema_name = current_schema() AND view_name IN (${views.map((_, i) => `$${i + 1}`).join(', ')})` : '';
  const rows = await queryRows<{ view_name: string; comment: string | null }>(
    duckdb,
    `SELECT view_name, comment FROM duckdb_views() WHERE database_name = current_database()${only}`,
    views ? [...views] : undefined,
  );
  for (const r of rows) if (r.comment?.startsWith(RAW_VIEW_COMMENT_PREFIX)) out.set(r.view_name, r.comment.slice(RAW_VIEW_COMMENT_PREFIX.length));
  return out;
}
