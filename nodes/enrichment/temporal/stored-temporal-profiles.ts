/**
 * Records temporal profiles in the metadata store: one row per column (column_id is unique), so a
 * new profile replaces the old one in place and keeps its temporal_id. Replaying the same result
 * writes the same rows; a column of the source that is no longer temporal loses its row.
 */
import type { StoreContext } from '../../../store/index.ts';
import type { TypedSource } from '../types.ts';
import { instantText, storedRow } from './stored-row.ts';
import type { TemporalProfiles } from './types.ts';

export interface StoredTemporalProfiles {
  readonly profiledAt: string;
  /** Rows written (inserted or replaced). */
  readonly columns: number;
  /** Rows removed: columns of the source's tables that have a stored profile but are no longer temporal. */
  readonly removed: number;
  /** `table.column` of profiled columns without a metadata-store id (not stored). */
  readonly skipped: readonly string[];
}

/**
 * Temporal profiles, written to temporal_profiles (one transaction; ids from the TypedSource).
 * @tag module=temporal
 * @cache disable
 *
 * @example
 * ```ts
 * const profiles = await temporalProfiles(typedSource, duckdb);
 * const stored = await storedTemporalProfiles(profiles, typedSource, store);
 * stored.columns; // rows written
 * ```
 */
export async function storedTemporalProfiles(temporalProfiles: TemporalProfiles, typedSource: TypedSource, store: StoreContext): Promise<StoredTemporalProfiles> {
  const ids = new Map<string, string>();
  const sourceColumnIds: string[] = [];
  for (const t of typedSource.tables) {
    for (const c of t.columns) {
      if (!c.columnId) continue;
      ids.set(`${t.name}\u0000${c.name}`, c.columnId);
      sourceColumnIds.push(c.columnId);
    }
  }
  const skipped: string[] = [];
  const rows = Object.values(temporalProfiles.tables).flatMap((t) => Object.values(t.columns).flatMap((p) => {
    const columnId = p.columnId ?? ids.get(`${p.table}\u0000${p.column}`);
    if (!columnId) {
      skipped.push(`${p.table}.${p.column}`);
      return [];
    }
    return [storedRow(p, columnId, instantText(temporalProfiles.profiledAt) ?? new Date().toISOString())];
  }));
  const keep = new Set(rows.map((r) => r.columnId));
  const stale = sourceColumnIds.filter((id) => !keep.has(id));

  let removed = 0;
  await store.db.transaction().execute(async (db) => {
    for (let k = 0; k < stale.length; k += 500) {
      const res = await db.deleteFrom('temporalProfiles').where('columnId', 'in', stale.slice(k, k + 500)).executeTakeFirst();
      removed += Number(res.numDeletedRows);
    }
    for (const row of rows) {
      const { temporalId: _id, columnId: _col, ...update } = row;
      await db.insertInto('temporalProfiles').values(row)
        .onConflict((oc) => oc.column('columnId').doUpdateSet(update))
        .execute();
    }
  });
  return { profiledAt: temporalProfiles.profiledAt, columns: rows.length, removed, skipped };
}
