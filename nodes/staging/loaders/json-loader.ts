/**
 * JSON (array or auto-detected) and NDJSON. JSON types are weak (a "price" can be 1, "1" or "n/a"
 * in the same file), so every value is staged as VARCHAR text: scalars as written (strings
 * unquoted), nested objects and arrays as JSON text. Typing re-infers them.
 *
 * Numbers keep the file's digits (`19.90`, `1e3`, `99999999999999999.99`). DuckDB's JSON functions
 * parse a number with a fraction or exponent into a double and print that (`19.9`, `1000.0`,
 * `100000000000000000.0`); only the record's own text still holds what was written. So such a value
 * is read back from the record, as the number after its key (`"price": 19.90`), when exactly one
 * number written after the key's occurrences in the record (nested ones count) is the value DuckDB
 * parsed and no occurrence holds something else than a number. Otherwise (that value spelled two
 * ways, the key also holding a string, a key written with escapes) it keeps DuckDB's rendering,
 * the same double. Numbers inside nested objects and arrays are as DuckDB renders them.
 * This costs a regex scan of the record per such value.
 *
 * A UTF-8 byte order mark is skipped: DuckDB reads one before a JSON array only with format
 * 'array' and not at all before an NDJSON line, so such files (found by their first bytes) are
 * read with the format that works, and an NDJSON file's first line is taken from the file.
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
import { canReadLines, fileStart, forEachLine, hasBom, lineText } from './file-lines.ts';
import { fileSources } from './file-target.ts';
import type { LoadContext, SourceLoader } from './registry.ts';
import { committedTable, rawTableName, rejectsTableName, withTableSwap } from './raw-table.ts';
import { createRejectsTable, readRejects, rejectsWarning } from './rejects.ts';

/** RFC 6901 JSON Pointer to a top-level key: `~` -> `~0`, `/` -> `~1`, everything else literal. */
export function jsonPointer(key: string): string {
  return `/${key.replaceAll('~', '~0').replaceAll('/', '~1')}`;
}

/** A number as JSON writes it. */
const JSON_NUMBER = '-?(?:0|[1-9][0-9]*)(?:\\.[0-9]+)?(?:[eE][-+]?[0-9]+)?';

/** RE2 pattern for a key as a JSON writer writes it and its colon, capturing the number after it (empty when the value is not a number). */
export function numberAfterKey(key: string): string {
  return `${JSON.stringify(key).replace(/[\\^$.|?*+()[\]{}]/g, '\\$&')}\\s*:\\s*(${JSON_NUMBER}|)`;
}

type JsonFormat = 'auto' | 'newline_delimited';

/** Files DuckDB reads in one read_json_objects call, and with which format. */
interface Scan {
  readonly files: string[];
  readonly format: JsonFormat | 'array' | 'unstructured';
  /**
   * For an NDJSON file that starts with a BOM, its first line without it, which DuckDB reads as
   * NULL: the text to read instead, or null when the line is blank (no record at all).
   */
  readonly firstLine?: string | null;
}

/**
 * How to read the files: all in one call, except those that start with a UTF-8 BOM. Only the start
 * of each file is read here; no file is copied.
 */
async function planScans(files: readonly string[], format: JsonFormat): Promise<Scan[]> {
  const scans: Scan[] = [];
  for (const file of files) {
    // A file Node cannot read fails in DuckDB, with DuckDB's reason.
    const own = await bomScan(file, format).catch(() => undefined);
    const last = scans.at(-1);
    if (own) scans.push(own);
    else if (last && last.format === format && last.firstLine === undefined) last.files.push(file);
    else scans.push({ files: [file], format });
  }
  return scans;
}

/** The scan a file needs of its own because it starts with a BOM, or undefined when it reads like the others. */
async function bomScan(file: string, format: JsonFormat): Promise<Scan | undefined> {
  if (!canReadLines(file)) return undefined; // Node cannot look into a .zst file: DuckDB reads it as it is
  const start = await fileStart(file);
  if (!start.bom) return undefined;
  // DuckDB skips the BOM when told the format, but its detection then misses an array.
  if (format === 'auto') return { files: [file], format: start.first === 0x5b ? 'array' : 'unstructured' };
  let line: Buffer | undefined;
  await forEachLine(file, (_, bytes) => {
    line = bytes.subarray(3);
    return false;
  });
  if (!line || isBlank(line)) return { files: [file], format, firstLine: null };
  const { text, utf8 } = lineText(line);
  // A first line that is not UTF-8 stays NULL, a reject like any other such line.
  if (!utf8 || text.includes('\0')) return undefined;
  return { files: [file], format, firstLine: text.replace(/^[ \t\r]+|[ \t\r]+$/g, '') };
}

