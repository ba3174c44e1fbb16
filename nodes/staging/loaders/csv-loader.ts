/**
 * CSV / TSV: sniff each file's dialect with DuckDB's `sniff_csv`, then read every column as VARCHAR
 * into a raw Parquet file (see raw-store.ts) that `raw_<name>` is a view over, in one `read_csv`
 * statement when the files read alike. Rows DuckDB cannot read (ragged, bad quoting, invalid UTF-8)
 * are not dropped: `store_rejects` catches them and they are kept, with file, line and raw text, in
 * `raw_<name>__rejects`.
 */
import { rmSync } from 'node:fs';
import { basename } from 'node:path';
import { queryRows, quoteIdent, quoteLiteral, type DuckDBConnection } from '../../duckdb.ts';
import { StagingError, firstLine } from '../errors.ts';
import { uniqueNames, type NamePair } from '../names.ts';
import { CSV_ENCODINGS, type CsvEncoding, type SourceConfig } from '../source-config.ts';
import type { CsvDialect, StagedTable } from '../types.ts';
import { fileTarget, type FileTarget } from './file-target.ts';
import type { LoadContext, SourceLoader } from './registry.ts';
import { newRawFile, rawStoreDir } from './raw-store.ts';
import { committedTable, rejectsTableName, scratchName, withTableSwap } from './raw-table.ts';
import { createRejectsTable, readRejects, rejectsWarning, renumberToPhysicalLines, restoreInvalidBytes } from './rejects.ts';
import { canReadLines, forEachLine, lineText } from './file-lines.ts';
import { detectEncoding, duckdbReads, WHOLE_FILE, writeAsUtf8, type DetectedEncoding } from './text-encoding.ts';

/** A source file and what DuckDB reads of it: the file itself, or its UTF-8 copy. */
interface TextFile {
  readonly source: string;
  readonly file: string;
  readonly encoding: CsvEncoding;
  readonly duckdbEncoding: CsvEncoding;
  /** Detected as UTF-8 from an all-ASCII start: bytes further on may be another encoding. */
  readonly asciiStart?: boolean;
}

/**
 * Each file's encoding (configured, or detected and said in a warning), with a UTF-8 copy in `dir`
 * of every file DuckDB cannot decode itself. `copies` collects the copies to delete.
 */
async function textFiles(files: readonly string[], config: SourceConfig, dir: string, ctx: LoadContext, copies: string[]): Promise<TextFile[]> {
  const out: TextFile[] = [];
  for (const source of files) out.push(await textFile(source, config.encoding !== undefined ? await configured(source, config.encoding) : await detectEncoding(source), dir, ctx, copies));
  return out;
}

/** A configured encoding; `utf-16` names both byte orders, so which one is read from the file. */
async function configured(source: string, encoding: CsvEncoding): Promise<DetectedEncoding> {
  if (encoding === 'utf-16' && (await detectEncoding(source)).encoding === 'utf-16be') return { encoding: 'utf-16be' };
  return { encoding };
}

async function textFile(source: string, detected: DetectedEncoding, dir: string, ctx: LoadContext, copies: string[]): Promise<TextFile> {
  if (detected.binary) throw new StagingError('UNREADABLE_SOURCE', `'${source}' is not a CSV file: it looks like ${detected.binary}.`, { subject: source });
  if (detected.reason)
    ctx.warn(`'${basename(source)}' is read as ${detected.encoding}: ${detected.reason}. If that is wrong, set encoding in the source config (${CSV_ENCODINGS.join(', ')}).`);
  if (duckdbReads(detected.encoding))
    return { source, file: source, encoding: detected.encoding, duckdbEncoding: detected.encoding, ...(detected.asciiOnly ? { asciiStart: true } : {}) };
  const copy = newRawFile(dir).replace(/\.parquet$/, '.utf8.csv');
  copies.push(copy);
  try {
    await writeAsUtf8(source, copy, detected.encoding);
  } catch (error) {
    throw new StagingError('UNREADABLE_SOURCE', `Cannot decode '${source}' as ${detected.encoding}: ${firstLine(error)}.`, { subject: source, cause: error });
  }
  return { source, file: copy, encoding: detected.encoding, duckdbEncoding: 'utf-8' };
}

