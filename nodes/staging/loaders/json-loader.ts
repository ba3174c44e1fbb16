/**
 * JSON (array or auto-detected) and NDJSON. JSON types are weak (a "price" can be 1, "1" or "n/a"
 * in the same file), so every value is staged as VARCHAR text: scalars as written (strings
 * unquoted), nested objects and arrays as JSON text. Typing re-infers them.
 *
 * Keys are collected from every record with `json_keys` and values read with JSON Pointer paths,
 * not through `read_json`'s schema: DuckDB's columns are case-insensitive and it renames empty
 * keys, so `id` / `ID` / `""` would otherwise come back NULL. One scan finds the keys, one
 * statement loads the table. Records that are not objects (`[1, 2]`) land in a `json` column.
 */
import { queryRows, quoteIdent, quoteLiteral, type DuckDBConnection } from '../../duckdb.ts';
import { StagingError, firstLine } from '../errors.ts';
import { uniqueNames } from '../names.ts';
import type { SourceConfig } from '../source-config.ts';
import type { StagedTable } from '../types.ts';
import { fileTarget } from './file-target.ts';
import type { LoadContext, SourceLoader } from './registry.ts';
import { committedTable, rejectsTableName, withTableSwap } from './raw-table.ts';

/** RFC 6901 JSON Pointer to a top-level key: `~` -> `~0`, `/` -> `~1`, everything else literal. */
export function jsonPointer(key: string): string {
  return `/${key.replaceAll('~', '~0').replaceAll('/', '~1')}`;
}

async function loadJson(config: SourceConfig, duckdb: DuckDBConnection, ctx: LoadContext, format: 'auto' | 'newline_delimited'): Promise<StagedTable[]> {
  const { files, originalName, name, rawTable } = await fileTarget(config, duckdb, ctx);
  const records = `read_json_objects([${files.map(quoteLiteral).join(', ')}], format = ${quoteLiteral(format)}, maximum_object_size = 268435456)`;

  let keys: string[];
  let nonObjects: number;
  try {
    // Keys in order of first appearance, over every record: a key first seen in the last record still counts.
    keys = (
      await queryRows<{ key: string }>(
        duckdb,
        `WITH o AS (SELECT row_number() OVER () AS rn, json FROM ${records}),
              k AS (SELECT rn, unnest(json_keys(json)) AS key, generate_subscripts(json_keys(json), 1) AS pos FROM o)
         SELECT key FROM k GROUP BY key ORDER BY min(rn), arg_min(pos, rn)`,
      )
    ).map((r) => r.key);
    const [row] = await queryRows<{ n: string }>(duckdb, `SELECT count(*) FILTER (WHERE json_type(json) <> 'OBJECT') AS n FROM ${records}`);
    nonObjects = Number(row.n);
  } catch (error) {
    throw new StagingError('UNREADABLE_SOURCE', `Cannot read ${files.length === 1 ? `'${files[0]}'` : `files of '${originalName}'`} as ${format === 'auto' ? 'JSON' : 'newline-delimited JSON'}: ${firstLine(error)}. Check that the file is ${format === 'auto' ? 'a JSON array of objects (or one object per line)' : 'one JSON object per line'}.`, { subject: files.join(', '), cause: error });
  }
  const originals = nonObjects > 0 || keys.length === 0 ? [...keys, 'json'] : keys;
  if (nonObjects > 0 && keys.length > 0) ctx.warn(`${nonObjects} record(s) of '${originalName}' are not JSON objects; their text is in the column '${uniqueNames(originals).at(-1)?.name}'.`);
  const columns = uniqueNames(originals);
  const pointers = `[${keys.map((k) => quoteLiteral(jsonPointer(k))).join(', ')}]`;
  const select = keys.map((_, i) => `v[${i + 1}] AS ${quoteIdent(columns[i].name)}`);
  if (originals.length > keys.length)
    select.push(`CASE WHEN json_type(json) <> 'OBJECT' THEN json_extract_string(json, '$') END AS ${quoteIdent(columns[keys.length].name)}`);
  await withTableSwap(duckdb, async (swap) => {
    swap.dropOnCommit(rejectsTableName(name));
    const build = swap.temp(rawTable);
    try {
      await duckdb.run(
        `CREATE TABLE ${quoteIdent(build)} AS
         SELECT ${select.join(', ')} FROM (SELECT json${keys.length ? `, json_extract_string(json, ${pointers}) AS v` : ''} FROM ${records})`,
      );
    } catch (error) {
      throw new StagingError('UNREADABLE_SOURCE', `Cannot load JSON from ${files.join(', ')}: ${firstLine(error)}.`, { subject: files.join(', '), cause: error });
    }
  });
  return [
    await committedTable(duckdb, { name, originalName, rawTable, strength: 'weak', files }, originals),
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
