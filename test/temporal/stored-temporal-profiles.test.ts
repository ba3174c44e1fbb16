import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { openDuckDB, type DuckDBConnection } from '../../nodes/duckdb.ts';
import { storedTemporalProfiles } from '../../nodes/enrichment/temporal/stored-temporal-profiles.ts';
import { temporalProfiles } from '../../nodes/enrichment/temporal/temporal-profiles.ts';
import type { TypedTable } from '../../nodes/enrichment/types.ts';
import { upsertSource, type Store } from '../../store/index.ts';
import { DIALECTS, storeLifecycle } from '../store/helpers.ts';
import { sourceOf, typedTable, vegaCsv } from './helpers.ts';

let conn: DuckDBConnection;
beforeAll(async () => {
  conn = await openDuckDB(':memory:');
});
afterAll(() => conn?.closeSync());

/** Catalog rows for a typed table (what type resolution records), returning the ids to build a TypedTable with. */
async function catalog(store: Store, sourceId: string, table: string, columns: string[]): Promise<{ tableId: string; columns: Record<string, string> }> {
  const tableId = crypto.randomUUID();
  await store.db.insertInto('tables').values({ tableId, sourceId, tableName: table, layer: 'typed', duckdbPath: null, rowCount: null }).execute();
  const ids: Record<string, string> = {};
  for (const [i, name] of columns.entries()) {
    ids[name] = crypto.randomUUID();
    await store.db.insertInto('columns').values({ columnId: ids[name], tableId, columnName: name, originalName: name, columnPosition: i, rawType: null, resolvedType: null }).execute();
  }
  return { tableId, columns: ids };
}