/**
 * The records of the scans as SQL text: a `json` column (and `filename`), in file order. DuckDB
 * can't bind a list of files here. UNION ALL keeps its parts in order, as DuckDB preserves
 * insertion order.
 */
function readObjects(scans: readonly Scan[], lenient: boolean, filename = false): string {
  const call = (scan: Scan) =>
    `read_json_objects([${scan.files.map(quoteLiteral).join(', ')}], format = ${quoteLiteral(scan.format)}, maximum_object_size = 268435456${lenient ? ', ignore_errors = true' : ''}${filename ? ', filename = true' : ''})`;
  if (scans.length === 1 && scans[0].firstLine === undefined) return call(scans[0]);
  const columns = filename ? 'json, filename' : 'json';
  const part = (scan: Scan) => {
    if (scan.firstLine === undefined) return `SELECT ${columns} FROM ${call(scan)}`;
    const numbered = `(SELECT row_number() OVER () AS rn, ${columns} FROM ${call(scan)})`;
    if (scan.firstLine === null) return `SELECT ${columns} FROM ${numbered} WHERE rn > 1`;
    // The cast keeps the text as written; a line that is not JSON becomes NULL, a reject.
    return `SELECT CASE WHEN rn = 1 THEN TRY_CAST(${quoteLiteral(scan.firstLine)} AS JSON) ELSE json END AS json${filename ? ', filename' : ''} FROM ${numbered}`;
  };
  return `(${scans.map(part).join(' UNION ALL ')})`;
}

/** Per file: its records, those DuckDB could not read (NULL), and those that are not objects. */
interface FileCounts {
  readonly file: string;
  readonly total: number;
  readonly bad: number;
  readonly nonObjects: number;
}

async function loadJson(config: SourceConfig, duckdb: DuckDBConnection, ctx: LoadContext, format: JsonFormat): Promise<StagedTable[]> {
  const { files, originalName, baseName } = await fileSources(config, duckdb, ctx);
  // NDJSON lines stand alone, so a bad one is a reject like a ragged CSV row (DuckDB reads it as
  // NULL). A JSON document has no such unit: one syntax error and the file fails.
  const lenient = format === 'newline_delimited';
  const scans = await planScans(files, format);
  const records = readObjects(scans, lenient);
  const unreadableSource = async (error: unknown) =>
    error instanceof StagingError
      ? error
      : new StagingError('UNREADABLE_SOURCE', `Cannot read ${files.length === 1 ? `'${files[0]}'` : `files of '${originalName}'`} as ${format === 'auto' ? 'JSON' : 'newline-delimited JSON'}: ${lenient ? duckdbReason(error) : await readFailure(duckdb, files, error)}. Check that the file is ${format === 'auto' ? 'a JSON array of objects (or one object per line)' : 'one JSON object per line'}.`, { subject: files.join(', '), cause: error });

  let perFile: FileCounts[];
  let arrays: RecordArrays | undefined;
  try {
    perFile = (
      await queryRows<{ file: string; n: string; bad: string; total: string }>(
        duckdb,
        `SELECT filename AS file, count(*) FILTER (WHERE json_type(json) <> 'OBJECT') AS n, count(*) FILTER (WHERE json IS NULL) AS bad, count(*) AS total
         FROM ${readObjects(scans, lenient, true)} GROUP BY filename`,
      )
    ).map((r) => ({ file: r.file, total: Number(r.total), bad: Number(r.bad), nonObjects: Number(r.n) }));
    const unreadable = perFile.reduce((n, f) => n + f.bad, 0);
    if (unreadable > 0 && unreadable === perFile.reduce((n, f) => n + f.total, 0)) throw await notJsonLines(files, originalName);
    // An API response: one object per file that holds the records in arrays. Stage those.
    if (!lenient && perFile.every((f) => f.total === 1 && f.nonObjects === 0)) arrays = await recordArrays(duckdb, records, perFile.length);
  } catch (error) {
    throw await unreadableSource(error);
  }
  const source = { files, originalName, lenient, scans, perFile, unreadableSource };
  if (!arrays) {
    if (!lenient && perFile.length === 1 && perFile[0].total === 1 && (await topLevelType(duckdb, records)) === 'Topology')
      ctx.warn(`'${originalName}' is a TopoJSON topology: it is staged as one row of JSON text. Convert it to GeoJSON (e.g. topojson-client's feature()) to stage one row per feature.`);
    return [await stageRecords(duckdb, ctx, source, ctx.claimTableName(baseName, originalName), originalName, records)];
  }

  // One table per array (a graph's nodes and links). A single array is the file's table, under its
  // name; several are named after their keys, and found again by the key's JSON Pointer.
  const one = arrays.arrays.length === 1;
  const unwrapped = (key: string) => `(SELECT unnest(CAST(json_extract(json, ${quoteLiteral(jsonPointer(key))}) AS JSON[])) AS json FROM ${records})`;
  const geo = one && arrays.arrays[0].key === 'features' && (await geoJsonFeatures(duckdb, unwrapped('features')));
  const tables: StagedTable[] = [];
  let numbers = '';
  for (const { key } of arrays.arrays) {
    const identity = one ? originalName : `${originalName}#${jsonPointer(key)}`;
    const name = ctx.claimTableName(one ? baseName : `${baseName}_${key}`, identity);
    tables.push(await stageRecords(duckdb, ctx, source, name, identity, geo ? featureRecords(unwrapped(key)) : unwrapped(key), (note) => (numbers ||= note)));
  }
  const whole = perFile.length === 1 ? 'one JSON object' : 'one JSON object per file';
  const others = arrays.others.length > 0 ? `; its other keys (${arrays.others.map((k) => JSON.stringify(k)).join(', ')}) are not` : '';
  const what = geo
    ? `a GeoJSON FeatureCollection: its ${arrays.arrays[0].count} feature(s) are staged, one row each, with their properties as columns and their geometry as JSON text in 'geometry'`
    : one
      ? `${whole}: the ${arrays.arrays[0].count} record(s) of its ${JSON.stringify(arrays.arrays[0].key)} array are staged`
      : `${whole} with ${arrays.arrays.length} arrays of records, each staged as a table: ${arrays.arrays.map((a, i) => `${JSON.stringify(a.key)} (${a.count} record(s)) as '${tables[i].name}'`).join(', ')}`;
  ctx.warn(`'${originalName}' is ${what}${others}.${numbers}`);
  return tables;
}

