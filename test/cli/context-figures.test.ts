/**
 * The column figures of the context document `dataraum run` writes: typed columns are ranged and
 * counted by their typed values (not the raw text profiling saw), and the Markdown cuts long
 * values short while the JSON keeps them whole.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cli } from './helpers.ts';

let dir: string;
let md: string;
let doc: { tables: { name: string; columns: { name: string; profile: { null_count: number | null; distinct_count: number | null; min: string | null; max: string | null } }[] }[] };

const LONG_ROWS = 10;
const body = (i: number) => 'lorem ipsum '.repeat(i * 200 + 10).trim();

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'dataraum-context-figures-'));
  const source = path.join(dir, 'shop');
  mkdirSync(source);
  // Day-first dates, thousands separators and a null token: every typed column differs from its text.
  writeFileSync(path.join(source, 'orders.csv'), 'id,order_date,revenue,weight\n1,01/01/2023,"998.00",1\n2,31/10/2022,"1,001.00",N/A\n3,15/06/2024,"2,500,099.00",80\n4,03/01/2022,"951.00",N/A\n');
  writeFileSync(path.join(source, 'notes.csv'), `id,body\n${Array.from({ length: LONG_ROWS }, (_, i) => `${i},"${body(i)}"`).join('\n')}\n`);
  const home = path.join(dir, 'home');
  const r = await cli({ home }, ['run', source, '--no-progress']);
  expect(r.code, r.stderr).toBe(0);
  md = readFileSync(path.join(home, 'context', 'shop.md'), 'utf8');
  doc = JSON.parse(readFileSync(path.join(home, 'context', 'shop.json'), 'utf8'));
}, 180_000);
afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

const column = (table: string, name: string) => doc.tables.find((t) => t.name === table)!.columns.find((c) => c.name === name)!;
const row = (name: string) => md.split('\n').find((l) => l.startsWith(`| \`${name}\` |`));

describe('context document column figures', () => {
  it('ranges and counts typed columns by their typed values on a clean run', () => {
    expect(column('orders', 'order_date').profile).toMatchObject({ min: '2022-01-03', max: '2024-06-15', null_count: 0, distinct_count: 4 });
    expect(column('orders', 'revenue').profile).toMatchObject({ min: '951.00', max: '2500099.00', null_count: 0, distinct_count: 4 });
    // 'N/A' is a null, not a value: two nulls, two distinct numbers.
    expect(column('orders', 'weight').profile).toMatchObject({ min: '1', max: '80', null_count: 2, distinct_count: 2 });
    expect(row('order_date')).toContain('| 2022-01-03 .. 2024-06-15 |');
    expect(row('revenue')).toContain('| 951.00 .. 2500099.00 |');
    expect(row('weight')).toContain('| 2 (50.0%) | 2 | 1 .. 80 |');
  });

  it('cuts long values in the Markdown and keeps them whole in the JSON', () => {
    const bodyRow = row('body')!;
    expect(bodyRow.length).toBeLessThan(300);
    // min and max, each cut to 60 characters ending in an ellipsis
    expect(bodyRow).toContain(`| ${body(0).slice(0, 59)}… .. ${body(LONG_ROWS - 1).slice(0, 59)}… |`);
    expect(Math.max(...md.split('\n').map((l) => l.length))).toBeLessThan(1000);
    expect(column('notes', 'body').profile.max).toBe(body(LONG_ROWS - 1));
  });
});
