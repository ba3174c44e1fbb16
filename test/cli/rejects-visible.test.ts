/**
 * Rows that never reach the typed table stay visible at every boundary: a ragged source line and
 * a value that fails its type show up in the run's output, in the context document's warnings,
 * and can be read with `dataraum query` (raw_<name>__rejects, quarantine_<name>).
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cli, json, type CliRun } from './helpers.ts';

let dir: string;
let home: string;
let run: CliRun;

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'dataraum-rejects-'));
  home = path.join(dir, 'home');
  const lines = ['id,amount,city'];
  for (let i = 1; i <= 200; i++) lines.push(`${i},${i * 3},city ${i % 7}`);
  lines[51] = '51,lots,city 2'; // data line 51 (file line 52): not a number
  lines.splice(101, 0, '999,1,too,many,fields'); // file line 102: ragged
  writeFileSync(path.join(dir, 'orders.csv'), lines.join('\n') + '\n');
  run = await cli({ home }, ['run', path.join(dir, 'orders.csv')]);
}, 120_000);

afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('rows left out of the typed table', () => {
  it('are counted in the run output', () => {
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toMatch(/orders: 200 rows, 1 rejected \(see raw_orders__rejects\) -> typed_orders 199 rows, quarantine_orders 1 rows/);
  });

  it('are named in the context document warnings, and count against validity', () => {
    const doc = JSON.parse(readFileSync(path.join(home, 'context', 'orders.json'), 'utf8')) as {
      warnings: string[];
      quality_summary: { anomalies: { kind: string; severity: string; message: string }[] };
      tables: { name: string; quality: { validity: number | null } }[];
    };
    expect(doc.quality_summary.anomalies).toContainEqual(expect.objectContaining({
      kind: 'rejected_rows', severity: 'info', message: expect.stringMatching(/^1 of 201 source records of orders could not be parsed .* kept in raw_orders__rejects$/),
    }));
    expect(doc.tables[0].quality.validity).toBeLessThan(1);
    expect(doc.warnings).toContainEqual(expect.stringMatching(/^table orders: 1 source line\(s\) could not be parsed .* kept with their line numbers in raw_orders__rejects$/));
    expect(doc.warnings).toContainEqual(expect.stringMatching(/^table orders: 1 row\(s\) failed a type conversion .* kept with their raw values in quarantine_orders$/));
  });

  it('can be queried', async () => {
    const rejects = json(await cli({ home }, ['query', 'SELECT line FROM raw_orders__rejects', '--json']));
    expect(rejects.rows).toEqual([{ line: 102 }]);
    const quarantined = json(await cli({ home }, ['query', 'SELECT _row_number, amount FROM quarantine_orders', '--json']));
    expect(quarantined.rows).toEqual([{ _row_number: 51, amount: 'lots' }]);
  });
});
