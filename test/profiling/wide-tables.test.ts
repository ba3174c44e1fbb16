/**
 * Wide tables: DuckDB refuses a grouped profile statement of about 200 numeric columns (max
 * expression depth) and plans even batches of them slowly, so a wide table is profiled stacked
 * (columns of one kind together, a few statements), with the figures a narrow table gets; a
 * narrow table stays one statement. Real CSV files, staged by the staging node.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDuckDB, type DuckDBConnection } from '../../nodes/duckdb.ts';
import { PROFILE_BATCH_COLUMNS, stackedProfileColumns } from '../../nodes/profiling/profile-queries.ts';
import { sampleSurveyStatements } from '../../nodes/profiling/sample-survey.ts';
import { profiling } from '../../nodes/profiling/profiling.ts';
import { parseSourceConfig } from '../../nodes/staging/source-config.ts';
import { staging } from '../../nodes/staging/staging.ts';

const ROWS = 20;
/** Row r of column c: a different offset and spread per column, so a batch mix-up shows in the figures. */
const value = (r: number, c: number) => (c % 50) + ((r * (c % 7 + 2)) % 11);

let dir: string;
let conn: DuckDBConnection;
beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'dataraum-wide-'));
  conn = await openDuckDB(join(dir, 'work.duckdb'));
});
afterAll(() => {
  conn?.closeSync();
  rmSync(dir, { recursive: true, force: true });
});

async function profileCsv(name: string, columns: number, cell: (r: number, c: number) => string | number = value, rows = ROWS) {
  const path = join(dir, `${name}.csv`);
  const lines = [Array.from({ length: columns }, (_, c) => `c${c}`).join(',')];
  for (let r = 0; r < rows; r++) lines.push(Array.from({ length: columns }, (_, c) => cell(r, c)).join(','));
  writeFileSync(path, `${lines.join('\n')}\n`);
  const staged = await staging(parseSourceConfig({ source_type: 'csv', path }), conn);
  return (await profiling(staged, conn)).tables[name];
}

/** Mixed kinds of text: numbers, decimals, words, mostly words with a few numbers, e-mails, unit values, mostly empty. */
function mixed(r: number, c: number): string {
  switch (c % 8) {
    case 0: return String((r * 37 + c) % 101);
    case 1: return ((r * 13 + c) % 17 / 4 - 2).toFixed(2);
    case 2: return ['red', 'green', 'blue', ' blue ', 'Ωmega'][(r + c) % 5];
    case 3: return r % 9 === 0 ? String(r) : ['x', 'y', 'NA'][r % 3];
    case 4: return `u${(r + c) % 7}@example.com`;
    case 5: return `${(r % 30) + c} kg`;
    case 6: return r % 10 === 0 ? String(r / 10) : '';
    default: return r % 4 === 0 ? '' : String(r % 3);
  }
}

function expectFigures(t: Awaited<ReturnType<typeof profileCsv>>, columns: number) {
  expect(Object.keys(t.columns)).toHaveLength(columns);
  for (let c = 0; c < columns; c++) {
    const values = Array.from({ length: ROWS }, (_, r) => value(r, c));
    const sorted = [...values].sort((a, b) => a - b);
    const p = t.columns[`c${c}`];
    expect(p, `c${c}`).toMatchObject({ position: c, totalCount: ROWS, nullCount: 0, distinctCount: new Set(values).size });
    expect(p.numeric, `c${c}`).toMatchObject({ source: 'parsed', numericCount: ROWS, min: sorted[0], max: sorted[ROWS - 1], p50: (sorted[9] + sorted[10]) / 2 });
    expect(p.numeric!.mean, `c${c}`).toBeCloseTo(values.reduce((a, b) => a + b, 0) / ROWS, 9);
    expect(p.histogram!.reduce((a, b) => a + b.count, 0), `c${c}`).toBe(ROWS);
    const top = p.topValues[0];
    expect(top.count, `c${c}`).toBe(values.filter((v) => String(v) === top.value).length);
  }
}

describe('profiling wide tables', () => {
  it('profiles 200 numeric columns stacked, every column with its own figures', async () => {
    const t = await profileCsv('w200', 200);
    expectFigures(t, 200);
    // The stacked sample survey, and a stacked profile per batch of columns of one kind.
    expect(t.queryCount).toBe(sampleSurveyStatements(200, 10_000) + Math.ceil(200 / stackedProfileColumns(ROWS)));
    expect(t.queryCount).toBeLessThan(200 / PROFILE_BATCH_COLUMNS);
  });

  it('profiles 400 numeric columns', async () => {
    const t = await profileCsv('w400', 400);
    expectFigures(t, 400);
    expect(t.queryCount).toBe(sampleSurveyStatements(400, 10_000) + Math.ceil(400 / stackedProfileColumns(ROWS)));
  }, 300_000);

  it('gives the columns of a wide table of mixed text the figures they get in a narrow one', async () => {
    const rows = 60;
    const wide = await profileCsv('mixed_wide', 48, mixed, rows);
    // The same columns as narrow tables of 8 (each column keeps its kind: c % 8).
    for (let first = 0; first < 48; first += 8) {
      const narrow = await profileCsv(`mixed_narrow_${first}`, 8, (r, c) => mixed(r, first + c), rows);
      expect(narrow.queryCount).toBe(2);
      for (let c = 0; c < 8; c++) {
        const { numeric: wn, ...w } = wide.columns[`c${first + c}`];
        const { numeric: nn, ...n } = narrow.columns[`c${c}`];
        expect(w, `c${first + c}`).toEqual({ ...n, column: `c${first + c}`, position: first + c });
        // Sums may add the same values in another order: the last bits of mean and stddev may differ.
        expect(wn === undefined, `c${first + c} numeric`).toBe(nn === undefined);
        if (wn && nn) {
          const { mean, stddev, ...exact } = wn;
          const { mean: narrowMean, stddev: narrowStddev, ...narrowExact } = nn;
          expect(exact, `c${first + c} numeric`).toEqual(narrowExact);
          expect(mean).toBeCloseTo(narrowMean, 12);
          expect(stddev ?? 0).toBeCloseTo(narrowStddev ?? 0, 12);
        }
      }
    }
    // Several kinds of column: numbers read (or not) as numbers, in a few stacked statements.
    expect(Object.values(wide.columns).filter((p) => p.numeric).length).toBeGreaterThan(12);
    expect(Object.values(wide.columns).some((p) => p.patterns?.length)).toBe(true);
    expect(Object.values(wide.columns).some((p) => p.unit?.unit === 'kg')).toBe(true);
  });

  it('keeps a narrow table in one grouped profile query', async () => {
    const t = await profileCsv('narrow', 12);
    expectFigures(t, 12);
    expect(t.queryCount).toBe(2); // sample survey, grouped profile
  });
});
