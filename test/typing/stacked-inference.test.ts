/**
 * Tables wider than 32 text columns are inferred with stacked statements (survey, probe families,
 * shape, verify): each must give every column exactly what the per-column statements of a narrow
 * table give it. The same generated columns are staged once as one wide CSV and once as narrow
 * CSVs of at most 8 columns, and their candidates compared column by column, below the survey
 * sample (whole-table survey) and above it (sampled survey and shape pass).
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { DuckDBConnection } from '../../nodes/duckdb.ts';
import { sourceConfig, staging } from '../../nodes/staging/staging.ts';
import { typeCandidates } from '../../nodes/typing/inference.ts';
import type { ColumnTypeInference } from '../../nodes/typing/types.ts';
import { stagingFixture } from '../staging/helpers.ts';

let duckdb: DuckDBConnection;
const tmp = stagingFixture((c) => (duckdb = c));

/** A small deterministic generator (the same file every run). */
function random(seed: number): () => number {
  let s = seed;
  return () => {
    s = (s * 1103515245 + 12345) % 2147483648;
    return s / 2147483648;
  };
}

const pad = (n: number, w = 2): string => String(n).padStart(w, '0');

/**
 * Column kinds, each generated in several variants: `bad` puts one value no reading of the kind
 * accepts at row `bad` (1-based), far from the start.
 */
const KINDS: Record<string, (rnd: () => number, row: number, variant: number) => string> = {
  int: (rnd) => String(Math.floor(rnd() * 100_000) - 500),
  small: (rnd) => String(Math.floor(rnd() * 7)),
  id: (_, row, v) => String(row * 3 + v),
  dec_comma: (rnd) => `${Math.floor(rnd() * 9000)},${pad(Math.floor(rnd() * 100))}`,
  thousands: (rnd) => `${Math.floor(rnd() * 90) + 1}.${pad(Math.floor(rnd() * 1000), 3)},${pad(Math.floor(rnd() * 100))}`,
  dec_dot: (rnd) => (rnd() * 1000 - 200).toFixed(3),
  day_first: (rnd) => `${pad(Math.floor(rnd() * 28) + 1)}/${pad(Math.floor(rnd() * 12) + 1)}/${2000 + Math.floor(rnd() * 20)}`,
  month_first: (rnd) => `${pad(Math.floor(rnd() * 12) + 1)}/${pad(Math.floor(rnd() * 28) + 1)}/${2000 + Math.floor(rnd() * 20)}`,
  iso_ts: (rnd) => `20${pad(Math.floor(rnd() * 20))}-${pad(Math.floor(rnd() * 12) + 1)}-${pad(Math.floor(rnd() * 28) + 1)} ${pad(Math.floor(rnd() * 24))}:${pad(Math.floor(rnd() * 60))}:00`,
  bool: (rnd) => (rnd() < 0.5 ? 'yes' : 'no'),
  zip: (rnd) => pad(Math.floor(rnd() * 20_000), 5),
  text: (rnd) => ['alpha', 'beta', 'gamma', 'delta', 'epsilon'][Math.floor(rnd() * 5)] + ` ${Math.floor(rnd() * 50)}`,
  with_nulls: (rnd) => (rnd() < 0.3 ? 'NA' : String(Math.floor(rnd() * 1000))),
  // Many failing values: the first five failing rows must be each column's own.
  mostly_int: (rnd, row) => (rnd() < 0.05 ? `x${row}` : String(Math.floor(rnd() * 900))),
  mostly_date: (rnd) => (rnd() < 0.05 ? 'n/a?' : `${pad(Math.floor(rnd() * 28) + 1)}.${pad(Math.floor(rnd() * 12) + 1)}.${2000 + Math.floor(rnd() * 20)}`),
  empty: () => '',
  bad_int: (rnd) => String(Math.floor(rnd() * 5000)),
  bad_date: (rnd) => `${2000 + Math.floor(rnd() * 20)}-${pad(Math.floor(rnd() * 12) + 1)}-${pad(Math.floor(rnd() * 28) + 1)}`,
};
const BAD: Record<string, string> = { bad_int: '12x', bad_date: 'unknown date' };
const VARIANTS = 5;

