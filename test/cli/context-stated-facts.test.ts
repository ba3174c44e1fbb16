/**
 * What `dataraum run` and `dataraum context` state about a shop where 3 of 3000 orders reference
 * a missing customer: no "100%" while a rule fails, a selection of tables with its own figures and
 * warnings, plain errors, no internal node names, and people's annotations shown at once and
 * written into the document by the next run.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { annotateColumn } from '../../server/mcp/source-catalog.ts';
import { openStore } from '../../store/index.ts';
import { cli, json, type CliRun } from './helpers.ts';

let dir: string;
let home: string;
let source: string;
let first: CliRun;

const NAMES = ['Anna Weber', 'Ben Fox', 'Cara Li', 'Dan Ode', 'Eva Ruiz', 'Finn Holt', 'Gia Park', 'Hal Moss', 'Ida Kern', 'Jon Beck', 'Kim Ash', 'Leo Dunn', 'Mia Cole', 'Ned Lowe', 'Ola Berg'];

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'dataraum-context-facts-'));
  source = path.join(dir, 'shop');
  mkdirSync(source);
  writeFileSync(path.join(source, 'customers.csv'), `customer_id,name\n${Array.from({ length: 60 }, (_, i) => `${i + 1},${NAMES[i % 15]}`).join('\n')}\n`);
  const orders = Array.from({ length: 3000 }, (_, k) => {
    const i = k + 1;
    return `${i},${[10, 20, 30].includes(i) ? 999 : 1 + ((i * 7919) % 60)},${(1 + ((i * 37) % 500)).toFixed(2)}`;
  });
  writeFileSync(path.join(source, 'orders.csv'), `order_id,customer_id,amount\n${orders.join('\n')}\n`);
  home = path.join(dir, 'home');
  first = await cli({ home }, ['run', source, '--no-progress']);
  expect(first.code, first.stderr).toBe(0);
}, 180_000);
afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

const writtenDoc = () => JSON.parse(readFileSync(path.join(home, 'context', 'shop.json'), 'utf8'));
const amountOf = (doc: any) => doc.tables.find((t: any) => t.name === 'orders').columns.find((c: any) => c.name === 'amount');

describe('dataraum run and context on a shop with 3 orphan orders', () => {
  it('the run summary rounds no failing table up to 100% and names no internal nodes', () => {
    expect(first.stdout).toMatch(/ orders: 3000 rows -> typed_orders 3000 rows; quality 99%\n/);
    expect(first.stdout).not.toMatch(/storedSemanticAnnotations|storedQuality|more result/);
  });

  it('--tables keeps the figures and warnings of the tables kept', async () => {
    const all = json(await cli({ home }, ['context', '--format', 'json']));
    expect(all.quality_summary.rules_failed).toBeGreaterThanOrEqual(1);
    expect(all.warnings).toContain('orders.customer_id.referential_integrity fails on 3 of 3000 rows');
    const customers = json(await cli({ home }, ['context', '--format', 'json', '--tables', 'customers']));
    const cs = all.quality_summary.tables.find((t: any) => t.table === 'customers');
    expect(customers.quality_summary).toMatchObject({ overall: cs.overall, rules_total: cs.rules_total, rules_failed: 0, failed_rules: [] });
    expect(customers.warnings.filter((w: string) => w.includes('orders'))).toEqual([]);
    const md = await cli({ home }, ['context', '--tables', 'orders']);
    expect(md.stdout).toMatch(/Overall 9\d\.\d%; 1 of \d+ rules fail\./);
    expect(md.stdout).toContain('| orders.customer_id.referential_integrity | error | 3 | 99.9% |');
  });

  it('an unknown table is a plain error', async () => {
    const r = await cli({ home }, ['context', '--tables', 'products']);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("--tables: unknown table 'products' in source 'shop'; known: customers, orders");
    expect(r.stderr).not.toContain('selectContext');
  });

  it("shows a person's annotation at once, and the next run writes it into the document", async () => {
    expect(amountOf(writtenDoc()).business_name).toBe('Amount');
    const store = await openStore({ sqlitePath: path.join(home, 'metadata.sqlite') });
    try {
      await annotateColumn(store, { table: 'orders', column: 'amount', business_name: 'Order amount (EUR)', annotatedBy: 'test' });
    } finally {
      await store.close();
    }
    const now = json(await cli({ home }, ['context', '--format', 'json', '--tables', 'orders']));
    expect(amountOf(now)).toMatchObject({ business_name: 'Order amount (EUR)', role: 'measure' });
    expect((await cli({ home }, ['context'])).stdout).toContain('| Order amount (EUR) |');

    const again = await cli({ home }, ['run', source, '--no-progress']);
    expect(again.code, again.stderr).toBe(0);
    expect(amountOf(writtenDoc()).business_name).toBe('Order amount (EUR)');
    expect(readFileSync(path.join(home, 'context', 'shop.md'), 'utf8')).toContain('| Order amount (EUR) |');
  });
});