/** The files with rejects of `errorType` in a staged table. */
async function filesRejectedFor(duckdb: DuckDBConnection, staged: StagedTable, errorType: string): Promise<Set<string>> {
  if (!staged.rejectCount || !staged.rejectsTable) return new Set();
  const rows = await queryRows<{ file: string }>(duckdb, `SELECT DISTINCT file FROM ${quoteIdent(staged.rejectsTable)} WHERE contains(error_type, $type)`, { type: errorType });
  return new Set(rows.map((r) => r.file));
}

/**
 * The files again, for those whose first megabyte was ASCII and that had lines that are no UTF-8:
 * read whole to decide, and re-encoded when they are Windows-1252. Undefined when nothing changes.
 */
async function secondLook(texts: readonly TextFile[], staged: StagedTable, duckdb: DuckDBConnection, dir: string, ctx: LoadContext, copies: string[]): Promise<TextFile[] | undefined> {
  if (!texts.some((t) => t.asciiStart)) return undefined;
  const broken = await filesRejectedFor(duckdb, staged, 'INVALID ENCODING');
  let changed = false;
  const out: TextFile[] = [];
  for (const t of texts) {
    const whole = t.asciiStart && broken.has(t.source) ? await detectEncoding(t.source, WHOLE_FILE) : undefined;
    if (whole && !duckdbReads(whole.encoding)) {
      changed = true;
      out.push(await textFile(t.source, whole, dir, ctx, copies));
    } else {
      out.push(t);
    }
  }
  return changed ? out : undefined;
}

/** One file as sniffed: how to read it and what its columns are called. */
interface SniffedFile {
  /** What DuckDB reads: the source file, or its UTF-8 copy when it is in a single-byte encoding. */
  readonly file: string;
  /** The source file. */
  readonly source: string;
  readonly dialect: CsvDialect;
  readonly columns: readonly NamePair[];
}

interface SniffRow {
  Delimiter: string;
  Quote: string;
  Escape: string;
  Comment: string;
  SkipRows: number;
  HasHeader: boolean;
  Columns: { name: string; type: string }[];
}

/** DuckDB's error for a line longer than its max_line_size (2 MB by default). */
const LINE_TOO_LONG = /Maximum line size of \d+ bytes exceeded/;
/** The line size allowed once a file has a longer line: room for fields of tens of megabytes. */
const LONG_LINES = 256 * 1024 * 1024;

/** sniff_csv spells "none" as `(empty)`. */
const unEmpty = (value: string | null | undefined): string => (value == null || value === '(empty)' ? '' : value);

/**
 * Sniffs one file: dialect (configured overrides win) and the header's original text. The header
 * is read raw because DuckDB already renames empty and duplicate names (`column1`, `x_1`), and we
 * want to keep what the file said.
 */
