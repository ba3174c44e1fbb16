/** Shared bits of the staging tests: temp folders, fresh DuckDB, and counting a file's real lines. */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll } from 'vitest';
import { openDuckDB, queryRows, quoteIdent, type DuckDBConnection } from '../../nodes/duckdb.ts';
import type { StagedTable } from '../../nodes/staging/types.ts';

export const VEGA = join(process.cwd(), 'node_modules/vega-datasets/data');

/** A temp folder removed by the returned cleanup. */
export function tempDir(prefix = 'dataraum-staging-'): { dir: string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

export async function memoryDuckDB(): Promise<DuckDBConnection> {
  return openDuckDB(':memory:');
}

/**
 * A test file's fixture: a fresh in-memory DuckDB opened before its tests (handed to `use`) and a
 * temp folder; both are closed and removed after them.
 */
export function stagingFixture(use: (duckdb: DuckDBConnection) => void): { readonly dir: string; file(name: string, content: string | Buffer): string } {
  const tmp = tempDir();
  let conn: DuckDBConnection | undefined;
  beforeAll(async () => {
    conn = await memoryDuckDB();
    use(conn);
  });
  afterAll(() => {
    conn?.closeSync();
    tmp.cleanup();
  });
  return {
    dir: tmp.dir,
    /** Writes a file into the temp folder and returns its path. */
    file(name, content) {
      const path = join(tmp.dir, name);
      writeFileSync(path, content);
      return path;
    },
  };
}

/** Physical lines of a file (a last line without newline counts; a trailing newline doesn't add one). */
export function lineCount(path: string): number {
  const bytes = readFileSync(path);
  if (bytes.length === 0) return 0;
  let n = 0;
  for (const b of bytes) if (b === 0x0a) n++;
  return bytes[bytes.length - 1] === 0x0a ? n : n + 1;
}

/** Physical lines behind the rejected rows: a reject whose raw text spans lines counts each line. */
export function rejectedLines(table: StagedTable): number {
  return table.rejects.reduce((sum, r) => sum + (r.rawLine ?? '').split('\n').length, 0);
}

export async function rows<T = Record<string, unknown>>(duckdb: DuckDBConnection, table: string, orderBy?: string): Promise<T[]> {
  return queryRows<T>(duckdb, `SELECT * FROM ${quoteIdent(table)}${orderBy ? ` ORDER BY ${quoteIdent(orderBy)}` : ''}`);
}

export async function tableCount(duckdb: DuckDBConnection, like: string): Promise<number> {
  const [row] = await queryRows<{ n: string }>(duckdb, `SELECT count(*) AS n FROM duckdb_tables() WHERE table_name LIKE $1`, [like]);
  return Number(row.n);
}

export async function countOf(duckdb: DuckDBConnection, table: string): Promise<number> {
  const [row] = await queryRows<{ n: string }>(duckdb, `SELECT count(*) AS n FROM ${quoteIdent(table)}`);
  return Number(row.n);
}
