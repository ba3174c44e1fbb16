/**
 * JSON (array or auto-detected) and NDJSON. JSON types are weak (a "price" can be 1, "1" or "n/a"
 * in the same file), so every value is staged as VARCHAR text: scalars as written (strings
 * unquoted), nested objects and arrays as JSON text. Typing re-infers them.
 *
 * Keys are collected from every record with `json_keys` and values read with JSON Pointer paths,
 * not through `read_json`'s schema: DuckDB's columns are case-insensitive and it renames empty
 * keys, so `id` / `ID` / `""` would otherwise come back NULL. One scan finds the keys, one
 * statement loads the table. Records that are not objects (`[1, 2]`) land in a `json` column.
 *
 * An NDJSON line that is not JSON is kept in `raw_<name>__rejects` with its line number and text,
 * like a CSV row that cannot be read; the other lines load. A JSON document with a syntax error
 * fails, naming the line and column.
 */
import { queryRows, quoteIdent, quoteLiteral, type DuckDBConnection } from '../../duckdb.ts';
import { StagingError, firstLine } from '../errors.ts';
import { uniqueNames } from '../names.ts';
import type { SourceConfig } from '../source-config.ts';
import type { StagedTable } from '../types.ts';
import { canReadLines, forEachLine, lineText } from './file-lines.ts';
import { fileTarget } from './file-target.ts';
import type { LoadContext, SourceLoader } from './registry.ts';
import { committedTable, rejectsTableName, withTableSwap } from './raw-table.ts';
import { createRejectsTable, readRejects, rejectsWarning } from './rejects.ts';

/** RFC 6901 JSON Pointer to a top-level key: `~` -> `~0`, `/` -> `~1`, everything else literal. */
export function jsonPointer(key: string): string {
  return `/${key.replaceAll('~', '~0').replaceAll('/', '~1')}`;
}

/** read_json_objects over the files, as SQL text (DuckDB can't bind a list of files here). */
function readObjects(files: readonly string[], format: JsonFormat, lenient: boolean, filename = false): string {
  return `read_json_objects([${files.map(quoteLiteral).join(', ')}], format = ${quoteLiteral(format)}, maximum_object_size = 268435456${lenient ? ', ignore_errors = true' : ''}${filename ? ', filename = true' : ''})`;
}

/** Per file: its records, those DuckDB could not read (NULL), and those that are not objects. */
interface FileCounts {
  readonly file: string;
  readonly total: number;
  readonly bad: number;
  readonly nonObjects: number;
}

type JsonFormat = 'auto' | 'newline_delimited';

