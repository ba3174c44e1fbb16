/**
 * Parquet: typed by its writer, so types are kept (strong). One `read_parquet` statement per
 * table; a glob unions its files by column name.
 */
import { queryRows, quoteIdent, quoteLiteral, type DuckDBConnection } from '../../duckdb.ts';
import { StagingError, firstLine } from '../errors.ts';
import { uniqueNames } from '../names.ts';
import type { SourceConfig } from '../source-config.ts';
import type { StagedTable } from '../types.ts';
import { fileTarget } from './file-target.ts';
import type { LoadContext, SourceLoader } from './registry.ts';
import { committedTable, rejectsTableName, withTableSwap } from './raw-table.ts';

async function loadParquet(config: SourceConfig, duckdb: DuckDBConnection, ctx: LoadContext): Promise<StagedTable[]> {
  const { files, originalName, name, rawTable } = await fileTarget(config, duckdb, ctx);
  const source = `read_parquet([${files.map(quoteLiteral).join(', ')}], union_by_name = true)`;
  let names: string[];
  try {
    names = (await queryRows<{ column_name: string }>(duckdb, `DESCRIBE SELECT * FROM ${source}`)).map((r) => r.column_name);
  } catch (error) {
    throw new StagingError('UNREADABLE_SOURCE', `Cannot read ${files.length === 1 ? `'${files[0]}'` : `files of '${originalName}'`} as Parquet: ${firstLine(error)}. Is it a complete Parquet file?`, { subject: files.join(', '), cause: error });
  }
  const columns = uniqueNames(names);
  await withTableSwap(duckdb, async (swap) => {
    swap.dropOnCommit(rejectsTableName(name));
    const build = swap.temp(rawTable);
    const select = names.map((n, i) => `${quoteIdent(n)} AS ${quoteIdent(columns[i].name)}`).join(', ');
    try {
      await duckdb.run(`CREATE TABLE ${quoteIdent(build)} AS SELECT ${select} FROM ${source}`);
    } catch (error) {
      throw new StagingError('UNREADABLE_SOURCE', `Cannot load Parquet from ${files.join(', ')}: ${firstLine(error)}.`, { subject: files.join(', '), cause: error });
    }
  });
  return [
    await committedTable(duckdb, { name, originalName, rawTable, strength: 'strong', files }, names),
  ];
}

export const parquetLoader: SourceLoader = { type: 'parquet', strength: 'strong', load: loadParquet };
