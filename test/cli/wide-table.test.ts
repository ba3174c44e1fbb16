/**
 * A very wide CSV through `dataraum run`: every column is profiled and typed (wide tables go in
 * stacked and batched statements), and the summary counts the columns per type, names a few of
 * each and the columns whose values failed their type, instead of printing one line of hundreds
 * of `column:TYPE` pairs. A narrow table of the same run keeps its full list.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cli, type CliRun } from './helpers.ts';

const COLUMNS = 320;
const ROWS = 40;
/** Column c's kind, in a cycle of 8: 3 whole numbers, 2 decimals, 2 words, 1 ISO date. */
const CYCLE = ['int', 'dec', 'word', 'int', 'dec', 'word', 'int', 'date'] as const;
type Kind = (typeof CYCLE)[number];
const kind = (c: number): Kind => CYCLE[c % CYCLE.length];
/** The one bad value: column c3 (whole numbers), row 7. */
const BAD = { column: 3, row: 7 };

function value(c: number, r: number): string {
  if (c === BAD.column && r === BAD.row) return 'oops';
  switch (kind(c)) {
    case 'int': return String(c * 100 + r * (c % 7 + 1));
    case 'dec': return (c + r / 4).toFixed(2);
    case 'word': return ['north', 'south', 'east', 'west', 'up'][(r + c) % 5];
    case 'date': return `2024-${String(1 + ((r + c) % 12)).padStart(2, '0')}-${String(1 + (r % 28)).padStart(2, '0')}`;
  }
}

let dir: string;
let home: string;
let run: CliRun;

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'dataraum-wide-cli-'));
  home = path.join(dir, 'home');
  const data = path.join(dir, 'data');
  const lines = [Array.from({ length: COLUMNS }, (_, c) => `c${c}`).join(',')];
  for (let r = 0; r < ROWS; r++) lines.push(Array.from({ length: COLUMNS }, (_, c) => value(c, r)).join(','));
  mkdirSync(data);
  writeFileSync(path.join(data, 'wide.csv'), `${lines.join('\n')}\n`);
  writeFileSync(path.join(data, 'narrow.csv'), 'id,city,amount\n1,Berlin,2.5\n2,Paris,3.75\n3,Rome,1\n');
  run = await cli({ home }, ['run', data, '--no-progress']);
}, 300_000);

afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe(`dataraum run on a ${COLUMNS}-column CSV`, () => {
  it('completes, with the failing row in quarantine', () => {
    expect(run.code, `${run.stdout}\n${run.stderr}`).toBe(0);
    expect(run.stdout).toMatch(new RegExp(`^  wide: ${ROWS} rows -> typed_wide ${ROWS - 1} rows, quarantine_wide 1 rows; quality \\d+%$`, 'm'));
  });

  it('prints the columns counted per type, a few names of each and the failing column, not every pair', () => {
    const lines = run.stdout.split('\n');
    const at = lines.findIndex((l) => l.startsWith('  wide: '));
    const names = (k: Kind) => Array.from({ length: COLUMNS }, (_, c) => c).filter((c) => kind(c) === k).map((c) => `c${c}`);
    const shown = (k: Kind) => `${names(k).slice(0, 20).join(', ')} and ${names(k).length - 20} more`;
    // Most frequent type first; equal counts by name.
    expect(lines.slice(at + 1, at + 7)).toEqual([
      `    ${COLUMNS} columns: 120 INTEGER, 80 DOUBLE, 80 VARCHAR, 40 DATE`,
      `      INTEGER: ${shown('int')}`,
      `      DOUBLE: ${shown('dec')}`,
      `      VARCHAR: ${shown('word')}`,
      `      DATE: ${shown('date')}`,
      '    values failing their type (rows in quarantine_wide): c3:INTEGER (1)',
    ]);
    expect(run.stdout).not.toMatch(/c319:/);
    expect(Math.max(...lines.map((l) => l.length))).toBeLessThan(400);
  });

  it('keeps the full column:type list of the narrow table', () => {
    expect(run.stdout).toMatch(/^  narrow: 3 rows -> typed_narrow 3 rows; quality \d+%\n    id:INTEGER, city:VARCHAR, amount:DECIMAL\(5,2\)$/m);
  });

  it('types every column of the wide table by its values', () => {
    const doc = JSON.parse(readFileSync(path.join(home, 'context', 'data.json'), 'utf8')) as { tables: { name: string; columns: { name: string; type: string }[] }[] };
    const wide = doc.tables.find((t) => t.name === 'wide')!;
    expect(wide.columns).toHaveLength(COLUMNS);
    const expected: Record<Kind, string> = { int: 'INTEGER', dec: 'DOUBLE', word: 'VARCHAR', date: 'DATE' };
    expect(wide.columns.map((c) => c.type)).toEqual(Array.from({ length: COLUMNS }, (_, c) => expected[kind(c)]));
  });
});