/** The `type` of a JSON document's one top-level object (`FeatureCollection`, `Topology`, ...). */
async function topLevelType(duckdb: DuckDBConnection, records: string): Promise<string | null> {
  const [row] = await queryRows<{ type: string | null }>(duckdb, `SELECT json_extract_string(json, '$.type') AS type FROM ${records} LIMIT 1`);
  return row?.type ?? null;
}

/** Whether every record is a GeoJSON Feature (`{"type": "Feature", "properties": {...}, "geometry": {...}}`). */
async function geoJsonFeatures(duckdb: DuckDBConnection, records: string): Promise<boolean> {
  const [row] = await queryRows<{ features: boolean }>(
    duckdb,
    `SELECT bool_and(json_extract_string(json, '$.type') = 'Feature' AND coalesce(json_type(json, '$.properties'), 'NULL') IN ('OBJECT', 'NULL')) AS features FROM ${records}`,
  );
  return row?.features === true;
}

/**
 * A GeoJSON feature as a record: its properties, its `id` (a property of that name wins), and its
 * geometry last, as JSON text. The properties are the merge's target: a patch's null would delete.
 */
function featureRecords(records: string): string {
  const properties = `coalesce(json_extract(json, '$.properties'), '{}')`;
  const id = `json_extract(json, '$.id')`;
  const withId = `CASE WHEN ${id} IS NULL OR json_exists(${properties}, '$.id') THEN ${properties} ELSE json_merge_patch(${properties}, json_object('id', ${id})) END`;
  return `(SELECT json_merge_patch(${withId}, json_object('geometry', json_extract(json, '$.geometry'))) AS json FROM ${records})`;
}

/** What every table of one JSON source shares. */
interface JsonSource {
  readonly files: string[];
  readonly originalName: string;
  readonly lenient: boolean;
  readonly scans: readonly Scan[];
  readonly perFile: readonly FileCounts[];
  readonly unreadableSource: (error: unknown) => Promise<StagingError>;
}

/**
 * Loads `records` (SQL yielding a `json` column) into `raw_<name>`. `unwrapped`, for records taken
 * out of an array, is told when their decimals are DuckDB's rendering.
 */