async function sniffFile(duckdb: DuckDBConnection, text: TextFile, config: SourceConfig, defaultDelimiter?: string, longLines = false): Promise<SniffedFile> {
  const { file, source } = text;
  const options: string[] = [`encoding = ${quoteLiteral(text.duckdbEncoding)}`];
  const values: Record<string, string | number | boolean> = { file };
  const delimiter = config.delimiter ?? defaultDelimiter;
  if (delimiter !== undefined) (options.push('delim = $delim'), (values.delim = delimiter));
  if (config.quote !== undefined) (options.push('quote = $quote'), (values.quote = config.quote));
  if (config.escape !== undefined) (options.push('escape = $escape'), (values.escape = config.escape));
  if (config.header !== undefined) (options.push('header = $header'), (values.header = config.header));
  if (config.sample_size !== undefined) (options.push('sample_size = $sample'), (values.sample = config.sample_size));
  let maxLineSize: number | undefined = longLines ? LONG_LINES : undefined;
  const sniffOnce = async (extra: string[]) =>
    (await queryRows<SniffRow>(duckdb, `SELECT Delimiter, Quote, Escape, Comment, SkipRows, HasHeader, Columns FROM sniff_csv($file, ${[...options, ...extra].join(', ')})`, values))[0];
  // A line past DuckDB's 2 MB default (a JSON or HTML blob in a field) fails the whole file: such
  // a file is read with room for long lines.
  const sniff = async (extra: string[]) =>
    sniffOnce([...extra, ...(maxLineSize ? [`max_line_size = ${maxLineSize}`] : [])]).catch((error: unknown) => {
      if (maxLineSize !== undefined || !LINE_TOO_LONG.test(String(error))) throw error;
      maxLineSize = LONG_LINES;
      return sniffOnce([...extra, `max_line_size = ${maxLineSize}`]);
    });
  let sniffed: SniffRow;
  try {
    sniffed = await sniff(['ignore_errors = true']);
    // With errors ignored, a title above the header ('Sales report') makes a one-column file of
    // it; only the strict sniffer looks past such a preamble (and it fails on ragged files).
    if (sniffed.Columns.length === 1) {
      const strict = await sniff([]).catch(() => undefined);
      if (strict && strict.Columns.length > 1) sniffed = strict;
    }
  } catch (error) {
    throw new StagingError('UNREADABLE_SOURCE', `Cannot read '${source}' as ${defaultDelimiter === '\t' ? 'TSV' : 'CSV'} (${text.encoding}): ${firstLine(error)}. If it is another format, set source_type; if it is not ${text.encoding}, set encoding (${CSV_ENCODINGS.join(', ')}).`, { subject: source, cause: error });
  }
  const dialect: CsvDialect = {
    delimiter: config.delimiter ?? sniffed.Delimiter,
    quote: config.quote ?? unEmpty(sniffed.Quote),
    escape: config.escape ?? unEmpty(sniffed.Escape),
    header: config.header ?? sniffed.HasHeader,
    skipRows: Number(sniffed.SkipRows ?? 0),
    comment: unEmpty(sniffed.Comment),
    encoding: text.encoding,
    ...(maxLineSize ? { maxLineSize } : {}),
  };
  const count = sniffed.Columns.length;
  let originals: string[];
  if (!dialect.header) {
    originals = Array.from({ length: count }, (_, i) => `column_${i + 1}`);
  } else {
    originals = (await readHeader(duckdb, file, dialect, count)) ?? sniffed.Columns.map((c) => c.name);
  }
  return { file, source, dialect, columns: uniqueNames(originals) };
}

/** The header record's fields exactly as written, or undefined when it can't be read as one record. */
async function readHeader(duckdb: DuckDBConnection, file: string, dialect: CsvDialect, count: number): Promise<string[] | undefined> {
  const columns = `{${Array.from({ length: count }, (_, i) => `'c${i}': 'VARCHAR'`).join(', ')}}`;
  try {
    const rows = await queryRows<Record<string, string | null>>(
      duckdb,
      `SELECT * FROM read_csv(${quoteLiteral(file)}, ${dialectOptions({ ...dialect, header: false })}, columns = ${columns}, null_padding = true, strict_mode = false) LIMIT 1`,
    );
    if (rows.length === 0) return undefined;
    return Array.from({ length: count }, (_, i) => rows[0][`c${i}`] ?? '');
  } catch {
    return undefined;
  }
}

/** read_csv options for a dialect, as SQL text (DuckDB can't bind these in a list-of-files call). */
function dialectOptions(d: CsvDialect): string {
  return [
    'auto_detect = false',
    `header = ${d.header}`,
    `skip = ${d.skipRows}`,
    `delim = ${quoteLiteral(d.delimiter)}`,
    `quote = ${quoteLiteral(d.quote)}`,
    `escape = ${quoteLiteral(d.escape)}`,
    `comment = ${quoteLiteral(d.comment)}`,
    `encoding = ${quoteLiteral(duckdbReads(d.encoding as CsvEncoding) ? d.encoding : 'utf-8')}`,
    ...(d.maxLineSize ? [`max_line_size = ${d.maxLineSize}`] : []),
  ].join(', ');
}

/**
 * Loads one CSV/TSV source (a file, or every file of a glob into one table).
 */
