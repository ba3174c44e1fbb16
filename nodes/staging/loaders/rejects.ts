/**
 * `raw_<name>__rejects`: the source lines a text loader (CSV/TSV, NDJSON) could not read, kept with
 * file, line and raw text so nothing is dropped silently. Every loader writes the same shape and
 * warns in the same words.
 */
import { queryRows, quoteIdent, type DuckDBConnection } from '../../duckdb.ts';
import type { RejectedRow } from '../types.ts';
import { canReadLines, forEachLine, lineText, linesAt } from './file-lines.ts';
import { scratchName } from './raw-table.ts';

/** Creates (or empties) a rejects table. */
export async function createRejectsTable(duckdb: DuckDBConnection, table: string): Promise<void> {
  await duckdb.run(
    `CREATE OR REPLACE TABLE ${quoteIdent(table)} (file VARCHAR, line BIGINT, column_name VARCHAR, error_type VARCHAR, error_message VARCHAR, raw_line VARCHAR)`,
  );
}

/** How many rows a rejects table holds and the first `limit` of them, by file and line. */
export async function readRejects(duckdb: DuckDBConnection, table: string, limit: number): Promise<{ count: number; rejects: RejectedRow[] }> {
  const [{ n }] = await queryRows<{ n: string }>(duckdb, `SELECT count(*) AS n FROM ${quoteIdent(table)}`);
  const rows = await queryRows<{ file: string; line: string; column_name: string | null; error_type: string; error_message: string; raw_line: string | null }>(
    duckdb,
    `SELECT * FROM ${quoteIdent(table)} ORDER BY file, line LIMIT $1`,
    [limit],
  );
  const rejects = rows.map((r) => ({
    file: r.file,
    line: Number(r.line),
    ...(r.column_name ? { column: r.column_name } : {}),
    errorType: r.error_type,
    message: r.error_message,
    ...(r.raw_line != null ? { rawLine: r.raw_line } : {}),
  }));
  return { count: Number(n), rejects };
}

/** The warning a loader gives when it rejected rows; `why` names what goes wrong in its format. */
export function rejectsWarning(count: number, originalName: string, table: string, why: string): string {
  return `${count} row(s) of '${originalName}' could not be read (${why}); they are kept with their raw text in ${table}.`;
}

/**
 * Puts the file's own bytes into the `raw_line` of rejects whose text is not UTF-8: DuckDB's CSV
 * reader stores a `?` for each byte it could not decode, which loses what the byte was. Bytes that
 * are not UTF-8 are written `\xNN` (see lineText). A reject is only rewritten when the file's
 * bytes at its line match DuckDB's text byte for byte, `?` standing for any byte; a compressed
 * file Node cannot read keeps DuckDB's text.
 */
export async function restoreInvalidBytes(duckdb: DuckDBConnection, table: string): Promise<void> {
  const rows = await queryRows<{ file: string; line: string; raw_line: string | null }>(
    duckdb,
    `SELECT file, line, raw_line FROM ${quoteIdent(table)} WHERE error_type LIKE '%INVALID ENCODING%' AND raw_line IS NOT NULL ORDER BY file, line`,
  );
  const byFile = new Map<string, { first: number; last: number; stored: string; parts: Buffer[] }[]>();
  for (const r of rows) {
    const first = Number(r.line);
    // A quoted field can hold line breaks: the record spans as many lines as its text.
    const last = first + r.raw_line!.split('\n').length - 1;
    if (!byFile.has(r.file)) byFile.set(r.file, []);
    byFile.get(r.file)!.push({ first, last, stored: r.raw_line!, parts: [] });
  }
  const fixes: { file: string; line: number; text: string }[] = [];
  for (const [file, records] of byFile) {
    if (!canReadLines(file)) continue;
    let next = 0;
    await forEachLine(file, (line, bytes) => {
      while (next < records.length && records[next].last < line) next++;
      if (next === records.length) return false;
      for (let i = next; i < records.length && records[i].first <= line; i++) records[i].parts.push(Buffer.from(bytes));
    });
    for (const r of records) {
      const bytes = Buffer.concat(r.parts.flatMap((p, i) => (i ? [Buffer.from('\n'), p] : [p])));
      const { text, utf8 } = lineText(bytes);
      if (!utf8 && sameBytes(bytes, Buffer.from(r.stored))) fixes.push({ file, line: r.first, text });
    }
  }
  await updateByLine(duckdb, table, 'raw_line', fixes.map((f) => ({ file: f.file, line: f.line, value: f.text })));
}

/**
 * Renumbers a CSV loader's rejects from DuckDB's record numbers to the file's physical lines,
 * found from each record's byte position (`line_byte_position` in DuckDB's reject_errors). The
 * two differ after any quoted field that holds a line break. A compressed file Node cannot read
 * keeps DuckDB's numbers.
 */
export async function renumberToPhysicalLines(
  duckdb: DuckDBConnection,
  table: string,
  records: readonly { file: string; line: number; position: number }[],
): Promise<void> {
  const fixes: { file: string; line: number; value: number }[] = [];
  const byFile = new Map<string, (typeof records)[number][]>();
  for (const r of records) {
    const rows = byFile.get(r.file);
    if (rows) rows.push(r);
    else byFile.set(r.file, [r]);
  }
  for (const [file, rows] of byFile) {
    if (!canReadLines(file)) continue;
    const lines = await linesAt(file, rows.map((r) => r.position));
    for (const r of rows) {
      const physical = lines.get(r.position);
      if (physical !== undefined && physical !== r.line) fixes.push({ file, line: r.line, value: physical });
    }
  }
  await updateByLine(duckdb, table, 'line', fixes);
}

/** Sets `column` of the rejects at each (file, line) in one UPDATE, through a scratch table. */
async function updateByLine(
  duckdb: DuckDBConnection,
  table: string,
  column: 'raw_line' | 'line',
  fixes: readonly { file: string; line: number; value: string | number }[],
): Promise<void> {
  if (fixes.length === 0) return;
  const scratch = scratchName('reject_fixes');
  await duckdb.run(`CREATE TABLE ${quoteIdent(scratch)} (file VARCHAR, line BIGINT, value ${column === 'line' ? 'BIGINT' : 'VARCHAR'})`);
  try {
    const appender = await duckdb.createAppender(scratch);
    try {
      for (const f of fixes) {
        appender.appendVarchar(f.file);
        appender.appendBigInt(BigInt(f.line));
        if (typeof f.value === 'number') appender.appendBigInt(BigInt(f.value));
        else appender.appendVarchar(f.value);
        appender.endRow();
      }
      appender.flushSync();
    } finally {
      appender.closeSync();
    }
    await duckdb.run(
      `UPDATE ${quoteIdent(table)} AS r SET ${quoteIdent(column)} = f.value FROM ${quoteIdent(scratch)} AS f WHERE r.file = f.file AND r.line = f.line`,
    );
  } finally {
    await duckdb.run(`DROP TABLE IF EXISTS ${quoteIdent(scratch)}`);
  }
}

/** Whether `stored` is `bytes` with some bytes replaced by `?`, one for one. */
function sameBytes(bytes: Buffer, stored: Buffer): boolean {
  if (bytes.length !== stored.length) return false;
  for (let i = 0; i < bytes.length; i++) if (bytes[i] !== stored[i] && stored[i] !== 0x3f) return false;
  return true;
}