async function stageRecords(duckdb: DuckDBConnection, ctx: LoadContext, source: JsonSource, name: string, originalName: string, records: string, unwrapped?: (numbers: string) => void): Promise<StagedTable> {
  const { files, lenient, scans, perFile } = source;
  const rawTable = rawTableName(name);
  const rejectsTable = rejectsTableName(name);
  const nonObjects = perFile.reduce((n, f) => n + f.nonObjects, 0);
  const unreadable = perFile.reduce((n, f) => n + f.bad, 0);
  let keys: string[];
  let doubles: Set<string>;
  try {
    // Keys in order of first appearance, over every record: a key first seen in the last record
    // still counts. And those that ever hold a number DuckDB parses as a double (`$.*` lists the
    // values' types in the order of json_keys; a record that is no object has no keys to pair).
    const found = await queryRows<{ key: string; is_double: boolean }>(
      duckdb,
      `WITH o AS (SELECT row_number() OVER () AS rn, json_keys(json) AS ks, json_type(json, '$.*') AS ts FROM ${records}),
            k AS (SELECT rn, unnest(ks) AS key, unnest(ts) AS type, generate_subscripts(ks, 1) AS pos FROM o)
       SELECT key, bool_or(type = 'DOUBLE') AS is_double FROM k WHERE key IS NOT NULL GROUP BY key ORDER BY min(rn), arg_min(pos, rn)`,
    );
    keys = found.map((r) => r.key);
    doubles = new Set(found.filter((r) => r.is_double).map((r) => r.key));
  } catch (error) {
    throw await source.unreadableSource(error);
  }
  // DuckDB re-prints an array's elements, so their decimals are its rendering (19.90 -> 19.9).
  if (doubles.size > 0) unwrapped?.(` Decimal numbers in them are staged as DuckDB prints them (19.90 as 19.9; past 15 digits rounded).`);
  const originals = nonObjects > 0 || keys.length === 0 ? [...keys, 'json'] : keys;
  if (nonObjects > 0 && keys.length > 0) ctx.warn(`${nonObjects} record(s) of '${originalName}' are not JSON objects; their text is in the column '${uniqueNames(originals).at(-1)?.name}'.`);
  const columns = uniqueNames(originals);
  const pointers = `[${keys.map((k) => quoteLiteral(jsonPointer(k))).join(', ')}]`;
  // A value DuckDB prints like a double (`19.9`, `1000.0`) may have been written otherwise. The
  // numbers after its key's occurrences in the record (n, '' where the value is no number), narrowed
  // to those that are the value DuckDB parsed when the key occurs more than once (w), say what was
  // written if just one is left. An occurrence that is no number may be the value itself (a string
  // "1.50"), so it leaves DuckDB's text. Only keys that ever hold a double pay for this.
  const same = (text: string, i: number) => `TRY_CAST(${text} AS DOUBLE) = TRY_CAST(v[${i}] AS DOUBLE)`;
  const readBack = keys.flatMap((k, i) => (doubles.has(k) ? [{ key: k, i: i + 1 }] : []));
  const occurrences = readBack.map(({ key, i }) => `CASE WHEN regexp_matches(v[${i}], '^-?[0-9]+[.eE]') THEN regexp_extract_all(json, ${quoteLiteral(numberAfterKey(key))}, 1) END AS n${i}`);
  const candidates = readBack.map(({ i }) => `CASE WHEN len(n${i}) > 1 AND NOT list_contains(n${i}, '') THEN list_distinct(list_filter(n${i}, x -> ${same('x', i)})) ELSE n${i} END AS w${i}`);
  const select = keys.map((k, i) =>
    doubles.has(k)
      ? `CASE WHEN len(w${i + 1}) = 1 AND ${same(`w${i + 1}[1]`, i + 1)} THEN w${i + 1}[1] ELSE v[${i + 1}] END AS ${quoteIdent(columns[i].name)}`
      : `v[${i + 1}] AS ${quoteIdent(columns[i].name)}`,
  );
  // A record that is a number is its own text.
  if (originals.length > keys.length)
    select.push(`CASE json_type(json) WHEN 'OBJECT' THEN NULL WHEN 'DOUBLE' THEN json::VARCHAR ELSE json_extract_string(json, '$') END AS ${quoteIdent(columns[keys.length].name)}`);
  await withTableSwap(duckdb, async (swap) => {
    if (lenient) {
      const rejects = swap.temp(rejectsTable);
      await createRejectsTable(duckdb, rejects);
      if (unreadable > 0) await storeRejects(duckdb, perFile, scans, rejects);
    } else {
      swap.dropOnCommit(rejectsTable);
    }
    const build = swap.temp(rawTable);
    try {
      await duckdb.run(
        `CREATE TABLE ${quoteIdent(build)} AS
         SELECT ${select.join(', ')} FROM (
           SELECT json${keys.length ? `, v` : ''}${candidates.map((c) => `, ${c}`).join('')} FROM (
             SELECT json${keys.length ? `, v` : ''}${occurrences.map((c) => `, ${c}`).join('')} FROM (
               SELECT json${keys.length ? `, json_extract_string(json, ${pointers}) AS v` : ''} FROM ${records}${lenient ? ' WHERE json IS NOT NULL' : ''})))`,
      );
    } catch (error) {
      throw new StagingError('UNREADABLE_SOURCE', `Cannot load JSON from ${files.join(', ')}: ${firstLine(error)}.`, { subject: files.join(', '), cause: error });
    }
  });
  const table = await committedTable(duckdb, { name, originalName, rawTable, strength: 'weak', files }, originals);
  if (!lenient) return table;
  const { count: rejectCount, rejects } = await readRejects(duckdb, rejectsTable, ctx.maxReturnedRejects);
  if (rejectCount > 0) ctx.warn(rejectsWarning(rejectCount, originalName, rejectsTable, 'malformed JSON or invalid text'));
  return { ...table, rejects, rejectsTable, rejectCount };
}