async function loadDelimited(config: SourceConfig, duckdb: DuckDBConnection, ctx: LoadContext, defaultDelimiter?: string): Promise<StagedTable[]> {
  const target = await fileTarget(config, duckdb, ctx);
  const dir = await rawStoreDir(duckdb);
  const copies: string[] = [];
  try {
    const texts = await textFiles(target.files, config, dir, ctx, copies);
    // Warnings wait until it is clear the first load stands (see secondLook).
    const held: string[] = [];
    const staged = await loadTexts(duckdb, texts, target, dir, config, { ...ctx, warn: (m) => held.push(m) }, defaultDelimiter);
    const again = config.encoding === undefined ? await secondLook(texts, staged, duckdb, dir, ctx, copies) : undefined;
    // A line past 2 MB beyond the sniffer's sample is a reject whose text DuckDB cuts at 10,000
    // characters: load again with room for long lines instead.
    const longLines = !staged.dialect?.maxLineSize && (await filesRejectedFor(duckdb, staged, 'LINE SIZE OVER MAXIMUM')).size > 0;
    if (longLines) return [await loadTexts(duckdb, again ?? texts, target, dir, config, ctx, defaultDelimiter, true)];
    if (!again) {
      for (const m of held) ctx.warn(m);
      return [staged];
    }
    return [await loadTexts(duckdb, again, target, dir, config, ctx, defaultDelimiter)];
  } finally {
    for (const copy of copies) rmSync(copy, { force: true });
  }
}

/** Sniffs and loads the files' text into a raw Parquet file in `dir`, with their rejects. */
async function loadTexts(duckdb: DuckDBConnection, texts: readonly TextFile[], target: FileTarget, dir: string, config: SourceConfig, ctx: LoadContext, defaultDelimiter?: string, longLines = false): Promise<StagedTable> {
  const { files, originalName, name, rawTable } = target;
  const rejectsTable = rejectsTableName(name);
  let sniffed: SniffedFile[] = [];
  for (const text of texts) sniffed.push(await sniffFile(duckdb, text, config, defaultDelimiter, longLines));
  for (const s of sniffed) if (s.dialect.skipRows > 0) ctx.warn(await preambleWarning(s));

  let union = new Map<string, string>();
  const rawFile = newRawFile(dir);
  await withTableSwap(duckdb, async (swap) => {
    swap.parquet(rawTable, rawFile);
    const build = rawFile;
    const rejects = swap.temp(rejectsTable);
    let outcome = await buildInto(duckdb, build, rejects, sniffed);
    // One unclosed quote can make the sniffer settle on "no quoting", which then rejects every
    // properly quoted field holding a delimiter. When rows were rejected that way, try '"' quoting
    // and keep whichever reads more of the file.
    if (config.quote === undefined && outcome.groups.some((g) => g.rejectedLines > 0 && g.files[0].dialect.quote === '')) {
      const retry: SniffedFile[] = [];
      for (const s of sniffed) retry.push(await withQuotes(duckdb, s)); // one connection: one query at a time
      const retried = await buildInto(duckdb, build, rejects, retry);
      if (retried.rejectedLines < outcome.rejectedLines) {
        ctx.warn(`'${originalName}': the sniffer found no quoting, but reading with '"' quotes rejects fewer lines (${retried.rejectedLines} instead of ${outcome.rejectedLines}); using quotes.`);
        sniffed = retry;
        outcome = retried;
      } else {
        outcome = await buildInto(duckdb, build, rejects, sniffed);
      }
    }
    union = outcome.union;
    if (outcome.groups.length > 1)
      ctx.warn(`Files of '${originalName}' differ in dialect or header (${outcome.groups.length} variants); columns were matched by name, missing ones are NULL.`);
  });

  // Rejects name the source file, not the UTF-8 copy DuckDB read.
  for (const s of sniffed) if (s.file !== s.source) await duckdb.run(`UPDATE ${quoteIdent(rejectsTable)} SET file = $source WHERE file = $copy`, { source: s.source, copy: s.file });
  // Only UTF-8 files: for another encoding the file's bytes are not what DuckDB decoded.
  if (sniffed[0].dialect.encoding === 'utf-8')
    // Best effort: on failure DuckDB's text (with '?' for the bytes) stays, and the warning says so.
    await restoreInvalidBytes(duckdb, rejectsTable).catch((err: unknown) => ctx.warn(`Could not restore the original bytes of invalid-UTF-8 rejects in ${rejectsTable}: ${(err as Error).message.split('\n')[0]}`));
  const { count: rejectCount, rejects: rejected } = await readRejects(duckdb, rejectsTable, ctx.maxReturnedRejects);
  if (rejectCount > 0) {
    ctx.warn(rejectsWarning(rejectCount, originalName, rejectsTable, 'wrong number of fields, bad quoting or invalid text'));
    if (rejected.some((r) => r.errorType.includes('INVALID ENCODING')))
      ctx.warn(`'${originalName}' has lines that are not valid ${sniffed[0].dialect.encoding}; if the file is in another encoding, set encoding in the source config (${CSV_ENCODINGS.join(', ')}).`);
  }
  const table = await committedTable(duckdb, { name, originalName, rawTable, rawFile, strength: 'untyped', files }, [...union.values()]);
  return { ...table, rejects: rejected, rejectsTable, rejectCount, dialect: sniffed[0].dialect };
}

