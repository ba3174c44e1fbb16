/**
 * Lines a loader cannot read are kept, never dropped: a malformed NDJSON line is a reject with its
 * real line number and raw text (like a ragged CSV row), bytes that are not UTF-8 keep their value
 * as `\xNN`, and a malformed JSON document fails with the line and column of the error.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import type { DuckDBConnection } from '../../nodes/duckdb.ts';
import { StagingError } from '../../nodes/staging/errors.ts';
import { sourceConfig, staging } from '../../nodes/staging/staging.ts';
import { countOf, lineCount, rows, stagingFixture } from './helpers.ts';

let duckdb: DuckDBConnection;
const tmp = stagingFixture((c) => (duckdb = c));

const file = tmp.file;

describe('NDJSON with lines that are not JSON', () => {
  it('loads the good lines and keeps the bad one with its line number and text', async () => {
    const path = file('orders.ndjson', '{"id":1,"v":"a"}\n{"id":2,"v":"b"}\n{"id":3,"v":"c"}\n{"id": 4,\n{"id":5,"v":"e"}\n');
    const result = await staging(sourceConfig(path), duckdb);
    const [table] = result.tables;
    expect(table).toMatchObject({ name: 'orders', rowCount: 4, rejectCount: 1, rejectsTable: 'raw_orders__rejects' });
    expect(table.rejects).toEqual([
      { file: path, line: 4, errorType: 'MALFORMED JSON', message: expect.stringMatching(/property name/), rawLine: '{"id": 4,' },
    ]);
    expect(result.warnings).toContain("1 row(s) of 'orders.ndjson' could not be read (malformed JSON or invalid text); they are kept with their raw text in raw_orders__rejects.");
    // The same table, in the same shape, as a CSV's rejects.
    expect(await rows(duckdb, 'raw_orders__rejects')).toEqual([
      { file: path, line: '4', column_name: null, error_type: 'MALFORMED JSON', error_message: expect.any(String), raw_line: '{"id": 4,' },
    ]);
    expect((await rows<{ id: string }>(duckdb, 'raw_orders', 'id')).map((r) => r.id)).toEqual(['1', '2', '3', '5']);
  });

  it('counts physical lines: blank lines, CRLF endings and invalid UTF-8 do not shift the numbers', async () => {
    const lines = [
      Buffer.from('{"id":1}\r\n\r\n   \n{"id":2}\r\n'),
      Buffer.from('{"id":3} {"id":33}\n'), // line 5: two values on one line
      Buffer.concat([Buffer.from('{"id":4,"city":"M'), Buffer.from([0xfc]), Buffer.from('nchen"}\n')]), // line 6
      Buffer.from('{"id":5}\n# a comment\n{"id":6}'), // line 8, and a last line without newline
    ];
    const path = file('mixed.jsonl', Buffer.concat(lines));
    const [table] = (await staging(sourceConfig(path), duckdb)).tables;
    expect(table.rejects.map((r) => [r.line, r.errorType, r.rawLine])).toEqual([
      [5, 'MALFORMED JSON', '{"id":3} {"id":33}'],
      [6, 'INVALID ENCODING', '{"id":4,"city":"M\\xFCnchen"}'],
      [8, 'MALFORMED JSON', '# a comment'],
    ]);
    const blankLines = 2;
    expect(table.rowCount + table.rejects.length + blankLines).toBe(lineCount(path));
  });

  it('a glob (one file gzipped): each reject names its file and line', async () => {
    const a = file('part-1.ndjson', '{"k":1}\n{"k":2}\n');
    const b = file('part-2.ndjson.gz', gzipSync('{"k":3}\n{"k":\n{"k":5}\n'));
    const c = file('part-3.ndjson', '[1,\n{"k":7}\n');
    const [table] = (await staging(sourceConfig({ source_type: 'ndjson', file_pattern: join(tmp.dir, 'part-*.ndjson*') }), duckdb)).tables;
    expect(table).toMatchObject({ files: [a, b, c], rowCount: 5, rejectCount: 2 });
    expect(table.rejects.map((r) => [r.file, r.line, r.rawLine])).toEqual([
      [b, 2, '{"k":'],
      [c, 1, '[1,'],
    ]);
  });

  it('re-staging the fixed file empties its rejects table', async () => {
    const path = file('fixable.ndjson', '{"a":1}\n{"a":\n');
    expect((await staging(sourceConfig(path), duckdb)).tables[0].rejectCount).toBe(1);
    writeFileSync(path, '{"a":1}\n{"a":2}\n');
    const [table] = (await staging(sourceConfig(path), duckdb)).tables;
    expect(table).toMatchObject({ rowCount: 2, rejectCount: 0, rejects: [] });
    expect(await countOf(duckdb, 'raw_fixable__rejects')).toBe(0);
  });

  it('a file none of whose lines is JSON fails, naming the first line', async () => {
    const path = file('notjson.ndjson', '\nid,name\n1,a\n');
    const failure = await staging(sourceConfig(path), duckdb).catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(StagingError);
    expect((failure as Error).message).toMatch(/^Cannot read '.*notjson\.ndjson' as newline-delimited JSON: no line is a JSON value \(line 2: .+\)\. Check that the file is one JSON object per line/);
  });
});

describe('a UTF-8 byte order mark', () => {
  const BOM = '\ufeff';

  it('is skipped before a JSON array and before NDJSON, gzipped or not', async () => {
    const array = file('bom-orders.json', `${BOM}[{"id":1,"name":"a"},{"id":2,"name":"b"}]\n`);
    const lines = file('bom-events.ndjson', `${BOM}{"id":1}\n{"id":2}\n{"id":3}\n`);
    const pretty = file('bom-pretty.json.gz', gzipSync(`${BOM}\n[\n  {"id": 1.50},\n  {"id": 2}\n]\n`));
    const objects = file('bom-objects.json', `${BOM}{"id":1}\n{"id":2}\n`);
    for (const [path, expected] of [
      [array, [{ id: '1', name: 'a' }, { id: '2', name: 'b' }]],
      [lines, [{ id: '1' }, { id: '2' }, { id: '3' }]],
      [pretty, [{ id: '1.50' }, { id: '2' }]],
      [objects, [{ id: '1' }, { id: '2' }]],
    ] as const) {
      const [table] = (await staging(sourceConfig(path), duckdb)).tables;
      expect(table.rejects).toEqual([]);
      expect(await rows(duckdb, table.rawTable)).toEqual(expected);
    }
  });

  it('leaves NDJSON line numbers right: a bad first line, a blank one, a later bad line', async () => {
    const badFirst = file('bom-bad-first.ndjson', `${BOM}{"id":1\n{"id":2}\n`);
    let [table] = (await staging(sourceConfig(badFirst), duckdb)).tables;
    expect(table).toMatchObject({ rowCount: 1, rejectCount: 1 });
    expect(table.rejects).toEqual([{ file: badFirst, line: 1, errorType: 'MALFORMED JSON', message: expect.any(String), rawLine: '{"id":1' }]);
    const blankFirst = file('bom-blank-first.ndjson', `${BOM}\r\n{"id":1}\n{"id":\n{"id":3}\n`);
    [table] = (await staging(sourceConfig(blankFirst), duckdb)).tables;
    expect(table).toMatchObject({ rowCount: 2, rejectCount: 1 });
    expect(table.rejects.map((r) => [r.line, r.rawLine])).toEqual([[3, '{"id":']]);
    expect((await rows<{ id: string }>(duckdb, table.rawTable)).map((r) => r.id)).toEqual(['1', '3']);
  });

  it('in a glob, only the files that have one are read differently; records keep file order', async () => {
    const a = file('mixed-1.ndjson', '{"k":1}\n{"k":2}\n');
    const b = file('mixed-2.ndjson.gz', gzipSync(`${BOM}{"k":3}\n{"k":\n{"k":5}\n`));
    const c = file('mixed-3.ndjson', `${BOM}{"k":6}\n`);
    const d = file('mixed-4.ndjson', '{"k":7}\n');
    const [table] = (await staging(sourceConfig({ source_type: 'ndjson', file_pattern: join(tmp.dir, 'mixed-*.ndjson*') }), duckdb)).tables;
    expect(table).toMatchObject({ files: [a, b, c, d], rowCount: 6, rejectCount: 1 });
    expect(table.rejects.map((r) => [r.file, r.line, r.rawLine])).toEqual([[b, 2, '{"k":']]);
    expect((await rows<{ k: string }>(duckdb, table.rawTable)).map((r) => r.k)).toEqual(['1', '2', '3', '5', '6', '7']);

    file('arrays-1.json', '[{"k":1}]');
    file('arrays-2.json', `${BOM}[{"k":2},{"k":3}]`);
    file('arrays-3.json', `${BOM}{"k":4}\n{"k":5}`);
    const [json] = (await staging(sourceConfig({ source_type: 'json', file_pattern: join(tmp.dir, 'arrays-*.json') }), duckdb)).tables;
    expect((await rows<{ k: string }>(duckdb, json.rawTable)).map((r) => r.k)).toEqual(['1', '2', '3', '4', '5']);
  });
});

describe('a malformed JSON document', () => {
  it('fails with the file, line and column of the error', async () => {
    const path = file('broken.json', '[{"a": 1},\n {"a": 2},\n {"a": }\n]');
    const failure = await staging(sourceConfig(path), duckdb).catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(StagingError);
    expect((failure as Error).message).toBe(`Cannot read '${path}' as JSON: malformed JSON at line 3, column 8 (unexpected character). Check that the file is a JSON array of objects (or one object per line).`);
  });

  it('counts columns in characters after a BOM and multi-byte text', async () => {
    const path = file('bom.json', '\ufeff[{"name": "Zoë"}, {"name": "Jürgen",}, {"name" "x"}]');
    const failure = await staging(sourceConfig(path), duckdb).catch((e: unknown) => e);
    // DuckDB accepts the trailing comma; the "x" where a colon belongs is character 48 (byte 50, or 53 with the BOM).
    expect((failure as Error).message).toContain('malformed JSON at line 1, column 48 (unexpected character)');
  });
});

describe('CSV lines that are not UTF-8', () => {
  it('keep their bytes in raw_line as \\xNN instead of ?', async () => {
    const path = file(
      'latin.csv',
      Buffer.concat([Buffer.from('id,city\n1,Berlin\n2,M'), Buffer.from([0xfc]), Buffer.from('nchen\n3,caf'), Buffer.from([0xe9]), Buffer.from(' au lait\n4,a\\b '), Buffer.from([0xdf]), Buffer.from('\n5,Paris\n')]),
    );
    // Read as UTF-8 on purpose: left to detection, the file is Windows-1252 and every line loads.
    const [table] = (await staging(sourceConfig({ source_type: 'csv', path, encoding: 'utf-8' }), duckdb)).tables;
    expect(table.rowCount).toBe(2);
    expect(table.rejects.map((r) => [r.line, r.errorType, r.rawLine])).toEqual([
      [3, 'INVALID ENCODING', '2,M\\xFCnchen'],
      [4, 'INVALID ENCODING', '3,caf\\xE9 au lait'],
      [5, 'INVALID ENCODING', '4,a\\\\b \\xDF'], // a backslash of the file is doubled in such a line
    ]);
    expect((await rows<{ raw_line: string }>(duckdb, 'raw_latin__rejects', 'line'))[0].raw_line).toBe('2,M\\xFCnchen');
  });
});
