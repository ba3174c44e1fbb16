/**
 * Text encodings of CSV files, detected when the source config does not say: Windows-1252 (what
 * spreadsheet exports on Windows write; DuckDB's own latin-1 refuses its `€` and quotes), UTF-16
 * with and without a byte order mark, and UTF-8 files with a few broken bytes, which stay UTF-8.
 */
import { readdirSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { queryRows, type DuckDBConnection } from '../../nodes/duckdb.ts';
import { _stageSource, sourceConfig, staging } from '../../nodes/staging/staging.ts';
import { rows, stagingFixture } from './helpers.ts';

let duckdb: DuckDBConnection;
const tmp = stagingFixture((c) => (duckdb = c));

/** Windows-1252 bytes of `text` (Node has no encoder for it; every character used here is in the table). */
function cp1252(text: string): Buffer {
  const extra: Record<string, number> = { '€': 0x80, '„': 0x84, '“': 0x93, '”': 0x94, '–': 0x96 };
  return Buffer.from([...text].map((ch) => extra[ch] ?? (ch.charCodeAt(0) <= 0xff ? ch.charCodeAt(0) : 0x3f)));
}

const EXPORT = 'Datum;Betrag;Notiz\r\n01.02.2023;€ 1.234,50;„Anführung“ – ok\r\n02.02.2023;€ 99,00;Grüße\r\n';
const EXPECTED = [
  { datum: '01.02.2023', betrag: '€ 1.234,50', notiz: '„Anführung“ – ok' },
  { datum: '02.02.2023', betrag: '€ 99,00', notiz: 'Grüße' },
];

async function stage(path: string, extra: Record<string, unknown> = {}) {
  const result = await _stageSource(sourceConfig({ source_type: 'csv', path, ...extra }), duckdb);
  expect(result.tables).toHaveLength(1);
  return result;
}

describe('CSV text encodings', () => {
  it('detects a Windows-1252 export (€, „quotes“, umlauts) and stages its text exactly', async () => {
    const path = tmp.file('export.csv', cp1252(EXPORT));
    const { tables, warnings } = await stage(path);
    expect(tables[0]).toMatchObject({ rowCount: 2, rejectCount: 0, dialect: { encoding: 'windows-1252', delimiter: ';' } });
    expect(await rows(duckdb, tables[0].rawTable, 'datum')).toEqual(EXPECTED);
    expect(warnings).toEqual([expect.stringMatching(/^'export\.csv' is read as windows-1252: it holds \d+ byte\(s\) that are not UTF-8 and no UTF-8 character\. If that is wrong, set encoding/)]);
    // The UTF-8 copy DuckDB read is gone.
    expect(readdirSync(tmp.dir).filter((f) => f.endsWith('.utf8.csv'))).toEqual([]);
  });

  it('reads encoding: latin-1 with the bytes DuckDB refuses (0x80-0x9F), gzipped too', async () => {
    const path = tmp.file('latin.csv.gz', gzipSync(cp1252(EXPORT)));
    const { tables, warnings } = await stage(path, { encoding: 'latin-1', name: 'latin' });
    expect(tables[0]).toMatchObject({ rowCount: 2, rejectCount: 0, dialect: { encoding: 'latin-1' } });
    expect(await rows(duckdb, tables[0].rawTable, 'datum')).toEqual(EXPECTED);
    expect(warnings).toEqual([]);
  });

  it('rejects of a re-encoded file name the source file and its physical line', async () => {
    const path = tmp.file('ragged1252.csv', cp1252('a;b\r\nü;1\r\n"multi\r\nline";2\r\nä;3;extra\r\nö;4\r\n'));
    const { tables } = await stage(path);
    expect(tables[0]).toMatchObject({ rowCount: 3, rejectCount: 1, dialect: { encoding: 'windows-1252' } });
    expect(tables[0].rejects.map((r) => [r.file, r.line, r.errorType, r.rawLine])).toEqual([[path, 5, 'TOO MANY COLUMNS', 'ä;3;extra']]);
  });

  it('detects UTF-16 by its byte order mark and, without one, by its NUL bytes', async () => {
    const text = 'name,city\nZoë,Köln\nJosé,São Paulo\n';
    const withBom = await stage(tmp.file('bom16.csv', Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')])));
    const noBom = await stage(tmp.file('plain16.csv', Buffer.from(text, 'utf16le')));
    for (const { tables } of [withBom, noBom]) {
      expect(tables[0]).toMatchObject({ rowCount: 2, rejectCount: 0, dialect: { encoding: 'utf-16' } });
      expect(await rows(duckdb, tables[0].rawTable, 'name')).toEqual([{ name: 'José', city: 'São Paulo' }, { name: 'Zoë', city: 'Köln' }]);
    }
    expect(noBom.warnings).toEqual([expect.stringContaining("'plain16.csv' is read as utf-16: every other byte is NUL")]);
  });

  it('reads big-endian UTF-16, with or without a byte order mark, configured as utf-16 too', async () => {
    const text = 'name,city\nZoë,Köln\nJosé,São Paulo\n😀,Zürich\n';
    const be = Buffer.from(text, 'utf16le').swap16();
    const withBom = await stage(tmp.file('bom16be.csv', Buffer.concat([Buffer.from([0xfe, 0xff]), be])));
    const noBom = await stage(tmp.file('plain16be.csv', be));
    const configured = await stage(tmp.file('told16be.csv', be), { encoding: 'utf-16' });
    for (const { tables } of [withBom, noBom, configured]) {
      expect(tables[0]).toMatchObject({ rowCount: 3, rejectCount: 0, dialect: { encoding: 'utf-16be' } });
      expect(await rows(duckdb, tables[0].rawTable, 'name')).toEqual([{ name: 'José', city: 'São Paulo' }, { name: 'Zoë', city: 'Köln' }, { name: '😀', city: 'Zürich' }]);
    }
    expect(withBom.warnings).toEqual([expect.stringContaining("'bom16be.csv' is read as utf-16be: it starts with a big-endian UTF-16 byte order mark")]);
    expect(noBom.warnings).toEqual([expect.stringContaining("'plain16be.csv' is read as utf-16be: every other byte is NUL, the first of each pair")]);
    expect(configured.warnings).toEqual([]);
    expect(readdirSync(tmp.dir).filter((f) => f.endsWith('.utf8.csv'))).toEqual([]);
  });

  it('a UTF-8 file with one broken byte stays UTF-8: that line is a reject with its bytes', async () => {
    const path = tmp.file('mostly-utf8.csv', Buffer.concat([Buffer.from('name,n\nZoë,1\n'), Buffer.from([0x42, 0xe9, 0x2c, 0x32, 0x0a]), Buffer.from('Åsa,3\n')]));
    const { tables, warnings } = await stage(path);
    expect(tables[0]).toMatchObject({ rowCount: 2, rejectCount: 1, dialect: { encoding: 'utf-8' } });
    expect(tables[0].rejects[0]).toMatchObject({ line: 3, errorType: 'INVALID ENCODING' });
    expect(warnings.some((w) => w.includes('is read as'))).toBe(false);
  });

  it('a Windows-1252 file whose first megabyte is ASCII is read again whole, with no rejects left', async () => {
    const lines = ['id;name'];
    for (let i = 0; i < 60_000; i++) lines.push(`${i};customer ${i}`);
    lines.push('60000;Müller €', '60001;Straße');
    const path = tmp.file('late.csv', cp1252(`${lines.join('\n')}\n`));
    const { tables, warnings } = await stage(path);
    expect(tables[0]).toMatchObject({ rowCount: 60_002, rejectCount: 0, dialect: { encoding: 'windows-1252' } });
    expect(await queryRows(duckdb, `SELECT * FROM ${tables[0].rawTable} WHERE id::INTEGER >= 60000 ORDER BY id`)).toEqual([{ id: '60000', name: 'Müller €' }, { id: '60001', name: 'Straße' }]);
    // Only the encoding is said: the first attempt's rejects were not kept.
    expect(warnings).toEqual([expect.stringMatching(/^'late\.csv' is read as windows-1252: it holds 3 byte\(s\) that are not UTF-8/)]);
  });

  it('a file that is no text says what it looks like', async () => {
    const cases: [string, Buffer, string][] = [
      ['book.csv', Buffer.concat([Buffer.from([0x50, 0x4b, 0x03, 0x04]), Buffer.alloc(64, 7)]), 'a ZIP archive (an .xlsx or .ods workbook? export it as CSV)'],
      ['packed.csv', Buffer.from([0x1f, 0x8b, 0x08, 0x00, 0x00, 0x00]), 'gzip-compressed (name it .csv.gz)'],
      ['blob.csv', Buffer.from([0x01, 0x00, 0xff, 0x10, 0x00, 0x9c, 0x00, 0x00, 0xfe, 0x41, 0x42, 0x43, 0x44, 0x45, 0x46, 0x47, 0x48]), 'binary data, not text (it holds NUL bytes)'],
    ];
    for (const [name, bytes, what] of cases) {
      const path = tmp.file(name, bytes);
      await expect(stage(path), name).rejects.toMatchObject({ code: 'UNREADABLE_SOURCE', message: `'${path}' is not a CSV file: it looks like ${what}.` });
    }
  });

  it('a plain ASCII file and a UTF-8 file are UTF-8 without a word', async () => {
    const ascii = await staging(sourceConfig(tmp.file('ascii.csv', 'a,b\n1,2\n')), duckdb);
    const utf8 = await staging(sourceConfig(tmp.file('utf8.csv', 'a,b\nÄ,€\n')), duckdb);
    expect(ascii.tables[0].dialect?.encoding).toBe('utf-8');
    expect(utf8.tables[0].dialect?.encoding).toBe('utf-8');
    expect(await rows(duckdb, utf8.tables[0].rawTable, 'a')).toEqual([{ a: 'Ä', b: '€' }]);
  });
});