interface BuildOutcome {
  /** Union of columns by sanitized name (first appearance wins) -> original header text. */
  readonly union: Map<string, string>;
  readonly groups: { files: SniffedFile[]; rejectedLines: number }[];
  readonly rejectedLines: number;
}

/**
 * (Re)writes the raw Parquet file and the scratch rejects table from every file. Files that read
 * alike (same dialect, same columns) load in one statement, straight into the file; files with
 * different headers are unioned by name through a temporary table first.
 */
async function buildInto(duckdb: DuckDBConnection, rawFile: string, rejects: string, sniffed: readonly SniffedFile[]): Promise<BuildOutcome> {
  const union = new Map<string, string>();
  for (const s of sniffed) for (const c of s.columns) if (!union.has(c.name)) union.set(c.name, c.originalName);
  const byKey = new Map<string, SniffedFile[]>();
  for (const s of sniffed) {
    const key = JSON.stringify([s.dialect, s.columns.map((c) => c.name)]);
    byKey.set(key, [...(byKey.get(key) ?? []), s]);
  }
  await createRejectsTable(duckdb, rejects);
  const toParquet = `(FORMAT parquet, COMPRESSION zstd)`;
  const groups: BuildOutcome['groups'] = [];
  if (byKey.size === 1) {
    const [files] = byKey.values();
    groups.push({ files, rejectedLines: await loadGroup(duckdb, files, rejects, (select) => `COPY (${select}) TO ${quoteLiteral(rawFile)} ${toParquet}`) });
  } else {
    const scratch = scratchName('csv_union');
    try {
      await duckdb.run(`CREATE TEMP TABLE ${quoteIdent(scratch)} (${[...union.keys()].map((c) => `${quoteIdent(c)} VARCHAR`).join(', ')})`);
      for (const files of byKey.values()) groups.push({ files, rejectedLines: await loadGroup(duckdb, files, rejects, (select) => `INSERT INTO ${quoteIdent(scratch)} BY NAME ${select}`) });
      await duckdb.run(`COPY ${quoteIdent(scratch)} TO ${quoteLiteral(rawFile)} ${toParquet}`);
    } finally {
      await duckdb.run(`DROP TABLE IF EXISTS ${quoteIdent(scratch)}`).catch(() => undefined);
    }
  }
  return { union, groups, rejectedLines: groups.reduce((n, g) => n + g.rejectedLines, 0) };
}

/** Says which lines above the header the sniffer skipped (a report's title, a generated-at line). */
async function preambleWarning(s: SniffedFile): Promise<string> {
  const lines: string[] = [];
  // DuckDB reads UTF-16 itself; every other file here is UTF-8 (or a UTF-8 copy).
  if (s.dialect.encoding !== 'utf-16' && canReadLines(s.file)) {
    await forEachLine(s.file, (n, bytes) => {
      if (n > s.dialect.skipRows) return false;
      const text = lineText(bytes).text.trim();
      if (text !== '') lines.push(JSON.stringify(text.length > 60 ? `${text.slice(0, 57)}...` : text));
    });
  }
  const shown = lines.length > 3 ? [...lines.slice(0, 3), '...'] : lines;
  return `'${basename(s.source)}': skipped ${s.dialect.skipRows} line(s) above the header${shown.length > 0 ? ` (${shown.join(', ')})` : ''}; they are not staged.`;
}

