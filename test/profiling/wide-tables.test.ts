/**
 * Wide tables: DuckDB refuses a grouped profile statement of about 200 numeric columns (max
 * expression depth), so profiling goes in batches of columns; a narrow table stays one statement.
 * Real CSV files, staged by the staging node.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDuckDB, type DuckDBConnection } from '../../nodes/duckdb.ts';
import { PROFILE_BATCH_COLUMNS } from '../../nodes/profiling/profile-queries.ts';
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

async function profileCsv(name: string, columns: number) {
  const path = join(dir, `${name}.csv`);
  const lines = [Array.from({ length: columns }, (_, c) => `c${c}`).join(',')];
  for (let r = 0; r < ROWS; r++) lines.push(Array.from({ length: columns }, (_, c) => value(r, c)).join(','));
  writeFileSync(path, `${lines.join('\n')}\n`);
  const staged = await staging(parseSourceConfig({ source_type: 'csv', path }), conn);
  return (await profiling(staged, conn)).tables[name];
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
  it('profiles 200 numeric columns in batches, every column with its own figures', async () => {
    const t = await profileCsv('w200', 200);
    expectFigures(t, 200);
    // A sample survey and a grouped profile per batch.
    expect(t.queryCount).toBe(2 * Math.ceil(200 / PROFILE_BATCH_COLUMNS));
  });

  it('profiles 400 numeric columns', async () => {
    const t = await profileCsv('w400', 400);
    expectFigures(t, 400);
    expect(t.queryCount).toBe(2 * Math.ceil(400 / PROFILE_BATCH_COLUMNS));
  }, 300_000);

  it('keeps a narrow table in one grouped profile query', async () => {
    const t = await profileCsv('narrow', 12);
    expectFigures(t, 12);
    expect(t.queryCount).toBe(2); // sample survey, grouped profile
  });
});
