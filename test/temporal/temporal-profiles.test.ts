import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDuckDB, queryRows, type DuckDBConnection } from '../../nodes/duckdb.ts';
import { temporalProfiles } from '../../nodes/enrichment/temporal/temporal-profiles.ts';
import { storedRow } from '../../nodes/enrichment/temporal/stored-row.ts';
import type { TemporalColumnProfile, TemporalGap } from '../../nodes/enrichment/temporal/types.ts';
import type { TypedTable } from '../../nodes/enrichment/types.ts';
import { sourceOf, typedTable, vegaCsv, VEGA_DIR } from './helpers.ts';

let conn: DuckDBConnection;
const tables: Record<string, TypedTable> = {};

beforeAll(async () => {
  conn = await openDuckDB(':memory:');
  tables.co2 = await typedTable(conn, 'co2', vegaCsv('co2-concentration.csv'));
  tables.weather = await typedTable(conn, 'weather', vegaCsv('seattle-weather.csv'));
  tables.sp500 = await typedTable(conn, 'sp500', vegaCsv('sp500-2000.csv'));
  tables.stocks = await typedTable(conn, 'stocks', `SELECT symbol, CAST(strptime("date", '%b %d %Y') AS DATE) AS "date", price FROM read_csv('${VEGA_DIR}stocks.csv')`);
  tables.github = await typedTable(conn, 'github', vegaCsv('github.csv'));
  tables.temp = await typedTable(conn, 'temp', vegaCsv('global-temp.csv'));
});
afterAll(() => conn?.closeSync());

/** Every missing period the gaps describe, expanded with `next` from start to end. */
function expand(gaps: readonly TemporalGap[], next: (iso: string) => string): string[] {
  return gaps.flatMap((g) => {
    const out = [g.start];
    while (out[out.length - 1] !== g.end) out.push(next(out[out.length - 1]));
    expect(out).toHaveLength(g.missingPeriods);
    return out;
  });
}
const nextMonth = (iso: string) => {
  const d = new Date(`${iso}T00:00:00Z`);
  d.setUTCMonth(d.getUTCMonth() + 1);
  return d.toISOString().slice(0, 10);
};
const nextWeekday = (iso: string) => {
  const d = new Date(`${iso}T00:00:00Z`);
  do d.setUTCDate(d.getUTCDate() + 1); while (d.getUTCDay() === 0 || d.getUTCDay() === 6);
  return d.toISOString().slice(0, 10);
};

