/**
 * `dataraum run <folder>` on related real CSVs, end to end: the context document finds the real
 * relationship, the time columns' true granularity, sensible roles, metrics and quality scores, and
 * every suggested query runs on the typed tables.
 */
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { openDuckDB, queryRows } from '../../nodes/duckdb.ts';

const BIN = join(import.meta.dirname, '../../bin/dataraum.mjs');
const DATA = join(dirname(createRequire(import.meta.url).resolve('vega-datasets')), '..', 'data');

interface Doc {
  tables: { name: string; kind: string; columns: { name: string; role: string | null; temporal: { granularity: string | null; completeness: number | null } | null }[]; quality: { overall: number | null } | null }[];
  relationships: { from_table: string; from_columns: string[]; to_table: string; to_columns: string[] }[];
  metrics: { name: string; sql: string }[];
  suggested_queries: { category: string; sql: string }[];
}

let home: string;
let stdout: string;
let doc: Doc;

beforeAll(() => {
  const dir = mkdtempSync(join(tmpdir(), 'dataraum-context-'));
  const folder = join(dir, 'vega');
  mkdirSync(folder);
  for (const f of ['airports.csv', 'flights-airport.csv', 'seattle-weather.csv', 'co2-concentration.csv']) copyFileSync(join(DATA, f), join(folder, f));
  home = join(dir, 'home');
  const res = spawnSync(process.execPath, [BIN, 'run', folder, '--home', home, '--no-progress'], { encoding: 'utf8', timeout: 240_000 });
  expect(res.status, res.stderr).toBe(0);
  stdout = res.stdout;
  doc = JSON.parse(readFileSync(join(home, 'context', 'vega.json'), 'utf8'));
}, 300_000);

const col = (table: string, column: string) => doc.tables.find((t) => t.name === table)!.columns.find((c) => c.name === column)!;

describe('dataraum run <folder>: the context document', () => {
  it('says where the context document was written, with a short summary', () => {
    expect(stdout).toMatch(/Context document: .*vega\.md/);
    expect(stdout).toMatch(/relationships: .*flights_airport\.origin -> airports\.iata/);
  });

  it('finds the real relationships and no coincidental ones', () => {
    const fks = doc.relationships.map((r) => `${r.from_table}.${r.from_columns.join('+')}->${r.to_table}.${r.to_columns.join('+')}`).sort();
    expect(fks).toEqual(['flights_airport.destination->airports.iata', 'flights_airport.origin->airports.iata']);
  });

  it('finds the time columns\' true granularity', () => {
    expect(col('seattle_weather', 'date').temporal).toMatchObject({ granularity: 'day', completeness: 1 });
    const co2 = col('co2_concentration', 'date').temporal!;
    expect(co2.granularity).toBe('month');
    expect(co2.completeness).toBeLessThan(1); // a few months are missing
  });

  it('gives sensible roles and table kinds', () => {
    expect(col('airports', 'iata').role).toBe('key');
    expect(col('flights_airport', 'origin').role).toBe('foreign_key');
    expect(col('seattle_weather', 'date').role).toBe('timestamp');
    expect(col('seattle_weather', 'precipitation').role).toBe('measure');
    expect(col('seattle_weather', 'weather').role).toBe('dimension');
    expect(doc.tables.find((t) => t.name === 'airports')!.kind).toBe('dimension');
  });

  it('scores quality per table, and every suggested query and metric runs', async () => {
    for (const t of doc.tables) expect(t.quality?.overall).toBeGreaterThan(0.5);
    expect(doc.metrics.length).toBeGreaterThan(0);
    expect(new Set(doc.suggested_queries.map((q) => q.category))).toEqual(new Set(['overview', 'metrics', 'trends', 'segments', 'quality']));
    const duck = await openDuckDB(join(home, 'data.duckdb'));
    try {
      for (const q of [...doc.suggested_queries.map((x) => x.sql), ...doc.metrics.map((m) => m.sql)]) {
        await expect(queryRows(duck, q), q).resolves.toBeInstanceOf(Array);
      }
    } finally {
      duck.closeSync();
    }
  });
});
