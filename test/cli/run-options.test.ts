/**
 * Profiling and typing options reach a real `dataraum run`: as JSON in `--config`, and from a
 * pipeline's `profiling:` / `typing:` sections (which `--config` overrides).
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cli } from './helpers.ts';

const WEATHER = 'node_modules/vega-datasets/data/seattle-weather.csv';
let dir: string;

beforeAll(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'dataraum-run-options-'));
});
afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

/** The stored profile of seattle-weather's temp_max: histogram bins and top values kept, and its range. */
function tempMaxProfile(home: string): { bins: number; top: number; min: string; max: string } {
  const db = new Database(path.join(home, 'metadata.sqlite'), { readonly: true });
  try {
    const row = db.prepare(`SELECT p.histogram, p.top_values, p.min_value, p.max_value FROM column_profiles p JOIN columns c USING (column_id) JOIN tables t USING (table_id)
      WHERE t.layer = 'raw' AND c.column_name = 'temp_max' ORDER BY p.profiled_at DESC LIMIT 1`).get() as { histogram: string; top_values: string; min_value: string; max_value: string };
    return { bins: JSON.parse(row.histogram).length, top: JSON.parse(row.top_values).length, min: row.min_value, max: row.max_value };
  } finally {
    db.close();
  }
}

describe('profiling and typing options', () => {
  it('are read from --config as JSON', async () => {
    const home = path.join(dir, 'config-home');
    const r = await cli({ home }, ['run', WEATHER, '--only', 'storedProfiles', '-c', 'profilingOptions={"buckets":5,"topK":3}']);
    expect(r.code, r.stderr).toBe(0);
    // The text column read as numbers is ranged as numbers (as text, '9.4' would be the max).
    expect(tempMaxProfile(home)).toEqual({ bins: 5, top: 3, min: '-1.6', max: '35.6' });
  }, 120_000);

  it('are read from a pipeline, and --config overrides them', async () => {
    const pipeline = path.join(dir, 'coarse.yaml');
    writeFileSync(pipeline, 'name: coarse\ndataflow: ingest\nsteps: [storedProfiles]\nprofiling:\n  buckets: 4\n  top_k: 2\ntyping:\n  decision_threshold: 0.99\n');
    const home = path.join(dir, 'pipeline-home');
    expect((await cli({ home }, ['run', WEATHER, '--pipeline', pipeline])).code).toBe(0);
    expect(tempMaxProfile(home)).toMatchObject({ bins: 4, top: 2 });
    const over = path.join(dir, 'override-home');
    expect((await cli({ home: over }, ['run', WEATHER, '--pipeline', pipeline, '-c', 'profilingOptions={"buckets":7}'])).code).toBe(0);
    expect(tempMaxProfile(over).bins).toBe(7);
  }, 120_000);

  it('take the decision threshold from --config text', async () => {
    // Dates with no day above 12 are ambiguous (confidence 0.9): below the default 0.95 they go
    // to review (exit 3); at 0.85 they are decided.
    const csv = path.join(dir, 'ambiguous.csv');
    writeFileSync(csv, ['id,day', ...Array.from({ length: 30 }, (_, i) => `${i},${String((i % 12) + 1).padStart(2, '0')}/${String((i % 11) + 1).padStart(2, '0')}/2024`)].join('\n') + '\n');
    expect((await cli({ home: path.join(dir, 'default-home') }, ['run', csv])).code).toBe(3);
    const lenient = await cli({ home: path.join(dir, 'lenient-home') }, ['run', csv, '-c', 'decisionThreshold=0.85']);
    expect(lenient.code, lenient.stderr).toBe(0);
    expect(lenient.stdout).toMatch(/day:DATE/);
    const bad = await cli({ home: path.join(dir, 'bad-home') }, ['run', csv, '-c', 'decisionThreshold=high']);
    expect(bad.stderr).toMatch(/decisionThreshold must be a number between 0 and 1, got "high"/);
  }, 120_000);

  it('refuses a misspelt option in --config, listing the known ones', async () => {
    const r = await cli({ home: path.join(dir, 'misspelt-home') }, ['run', WEATHER, '--only', 'profiling', '-c', 'profilingOptions={"bukets":5}']);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/invalid profilingOptions: unknown option\(s\) 'bukets' \(known: histograms, buckets, topK/);
  }, 60_000);

  it('refuses an unknown option in a pipeline, naming it', async () => {
    const pipeline = path.join(dir, 'typo.yaml');
    writeFileSync(pipeline, 'name: typo\nprofiling:\n  bucket: 4\n');
    const r = await cli({ home: path.join(dir, 'typo-home') }, ['run', WEATHER, '--pipeline', pipeline]);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toMatch(/profiling.*bucket/);
  }, 60_000);
});