describe('temporalProfiles on vega-datasets', () => {
  it('co2-concentration: monthly, the exact missing months as gaps, yearly seasonality, upward trend', async () => {
    const result = await temporalProfiles(sourceOf(tables.co2), conn, { measure: { co2: 'CO2' } });
    const p = result.tables.co2.columns.Date;
    expect(p.kind).toBe('date');
    expect([p.min, p.max]).toEqual(['1958-03-01', '2020-04-01']);
    expect(p.granularity).toMatchObject({ granularity: 'month', step: 1, dominantGap: '1 month', alignment: 1 });
    expect(p.granularity!.confidence).toBeGreaterThan(0.99);

    // The months between first and last that have no row, computed independently.
    const missing = await queryRows<{ m: string }>(conn, `
      SELECT strftime(m, '%Y-%m-%d') AS m FROM range(TIMESTAMP '1958-03-01', TIMESTAMP '2020-04-02', INTERVAL 1 MONTH) r(m)
      WHERE CAST(m AS DATE) NOT IN (SELECT "Date" FROM typed_co2) ORDER BY m`);
    expect(missing.map((r) => r.m)).toEqual(['1958-06-01', '1958-10-01', '1964-02-01', '1964-03-01', '1964-04-01']);
    expect(expand(p.gaps, nextMonth)).toEqual(missing.map((r) => r.m));
    expect(p.gaps).toEqual([
      { start: '1958-06-01', end: '1958-06-01', missingPeriods: 1 },
      { start: '1958-10-01', end: '1958-10-01', missingPeriods: 1 },
      { start: '1964-02-01', end: '1964-04-01', missingPeriods: 3 },
    ]);
    expect(p.gapCount).toBe(3);
    expect(p.missingPeriods).toBe(5);
    expect(p.largestGap).toEqual({ start: '1964-02-01', end: '1964-04-01', missingPeriods: 3 });
    expect(p.expectedPeriods).toBe(746);
    expect(p.actualPeriods).toBe(741);
    expect(p.completenessRatio).toBeCloseTo(741 / 746, 12);
    expect(p.completenessRatio!).toBeLessThan(1);

    expect(p.series).toEqual({ aggregate: 'avg', measure: 'CO2' });
    expect(p.seasonality).toMatchObject({ hasSeasonality: true, period: 12 });
    expect(p.seasonality!.strength!).toBeGreaterThan(0.8);
    // Trend: the same least-squares fit over the month number, computed independently.
    const [fit] = await queryRows<{ slope: number; r2: number }>(conn,
      `SELECT regr_slope("CO2", year("Date") * 12 + month("Date")) AS slope, regr_r2("CO2", year("Date") * 12 + month("Date")) AS r2 FROM typed_co2`);
    expect(p.trend!.direction).toBe('up');
    expect(p.trend!.slope!).toBeCloseTo(fit.slope, 10);
    expect(p.trend!.r2!).toBeCloseTo(fit.r2, 10);
    expect(p.trend!.periods).toBe(741);
    // Range scan + shape + series.
    expect(result.tables.co2.queryCount).toBe(3);
  });

  it('co2-concentration by default: one row a month is a regular series, so its measure is profiled (auto)', async () => {
    const p = (await temporalProfiles(sourceOf(tables.co2), conn)).tables.co2.columns.Date;
    expect(p.series).toEqual({ aggregate: 'avg', measure: 'CO2' });
    expect(p.seasonality).toMatchObject({ hasSeasonality: true, period: 12 });
    expect(p.trend?.direction).toBe('up');
  });

  it('co2-concentration counted (rows per month): one row a month is neither seasonal nor trending', async () => {
    const p = (await temporalProfiles(sourceOf(tables.co2), conn, { measure: 'count' })).tables.co2.columns.Date;
    expect(p.series).toEqual({ aggregate: 'count', measure: null });
    expect(p.granularity?.granularity).toBe('month');
    // Missing months count 0 rows, so the differenced series is not constant, but has no yearly cycle.
    expect(p.seasonality?.hasSeasonality).toBe(false);
    expect(p.trend?.direction).toBe('flat');
  });

  it('seattle-weather: daily and complete; a yearly cycle in temp_max (on 4-week means), no weekly one', async () => {
    const p = (await temporalProfiles(sourceOf(tables.weather), conn, { measure: { weather: 'temp_max' } })).tables.weather.columns.date;
    expect(p.granularity).toMatchObject({ granularity: 'day', step: 1, dominantGap: '1 day', confidence: 1 });
    expect([p.min, p.max]).toEqual(['2012-01-01', '2015-12-31']);
    expect(p.expectedPeriods).toBe(1461);
    expect(p.actualPeriods).toBe(1461);
    expect(p.completenessRatio).toBe(1);
    expect(p.gaps).toEqual([]);
    expect(p.gapCount).toBe(0);
    expect(p.largestGap).toBeNull();
    // The cycle in plain SQL: monthly means from about 8 °C (January) to 26 °C (August), and the
    // series correlates with itself a year later.
    const [ref] = await queryRows<{ jan: number; aug: number; acf365: number }>(conn, `
      WITH m AS (SELECT month("date") AS m, avg(temp_max) AS t FROM typed_weather GROUP BY m),
           l AS (SELECT temp_max AS v, lead(temp_max, 365) OVER (ORDER BY "date") AS later FROM typed_weather)
      SELECT (SELECT t FROM m WHERE m = 1) AS jan, (SELECT t FROM m WHERE m = 8) AS aug, (SELECT corr(v, later) FROM l) AS acf365`);
    expect(ref.aug - ref.jan).toBeGreaterThan(15);
    expect(ref.acf365).toBeGreaterThan(0.7);
    // Day-to-day weather swamps a year's slow swing in daily changes: the yearly lag is measured on
    // 4-week means (the week averages out), 13 blocks apart. 1461 days hold 52 whole blocks: 51
    // changes, 38 pairs.
    const byLag = Object.fromEntries(p.seasonality!.autocorrelations.map((a) => [a.lag, a]));
    expect(Object.keys(byLag).map(Number)).toEqual([7, 365]);
    expect(Math.abs(byLag[7]!.acf!)).toBeLessThan(0.1);
    expect(byLag[7]!.block).toBeUndefined();
    expect(byLag[365]).toMatchObject({ pairs: 38, block: { periods: 28, lag: 13 } });
    expect(p.seasonality).toMatchObject({ hasSeasonality: true, period: 365 });
    expect(p.seasonality!.strength!).toBeGreaterThan(0.6);
    expect(p.trend!.direction).toBe('flat');
    expect((storedRow(p, 'c1', '2024-01-01T00:00:00Z').gapDetails as Record<string, any>).seasonality.autocorrelations[1])
      .toEqual({ lag: 365, acf: byLag[365]!.acf, pairs: 38, block: { periods: 28, lag: 13 } });
    // Rain has no such cycle in these four years.
    const rain = (await temporalProfiles(sourceOf(tables.weather), conn, { measure: { weather: 'precipitation' } })).tables.weather.columns.date;
    expect(rain.seasonality!.hasSeasonality).toBe(false);
  });

  it('sp500-2000: trading days are business days; weekends are no gaps, holidays are', async () => {
    const p = (await temporalProfiles(sourceOf(tables.sp500), conn, { maxGaps: 1000, measure: { sp500: 'close' } })).tables.sp500.columns.date;
    expect(p.granularity).toMatchObject({ granularity: 'business_day', step: 1, dominantGap: '1 business day' });
    expect(p.granularity!.confidence).toBeGreaterThan(0.95);
    // Weekdays between first and last day without a row, computed independently.
    const [ref] = await queryRows<{ weekdays: string; missing: string }>(conn, `
      WITH d AS (SELECT CAST(d AS DATE) AS d FROM range(TIMESTAMP '2000-01-03', TIMESTAMP '2020-04-18', INTERVAL 1 DAY) r(d) WHERE isodow(d) < 6)
      SELECT count(*) AS weekdays, count(*) FILTER (WHERE d NOT IN (SELECT "date" FROM typed_sp500)) AS missing FROM d`);
    expect(p.expectedPeriods).toBe(Number(ref.weekdays));
    expect(p.missingPeriods).toBe(Number(ref.missing));
    expect(p.actualPeriods).toBe(tables.sp500.rowCount);
    // About nine exchange holidays a year, not a thousand weekends.
    expect(p.gapCount).toBeGreaterThan(150);
    expect(p.gapCount).toBeLessThan(250);
    const days = expand(p.gaps, nextWeekday);
    expect(days).toHaveLength(Number(ref.missing));
    expect(days.every((d) => ![0, 6].includes(new Date(`${d}T00:00:00Z`).getUTCDay()))).toBe(true);
    expect(days).toContain('2000-01-17'); // Martin Luther King Jr. Day
    expect(p.largestGap).toEqual({ start: '2001-09-11', end: '2001-09-14', missingPeriods: 4 });
    expect(p.seasonality!.autocorrelations.map((a) => a.lag)).toEqual([5]);
    expect(p.seasonality!.hasSeasonality).toBe(false);
    expect(p.trend!.direction).toBe('up');
  });

  it('sp500-2000 measured on sampled blocks of values gives the same granularity, periods and gaps', async () => {
    const all = (await temporalProfiles(sourceOf(tables.sp500), conn)).tables.sp500.columns.date;
    // 5105 distinct values, at most 2000 measured: every third block of 1000 (blocks 0 and 3).
    const sampled = (await temporalProfiles(sourceOf(tables.sp500), conn, { shapeSampleValues: 2000 })).tables.sp500.columns.date;
    expect(sampled.granularity).toMatchObject({ granularity: 'business_day', step: 1, dominantGap: '1 business day' });
    expect(sampled.granularity!.dominantGapShare).not.toBe(all.granularity!.dominantGapShare);
    expect(Math.abs(sampled.granularity!.dominantGapShare - all.granularity!.dominantGapShare)).toBeLessThan(0.02);
    // Everything else comes from all values (parallel float sums may differ in the last bit).
    const { granularity: _a, seasonality: seasonAll, trend: trendAll, ...restAll } = all;
    const { granularity: _s, seasonality: seasonSampled, trend: trendSampled, ...restSampled } = sampled;
    expect(restSampled).toEqual(restAll);
    expect(seasonSampled!.autocorrelations[0].acf!).toBeCloseTo(seasonAll!.autocorrelations[0].acf!, 12);
    expect(trendSampled!.slope!).toBeCloseTo(trendAll!.slope!, 12);
  });

  it('stocks: a monthly date shared by several symbols is one period per month; first_numeric measures price', async () => {
    const p = (await temporalProfiles(sourceOf(tables.stocks), conn, { measure: 'first_numeric' })).tables.stocks.columns.date;
    expect(p.distinctCount).toBe(123);
    expect(p.nonNullCount).toBe(560);
    expect(p.granularity).toMatchObject({ granularity: 'month', step: 1, confidence: 1 });
    expect([p.min, p.max]).toEqual(['2000-01-01', '2010-03-01']);
    expect(p.completenessRatio).toBe(1);
    expect(p.series).toEqual({ aggregate: 'avg', measure: 'price' });
    const [fit] = await queryRows<{ slope: number }>(conn, `
      SELECT regr_slope(p, m) AS slope FROM (SELECT year("date") * 12 + month("date") AS m, avg(price) AS p FROM typed_stocks GROUP BY m)`);
    expect(p.trend!.slope!).toBeCloseTo(fit.slope, 10);
  });

  it('github: hourly with many missing hours; the gap list is capped, the count is not', async () => {
    const p = (await temporalProfiles(sourceOf(tables.github), conn, { maxGaps: 5 })).tables.github.columns.time;
    expect(p.kind).toBe('timestamp');
    expect(p.min).toBe('2015-01-01T01:00:00');
    expect(p.granularity).toMatchObject({ granularity: 'hour', step: 1 });
    expect(p.gaps).toHaveLength(5);
    expect(p.gaps[0]).toEqual({ start: '2015-01-01T02:00:00', end: '2015-01-01T03:00:00', missingPeriods: 2 });
    expect(p.gapCount).toBeGreaterThan(5);
    const [ref] = await queryRows<{ hours: string; present: string }>(conn,
      `SELECT (epoch(max("time")) - epoch(min("time"))) / 3600 + 1 AS hours, count(DISTINCT date_trunc('hour', "time")) AS present FROM typed_github`);
    expect(p.expectedPeriods).toBe(Number(ref.hours));
    expect(p.actualPeriods).toBe(Number(ref.present));
    expect(p.missingPeriods).toBe(Number(ref.hours) - Number(ref.present));
    expect(p.largestGap!.missingPeriods).toBeGreaterThanOrEqual(Math.max(...p.gaps.map((g) => g.missingPeriods)));
    // `count` is a measure, not a time column.
    expect(Object.keys((await temporalProfiles(sourceOf(tables.github), conn)).tables.github.columns)).toEqual(['time']);
  });

  it('global-temp: an integer year column is yearly, with an upward trend in temp', async () => {
    const p = (await temporalProfiles(sourceOf(tables.temp), conn, { measure: 'first_numeric' })).tables.temp.columns.year;
    expect(p.kind).toBe('year');
    expect([p.min, p.max]).toEqual(['1880', '2023']);
    expect(p.granularity).toMatchObject({ granularity: 'year', step: 1, confidence: 1 });
    expect(p.completenessRatio).toBe(1);
    expect(p.series.measure).toBe('temp');
    expect(p.trend!.direction).toBe('up');
    expect(p.seasonality).toMatchObject({ hasSeasonality: false, autocorrelations: [] });
    expect(p.seasonality!.reason).toMatch(/year/);
    // Without year columns there is nothing temporal in the table.
    expect((await temporalProfiles(sourceOf(tables.temp), conn, { yearColumns: false })).tables.temp.columns).toEqual({});
  });
});