/** The arrays of records in a source whose every file is one object, and its other keys. */
interface RecordArrays {
  readonly arrays: readonly { key: string; count: number }[];
  readonly others: readonly string[];
}

/**
 * The keys whose value is, in every file's object, a non-empty array of objects: the records, and
 * their count. Undefined when there is none: the object is the record.
 */
async function recordArrays(duckdb: DuckDBConnection, records: string, files: number): Promise<RecordArrays | undefined> {
  const found = await queryRows<{ key: string; arrays: string; objects: string; elements: string }>(
    duckdb,
    `WITH r AS (SELECT row_number() OVER () AS rn, json FROM ${records}),
          k AS (SELECT rn, json, unnest(json_keys(json)) AS key, generate_subscripts(json_keys(json), 1) AS pos FROM r),
          -- The key's value by its JSON Pointer, as jsonPointer() writes it.
          e AS (SELECT rn, pos, key, json_extract(json, '/' || replace(replace(key, '~', '~0'), '/', '~1')) AS val FROM k),
          v AS (SELECT rn, pos, key, CASE WHEN json_type(val) = 'ARRAY' THEN CAST(val AS JSON[]) END AS items FROM e)
     SELECT key, count(items) AS arrays, count(*) FILTER (WHERE list_bool_and(list_transform(items, x -> json_type(x) = 'OBJECT'))) AS objects,
            coalesce(sum(len(items)), 0) AS elements
     FROM v GROUP BY key ORDER BY min(rn), arg_min(pos, rn)`,
  );
  const arrays = found.filter((f) => Number(f.arrays) === files && Number(f.objects) === files && Number(f.elements) > 0);
  if (arrays.length === 0) return undefined;
  const keys = new Set(arrays.map((a) => a.key));
  return { arrays: arrays.map((a) => ({ key: a.key, count: Number(a.elements) })), others: found.map((f) => f.key).filter((k) => !keys.has(k)) };
}

/** A line's bytes without the BOM the file may start with. */
function withoutBom(line: number, bytes: Buffer): Buffer {
  return line === 1 && hasBom(bytes) ? bytes.subarray(3) : bytes;
}

/** One file of the scans, read as the whole load reads it. */
function scanOf(scans: readonly Scan[], file: string): Scan {
  const scan = scans.find((s) => s.files.includes(file));
  if (!scan) throw new Error(`'${file}' is in no scan of the load`);
  return { ...scan, files: [file] };
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
async function storeRejects(duckdb: DuckDBConnection, perFile: readonly FileCounts[], scans: readonly Scan[], rejects: string): Promise<void> {
  const appender = await duckdb.createAppender(rejects);
  try {
    for (const { file, total, bad } of perFile) {
      if (bad === 0) continue;
      if (!canReadLines(file))
        throw new StagingError('UNREADABLE_SOURCE', `'${file}' has ${bad} line(s) that are not JSON, and the lines of a .zst file cannot be located to keep them; decompress the file (or fix those lines) to stage it.`, { subject: file });
      const reader = await duckdb.runAndReadAll(
        `SELECT CAST(rn AS DOUBLE) AS rn FROM (SELECT row_number() OVER () AS rn, json FROM ${readObjects([scanOf(scans, file)], true)}) WHERE json IS NULL ORDER BY rn`,
      );
      const ordinals = reader.getColumnsJS()[0] as number[];
      let record = 0;
      let next = 0;
      await forEachLine(file, (line, raw) => {
        const bytes = withoutBom(line, raw);
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
    await forEachLine(file, (line, raw) => {
      const bytes = withoutBom(line, raw);
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
    if (line === 1 && hasBom(bytes)) bom = 3;
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
