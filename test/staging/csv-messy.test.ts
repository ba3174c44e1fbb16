/**
 * Messy CSVs generated on the spot: every file loads, unreadable rows are reported with their file
 * and line and kept in `raw_<name>__rejects`, and loaded + rejected lines = the file's data lines.
 */
import { existsSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { queryRows, type DuckDBConnection } from '../../nodes/duckdb.ts';
import { parseSourceConfig } from '../../nodes/staging/source-config.ts';
import { _stageSource, sourceConfig, staging } from '../../nodes/staging/staging.ts';
import type { StagedTable } from '../../nodes/staging/types.ts';
import { countOf, lineCount, rejectedLines, rows, stagingFixture, tableCount } from './helpers.ts';

let duckdb: DuckDBConnection;
const tmp = stagingFixture((c) => (duckdb = c));

const file = tmp.file;

async function stageOne(pathOrConfig: string | Record<string, unknown>): Promise<StagedTable> {
  const result = await staging(sourceConfig(pathOrConfig), duckdb);
  expect(result.tables).toHaveLength(1);
  return result.tables[0];
}

/** The invariant: every data line of the file is either a loaded row or part of a rejected row. */
function expectAllLinesAccountedFor(table: StagedTable, path: string, headerLines = 1): void {
  expect(table.rowCount + rejectedLines(table)).toBe(lineCount(path) - headerLines);
  expect(table.rejectCount).toBe(table.rejects.length);
}

describe('messy CSVs', () => {
  it('ragged rows: loaded rows stay, ragged lines are rejected with line numbers and raw text', async () => {
    const path = file('ragged.csv', 'a,b,c\n1,2,3\n4,5\n6,7,8\n9,10,11,12\n13,14,15\n');
    const table = await stageOne(path);
    expect(table.rowCount).toBe(3);
    expect(table.rejects.map((r) => [r.file, r.line, r.errorType, r.rawLine])).toEqual([
      [path, 3, 'MISSING COLUMNS', '4,5'],
      [path, 5, 'TOO MANY COLUMNS', '9,10,11,12'],
    ]);
    expectAllLinesAccountedFor(table, path);
    expect(table.rejectsTable).toBe('raw_ragged__rejects');
    expect(await rows(duckdb, 'raw_ragged__rejects', 'line')).toEqual([
      { file: path, line: '3', column_name: 'c', error_type: 'MISSING COLUMNS', error_message: 'Expected Number of Columns: 3 Found: 2', raw_line: '4,5' },
      { file: path, line: '5', column_name: null, error_type: 'TOO MANY COLUMNS', error_message: 'Expected Number of Columns: 3 Found: 4', raw_line: '9,10,11,12' },
    ]);
    expect(await rows(duckdb, 'raw_ragged', 'a')).toEqual([
      { a: '1', b: '2', c: '3' },
      { a: '13', b: '14', c: '15' },
      { a: '6', b: '7', c: '8' },
    ]);
  });

  it('an unbalanced quote in a quoted file rejects only the lines it swallows', async () => {
    const lines = ['id,name,amount'];
    for (let i = 1; i <= 60; i++) lines.push(i === 40 ? `${i},"Unclosed name,${i}` : i % 3 === 0 ? `${i},"Smith, ${i}",${i}` : `${i},plain ${i},${i}`);
    const path = file('unbalanced.csv', `${lines.join('\n')}\n`);
    const table = await stageOne(path);
    expect(table.dialect).toMatchObject({ quote: '"', delimiter: ',' });
    expect(table.rejects).toHaveLength(1);
    // The open quote runs on to the next quote character (line 43): those three lines are one rejected record.
    expect(table.rejects[0]).toMatchObject({ file: path, line: 41, rawLine: '40,"Unclosed name,40\n41,plain 41,41\n42,"Smith, 42",42' });
    expect(table.rejects[0].errorType).toContain('UNQUOTED VALUE');
    expectAllLinesAccountedFor(table, path);
    const [smith] = await queryRows(duckdb, `SELECT * FROM raw_unbalanced WHERE id = '39'`);
    expect(smith).toEqual({ id: '39', name: 'Smith, 39', amount: '39' });
  });

  it('a title and a generated-at line above the header are skipped, and the warning names them', async () => {
    const path = file('report.csv', 'Sales report\nGenerated: 2023-05-01\n\nregion,share,value\nNorth,"12,5 %",11\nSouth,"7,25 %",12\nEast,"80 %",13\n');
    const result = await _stageSource(sourceConfig(path), duckdb);
    expect(result.tables[0]).toMatchObject({ rowCount: 3, rejectCount: 0, columns: [{ name: 'region' }, { name: 'share' }, { name: 'value' }] });
    expect(result.warnings).toEqual([`'report.csv': skipped 3 line(s) above the header ("Sales report", "Generated: 2023-05-01"); they are not staged.`]);
    expect(await rows(duckdb, 'raw_report', 'value')).toEqual([
      { region: 'North', share: '12,5 %', value: '11' }, { region: 'South', share: '7,25 %', value: '12' }, { region: 'East', share: '80 %', value: '13' },
    ]);
  });

  it('a field longer than DuckDB\'s 2 MB line limit loads whole, at the start and past the sniffer\'s sample', async () => {
    const early = file('long-early.csv', `id,blob\n1,short\n2,${'x'.repeat(3_000_000)}\n3,after\n`);
    const first = await stageOne(early);
    expect(first).toMatchObject({ rowCount: 3, rejectCount: 0, dialect: { maxLineSize: 256 * 1024 * 1024 } });
    expect(await queryRows(duckdb, `SELECT id, length(blob)::INTEGER AS n FROM raw_long_early ORDER BY id`)).toEqual([{ id: '1', n: 5 }, { id: '2', n: 3_000_000 }, { id: '3', n: 5 }]);
    const lines = ['id,blob', ...Array.from({ length: 40_000 }, (_, i) => `${i},v${i}`)];
    lines.splice(30_001, 0, `late,${'y'.repeat(2_500_000)}`);
    const late = file('long-late.csv', `${lines.join('\n')}\n`);
    const second = await stageOne(late);
    expect(second).toMatchObject({ rowCount: 40_001, rejectCount: 0 });
    expect(await queryRows(duckdb, `SELECT length(blob)::INTEGER AS n FROM raw_long_late WHERE id = 'late'`)).toEqual([{ n: 2_500_000 }]);
    expectAllLinesAccountedFor(second, late);
  });

  it('invalid UTF-8 bytes: read as utf-8 the line is rejected and reported; as latin-1, or detected, it loads', async () => {
    const path = file(
      'latin.csv',
      Buffer.concat([Buffer.from('id,city\n1,Berlin\n2,M'), Buffer.from([0xfc]), Buffer.from('nchen\n3,Paris\n')]),
    );
    expect(await stageOne(path)).toMatchObject({ rowCount: 3, rejectCount: 0, dialect: { encoding: 'windows-1252' } });
    const table = await stageOne({ source_type: 'csv', path, encoding: 'utf-8' });
    expect(table.rowCount).toBe(2);
    expect(table.rejects).toEqual([expect.objectContaining({ file: path, line: 3, errorType: 'INVALID ENCODING' })]);
    expectAllLinesAccountedFor(table, path);
    const latin = await stageOne({ source_type: 'csv', path, encoding: 'latin-1' });
    expect(latin.rowCount).toBe(3);
    expect(latin.rejects).toEqual([]);
    expect(await rows(duckdb, 'raw_latin', 'id')).toContainEqual({ id: '2', city: 'München' });
  });

  it('semicolon delimiter with decimal commas: sniffed, values kept as written', async () => {
    const path = file('semicolon.csv', 'id;amount;label\n1;1,5;a\n2;"2,25";"b;c"\n3;-0,75;d\n');
    const table = await stageOne(path);
    expect(table.dialect).toMatchObject({ delimiter: ';', quote: '"', header: true });
    expect(await rows(duckdb, 'raw_semicolon', 'id')).toEqual([
      { id: '1', amount: '1,5', label: 'a' },
      { id: '2', amount: '2,25', label: 'b;c' },
      { id: '3', amount: '-0,75', label: 'd' },
    ]);
    expectAllLinesAccountedFor(table, path);
  });

  it('tab-separated', async () => {
    const path = file('tabs.tsv', 'name\tvalue\nx y\t1\nz\t2\n');
    const table = await stageOne(path);
    expect(table).toMatchObject({ name: 'tabs', rowCount: 2, strength: 'untyped' });
    expect(table.dialect?.delimiter).toBe('\t');
    expect(await rows(duckdb, 'raw_tabs', 'name')).toEqual([{ name: 'x y', value: '1' }, { name: 'z', value: '2' }]);
  });

  it('no header: every line is data, columns are numbered', async () => {
    const path = file('noheader.csv', '1,2.5,2024-01-01\n2,3.5,2024-01-02\n3,4.5,2024-01-03\n');
    const table = await stageOne(path);
    expect(table.dialect?.header).toBe(false);
    expect(table.columns.map((c) => c.name)).toEqual(['column_1', 'column_2', 'column_3']);
    expectAllLinesAccountedFor(table, path, 0);
    // and when the user says so, the first line is a header after all
    const forced = await stageOne({ source_type: 'csv', path, header: true });
    expect(forced.rowCount).toBe(2);
    expect(forced.columns.map((c) => c.originalName)).toEqual(['1', '2.5', '2024-01-01']);
  });

  it('a hostile header: empty, duplicate, unicode, quotes, ;, keywords, leading digits', async () => {
    const path = file('hostile-header.csv', 'id,,ID,"a ""quoted"" name",";",select,from,Ünïcödé Größe,1st,"  spaced  ",id\n1,2,3,4,5,6,7,8,9,10,11\n');
    const table = await stageOne(path);
    expect(table.columns.map((c) => [c.name, c.originalName])).toEqual([
      ['id', 'id'],
      ['column_2', ''],
      ['id_2', 'ID'],
      ['a_quoted_name', 'a "quoted" name'],
      ['column_5', ';'],
      ['select_', 'select'],
      ['from_', 'from'],
      ['unicode_grosse', 'Ünïcödé Größe'],
      ['c_1st', '1st'],
      ['spaced', '  spaced  '],
      ['id_3', 'id'],
    ]);
    expect(await rows(duckdb, 'raw_hostile_header')).toEqual([
      { id: '1', column_2: '2', id_2: '3', a_quoted_name: '4', column_5: '5', select_: '6', from_: '7', unicode_grosse: '8', c_1st: '9', spaced: '10', id_3: '11' },
    ]);
  });

  it('a UTF-8 BOM and CRLF line endings leave no trace in names or values', async () => {
    const path = file('bom-crlf.csv', '\ufeffid,name\r\n1,Zoë\r\n2,"Multi\r\nline"\r\n3,x\r\n');
    const table = await stageOne(path);
    expect(table.columns.map((c) => c.originalName)).toEqual(['id', 'name']);
    expect(await rows(duckdb, 'raw_bom_crlf', 'id')).toEqual([
      { id: '1', name: 'Zoë' },
      { id: '2', name: 'Multi\r\nline' },
      { id: '3', name: 'x' },
    ]);
  });

  it('a gzip-compressed CSV is read as it is', async () => {
    const path = file('compressed.csv.gz', gzipSync('id,name\n1,a\n2,b\n3\n'));
    const table = await stageOne(path);
    expect(table).toMatchObject({ name: 'compressed', originalName: 'compressed.csv.gz', rowCount: 2, rejectCount: 1 });
    expect(table.rejects).toEqual([expect.objectContaining({ line: 4, rawLine: '3' })]);
  });

  it('rejects after quoted fields holding line breaks name the physical line (LF, CRLF, gzip)', async () => {
    // DuckDB numbers records: a two-line and a three-line field before a reject shift it by 1 and 3.
    const text = 'id,note\n1,"two\nlines"\n2,x,extra\n3,"three\nlines\nhere"\n4,y,extra\n5,ok\n';
    const expected = (path: string) => [[path, 4, '2,x,extra'], [path, 8, '4,y,extra']];
    for (const [name, body] of [
      ['breaks.csv', text],
      ['breaks-crlf.csv', text.replaceAll('\n', '\r\n')],
      ['breaks-gz.csv.gz', gzipSync(text)],
    ] as const) {
      const path = file(name, body);
      const table = await stageOne(path);
      expect(table.rejects.map((r) => [r.file, r.line, r.rawLine?.trim()]), name).toEqual(expected(path));
      expect(table.rowCount).toBe(3);
    }
    // The byte restore of an invalid-UTF-8 reject finds its line by the same number.
    const latin = file('breaks-latin.csv', Buffer.concat([Buffer.from('id,city\n1,"New\nYork"\n2,M'), Buffer.from([0xfc]), Buffer.from('nchen\n3,Paris\n')]));
    const table = await stageOne({ source_type: 'csv', path: latin, encoding: 'utf-8' });
    expect(table.rejects).toEqual([expect.objectContaining({ line: 4, errorType: 'INVALID ENCODING', rawLine: '2,M\\xFCnchen' })]);
  });

  it('a glob of 3 files loads into one table; rejects name their file and line', async () => {
    const a = file('part-1.csv', 'id,value\n1,a\n2,b\n');
    const b = file('part-2.csv', 'id,value\n3,c\n4\n5,e\n');
    const c = file('part-3.csv', 'id,value\n6,f\n7,g,extra\n8,h\n9,i\n');
    const table = await stageOne({ source_type: 'csv', file_pattern: join(tmp.dir, 'part-*.csv') });
    expect(table).toMatchObject({ name: 'part', files: [a, b, c], rowCount: 7, rejectCount: 2 });
    expect(table.columns.map((col) => col.name)).toEqual(['id', 'value']); // no filename column
    expect(table.rejects.map((r) => [r.file, r.line, r.rawLine])).toEqual([
      [b, 3, '4'],
      [c, 3, '7,g,extra'],
    ]);
    const dataLines = [a, b, c].reduce((n, f) => n + lineCount(f) - 1, 0);
    expect(table.rowCount + rejectedLines(table)).toBe(dataLines);
  });

  it('a glob whose files have different headers unions them by name', async () => {
    file('mixed-1.csv', 'id,name\n1,a\n');
    file('mixed-2.csv', 'name,id,extra\nb,2,x\n');
    const table = await stageOne({ source_type: 'csv', path: tmp.dir, file_pattern: 'mixed-*.csv' });
    expect(table.columns.map((c) => c.name)).toEqual(['id', 'name', 'extra']);
    expect(await rows(duckdb, 'raw_mixed', 'id')).toEqual([
      { id: '1', name: 'a', extra: null },
      { id: '2', name: 'b', extra: 'x' },
    ]);
  });

  it('a hostile file name with hostile headers loads fine', async () => {
    const path = file(`we'ird; DROP TABLE x.csv`, `"x""; DROP TABLE y; --",'quoted',"a,b"\n1,2,3\n`);
    const table = await stageOne(path);
    expect(table).toMatchObject({ name: 'we_ird_drop_table_x', originalName: `we'ird; DROP TABLE x.csv`, rawTable: 'raw_we_ird_drop_table_x', rowCount: 1 });
    expect(table.columns.map((c) => [c.name, c.originalName])).toEqual([
      ['x_drop_table_y', 'x"; DROP TABLE y; --'],
      ['quoted', "'quoted'"],
      ['a_b', 'a,b'],
    ]);
    expect(await countOf(duckdb, 'raw_we_ird_drop_table_x')).toBe(1);
  });

  it('re-staging the same source replaces its tables: same tables, same counts, no duplicates', async () => {
    const path = file('again.csv', 'k,v\n1,a\n2\n3,c\n');
    const config = parseSourceConfig({ source_type: 'csv', path });
    const first = await staging(config, duckdb);
    const tablesBefore = await tableCount(duckdb, '%');
    const second = await staging(config, duckdb);
    // Each build writes a new raw Parquet file; the one the old view read is deleted.
    const withoutFile = (r: typeof first) => ({ ...r, tables: r.tables.map(({ rawFile, ...t }) => t) });
    expect(withoutFile(second)).toEqual(withoutFile(first));
    expect(existsSync(second.tables[0].rawFile!)).toBe(true);
    expect(existsSync(first.tables[0].rawFile!)).toBe(false);
    expect(await countOf(duckdb, 'raw_again')).toBe(2);
    expect(await countOf(duckdb, 'raw_again__rejects')).toBe(1);
    expect(await tableCount(duckdb, '%')).toBe(tablesBefore);
    expect(await tableCount(duckdb, '__dataraum_%')).toBe(0);
  });
});
