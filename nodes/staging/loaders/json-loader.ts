/**
 * JSON (array or auto-detected) and NDJSON. JSON types are weak (a "price" can be 1, "1" or "n/a"
 * in the same file), so keys are discovered by DuckDB over the whole file and every value is staged
 * as VARCHAR text: scalars as written (strings unquoted), nested objects and arrays as JSON text.
 * Typing re-infers them. One `read_json` statement per table.
 */
import { queryRows, quoteIdent, quoteLiteral, type DuckDBConnection } from '../../duckdb.ts';
import { StagingError, firstLine } from '../errors.ts';
import { baseNameOf } from '../file-types.ts';
import { uniqueNames } from '../names.ts';
import type { SourceConfig } from '../source-config.ts';
import { globOf, resolveFiles } from '../source-files.ts';
import type { StagedTable } from '../types.ts';
import type { LoadContext, SourceLoader } from './registry.ts';
import { countRows, rawTableName, stagedColumns, withTableSwap, rejectsTableName } from './raw-table.ts';

async function loadJson(config: SourceConfig, duckdb: DuckDBConnection, ctx: LoadContext, format: 'auto' | 'newline_delimited'): Promise<StagedTable[]> {
  const { files, skippedEmpty } = await resolveFiles(duckdb, config);
  for (const f of skippedEmpty) ctx.warn(`Skipped empty file '${f}' (0 bytes).`);
  const pattern = globOf(config);
  const originalName = pattern ?? (config.path ?? '').split(/[\\/]/).pop() ?? '';
  const name = ctx.claimTableName(pattern ? config.name : baseNameOf(config.path ?? config.name));
  const rawTable = rawTableName(name);
  const fileList = `[${files.map(quoteLiteral).join(', ')}]`;
  // Keys that first appear after the sample would silently vanish: sample everything unless told otherwise.
  const sampleSize = config.sample_size ?? -1;
  const common = `format = ${quoteLiteral(format)}, union_by_name = true, maximum_object_size = 268435456`;

  let keys: string[];
  try {
    const described = await queryRows<{ column_name: string }>(
      duckdb,
      `DESCRIBE SELECT * FROM read_json(${fileList}, ${common}, sample_size = ${Number(sampleSize)})`,
    );
    keys = described.map((d) => d.column_name);
  } catch (error) {
    throw new StagingError('UNREADABLE_SOURCE', `Cannot read ${files.length === 1 ? `'${files[0]}'` : `files of '${pattern}'`} as ${format === 'auto' ? 'JSON' : 'newline-delimited JSON'}: ${firstLine(error)}. Check that the file is ${format === 'auto' ? 'a JSON array of objects (or one object per line)' : 'one JSON object per line'}.`, { subject: files.join(', '), cause: error });
  }
  const columns = uniqueNames(keys);
  const spec = `{${keys.map((k) => `${quoteLiteral(k)}: 'VARCHAR'`).join(', ')}}`;
  await withTableSwap(duckdb, async (swap) => {
    swap.dropOnCommit(rejectsTableName(name));
    const build = swap.temp(rawTable);
    const select = keys.map((k, i) => `${quoteIdent(k)} AS ${quoteIdent(columns[i].name)}`).join(', ');
    try {
      await duckdb.run(`CREATE TABLE ${quoteIdent(build)} AS SELECT ${select} FROM read_json(${fileList}, ${common}, columns = ${spec})`);
    } catch (error) {
      throw new StagingError('UNREADABLE_SOURCE', `Cannot load JSON from ${files.join(', ')}: ${firstLine(error)}.`, { subject: files.join(', '), cause: error });
    }
  });
  return [
    {
      name,
      originalName,
      rawTable,
      rowCount: await countRows(duckdb, rawTable),
      strength: 'weak',
      columns: await stagedColumns(duckdb, rawTable, columns.map((c) => c.originalName)),
      rejects: [],
      files,
    },
  ];
}

export const jsonLoader: SourceLoader = {
  type: 'json',
  strength: 'weak',
  load: (config, duckdb, ctx) => loadJson(config, duckdb, ctx, 'auto'),
};

export const ndjsonLoader: SourceLoader = {
  type: 'ndjson',
  strength: 'weak',
  load: (config, duckdb, ctx) => loadJson(config, duckdb, ctx, 'newline_delimited'),
};