async function loadJson(config: SourceConfig, duckdb: DuckDBConnection, ctx: LoadContext, format: JsonFormat): Promise<StagedTable[]> {
  const { files, originalName, name, rawTable } = await fileTarget(config, duckdb, ctx);
  // NDJSON lines stand alone, so a bad one is a reject like a ragged CSV row (DuckDB reads it as
  // NULL). A JSON document has no such unit: one syntax error and the file fails.
  const lenient = format === 'newline_delimited';
  const records = readObjects(files, format, lenient);
  const rejectsTable = rejectsTableName(name);

  let keys: string[];
  let perFile: FileCounts[];
  let nonObjects: number;
  let unreadable: number;
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
    perFile = (
      await queryRows<{ file: string; n: string; bad: string; total: string }>(
        duckdb,
        `SELECT filename AS file, count(*) FILTER (WHERE json_type(json) <> 'OBJECT') AS n, count(*) FILTER (WHERE json IS NULL) AS bad, count(*) AS total
         FROM ${readObjects(files, format, lenient, true)} GROUP BY filename`,
      )
    ).map((r) => ({ file: r.file, total: Number(r.total), bad: Number(r.bad), nonObjects: Number(r.n) }));
    nonObjects = perFile.reduce((n, f) => n + f.nonObjects, 0);
    unreadable = perFile.reduce((n, f) => n + f.bad, 0);
    if (unreadable > 0 && unreadable === perFile.reduce((n, f) => n + f.total, 0)) throw await notJsonLines(files, originalName);
  } catch (error) {
    if (error instanceof StagingError) throw error;
    throw new StagingError('UNREADABLE_SOURCE', `Cannot read ${files.length === 1 ? `'${files[0]}'` : `files of '${originalName}'`} as ${format === 'auto' ? 'JSON' : 'newline-delimited JSON'}: ${lenient ? duckdbReason(error) : await readFailure(duckdb, files, error)}. Check that the file is ${format === 'auto' ? 'a JSON array of objects (or one object per line)' : 'one JSON object per line'}.`, { subject: files.join(', '), cause: error });
  }
  const originals = nonObjects > 0 || keys.length === 0 ? [...keys, 'json'] : keys;
  if (nonObjects > 0 && keys.length > 0) ctx.warn(`${nonObjects} record(s) of '${originalName}' are not JSON objects; their text is in the column '${uniqueNames(originals).at(-1)?.name}'.`);
  const columns = uniqueNames(originals);
  const pointers = `[${keys.map((k) => quoteLiteral(jsonPointer(k))).join(', ')}]`;
  const select = keys.map((_, i) => `v[${i + 1}] AS ${quoteIdent(columns[i].name)}`);
  if (originals.length > keys.length)
    select.push(`CASE WHEN json_type(json) <> 'OBJECT' THEN json_extract_string(json, '$') END AS ${quoteIdent(columns[keys.length].name)}`);
  await withTableSwap(duckdb, async (swap) => {
    if (lenient) {
      const rejects = swap.temp(rejectsTable);
      await createRejectsTable(duckdb, rejects);
      if (unreadable > 0) await storeRejects(duckdb, perFile, rejects);
    } else {
      swap.dropOnCommit(rejectsTable);
    }
    const build = swap.temp(rawTable);
    try {
      await duckdb.run(
        `CREATE TABLE ${quoteIdent(build)} AS
         SELECT ${select.join(', ')} FROM (SELECT json${keys.length ? `, json_extract_string(json, ${pointers}) AS v` : ''} FROM ${records}${lenient ? ' WHERE json IS NOT NULL' : ''})`,
      );
    } catch (error) {
      throw new StagingError('UNREADABLE_SOURCE', `Cannot load JSON from ${files.join(', ')}: ${firstLine(error)}.`, { subject: files.join(', '), cause: error });
    }
  });
  const table = await committedTable(duckdb, { name, originalName, rawTable, strength: 'weak', files }, originals);
  if (!lenient) return [table];
  const { count: rejectCount, rejects } = await readRejects(duckdb, rejectsTable, ctx.maxReturnedRejects);
  if (rejectCount > 0) ctx.warn(rejectsWarning(rejectCount, originalName, rejectsTable, 'malformed JSON or invalid text'));
  return [{ ...table, rejects, rejectsTable, rejectCount }];
}

/** Lines that hold nothing but JSON whitespace: DuckDB skips them, they are no record. */
function isBlank(bytes: Buffer): boolean {
  for (const b of bytes) if (b !== 0x20 && b !== 0x09 && b !== 0x0d) return false;
  return true;
}

/** Why a line DuckDB could not read is not JSON, in JSON.parse's words. */
function describeLine(bytes: Buffer): { errorType: string; message: string; rawLine: string } {
  const { text, utf8 } = lineText(bytes);
  if (!utf8) return { errorType: 'INVALID ENCODING', message: 'The line is not valid UTF-8; raw_line shows each byte that is not as \\xNN.', rawLine: text };
  try {
    JSON.parse(text);
    return { errorType: 'MALFORMED JSON', message: 'DuckDB could not read this line as one JSON value.', rawLine: text };
  } catch (error) {
    return { errorType: 'MALFORMED JSON', message: (error as Error).message, rawLine: text };
  }
}

/**
 * Writes the lines DuckDB read as NULL into `rejects`. DuckDB does not say which lines those are;
 * it gives one record per non-blank line, in file order, so the n-th record is found by counting
 * non-blank lines while streaming the file (only files that have such lines are read again).
 */
async function storeRejects(duckdb: DuckDBConnection, perFile: readonly FileCounts[], rejects: string): Promise<void> {
  const appender = await duckdb.createAppender(rejects);
  try {
    for (const { file, total, bad } of perFile) {
      if (bad === 0) continue;
      if (!canReadLines(file))
        throw new StagingError('UNREADABLE_SOURCE', `'${file}' has ${bad} line(s) that are not JSON, and the lines of a .zst file cannot be located to keep them; decompress the file (or fix those lines) to stage it.`, { subject: file });
      const reader = await duckdb.runAndReadAll(
        `SELECT CAST(rn AS DOUBLE) AS rn FROM (SELECT row_number() OVER () AS rn, json FROM ${readObjects([file], 'newline_delimited', true)}) WHERE json IS NULL ORDER BY rn`,
      );
      const ordinals = reader.getColumnsJS()[0] as number[];
      let record = 0;
      let next = 0;
      await forEachLine(file, (line, bytes) => {
        if (isBlank(bytes)) return;
        if (++record !== ordinals[next]) return;
        next++;
        const { errorType, message, rawLine } = describeLine(bytes);
        appender.appendVarchar(file);
        appender.appendBigInt(BigInt(line));
        appender.appendNull();
        appender.appendVarchar(errorType);
        appender.appendVarchar(message);
        appender.appendVarchar(rawLine);
        appender.endRow();
      });
      // Counting is only right if DuckDB's records are the file's non-blank lines; say so rather than point at wrong lines.
      if (record !== total || next !== ordinals.length)
        throw new StagingError('UNREADABLE_SOURCE', `Cannot tell which lines of '${file}' are not JSON: DuckDB read ${total} record(s) where the file has ${record} non-blank line(s). Check that the file is one JSON value per line.`, { subject: file });
    }
    appender.flushSync();
  } finally {
    appender.closeSync();
  }
}