/** The same file read with '"' quoting (and '"' escaping unless the sniffer found one). */
async function withQuotes(duckdb: DuckDBConnection, s: SniffedFile): Promise<SniffedFile> {
  if (s.dialect.quote !== '') return s;
  const dialect: CsvDialect = { ...s.dialect, quote: '"', escape: s.dialect.escape || '"' };
  const originals = dialect.header ? ((await readHeader(duckdb, s.file, dialect, s.columns.length)) ?? s.columns.map((c) => c.originalName)) : s.columns.map((c) => c.originalName);
  return { file: s.file, source: s.source, dialect, columns: uniqueNames(originals) };
}

/**
 * SQL: a rejected record's text from DuckDB's `csv_line` column. In a CRLF file it starts with the
 * LF of the line break before it; no record starts with a line break, so one is dropped.
 */
const recordText = (csvLine: string): string => `regexp_replace(${csvLine}, '^\\r?\\n', '')`;

/**
 * One read_csv over alike files, written where `into` says (a COPY or an INSERT around the SELECT);
 * its rejects are folded to one row per rejected line.
 */
async function loadGroup(duckdb: DuckDBConnection, group: readonly SniffedFile[], rejects: string, into: (select: string) => string): Promise<number> {
  const errorsTable = scratchName('reject_errors');
  const scansTable = scratchName('reject_scans');
  const { dialect, columns } = group[0];
  const fileList = `[${group.map((s) => quoteLiteral(s.file)).join(', ')}]`;
  const columnSpec = `{${columns.map((c) => `${quoteLiteral(c.name)}: 'VARCHAR'`).join(', ')}}`;
  try {
    await duckdb.run(
      into(`SELECT * FROM read_csv(${fileList}, ${dialectOptions(dialect)}, columns = ${columnSpec},
         store_rejects = true, rejects_table = ${quoteLiteral(errorsTable)}, rejects_scan = ${quoteLiteral(scansTable)}, rejects_limit = 0)`),
    );
    // A line can fail in several ways (e.g. unquoted value AND too many columns): one row per line.
    await duckdb.run(
      `INSERT INTO ${quoteIdent(rejects)}
       SELECT s.file_path, e.line, min(e.column_name), string_agg(DISTINCT e.error_type, ', '),
              string_agg(DISTINCT e.error_message, '; '), min(${recordText('e.csv_line')})
       FROM ${quoteIdent(errorsTable)} e JOIN ${quoteIdent(scansTable)} s ON e.scan_id = s.scan_id AND e.file_id = s.file_id
       GROUP BY s.file_path, e.line`,
    );
    const positions = await queryRows<{ file: string; line: string; position: string }>(
      duckdb,
      `SELECT s.file_path AS file, e.line, min(e.line_byte_position) AS position
       FROM ${quoteIdent(errorsTable)} e JOIN ${quoteIdent(scansTable)} s ON e.scan_id = s.scan_id AND e.file_id = s.file_id
       GROUP BY s.file_path, e.line`,
    );
    await renumberToPhysicalLines(duckdb, rejects, positions.map((p) => ({ file: p.file, line: Number(p.line), position: Number(p.position) })));
    // Physical lines behind the rejected records (an unclosed quote can swallow several).
    const [row] = await queryRows<{ n: string | null }>(
      duckdb,
      `SELECT sum(length(raw) - length(replace(raw, chr(10), '')) + 1) AS n
       FROM (SELECT min(${recordText('csv_line')}) AS raw FROM ${quoteIdent(errorsTable)} GROUP BY scan_id, file_id, line)`,
    );
    return Number(row.n ?? 0);
  } catch (error) {
    const files = group.map((s) => s.source).join(', ');
    throw new StagingError('UNREADABLE_SOURCE', `Cannot load ${files}: ${firstLine(error)}. Try setting delimiter/quote/header/encoding in the source config.`, { subject: files, cause: error });
  } finally {
    await duckdb.run(`DROP TABLE IF EXISTS ${quoteIdent(errorsTable)}; DROP TABLE IF EXISTS ${quoteIdent(scansTable)}`).catch(() => undefined);
  }
}

export const csvLoader: SourceLoader = {
  type: 'csv',
  strength: 'untyped',
  load: (config, duckdb, ctx) => loadDelimited(config, duckdb, ctx),
};

export const tsvLoader: SourceLoader = {
  type: 'tsv',
  strength: 'untyped',
  load: (config, duckdb, ctx) => loadDelimited(config, duckdb, ctx, '\t'),
};
