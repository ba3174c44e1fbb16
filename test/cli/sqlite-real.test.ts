/**
 * A SQLite REAL holds an 8-byte float: staged as the shortest text that reads back as it, its
 * long digits are no sign that a DOUBLE would change it. Such a column is typed DOUBLE without
 * asking, every value exact; a column of text decimals as long still asks.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { openDuckDB, queryRows } from '../../nodes/duckdb.ts';
import { cli, json } from './helpers.ts';

const dir = mkdtempSync(path.join(tmpdir(), 'dataraum-sqlite-real-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const DOUBLES = [0.1 * 3, 1 / 3, 5e-324, 1.7976931348623157e308, -2.5e-300, 19.99];

describe('SQLite REAL columns', () => {
  it('are typed DOUBLE without review, every value the same double; text decimals as long are still asked about', async () => {
    const file = path.join(dir, 'meter.sqlite');
    const db = new Database(file);
    db.exec('CREATE TABLE m (id INTEGER, reading REAL, price REAL, label TEXT)');
    const insert = db.prepare('INSERT INTO m VALUES (?, ?, ?, ?)');
    DOUBLES.forEach((v, i) => insert.run(i, v, v, String(i)));
    db.close();
    const home = path.join(dir, 'home');

    const run = await cli({ home }, ['run', file, '--json', '--no-progress']);
    expect(run.code, run.stdout + run.stderr).toBe(0);
    expect(json(run).status).toBe('completed');
    const store = new Database(path.join(home, 'metadata.sqlite'), { readonly: true });
    const decisions = store.prepare(`SELECT c.column_name, d.decided_type, d.decision_reason FROM type_decisions d JOIN columns c USING (column_id)
      JOIN tables t USING (table_id) WHERE t.table_name = 'm' AND t.layer = 'raw' AND c.column_name IN ('reading', 'price') ORDER BY c.column_position`).all();
    store.close();
    expect(decisions).toEqual([
      { column_name: 'reading', decided_type: 'DOUBLE', decision_reason: expect.stringContaining('every value is a SQLite REAL (an 8-byte float): DOUBLE holds each exactly') },
      { column_name: 'price', decided_type: 'DOUBLE', decision_reason: expect.stringContaining('every value is a SQLite REAL') },
    ]);
    const duck = await openDuckDB(path.join(home, 'data.duckdb'));
    try {
      const typed = await queryRows<{ reading: number; price: number }>(duck, 'SELECT reading, price FROM typed_m ORDER BY id');
      expect(typed.map((r) => r.reading)).toEqual(DOUBLES);
      expect(typed.map((r) => r.price)).toEqual(DOUBLES);
      expect(await queryRows(duck, 'SELECT count(*)::INTEGER AS n FROM quarantine_m')).toEqual([{ n: 0 }]);
    } finally {
      duck.closeSync();
    }

    // The same digits written as TEXT are decimals someone typed: a DOUBLE could change them.
    const texts = path.join(dir, 'texts.sqlite');
    const tdb = new Database(texts);
    tdb.exec('CREATE TABLE m (id INTEGER, reading TEXT)');
    const tinsert = tdb.prepare('INSERT INTO m VALUES (?, ?)');
    DOUBLES.forEach((v, i) => tinsert.run(i, String(v)));
    tdb.close();
    const asked = await cli({ home: path.join(dir, 'home-texts') }, ['run', texts, '--json', '--no-progress']);
    expect(asked.code, asked.stderr).toBe(3);
    expect(json(asked).checkpoint.items.map((i: { itemId: string }) => i.itemId)).toEqual(['m.reading']);
  }, 120_000);
});