describe.each(DIALECTS)('storedTemporalProfiles on %s', (dialect) => {
  const { ctx, setUp, tearDown } = storeLifecycle(dialect);
  beforeEach(setUp);
  afterEach(tearDown);

  it('writes one row per temporal column, replaces it in place on every run, and drops columns that stopped being temporal', async () => {
    const { sourceId } = await upsertSource(ctx.store, 'test', 'csv', {});
    const co2Ids = await catalog(ctx.store, sourceId, 'co2', ['Date', 'CO2', 'adjusted CO2']);
    const oddIds = await catalog(ctx.store, sourceId, 'odd', ['none', 'at']);
    const co2 = await typedTable(conn, 'co2', vegaCsv('co2-concentration.csv'), co2Ids);
    // `at` has no id in the TypedSource: profiled, not stored.
    const odd = await typedTable(conn, 'odd', `SELECT CAST(NULL AS DATE) AS none, TIMESTAMP '2024-01-01 10:00' AS at`, { tableId: oddIds.tableId, columns: { none: oddIds.columns.none } });
    const source = sourceOf(co2, odd);

    const profiles = await temporalProfiles(source, conn, { measure: { co2: 'CO2' } });
    const stored = await storedTemporalProfiles(profiles, source, ctx.store);
    expect(stored).toEqual({ profiledAt: profiles.profiledAt, columns: 2, removed: 0, skipped: ['odd.at'] });

    const rows = async () => ctx.store.db.selectFrom('temporalProfiles').selectAll().orderBy('columnId').execute();
    const first = await rows();
    expect(first).toHaveLength(2);
    const date = first.find((r) => r.columnId === co2Ids.columns.Date)!;
    expect(date).toMatchObject({
      minTimestamp: '1958-03-01T00:00:00.000Z',
      maxTimestamp: '2020-04-01T00:00:00.000Z',
      detectedGranularity: 'month',
      dominantGap: '1 month',
      expectedPeriods: 746,
      actualPeriods: 741,
      gapCount: 3,
      largestGap: '3 months',
      hasSeasonality: true,
      seasonalityPeriod: 12,
      trendDirection: 'up',
      profiledAt: new Date(profiles.profiledAt).toISOString(),
    });
    expect(date.completenessRatio).toBeCloseTo(741 / 746, 12);
    expect(date.granularityConfidence).toBeGreaterThan(0.99);
    const details = date.gapDetails as Record<string, any>;
    expect(details.gaps).toEqual([
      { start: '1958-06-01', end: '1958-06-01', missing_periods: 1 },
      { start: '1958-10-01', end: '1958-10-01', missing_periods: 1 },
      { start: '1964-02-01', end: '1964-04-01', missing_periods: 3 },
    ]);
    expect(details.largest_gap).toEqual({ start: '1964-02-01', end: '1964-04-01', missing_periods: 3 });
    expect(details).toMatchObject({ kind: 'date', period_unit: 'month', period_step: 1, missing_periods: 5, gaps_listed: 3, alignment: 1 });
    expect(details.series).toEqual({ aggregate: 'avg', measure: 'CO2' });
    expect(details.trend.slope).toBeCloseTo(profiles.tables.co2.columns.Date.trend!.slope!, 12);
    expect(details.seasonality.autocorrelations[0]).toMatchObject({ lag: 12 });

    const none = first.find((r) => r.columnId === oddIds.columns.none)!;
    expect(none).toMatchObject({ minTimestamp: null, maxTimestamp: null, detectedGranularity: null, expectedPeriods: null, completenessRatio: null, gapCount: 0, hasSeasonality: false, seasonalityPeriod: null, trendDirection: null });
    expect((none.gapDetails as Record<string, unknown>).note).toMatch(/no non-null values/);

    // Replaying the same result changes nothing.
    await storedTemporalProfiles(profiles, source, ctx.store);
    expect(await rows()).toEqual(first);

    // A new profile replaces the row in place: same temporal_id, new figures.
    const counts = await temporalProfiles(source, conn, { measure: 'count' });
    await storedTemporalProfiles(counts, source, ctx.store);
    const second = await rows();
    expect(second).toHaveLength(2);
    const replaced = second.find((r) => r.columnId === co2Ids.columns.Date)!;
    expect(replaced.temporalId).toBe(date.temporalId);
    expect(replaced).toMatchObject({ hasSeasonality: false, seasonalityPeriod: null, trendDirection: 'flat', profiledAt: new Date(counts.profiledAt).toISOString() });
    expect((replaced.gapDetails as Record<string, any>).series).toEqual({ aggregate: 'count', measure: null });

    // `Date` retyped to text: no longer temporal, its profile goes; the other table's stays.
    const retyped: TypedTable = { ...co2, columns: co2.columns.map((c) => (c.name === 'Date' ? { ...c, type: 'VARCHAR' } : c)) };
    const after = sourceOf(retyped, odd);
    const result = await storedTemporalProfiles(await temporalProfiles(after, conn), after, ctx.store);
    expect(result).toMatchObject({ columns: 1, removed: 1 });
    expect((await rows()).map((r) => r.columnId)).toEqual([oddIds.columns.none]);
  });

  it('stores sub-day and time-zone ranges as UTC instants', async () => {
    const { sourceId } = await upsertSource(ctx.store, 'test', 'csv', {});
    const ids = await catalog(ctx.store, sourceId, 'ts', ['local', 'zoned', 'year']);
    const t = await typedTable(conn, 'ts', `
      SELECT TIMESTAMP '2024-01-01 05:30:00' + to_hours(CAST(i AS INTEGER)) AS local,
             TIMESTAMPTZ '2024-01-01 05:30:00+02' + to_hours(CAST(i AS INTEGER)) AS zoned,
             CAST(1990 + i AS INTEGER) AS year
      FROM range(48) r(i)`, ids);
    const profiles = await temporalProfiles(sourceOf(t), conn, { timeZone: 'Asia/Tokyo' });
    await storedTemporalProfiles(profiles, sourceOf(t), ctx.store);
    const rows = await ctx.store.db.selectFrom('temporalProfiles').select(['columnId', 'minTimestamp', 'maxTimestamp', 'detectedGranularity', 'dominantGap']).execute();
    const by = Object.fromEntries(rows.map((r) => [r.columnId, r]));
    expect(by[ids.columns.local]).toMatchObject({ minTimestamp: '2024-01-01T05:30:00.000Z', maxTimestamp: '2024-01-03T04:30:00.000Z', detectedGranularity: 'hour', dominantGap: '1 hour' });
    expect(by[ids.columns.zoned]).toMatchObject({ minTimestamp: '2024-01-01T03:30:00.000Z', detectedGranularity: 'hour' });
    expect(by[ids.columns.year]).toMatchObject({ minTimestamp: '1990-01-01T00:00:00.000Z', maxTimestamp: '2037-01-01T00:00:00.000Z', detectedGranularity: 'year' });
  });
});
