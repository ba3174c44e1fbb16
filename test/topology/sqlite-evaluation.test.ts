/**
 * The evaluation path for real SQLite databases: declared foreign keys read with PRAGMA
 * foreign_key_list (references to an implicit primary key, composite keys), the data moved to
 * DuckDB through CSV, detection scored against the declaration.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDuckDB, quoteIdent, quoteLiteral, type DuckDBConnection } from '../../nodes/duckdb.ts';
import { _evaluate, _sqliteForeignKeys } from '../../nodes/enrichment/topology/evaluate.ts';
import { relationships } from '../../nodes/enrichment/topology/relationships.ts';
import { typedSourceOf } from './helpers.ts';

let dir: string;
let dbPath: string;
let conn: DuckDBConnection;

const DDL = `
  PRAGMA foreign_keys = ON;
  CREATE TABLE authors (author_id INTEGER PRIMARY KEY, full_name TEXT NOT NULL, born INTEGER);
  CREATE TABLE publishers (code TEXT PRIMARY KEY, name TEXT);
  CREATE TABLE books (isbn TEXT PRIMARY KEY, title TEXT, author_id INTEGER REFERENCES authors, publisher_code TEXT REFERENCES publishers(code),
    year INTEGER, pages INTEGER, rating INTEGER);
  CREATE TABLE members (id INTEGER PRIMARY KEY, name TEXT, joined_year INTEGER, is_student INTEGER, referred_by INTEGER REFERENCES members(id));
  CREATE TABLE copies (isbn TEXT REFERENCES books(isbn), copy_no INTEGER, shelf TEXT, PRIMARY KEY (isbn, copy_no));
  CREATE TABLE loans (id INTEGER PRIMARY KEY, member_id INTEGER REFERENCES members, isbn TEXT, copy_no INTEGER, loan_month INTEGER, days INTEGER,
    FOREIGN KEY (isbn, copy_no) REFERENCES copies (isbn, copy_no));
  WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 150)
    INSERT INTO authors SELECT i, 'Author ' || i, 1900 + (i * 37) % 100 FROM n;
  INSERT INTO publishers VALUES ('PNG', 'Penguin'), ('HCO', 'HarperCollins'), ('MAC', 'Macmillan'), ('SIM', 'Simon'), ('HAC', 'Hachette'), ('OUP', 'Oxford');
  WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 600)
    INSERT INTO books SELECT '978' || printf('%07d', i * 7919 % 10000000), 'Title ' || i, 1 + (i * 13) % 150,
      substr('HACHCOMACOUPPNGSIM', 1 + ((i * 5) % 6) * 3, 3), 1950 + (i * 11) % 70, 80 + (i * 31) % 600, 1 + (i * 7) % 5 FROM n;
  WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 400)
    INSERT INTO members SELECT i, 'Member ' || i, 2000 + i % 24, i % 2, CASE WHEN i > 20 AND i % 3 = 0 THEN 1 + (i * 7) % 20 END FROM n;
  INSERT INTO copies SELECT isbn, c.k, 'S' || ((rowid + c.k) % 40) FROM books, (SELECT 1 AS k UNION ALL SELECT 2 UNION ALL SELECT 3) c WHERE c.k <= 1 + rowid % 3;
  WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 3000)
    INSERT INTO loans SELECT i, 1 + (i * 17) % 400, c.isbn, c.copy_no, 1 + i % 12, 1 + (i * 3) % 28
      FROM n JOIN (SELECT isbn, copy_no, row_number() OVER (ORDER BY isbn, copy_no) - 1 AS rn, count(*) OVER () AS total FROM copies) c ON c.rn = (i * 101) % c.total;
`;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'dataraum-topology-'));
  dbPath = join(dir, 'library.sqlite');
  const db = new Database(dbPath);
  db.exec(DDL);
  conn = await openDuckDB(':memory:');
  // Through CSV, as a loader without the sqlite extension would; DuckDB types the columns.
  for (const { name } of db.prepare(`SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name`).all() as { name: string }[]) {
    const rows = db.prepare(`SELECT * FROM ${quoteIdent(name)}`).all() as Record<string, unknown>[];
    const cols = (db.prepare('SELECT name FROM pragma_table_info(?)').all(name) as { name: string }[]).map((c) => c.name);
    const csv = [cols.join(','), ...rows.map((r) => cols.map((c) => (r[c] === null ? '' : String(r[c]))).join(','))].join('\n');
    const file = join(dir, `${name}.csv`);
    writeFileSync(file, `${csv}\n`);
    await conn.run(`CREATE TABLE ${quoteIdent(`typed_${name}`)} AS SELECT * FROM read_csv(${quoteLiteral(file)}, header = true)`);
  }
  db.close();
});
afterAll(() => {
  conn?.closeSync();
  rmSync(dir, { recursive: true, force: true });
});

describe('evaluation on a SQLite database with declared foreign keys', () => {
  it('reads the declaration, resolving implicit primary-key references and composite keys', () => {
    const declared = _sqliteForeignKeys(dbPath).map((fk) => `${fk.fromTable}(${fk.fromColumns})->${fk.toTable}(${fk.toColumns})`).sort();
    expect(declared).toEqual([
      'books(author_id)->authors(author_id)',
      'books(publisher_code)->publishers(code)',
      'copies(isbn)->books(isbn)',
      'loans(isbn,copy_no)->copies(isbn,copy_no)',
      'loans(member_id)->members(id)',
      'members(referred_by)->members(id)',
    ]);
  });

  it('detects them with precision and recall 1', async () => {
    const source = await typedSourceOf(conn, 'library', ['authors', 'publishers', 'books', 'members', 'copies', 'loans']);
    const result = await relationships(source, conn);
    const e = _evaluate(_sqliteForeignKeys(dbPath), result.relationships);
    expect({ fp: e.falsePositives, fn: e.falseNegatives }).toEqual({ fp: [], fn: [] });
    expect([e.precision, e.recall]).toEqual([1, 1]);
  });
});