/** The generated columns (`kind_variant`), each with its values. */
function columns(rows: number, badRow: number): { name: string; values: string[] }[] {
  const out: { name: string; values: string[] }[] = [];
  Object.entries(KINDS).forEach(([kind, gen], k) => {
    for (let v = 0; v < VARIANTS; v++) {
      const rnd = random(1 + k * 31 + v * 7);
      // Variants differ in where the odd value sits, so no two columns of a kind are alike.
      const values = Array.from({ length: rows }, (_, r) => (BAD[kind] && r + 1 === badRow - v * 3 ? BAD[kind] : gen(rnd, r, v)));
      out.push({ name: `${kind}_${v}`, values });
    }
  });
  return out;
}

function writeCsv(name: string, cols: readonly { name: string; values: string[] }[]): string {
  const lines = [cols.map((c) => c.name).join(';')];
  for (let r = 0; r < cols[0].values.length; r++) lines.push(cols.map((c) => c.values[r]).join(';'));
  const path = join(tmp.dir, `${name}.csv`);
  writeFileSync(path, `${lines.join('\n')}\n`);
  return path;
}

/** Stages `path` and infers its columns, by column name. */
async function infer(path: string): Promise<{ columns: Record<string, ColumnTypeInference>; queryCount: number }> {
  const staged = await staging(sourceConfig(path), duckdb);
  expect(staged.tables).toHaveLength(1);
  const result = await typeCandidates(staged, duckdb);
  return result.tables[staged.tables[0].name];
}

/** What a column's inference reports, without the table it came from. */
function reported(c: ColumnTypeInference) {
  const { table: _table, ...rest } = c;
  return rest;
}

async function compareWideWithNarrow(label: string, rows: number, badRow: number): Promise<Record<string, ColumnTypeInference>> {
  const cols = columns(rows, badRow);
  expect(cols.length).toBeGreaterThan(32);
  const { columns: wide, queryCount } = await infer(writeCsv(`${label}_wide`, cols));
  const narrow: Record<string, ColumnTypeInference> = {};
  let narrowQueries = 0;
  for (let b = 0; b < cols.length; b += 8) {
    const part = await infer(writeCsv(`${label}_narrow_${b}`, cols.slice(b, b + 8)));
    Object.assign(narrow, part.columns);
    narrowQueries += part.queryCount;
  }
  // Stacked: a statement per kind of column, not per 8 columns.
  expect(queryCount).toBeLessThan(narrowQueries / 2);
  expect(Object.keys(wide)).toEqual(cols.map((c) => c.name));
  for (const c of cols) expect(reported(wide[c.name]), c.name).toEqual(reported(narrow[c.name]));
  return wide;
}

describe('stacked inference of wide tables', () => {
  it('gives every column of a small wide table what the per-column survey gives it', async () => {
    const wide = await compareWideWithNarrow('small', 400, 390);
    expect(wide.int_0.best?.type).toBe('INTEGER');
    expect(wide.dec_comma_0.best?.format).toMatchObject({ kind: 'number', decimal: ',' });
    expect(wide.day_first_0.best?.format).toEqual({ kind: 'date', strptime: '%d/%m/%Y' });
    expect(wide.month_first_0.best?.format).toEqual({ kind: 'date', strptime: '%m/%d/%Y' });
    expect(wide.bool_0.best?.type).toBe('BOOLEAN');
    expect(wide.zip_0.best?.type).toBe('VARCHAR');
    const bad = wide.bad_int_0.candidates.find((c) => c.type === 'BIGINT');
    expect(bad?.failedExamples).toEqual([{ row: 390, value: '12x' }]);
    expect(wide.mostly_int_2.candidates.find((c) => c.type === 'INTEGER')?.failedExamples).toHaveLength(5);
  }, 120_000);

  it('gives every column of a large wide table what the sampled survey and shape pass give it', async () => {
    const wide = await compareWideWithNarrow('large', 12_000, 11_900);
    expect(wide.int_0.distinctCountApproximate).toBe(true);
    expect(wide.thousands_0.best?.format).toMatchObject({ kind: 'number', decimal: ',', thousands: '.' });
    const bad = wide.bad_date_1.candidates.find((c) => c.type === 'DATE');
    expect(bad?.failedExamples).toEqual([{ row: 11_897, value: 'unknown date' }]);
  }, 300_000);
});