describe('temporalProfiles on generated series', () => {
  it('hourly with a known four-hour gap and a daily cycle', async () => {
    const t = await typedTable(conn, 'hourly', `
      SELECT ts AS reading_at, 10 + sin(2 * pi() * hour(ts) / 24) + 0.01 * (hash(ts) % 7) AS load
      FROM range(TIMESTAMP '2024-03-01', TIMESTAMP '2024-03-15', INTERVAL 1 HOUR) r(ts)
      WHERE NOT (ts >= TIMESTAMP '2024-03-05 10:00' AND ts < TIMESTAMP '2024-03-05 14:00')`);
    const p = (await temporalProfiles(sourceOf(t), conn, { measure: 'first_numeric' })).tables.hourly.columns.reading_at;
    expect(p.granularity).toMatchObject({ granularity: 'hour', step: 1, dominantGap: '1 hour' });
    expect(p.gaps).toEqual([{ start: '2024-03-05T10:00:00', end: '2024-03-05T13:00:00', missingPeriods: 4 }]);
    expect(p.expectedPeriods).toBe(14 * 24);
    expect(p.actualPeriods).toBe(14 * 24 - 4);
    expect(p.seasonality).toMatchObject({ hasSeasonality: true, period: 24 });
    expect(p.trend!.direction).toBe('flat');
  });

  it('curved growth, a random walk and noise are not seasonal, at any resolution', async () => {
    // Deterministic noise in -0.5..0.5 from a hash of the row.
    const noise = (x: string) => `(CAST(hash(${x}) % 1000000 AS DOUBLE) / 1e6 - 0.5)`;
    const daily = (expr: string) => `SELECT CAST(d AS DATE) AS day, ${expr} AS y FROM (SELECT d, row_number() OVER (ORDER BY d) AS i FROM range(TIMESTAMP '2010-01-01', TIMESTAMP '2018-01-01', INTERVAL 1 DAY) r(d))`;
    const monthly = (expr: string) => `SELECT CAST(d AS DATE) AS day, ${expr} AS y FROM (SELECT d, row_number() OVER (ORDER BY d) AS i FROM range(TIMESTAMP '2015-01-01', TIMESTAMP '2025-01-01', INTERVAL 1 MONTH) r(d))`;
    const series = {
      // Eight years of daily orders growing 0.1% a day (18x), and ten years of revenue growing 5% a
      // month: the changes grow too, and once correlated with themselves at every lag.
      growth_daily: daily(`20 * exp(0.001 * i) * (1 + 0.02 * ${noise('i')})`),
      growth_monthly: monthly(`100 * pow(1.05, i) * (1 + 0.05 * ${noise('i')})`),
      squares_monthly: monthly(`i * i + 10 * ${noise('i')}`),
      walk_daily: daily(`sum(${noise('i')}) OVER (ORDER BY i)`),
      noise_daily: daily(noise('i')),
    };
    for (const [name, select] of Object.entries(series)) {
      const p = (await temporalProfiles(sourceOf(await typedTable(conn, name, select)), conn, { measure: 'first_numeric' })).tables[name]!.columns.day!;
      expect(p.seasonality!.autocorrelations.length, name).toBeGreaterThan(0);
      expect(p.seasonality, name).toMatchObject({ hasSeasonality: false, period: null });
      if (name.startsWith('growth') || name.startsWith('squares')) expect(p.trend!.direction, name).toBe('up');
    }
  });

  it('a yearly swing in three years of noisy daily readings is found; a weekly cycle in hourly data is measured on daily means', async () => {
    const noise = (x: string) => `(CAST(hash(${x}) % 1000000 AS DOUBLE) / 1e6 - 0.5)`;
    const t = await typedTable(conn, 'yearly_swing', `
      SELECT CAST(d AS DATE) AS day, 10 + 3 * sin(2 * pi() * dayofyear(d) / 365.25) + 6 * ${noise('d')} AS level
      FROM range(TIMESTAMP '2020-01-01', TIMESTAMP '2023-01-01', INTERVAL 1 DAY) r(d)`);
    const p = (await temporalProfiles(sourceOf(t), conn, { measure: 'first_numeric' })).tables.yearly_swing.columns.day;
    expect(p.seasonality).toMatchObject({ hasSeasonality: true, period: 365 });
    expect(p.seasonality!.autocorrelations.find((a) => a.lag === 7)!.acf!).toBeLessThan(0.1);

    // Busy weekends on top of a daily cycle: 168 hours is measured on day means, 7 apart, so the
    // daily cycle cannot leak into it.
    const hourly = await typedTable(conn, 'weekly_load', `
      SELECT ts AS at, 10 + CASE WHEN isodow(ts) >= 6 THEN 5 ELSE 0 END + 3 * sin(2 * pi() * hour(ts) / 24) + 2 * ${noise('ts')} AS load
      FROM range(TIMESTAMP '2024-01-01', TIMESTAMP '2024-03-01', INTERVAL 1 HOUR) r(ts)`);
    const h = (await temporalProfiles(sourceOf(hourly), conn, { measure: 'first_numeric' })).tables.weekly_load.columns.at;
    expect(h.seasonality!.autocorrelations.find((a) => a.lag === 168)).toMatchObject({ block: { periods: 24, lag: 7 } });
    expect(h.seasonality).toMatchObject({ hasSeasonality: true, period: 168 });
  });

  it('quarter-hourly readings: granularity minute with a 15-minute step', async () => {
    const t = await typedTable(conn, 'qh', `
      SELECT ts AS at FROM range(TIMESTAMP '2024-01-01', TIMESTAMP '2024-01-03', INTERVAL 15 MINUTE) r(ts)
      WHERE ts NOT IN (TIMESTAMP '2024-01-02 06:15', TIMESTAMP '2024-01-02 06:30')`);
    const p = (await temporalProfiles(sourceOf(t), conn)).tables.qh.columns.at;
    expect(p.granularity).toMatchObject({ granularity: 'minute', step: 15, dominantGap: '15 minutes' });
    expect(p.gaps).toEqual([{ start: '2024-01-02T06:15:00', end: '2024-01-02T06:30:00', missingPeriods: 2 }]);
    expect(p.expectedPeriods).toBe(2 * 96);
    // The hourly cycle is 4 steps; two days are too short to test the daily one (96 steps).
    expect(p.seasonality!.autocorrelations.map((a) => a.lag)).toEqual([4]);
  });

  it('quarterly with one missing quarter and a Q4 peak', async () => {
    const t = await typedTable(conn, 'quarterly', `
      SELECT CAST(d AS DATE) AS period, 100 + 2 * row_number() OVER (ORDER BY d) + CASE WHEN quarter(d) = 4 THEN 30 ELSE 0 END AS revenue
      FROM range(TIMESTAMP '2000-01-01', TIMESTAMP '2012-01-01', INTERVAL 3 MONTH) r(d) WHERE d <> TIMESTAMP '2005-07-01'`);
    const p = (await temporalProfiles(sourceOf(t), conn, { measure: 'first_numeric' })).tables.quarterly.columns.period;
    expect(p.granularity).toMatchObject({ granularity: 'quarter', step: 1, dominantGap: '1 quarter', alignment: 1 });
    expect(p.gaps).toEqual([{ start: '2005-07-01', end: '2005-07-01', missingPeriods: 1 }]);
    expect(p.expectedPeriods).toBe(48);
    expect(p.actualPeriods).toBe(47);
    expect(p.seasonality).toMatchObject({ hasSeasonality: true, period: 4 });
    expect(p.trend!.direction).toBe('up');
  });

  it('weekly on Sundays with one missing week: gaps are labelled by the ISO week start (Monday)', async () => {
    const t = await typedTable(conn, 'weekly', `
      SELECT CAST(d AS DATE) AS week_of FROM range(TIMESTAMP '2023-01-01', TIMESTAMP '2025-01-01', INTERVAL 7 DAY) r(d) WHERE d <> TIMESTAMP '2023-06-04'`);
    const p = (await temporalProfiles(sourceOf(t), conn)).tables.weekly.columns.week_of;
    expect(p.granularity).toMatchObject({ granularity: 'week', step: 1, dominantGap: '1 week', alignment: 1 });
    expect(p.gaps).toEqual([{ start: '2023-05-29', end: '2023-05-29', missingPeriods: 1 }]);
    expect(p.expectedPeriods).toBe(105);
    expect(p.seasonality!.reason).toBe('105 periods: too short for a seasonal lag of 52 periods (a lag needs two full cycles)');
  });

  it('month-end dates (31, 29, 31, 30, ...) are monthly and aligned', async () => {
    const t = await typedTable(conn, 'month_end', `
      SELECT last_day(CAST(d AS DATE)) AS closing, 1000 + 10 * datediff('month', TIMESTAMP '2022-01-01', d) AS balance
      FROM range(TIMESTAMP '2022-01-01', TIMESTAMP '2025-01-01', INTERVAL 1 MONTH) r(d) WHERE d NOT IN (TIMESTAMP '2023-02-01', TIMESTAMP '2023-03-01')`);
    const p = (await temporalProfiles(sourceOf(t), conn, { measure: 'first_numeric' })).tables.month_end.columns.closing;
    expect(p.granularity).toMatchObject({ granularity: 'month', step: 1, alignment: 1 });
    // Periods are labelled by their start.
    expect(p.gaps).toEqual([{ start: '2023-02-01', end: '2023-03-01', missingPeriods: 2 }]);
    expect([p.min, p.max]).toEqual(['2022-01-31', '2024-12-31']);
    expect(p.trend).toMatchObject({ direction: 'up' });
    expect(p.trend!.slope!).toBeCloseTo(10, 9);
  });

  it('orders per day with busy weekends: the default row-count series has a weekly season', async () => {
    const t = await typedTable(conn, 'orders', `
      SELECT CAST(d AS DATE) AS ordered_on, j AS line FROM range(TIMESTAMP '2023-01-01', TIMESTAMP '2025-01-01', INTERVAL 1 DAY) r(d), range(20) s(j)
      WHERE j < 5 + CASE WHEN isodow(d) >= 6 THEN 10 ELSE 0 END + CAST(hash(d, j) % 3 AS INTEGER)`);
    const p = (await temporalProfiles(sourceOf(t), conn)).tables.orders.columns.ordered_on;
    expect(p.series).toEqual({ aggregate: 'count', measure: null });
    expect(p.granularity).toMatchObject({ granularity: 'day', step: 1 });
    expect(p.distinctCount).toBe(731);
    expect(p.seasonality).toMatchObject({ hasSeasonality: true, period: 7 });
    expect(p.trend!.direction).toBe('flat');
  });

  it('yearly mid-year dates are yearly and aligned across leap years', async () => {
    const t = await typedTable(conn, 'yearly', `SELECT make_date(CAST(y AS INTEGER), 7, 1) AS fiscal_start FROM range(1950, 2020) r(y) WHERE y <> 1980`);
    const p = (await temporalProfiles(sourceOf(t), conn)).tables.yearly.columns.fiscal_start;
    expect(p.granularity).toMatchObject({ granularity: 'year', step: 1, alignment: 1 });
    expect(p.gaps).toEqual([{ start: '1980', end: '1980', missingPeriods: 1 }]);
  });

  it('every other day is day granularity with step 2, not weekly', async () => {
    const t = await typedTable(conn, 'alt', `SELECT CAST(d AS DATE) AS d FROM range(TIMESTAMP '2024-01-01', TIMESTAMP '2024-03-01', INTERVAL 2 DAY) r(d)`);
    const p = (await temporalProfiles(sourceOf(t), conn)).tables.alt.columns.d;
    expect(p.granularity).toMatchObject({ granularity: 'day', step: 2, dominantGap: '2 days' });
    expect(p.completenessRatio).toBe(1);
    expect(p.seasonality!.reason).toBe('no tested cycle (7, 365 days) is a whole number of 2-day periods');
  });

  it('TIMESTAMP WITH TIME ZONE: hours count instants (a DST change is no gap), months are cut in the chosen zone', async () => {
    const hourly = await typedTable(conn, 'tz_hourly', `SELECT ts AS at FROM range(TIMESTAMPTZ '2024-03-30 00:00:00+00', TIMESTAMPTZ '2024-04-02 00:00:00+00', INTERVAL 1 HOUR) r(ts)`);
    expect(hourly.columns[0].type).toBe('TIMESTAMP WITH TIME ZONE');
    const h = (await temporalProfiles(sourceOf(hourly), conn, { timeZone: 'Europe/Berlin' })).tables.tz_hourly.columns.at;
    expect(h.kind).toBe('timestamp_tz');
    expect(h.timeZone).toBe('Europe/Berlin');
    expect([h.min, h.max]).toEqual(['2024-03-30T00:00:00Z', '2024-04-01T23:00:00Z']);
    expect(h.granularity).toMatchObject({ granularity: 'hour', step: 1 });
    expect(h.gapCount).toBe(0);
    expect(h.completenessRatio).toBe(1);

    // Month starts at Berlin midnight, March missing. In UTC those instants are the evening before.
    const monthly = await typedTable(conn, 'tz_monthly', `
      SELECT CAST(v AS TIMESTAMPTZ) AS at FROM (VALUES ('2024-01-01 00:00:00+01'), ('2024-02-01 00:00:00+01'), ('2024-04-01 00:00:00+02'), ('2024-05-01 00:00:00+02'), ('2024-06-01 00:00:00+02')) t(v)`);
    const berlin = (await temporalProfiles(sourceOf(monthly), conn, { timeZone: 'Europe/Berlin' })).tables.tz_monthly.columns.at;
    expect(berlin.granularity).toMatchObject({ granularity: 'month', alignment: 1 });
    expect(berlin.gaps).toEqual([{ start: '2024-03-01', end: '2024-03-01', missingPeriods: 1 }]);
    expect(berlin.min).toBe('2023-12-31T23:00:00Z');
    const utc = (await temporalProfiles(sourceOf(monthly), conn)).tables.tz_monthly.columns.at;
    expect(utc.timeZone).toBe('UTC');
    expect(utc.gaps).toEqual([{ start: '2024-02-01', end: '2024-02-01', missingPeriods: 1 }]);
    // In UTC the values are the evenings of month ends: aligned as well.
    expect(utc.granularity).toMatchObject({ granularity: 'month', alignment: 1 });
  });

  it('a single value, all NULL and an empty table: no crash, sensible output', async () => {
    const odd = await typedTable(conn, 'odd', `
      SELECT DATE '2024-01-01' AS one, CAST(NULL AS DATE) AS none, CAST(NULL AS TIMESTAMPTZ) AS none_tz, CAST(i AS INTEGER) AS year FROM range(5) r(i)`);
    const empty = await typedTable(conn, 'empty', `SELECT CAST(NULL AS TIMESTAMP) AS at WHERE false`);
    const result = await temporalProfiles(sourceOf(odd, empty), conn);
    const { one, none, none_tz: noneTz } = result.tables.odd.columns as Record<string, TemporalColumnProfile>;
    // `year` holds 0..4: not years.
    expect(Object.keys(result.tables.odd.columns)).toEqual(['one', 'none', 'none_tz']);
    expect(one).toMatchObject({ min: '2024-01-01', max: '2024-01-01', granularity: null, periodUnit: null, expectedPeriods: 1, actualPeriods: 1, completenessRatio: 1, gaps: [], gapCount: 0, seasonality: null, trend: null });
    expect(one.note).toMatch(/single distinct value/);
    for (const p of [none, noneTz]) {
      expect(p).toMatchObject({ nonNullCount: 0, totalCount: 5, min: null, max: null, granularity: null, completenessRatio: null, gaps: [], largestGap: null });
      expect(p.note).toMatch(/no non-null values/);
    }
    expect(result.tables.empty.columns.at).toMatchObject({ totalCount: 0, nonNullCount: 0, granularity: null });
    // Range scan only: no shape or series query for columns without two distinct values.
    expect(result.tables.odd.queryCount).toBe(1);
  });

  it('irregular event timestamps are counted per day: busy weekends show as weekly seasonality', async () => {
    const t = await typedTable(conn, 'events', `
      SELECT CAST(d AS TIMESTAMP) + to_seconds(CAST(hash(d, j) % 86400 AS BIGINT)) AS happened_at
      FROM range(TIMESTAMP '2024-01-01', TIMESTAMP '2025-01-01', INTERVAL 1 DAY) r(d), range(60) s(j)
      WHERE j < 20 + CASE WHEN isodow(d) >= 6 THEN 40 ELSE 0 END`);
    const p = (await temporalProfiles(sourceOf(t), conn)).tables.events.columns.happened_at;
    expect(p.granularity?.granularity).toBe('irregular');
    expect(p.note).toMatch(/irregular spacing: rows are counted per day/);
    expect(p).toMatchObject({ periodUnit: 'day', periodStep: 1, expectedPeriods: 366, actualPeriods: 366, completenessRatio: 1, gapCount: 0 });
    expect(p.seasonality).toMatchObject({ hasSeasonality: true, period: 7 });
    expect(p.trend!.direction).toBe('flat');
  });

  it('sub-second ticks are irregular (no unit below a second) and counted per minute over a short span', async () => {
    const t = await typedTable(conn, 'ticks', `SELECT TIMESTAMP '2024-01-01' + to_milliseconds(CAST(i * 100 AS BIGINT)) AS at FROM range(5000) r(i)`);
    const p = (await temporalProfiles(sourceOf(t), conn)).tables.ticks.columns.at;
    expect(p.granularity).toMatchObject({ granularity: 'irregular', dominantGap: null });
    // 500 seconds: minutes 0..8.
    expect(p).toMatchObject({ periodUnit: 'minute', expectedPeriods: 9, actualPeriods: 9, gapCount: 0 });
    expect(p.seasonality!.reason).toBe('9 periods: too short for a seasonal lag of 60 or 1440 periods (a lag needs two full cycles)');
  });
});

