/**
 * Running a source again after its columns changed: the metadata of every layer describes the new
 * columns only, with their new types.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { cli } from './helpers.ts';

const dir = mkdtempSync(path.join(tmpdir(), 'dataraum-rerun-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function columnsByLayer(home: string): Record<string, string[]> {
  const db = new Database(path.join(home, 'metadata.sqlite'), { readonly: true });
  try {
    const rows = db.prepare(`SELECT t.layer, c.column_name, c.column_position, coalesce(c.resolved_type, c.raw_type) AS type FROM columns c JOIN tables t USING (table_id)
      WHERE t.table_name = 'items' ORDER BY t.layer, c.column_position`).all() as { layer: string; column_name: string; type: string }[];
    const out: Record<string, string[]> = {};
    for (const r of rows) (out[r.layer] ??= []).push(`${r.column_name}:${r.type}`);
    return out;
  } finally {
    db.close();
  }
}

describe('a source whose columns changed', () => {
  it('keeps only the new columns, with their new types, in every layer', async () => {
    const csv = path.join(dir, 'items.csv');
    const home = path.join(dir, 'home');
    writeFileSync(csv, ['id,qty,weight', ...Array.from({ length: 30 }, (_, i) => `${i},${i * 2},${i * 3}`)].join('\n') + '\n');
    expect((await cli({ home }, ['run', csv])).code).toBe(0);
    expect(columnsByLayer(home).typed).toEqual(['id:INTEGER', 'qty:INTEGER', 'weight:INTEGER']);

    writeFileSync(csv, ['id,quantity,extra', ...Array.from({ length: 30 }, (_, i) => `${i},${i}.5,x${i}`)].join('\n') + '\n');
    const again = await cli({ home }, ['run', csv]);
    expect(again.code, again.stderr).toBe(0);
    const layers = columnsByLayer(home);
    expect(layers.typed).toEqual(['id:INTEGER', 'quantity:DOUBLE', 'extra:VARCHAR']);
    expect(layers.raw.map((c) => c.split(':')[0])).toEqual(['id', 'quantity', 'extra']);
  }, 120_000);
});
