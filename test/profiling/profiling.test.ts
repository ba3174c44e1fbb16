import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDuckDB, queryRows, type DuckDBConnection } from '../../nodes/duckdb.ts';
import { profiling } from '../../nodes/profiling/profiling.ts';
import type { ProfilingResult } from '../../nodes/profiling/types.ts';
import { describeStaged, stageCsv, stagingOf, VEGA_DIR } from './helpers/stage-csv.ts';

let conn: DuckDBConnection;
let result: ProfilingResult;

beforeAll(async () => {
  conn = await openDuckDB(':memory:');
  const weather = await stageCsv(conn, `${VEGA_DIR}seattle-weather.csv`, 'weather');
  const birds = await stageCsv(conn, `${VEGA_DIR}birdstrikes.csv`, 'birdstrikes');
  const zips = await stageCsv(conn, `${VEGA_DIR}zipcodes.csv`, 'zipcodes');
  result = await profiling(stagingOf(weather, birds, zips), conn);
});
afterAll(() => conn?.closeSync());

describe('profiling on vega-datasets (all-VARCHAR raw tables)', () => {
  it('matches DuckDB SUMMARIZE over the numerically cast column', async () => {
    const summary = await queryRows<Record<string, string | null>>(conn,
      `SUMMARIZE SELECT TRY_CAST(precipitation AS DOUBLE) AS precipitation, TRY_CAST(temp_max AS DOUBLE) AS temp_max, TRY_CAST(wind AS DOUBLE) AS wind FROM raw_weather`);
    for (const s of summary) {
      const p = result.tables.weather.columns[s.column_name as string];
      expect(p.numeric?.source).toBe('parsed');
      expect(p.numeric?.min).toBe(Number(s.min));
      expect(p.numeric?.max).toBe(Number(s.max));
      expect(p.numeric?.mean).toBeCloseTo(Number(s.avg), 9);
      expect(p.numeric?.stddev).toBeCloseTo(Number(s.std), 9);
      expect(p.totalCount).toBe(Number(s.count));
      expect(p.nullRatio * 100).toBeCloseTo(Number(s.null_percentage), 6);
      // SUMMARIZE's distinct count is approximate (HyperLogLog); ours is exact: within a few percent.
      expect(Math.abs(p.distinctCount - Number(s.approx_unique)) / p.distinctCount).toBeLessThan(0.1);
    }
  });

  it('computes exact counts, quantiles and lengths equal to independent SQL', async () => {
    for (const [table, column] of [['weather', 'temp_min'], ['birdstrikes', 'Speed IAS in knots'], ['birdstrikes', 'Wildlife Species'], ['zipcodes', 'zip_code']] as const) {
      const [ref] = await queryRows<Record<string, unknown>>(conn, `
        WITH s AS (SELECT c, CASE WHEN isfinite(TRY_CAST(c AS DOUBLE)) THEN TRY_CAST(c AS DOUBLE) END AS x FROM (SELECT "${column}" AS c FROM raw_${table}))
        SELECT count(*) AS total, count(c) AS nn, count(DISTINCT c) AS d, min(length(c)) AS lmin, max(length(c)) AS lmax, avg(length(c)) AS lavg,
               count(x) AS xn, quantile_cont(x, 0.25) AS q25, quantile_cont(x, 0.5) AS q50, quantile_cont(x, 0.99) AS q99 FROM s`);
      const p = result.tables[table].columns[column];
      expect(p.totalCount).toBe(Number(ref.total));
      expect(p.nonNullCount).toBe(Number(ref.nn));
      expect(p.nullCount).toBe(Number(ref.total) - Number(ref.nn));
      expect(p.distinctCount).toBe(Number(ref.d));
      expect(p.cardinalityRatio).toBeCloseTo(Number(ref.d) / Number(ref.nn), 12);
      expect(p.string).toEqual({ minLength: Number(ref.lmin), maxLength: Number(ref.lmax), avgLength: Number(ref.lavg) });
      if (Number(ref.xn) / Number(ref.nn) >= 0.8) {
        expect(p.numeric?.numericCount).toBe(Number(ref.xn));
        expect(p.numeric?.p25).toBeCloseTo(Number(ref.q25), 9);
        expect(p.numeric?.p50).toBeCloseTo(Number(ref.q50), 9);
        expect(p.numeric?.p99).toBeCloseTo(Number(ref.q99), 9);
      } else {
        expect(p.numeric).toBeUndefined();
      }
    }
  });

  it('returns top-k values with counts and shares equal to a GROUP BY', async () => {
    const ref = await queryRows<{ v: string; n: string }>(conn,
      `SELECT weather AS v, count(*) AS n FROM raw_weather WHERE weather IS NOT NULL GROUP BY 1 ORDER BY n DESC, v LIMIT 10`);
    const top = result.tables.weather.columns.weather.topValues;
    expect(top.map((t) => [t.value, t.count])).toEqual(ref.map((r) => [r.v, Number(r.n)]));
    expect(top[0].percentage).toBeCloseTo(Number(ref[0].n) / 1461, 12);
    expect(result.tables.birdstrikes.columns['Airport Name'].topValues).toHaveLength(10);
  });

  it('builds equal-width histograms that cover every numeric value', async () => {
    const p = result.tables.weather.columns.temp_max;
    expect(p.histogram).toHaveLength(20);
    expect(p.histogram!.reduce((a, b) => a + b.count, 0)).toBe(p.numeric!.numericCount);
    expect(p.histogram![0].lower).toBe(p.numeric!.min);
    expect(p.histogram![19].upper).toBe(p.numeric!.max);
    const [ref] = await queryRows<{ n: string }>(conn,
      `SELECT count(*) AS n FROM raw_weather WHERE CAST(temp_max AS DOUBLE) >= $lo AND CAST(temp_max AS DOUBLE) < $hi`, { lo: p.histogram![3].lower, hi: p.histogram![3].upper });
    expect(p.histogram![3].count).toBe(Number(ref.n));
    // Text columns get no histogram and no numeric stats.
    expect(result.tables.weather.columns.weather.histogram).toBeUndefined();
    expect(result.tables.weather.columns.weather.numeric).toBeUndefined();
  });

  it('issues two queries per table: sample survey and grouped profile (histograms included)', () => {
    for (const t of Object.values(result.tables)) expect(t.queryCount).toBeLessThanOrEqual(2);
    expect(result.tables.weather.queryCount).toBe(2);
    expect(new Date(result.profiledAt).getTime()).toBeGreaterThan(0);
  });

  it('detects patterns on a sample and units from names', () => {
    expect(result.tables.weather.columns.date.patterns?.[0]).toMatchObject({ pattern: 'iso_date', matchRate: 1 });
    expect(result.tables.zipcodes.columns.zip_code.patterns?.map((p) => p.pattern)).toContain('postal_code');
    expect(result.tables.birdstrikes.columns['Cost Total $'].unit).toMatchObject({ unit: 'USD', source: 'name' });
    expect(result.tables.birdstrikes.columns['Speed IAS in knots'].unit).toMatchObject({ unit: 'kn', source: 'name' });
    expect(result.tables.weather.columns.temp_max.unit).toBeUndefined();
  });
});