/** The first non-blank line of an NDJSON file none of whose lines DuckDB could read, as an error: the file is not NDJSON at all. */
async function notJsonLines(files: readonly string[], originalName: string): Promise<StagingError> {
  const file = files[0];
  let found: { line: number; why: string } | undefined;
  if (canReadLines(file))
    await forEachLine(file, (line, bytes) => {
      if (isBlank(bytes)) return;
      found = { line, why: describeLine(bytes).message.replace(/\.$/, '') };
      return false;
    });
  const where = found ? ` (line ${found.line}${files.length > 1 ? ` of '${file}'` : ''}: ${found.why})` : '';
  return new StagingError('UNREADABLE_SOURCE', `Cannot read ${files.length === 1 ? `'${file}'` : `files of '${originalName}'`} as newline-delimited JSON: no line is a JSON value${where}. Check that the file is one JSON object per line, or set source_type.`, { subject: files.join(', ') });
}

/**
 * Why DuckDB could not read a JSON file, with the line and column of a syntax error. DuckDB's own
 * message counts bytes within a "record/value", which points nowhere a person can look; parsing
 * the file's text as one document gives the byte offset in the file.
 */
async function readFailure(duckdb: DuckDBConnection, files: readonly string[], error: unknown): Promise<string> {
  const reason = duckdbReason(error);
  const file = /Malformed JSON in file "(.*)", at /.exec(reason)?.[1] ?? (files.length === 1 ? files[0] : undefined);
  if (!file || !reason.includes('Malformed JSON')) return reason;
  // DuckDB says "in line N" when it found one JSON value per line: the ndjson loader keeps such lines as rejects.
  if (/ in line \d+:/.test(reason)) return `${reason} (set source_type: ndjson to load the other lines and keep the unreadable ones as rejects)`;
  if (/\.(gz|zst)$/i.test(file)) return reason;
  try {
    const at = await syntaxErrorAt(duckdb, file);
    return at ? `malformed JSON at line ${at.line}, column ${at.column}${files.length > 1 ? ` of '${file}'` : ''} (${at.what})` : reason;
  } catch {
    return reason; // the file can't be read as text (not UTF-8, too large): DuckDB's words will do
  }
}

/** DuckDB's message without its error class and final period, to go inside a sentence. */
function duckdbReason(error: unknown): string {
  return firstLine(error).replace(/^Invalid Input Error: /, '').replace(/\.$/, '');
}

/** Line, column (in characters) and kind of the first syntax error of a JSON file read as one document. */
async function syntaxErrorAt(duckdb: DuckDBConnection, file: string): Promise<{ line: number; column: number; what: string } | undefined> {
  let offset: number;
  let what: string;
  try {
    // read_text keeps a UTF-8 BOM that json() rejects: skip it and count its 3 bytes back.
    await queryRows(duckdb, `SELECT json(CASE WHEN starts_with(content, chr(65279)) THEN content[2:] ELSE content END) FROM read_text($1)`, [file]);
    return undefined;
  } catch (parseError) {
    const m = /Malformed JSON at byte (\d+) of input: ([^.]*)/.exec(firstLine(parseError));
    // Content after the first document: NDJSON in a .json file, where DuckDB's message is the better one.
    if (!m || m[2].includes('after document')) return undefined;
    offset = Number(m[1]);
    what = m[2];
  }
  let bom = 0;
  let hit: { line: number; bytes: Buffer; start: number } | undefined;
  await forEachLine(file, (line, bytes, start) => {
    if (line === 1 && bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) bom = 3;
    if (start > offset + bom) return false;
    hit = { line, bytes, start };
  });
  if (!hit) return undefined;
  const before = hit.bytes.toString('utf8', hit.line === 1 ? bom : 0, Math.min(offset + bom - hit.start, hit.bytes.length));
  return { line: hit.line, column: [...before].length + 1, what };
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
