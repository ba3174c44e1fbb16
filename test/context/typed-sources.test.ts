/**
 * Strongly typed sources (a DuckDB file with a view, a Parquet file as pandas writes it) through
 * `dataraum run`: exact ranges of wide numeric types in the context document and column_profiles,
 * TIMESTAMP_NS as a time axis, a time of day never one, no false skew for large integers, and a
 * view that is not a child table of the table it shows.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ContextDocument } from '../../nodes/context/schema.ts';
import { cli, type CliRun } from '../cli/helpers.ts';

let dir: string;
const runs: Record<'db' | 'pq', { home: string; run: CliRun; doc: ContextDocument }> = {} as never;
const N38 = '9'.repeat(38);

async function build(file: string, statements: readonly string[]): Promise<void> {
  const inst = await DuckDBInstance.create(file);
  const c = await inst.connect();
  for (const s of statements) await c.run(s);
  c.closeSync();
  inst.closeSync();
}

async function runOn(key: 'db' | 'pq', file: string, name: string): Promise<void> {
  const home = path.join(dir, `home-${key}`);
  const run = await cli({ home }, ['run', file, '--no-progress']);
  const doc = JSON.parse(readFileSync(path.join(home, 'context', `${name}.json`), 'utf8')) as ContextDocument;
  runs[key] = { home, run, doc };
}

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'dataraum-typed-sources-'));
  const db = path.join(dir, 'shop.duckdb');
  await build(db, [
    // Extremes DuckDB prints exactly and a DOUBLE view rounds (or, for inf, leaves out).
    `CREATE TABLE nums AS SELECT * FROM (VALUES
       ((-9223372036854775808)::BIGINT, 18446744073709551615::UBIGINT, ${N38}::DECIMAL(38,0), 1234567890123456789012345678.0123456789::DECIMAL(38,10),
        170141183460469231731687303715884105727::HUGEINT, 340282366920938463463374607431768211455::UHUGEINT, 3.4028235e38::FLOAT, 'inf'::DOUBLE),
       (9007199254740993::BIGINT, 0::UBIGINT, 1::DECIMAL(38,0), 1::DECIMAL(38,10),
        (-170141183460469231731687303715884105728)::HUGEINT, 0::UHUGEINT, 1::FLOAT, -1e308::DOUBLE)) t(bi, ub, d0, d10, hi, uhi, f, d)`,
    // Shift start times (a time of day) beside the record's creation time.
    `CREATE TABLE shifts AS SELECT i AS id, TIME '00:00:00' + to_seconds(i * 37 % 86400) AS start_time,
       TIMESTAMP '2020-01-01' + to_hours(i) AS created_at, (i * 7 % 100)::DOUBLE AS amount FROM range(1, 2000) t(i)`,
    `CREATE TABLE misc AS SELECT 'M' || lpad(i::VARCHAR, 5, '0') AS md, i * 3 AS amount, ['a', 'b', 'c'][1 + i % 3] AS cat FROM range(500) t(i)`,
    'CREATE VIEW v_misc AS SELECT md, amount FROM misc',
    'CREATE TABLE typed AS SELECT i, i * 1.5 AS x FROM range(300) t(i)',
    'CREATE VIEW vw AS SELECT * FROM typed',
  ]);
  const pq = path.join(dir, 'events.parquet');
  // As pandas writes datetime64[ns]. ub: 250k consecutive values just below 2^64 (uniform, skewness
  // 0); huge: uniform too, with cubes past the largest double (skewness then has to be scaled);
  // skewed: one value in ten far above the rest (skewness 2.67).
  await build(':memory:', [`COPY (SELECT i AS id, (TIMESTAMP '2021-01-01' + to_minutes(i * 17))::TIMESTAMP_NS AS event_time,
      (i % 97)::DOUBLE AS amount, i::UBIGINT + 18446744073709000000 AS ub, (i % 1000) * 1e200 AS huge,
      CASE WHEN i % 10 = 0 THEN 1000 ELSE i % 10 END AS skewed FROM range(250000) t(i)) TO '${pq.replaceAll("'", "''")}' (FORMAT parquet)`]);
  await Promise.all([runOn('db', db, 'shop'), runOn('pq', pq, 'events')]);
}, 180_000);

afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

const table = (doc: ContextDocument, name: string) => doc.tables.find((t) => t.name === name)!;
const column = (doc: ContextDocument, t: string, c: string) => table(doc, t).columns.find((x) => x.name === c)!;

describe('a DuckDB file of wide numeric types', () => {
  const exact: Record<string, [string, string]> = {
    bi: ['-9223372036854775808', '9007199254740993'],
    ub: ['0', '18446744073709551615'],
    d0: ['1', N38],
    d10: ['1.0000000000', '1234567890123456789012345678.0123456789'],
    hi: ['-170141183460469231731687303715884105728', '170141183460469231731687303715884105727'],
    uhi: ['0', '340282366920938463463374607431768211455'],
    f: ['1.0', '3.4028235e+38'],
    d: ['-1e+308', 'inf'],
  };

  it('runs to the end', () => {
    expect(runs.db.run.code, runs.db.run.stderr).toBe(0);
  });

  it('states each min and max exactly as DuckDB prints it, in the document and its markdown', () => {
    for (const [c, [min, max]] of Object.entries(exact)) {
      expect(column(runs.db.doc, 'nums', c).profile, c).toMatchObject({ min, max });
    }
    const md = readFileSync(path.join(runs.db.home, 'context', 'shop.md'), 'utf8');
    expect(md).toContain('-9223372036854775808 .. 9007199254740993');
    expect(md).toContain('-1e+308 .. inf');
  });

  it('stores the exact min and max in column_profiles', () => {
    const db = new Database(path.join(runs.db.home, 'metadata.sqlite'), { readonly: true });
    try {
      const rows = db.prepare(`SELECT c.column_name AS name, p.min_value AS min, p.max_value AS max FROM column_profiles p
        JOIN columns c ON c.column_id = p.column_id JOIN tables t ON t.table_id = c.table_id WHERE t.table_name = 'nums'`).all() as { name: string; min: string; max: string }[];
      expect(Object.fromEntries(rows.map((r) => [r.name, [r.min, r.max]]))).toEqual(exact);
    } finally {
      db.close();
    }
  });
});

describe('a time of day beside a timestamp', () => {
  it('is no time axis: the timestamp is, and the time of day is an attribute without a time concept', () => {
    const shifts = table(runs.db.doc, 'shifts');
    expect(shifts.primary_time_column).toBe('created_at');
    expect(column(runs.db.doc, 'shifts', 'start_time')).toMatchObject({ role: 'attribute', ontology_term: null });
    expect(column(runs.db.doc, 'shifts', 'created_at').role).toBe('timestamp');
  });

  it('binds no date metric to it, and every metric and suggested query runs', async () => {
    const doc = runs.db.doc;
    for (const m of doc.metrics) expect(m.sql, m.name).not.toContain('"start_time"');
    const trend = doc.suggested_queries.find((q) => q.category === 'trends' && q.tables.includes('shifts'));
    expect(trend?.sql).toContain('date_trunc(\'day\', "created_at")');
    const inst = await DuckDBInstance.create(path.join(runs.db.home, 'data.duckdb'), { access_mode: 'READ_ONLY' });
    const c = await inst.connect();
    try {
      for (const q of [...doc.metrics.map((m) => m.sql), ...doc.suggested_queries.map((s) => s.sql)]) await expect(c.run(q), q).resolves.toBeDefined();
    } finally {
      c.closeSync();
      inst.closeSync();
    }
  });
});

describe('views over tables', () => {
  it('are not foreign keys to the tables they show, either way', () => {
    const links = runs.db.doc.relationships.map((r) => `${r.from_table}.${r.from_columns.join(',')}->${r.to_table}.${r.to_columns.join(',')}`);
    for (const pair of [['misc', 'v_misc'], ['typed', 'vw']]) {
      expect(links.filter((l) => pair.every((t) => l.includes(`${t}.`))), pair.join(' / ')).toEqual([]);
    }
  });
});

describe('a Parquet file as pandas writes it', () => {
  it('runs to the end', () => {
    expect(runs.pq.run.code, runs.pq.run.stderr).toBe(0);
  });

  it('takes a TIMESTAMP_NS column as the time axis', () => {
    const doc = runs.pq.doc;
    expect(column(doc, 'events', 'event_time')).toMatchObject({ type: 'TIMESTAMP_NS', role: 'timestamp', ontology_term: 'event_time' });
    expect(table(doc, 'events').primary_time_column).toBe('event_time');
    expect(doc.metrics.map((m) => m.name)).toContain('time_span_days');
  });

  it('finds no skew in uniform integers near 2^64 or uniform huge doubles, and the skew that is there', () => {
    const skews = runs.pq.doc.quality_summary!.anomalies.filter((a) => a.kind === 'skew');
    expect(skews.map((a) => a.column)).toEqual(['skewed']);
    expect(skews[0]!.message).toContain('right-skewed (skewness 2.66');
  });
});