describe('profiling options and typed sources', () => {
  it('honours options and profiles native (strong) columns', async () => {
    const c = await openDuckDB(':memory:');
    try {
      await c.run(`CREATE TABLE raw_m AS SELECT i AS n, CAST(i AS DOUBLE) / 4 AS weight_kg, DATE '2020-01-01' + CAST(i % 7 AS INTEGER) AS d,
        CASE WHEN i % 10 = 0 THEN NULL ELSE CAST(i AS VARCHAR) || ' kg' END AS w, [i, i + 1] AS l FROM range(1, 1001) t(i)`);
      const staged = await describeStaged(c, 'm', 'raw_m', 'strong');
      const r = await profiling(stagingOf(staged), c, { histograms: false, topK: 3, sampleForPatterns: 0 });
      const t = r.tables.m;
      expect(t.queryCount).toBe(2); // unit survey, grouped profile
      expect(t.columns.n.numeric).toMatchObject({ source: 'native', min: 1, max: 1000, mean: 500.5, p50: 500.5 });
      expect(t.columns.n.histogram).toBeUndefined();
      expect(t.columns.n.topValues).toHaveLength(3);
      expect(t.columns.d).toMatchObject({ distinctCount: 7, minValue: '2020-01-01', maxValue: '2020-01-07' });
      expect(t.columns.d.numeric).toBeUndefined();
      expect(t.columns.w).toMatchObject({ nullCount: 100, nullRatio: 0.1 });
      expect(t.columns.w.patterns).toBeUndefined();
      expect(t.columns.w.unit).toMatchObject({ unit: 'kg', source: 'values' });
      expect(t.columns.weight_kg.unit).toMatchObject({ unit: 'kg', source: 'name' });
      expect(t.columns.l.distinctCount).toBe(1000);
      await expect(profiling(stagingOf(staged), c, { buckets: 0 })).rejects.toThrow(/buckets/);
    } finally {
      c.closeSync();
    }
  });

  it('profiles a table without any numeric column (no histogram to bucket)', async () => {
    const c = await openDuckDB(':memory:');
    try {
      await c.run(`CREATE TABLE raw_people AS SELECT * FROM (VALUES ('Ada', 'London'), ('Grace', 'New York'), ('Alan', NULL)) t(name, city)`);
      const staged = await describeStaged(c, 'people', 'raw_people');
      const r = await profiling(stagingOf(staged), c);
      expect(r.tables.people.columns.name).toMatchObject({ totalCount: 3, distinctCount: 3, string: { minLength: 3, maxLength: 5 } });
      expect(r.tables.people.columns.city).toMatchObject({ nullCount: 1, distinctCount: 2 });
      expect(r.tables.people.columns.city.numeric).toBeUndefined();
      expect(r.tables.people.columns.city.histogram).toBeUndefined();
    } finally {
      c.closeSync();
    }
  });
});
