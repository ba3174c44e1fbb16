/**
 * Records column profiles in the metadata store. Profiles are versioned by time: each profiling
 * pass adds one row per column; replaying the same pass (a cache hit) adds nothing.
 */
import type { StoreContext } from '../../store/index.ts';
import type { StagedCatalog } from '../staging/catalog.ts';
import type { ProfilingResult } from './types.ts';

export interface StoredProfiles {
  readonly profiledAt: string;
  readonly columns: number;
}

/**
 * Column profiles, written to column_profiles (one transaction).
 * @tag module=profiling
 * @cache disable
 */
export async function storedProfiles(profiling: ProfilingResult, stagedCatalog: StagedCatalog, store: StoreContext): Promise<StoredProfiles> {
  let columns = 0;
  await store.db.transaction().execute(async (db) => {
    for (const [tableName, table] of Object.entries(profiling.tables)) {
      const cat = stagedCatalog.tables[tableName];
      if (!cat) continue;
      const rows = Object.values(table.columns).flatMap((p) => {
        const columnId = cat.columns[p.column];
        if (!columnId) return [];
        return [{
          profileId: crypto.randomUUID(), columnId, profiledAt: profiling.profiledAt,
          totalCount: p.totalCount, nullCount: p.nullCount, distinctCount: p.distinctCount,
          // Text read as numbers is ranged as numbers ('9999' is not above '10000'); a native
          // column keeps its own exact min/max (its DOUBLE view rounds BIGINT and DECIMAL(38)).
          minValue: p.numeric?.source === 'parsed' ? String(p.numeric.min) : p.minValue,
          maxValue: p.numeric?.source === 'parsed' ? String(p.numeric.max) : p.maxValue,
          meanValue: p.numeric?.mean ?? null, stddevValue: p.numeric?.stddev ?? null,
          percentiles: p.numeric ? { p25: p.numeric.p25, p50: p.numeric.p50, p75: p.numeric.p75, p95: p.numeric.p95, p99: p.numeric.p99 } : null,
          minLength: p.string?.minLength ?? null, maxLength: p.string?.maxLength ?? null, avgLength: p.string?.avgLength ?? null,
          histogram: p.histogram ? p.histogram.map((b) => ({ ...b })) : null,
          topValues: p.topValues.map((v) => ({ ...v })),
          cardinalityRatio: p.cardinalityRatio, nullRatio: p.nullRatio,
        }];
      });
      if (!rows.length) continue;
      const already = await db.selectFrom('columnProfiles').select('columnId')
        .where('columnId', 'in', rows.map((r) => r.columnId)).where('profiledAt', '=', profiling.profiledAt).execute();
      const have = new Set(already.map((r) => r.columnId));
      const fresh = rows.filter((r) => !have.has(r.columnId));
      for (let k = 0; k < fresh.length; k += 200) await db.insertInto('columnProfiles').values(fresh.slice(k, k + 200)).execute();
      await db.updateTable('tables').set({ lastProfiledAt: profiling.profiledAt }).where('tableId', '=', cat.tableId).execute();
      columns += rows.length;
    }
  });
  return { profiledAt: profiling.profiledAt, columns };
}
