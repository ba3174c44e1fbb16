/**
 * Shared mechanics of every loader: build new tables (or raw Parquet files) under temporary names,
 * then swap them in with one transaction, so re-staging replaces (never duplicates) and a failed
 * load leaves the previous raw tables untouched.
 */
import { randomBytes } from 'node:crypto';
import { rmSync } from 'node:fs';
import { queryRows, quoteIdent, quoteLiteral, type DuckDBConnection } from '../../duckdb.ts';
import type { StagedColumn, StagedTable } from '../types.ts';
import { RAW_VIEW_COMMENT_PREFIX, rawViewFiles } from './raw-store.ts';

/** `raw_<name>`: where a staged table lives in DuckDB. */
export function rawTableName(name: string): string {
  return `raw_${name}`;
}

/** `raw_<name>__rejects`: the lines a text loader (CSV/TSV, NDJSON) could not read, kept with their raw text (see rejects.ts). */
export function rejectsTableName(name: string): string {
  return `${rawTableName(name)}__rejects`;
}

/** A name nobody else uses, for a table under construction or a scratch table. */
export function scratchName(purpose: string): string {
  return `__dataraum_${purpose}_${randomBytes(6).toString('hex')}`;
}

/**
 * Tables under construction. `temp(final)` hands out the scratch name to build into; `parquet(final,
 * file)` registers a raw Parquet file that `final` will be a view over; `commit()` drops the old
 * finals (tables or views) and puts the new ones in place in one transaction, then deletes the
 * Parquet files the replaced views read; `abort()` drops the scratch tables and new files.
 */
export class TableSwap {
  private readonly pairs: { temp: string; final: string }[] = [];
  private readonly views: { file: string; final: string }[] = [];
  private readonly dropAlso: string[] = [];

  constructor(private readonly duckdb: DuckDBConnection) {}

  /** The scratch name to build `finalName` into. */
  temp(finalName: string): string {
    const temp = scratchName('build');
    this.pairs.push({ temp, final: finalName });
    return temp;
  }

  /** `finalName` becomes a view over `file` (a raw Parquet file the caller writes before commit). */
  parquet(finalName: string, file: string): void {
    this.views.push({ file, final: finalName });
  }

  /** A stale table to drop when committing (e.g. an old rejects table the new load doesn't have). */
  dropOnCommit(finalName: string): void {
    this.dropAlso.push(finalName);
  }

  async commit(): Promise<void> {
    const finals = new Set([...this.pairs.map((p) => p.final), ...this.views.map((v) => v.final)]);
    const dropped = [...finals, ...this.dropAlso.filter((n) => !finals.has(n))];
    const kinds = await relationKinds(this.duckdb, dropped);
    const oldFiles = await rawViewFiles(this.duckdb, dropped.filter((n) => kinds.get(n) === 'VIEW'));
    const statements = ['BEGIN TRANSACTION'];
    for (const name of dropped) {
      const kind = kinds.get(name);
      if (kind !== undefined) statements.push(`DROP ${kind === 'VIEW' ? 'VIEW' : 'TABLE'} ${quoteIdent(name)}`);
    }
    for (const { temp, final } of this.pairs) statements.push(`ALTER TABLE ${quoteIdent(temp)} RENAME TO ${quoteIdent(final)}`);
    for (const { file, final } of this.views) {
      statements.push(`CREATE VIEW ${quoteIdent(final)} AS SELECT * FROM read_parquet(${quoteLiteral(file)})`);
      statements.push(`COMMENT ON VIEW ${quoteIdent(final)} IS ${quoteLiteral(RAW_VIEW_COMMENT_PREFIX + file)}`);
    }
    statements.push('COMMIT');
    try {
      await this.duckdb.run(statements.join(';\n'));
    } catch (error) {
      await this.duckdb.run('ROLLBACK').catch(() => undefined);
      await this.abort();
      throw error;
    }
    const kept = new Set(this.views.map((v) => v.file));
    for (const file of oldFiles.values()) if (!kept.has(file)) rmSync(file, { force: true });
    this.pairs.length = 0;
    this.views.length = 0;
  }

  async abort(): Promise<void> {
    for (const { temp } of this.pairs.splice(0)) await this.duckdb.run(`DROP TABLE IF EXISTS ${quoteIdent(temp)}`).catch(() => undefined);
    for (const { file } of this.views.splice(0)) rmSync(file, { force: true });
  }
}

/** 'BASE TABLE' or 'VIEW' for each of these names that exists in the current schema. */
/** Which of `names` exist in the current schema, with their kind (`BASE TABLE`, `VIEW`). */
export async function relationKinds(duckdb: DuckDBConnection, names: readonly string[]): Promise<Map<string, string>> {
  if (names.length === 0) return new Map();
  const rows = await queryRows<{ table_name: string; table_type: string }>(
    duckdb,
    `SELECT table_name, table_type FROM information_schema.tables
     WHERE table_schema = current_schema() AND table_catalog = current_database() AND table_name IN (${names.map((_, i) => `$${i + 1}`).join(', ')})`,
    [...names],
  );
  return new Map(rows.map((r) => [r.table_name, r.table_type]));
}

/** Runs `build` with a fresh swap; commits when it returns, drops the scratch tables when it throws. */
export async function withTableSwap<T>(duckdb: DuckDBConnection, build: (swap: TableSwap) => Promise<T>): Promise<T> {
  const swap = new TableSwap(duckdb);
  try {
    const result = await build(swap);
    await swap.commit();
    return result;
  } catch (error) {
    await swap.abort();
    throw error;
  }
}

/** Column names and DuckDB types of a table, in order. */
export async function describeTable(duckdb: DuckDBConnection, table: string): Promise<{ name: string; type: string }[]> {
  const rows = await queryRows<{ column_name: string; data_type: string }>(
    duckdb,
    `SELECT column_name, data_type FROM information_schema.columns
     WHERE table_schema = current_schema() AND table_catalog = current_database() AND table_name = $1
     ORDER BY ordinal_position`,
    [table],
  );
  return rows.map((r) => ({ name: r.column_name, type: r.data_type }));
}

export async function countRows(duckdb: DuckDBConnection, table: string): Promise<number> {
  const [row] = await queryRows<{ n: string }>(duckdb, `SELECT count(*) AS n FROM ${quoteIdent(table)}`);
  return Number(row.n);
}

/** StagedColumns from the final table's DuckDB types and the source's original names (same order). */
async function stagedColumns(duckdb: DuckDBConnection, table: string, originals: readonly string[]): Promise<StagedColumn[]> {
  const described = await describeTable(duckdb, table);
  return described.map((c, position) => ({ name: c.name, originalName: originals[position] ?? c.name, position, rawType: c.type }));
}

/** What a loader knows of a table it has just committed; the rest is read back from DuckDB. */
export type CommittedTable = Pick<StagedTable, 'name' | 'originalName' | 'rawTable' | 'strength' | 'files'> & Partial<Pick<StagedTable, 'rawFile'>>;

/**
 * The StagedTable of a committed raw table without rejects: its row count and columns read back
 * from DuckDB, named with the source's `originals` (same order).
 */
export async function committedTable(duckdb: DuckDBConnection, table: CommittedTable, originals: readonly string[]): Promise<StagedTable> {
  return { ...table, rowCount: await countRows(duckdb, table.rawTable), columns: await stagedColumns(duckdb, table.rawTable, originals), rejects: [] };
}
