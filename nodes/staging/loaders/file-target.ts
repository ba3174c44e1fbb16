/**
 * What every file loader (CSV/TSV, JSON, Parquet) starts with: the files to read and the table
 * they load into.
 */
import type { DuckDBConnection } from '../../duckdb.ts';
import { baseNameOf } from '../file-types.ts';
import type { SourceConfig } from '../source-config.ts';
import { globOf, resolveFiles } from '../source-files.ts';
import { rawTableName } from './raw-table.ts';
import type { LoadContext } from './registry.ts';

export interface FileTarget {
  /** Files to read (empty ones of a glob are left out, with a warning). */
  readonly files: string[];
  /** The source's name for the table: the glob, or the file name. */
  readonly originalName: string;
  /** Sanitized, unique logical table name. */
  readonly name: string;
  readonly rawTable: string;
}

/** The files to read, the source's name for them, and the name a table of them starts from (the file's base name, or the source's for a glob). */
export async function fileSources(config: SourceConfig, duckdb: DuckDBConnection, ctx: LoadContext): Promise<{ files: string[]; originalName: string; baseName: string }> {
  const { files, skippedEmpty } = await resolveFiles(duckdb, config);
  for (const f of skippedEmpty) ctx.warn(`Skipped empty file '${f}' (0 bytes).`);
  const pattern = globOf(config);
  const originalName = pattern ?? (config.path ?? '').split(/[\\/]/).pop() ?? '';
  return { files, originalName, baseName: pattern ? config.name : baseNameOf(config.path ?? config.name) };
}

export async function fileTarget(config: SourceConfig, duckdb: DuckDBConnection, ctx: LoadContext): Promise<FileTarget> {
  const { files, originalName, baseName } = await fileSources(config, duckdb, ctx);
  const name = ctx.claimTableName(baseName, originalName);
  return { files, originalName, name, rawTable: rawTableName(name) };
}