describe('temporalProfiles options and errors', () => {
  it('names the bad option', async () => {
    await expect(temporalProfiles(sourceOf(tables.co2), conn, { maxGaps: -1 })).rejects.toThrow(/temporalOptions: maxGaps/);
  });

  it('names an unknown measure column and lists the numeric candidates', async () => {
    await expect(temporalProfiles(sourceOf(tables.co2), conn, { measure: { co2: 'co2' } })).rejects.toThrow(/'co2' for table 'co2', which the table does not have.*'CO2', 'adjusted CO2'/);
    await expect(temporalProfiles(sourceOf(tables.weather), conn, { measure: { weather: 'weather' } })).rejects.toThrow(/is VARCHAR, not numeric/);
    await expect(temporalProfiles(sourceOf(tables.co2), conn, { measure: { nope: 'x' } })).rejects.toThrow(/table\(s\) 'nope'.*has 'co2'/);
  });

  it('skips seasonality and trend, not gaps, when the series is longer than maxSeriesPeriods', async () => {
    const p = (await temporalProfiles(sourceOf(tables.co2), conn, { maxSeriesPeriods: 100, measure: { co2: 'CO2' } })).tables.co2.columns.Date;
    expect(p).toMatchObject({ expectedPeriods: 746, actualPeriods: 741, gapCount: 3, seasonality: null, trend: null });
    expect(p.note).toMatch(/746 periods exceed temporalOptions.maxSeriesPeriods \(100\)/);
  });

  it('explains an unknown time zone', async () => {
    const t = await typedTable(conn, 'tz_bad', `SELECT TIMESTAMPTZ '2024-01-01 00:00:00+00' + to_days(CAST(i AS INTEGER)) AS at FROM range(3) r(i)`);
    await expect(temporalProfiles(sourceOf(t), conn, { timeZone: 'Mars/Olympus' })).rejects.toThrow(/tz_bad.*timeZone is an IANA zone name/s);
  });
});
