/**
 * The index of the engine's persistent cache: which node result exists for which code and data
 * version, how big it is and how often it is hit. (The cached values themselves live elsewhere.)
 */
import type { Selectable } from 'kysely';
import type { CacheEntriesTable } from '../schema/engine.ts';
import { now, type StoreContext } from './context.ts';

export type CacheEntryRow = Selectable<CacheEntriesTable>;

export interface CacheEntryInput {
  /** Hash of node + code version + data versions of its inputs. */
  readonly cacheKey: string;
  readonly nodeName: string;
  readonly codeVersion: string;
  readonly dataVersion: string;
  readonly dataflowName?: string | null;
  readonly sourceId?: string | null;
  readonly sizeBytes?: number | null;
}

export interface CacheEntryFilter {
  readonly dataflow?: string;
  readonly sourceId?: string;
  readonly nodeName?: string;
}

/**
 * Records a cache entry; putting an existing key again refreshes it (new size and creation time,
 * hit count kept).
 *
 * @example
 * ```ts
 * await putCacheEntry(store, { cacheKey: 'k1', nodeName: 'profiling', codeVersion: 'c1', dataVersion: 'd1' });
 * const hit = await getCacheEntry(store, 'k1'); // hitCount 1
 * await deleteCacheEntries(store, { nodeName: 'profiling' });
 * ```
 */
export async function putCacheEntry(store: StoreContext, input: CacheEntryInput): Promise<CacheEntryRow> {
  const fields = {
    nodeName: input.nodeName,
    codeVersion: input.codeVersion,
    dataVersion: input.dataVersion,
    dataflowName: input.dataflowName ?? null,
    sourceId: input.sourceId ?? null,
    sizeBytes: input.sizeBytes ?? null,
    createdAt: now(),
  };
  return store.db
    .insertInto('cacheEntries')
    .values({ cacheKey: input.cacheKey, ...fields })
    .onConflict((oc) => oc.column('cacheKey').doUpdateSet(fields))
    .returningAll()
    .executeTakeFirstOrThrow();
}

/** The entry for `cacheKey`, counting the lookup as a hit; undefined on a miss. */
export async function getCacheEntry(store: StoreContext, cacheKey: string): Promise<CacheEntryRow | undefined> {
  // One UPDATE ... RETURNING: concurrent hits each count, none is lost.
  return store.db
    .updateTable('cacheEntries')
    .set((eb) => ({ hitCount: eb('hitCount', '+', 1), lastHitAt: now() }))
    .where('cacheKey', '=', cacheKey)
    .returningAll()
    .executeTakeFirst();
}

/** Entries matching the filter, newest first. */
export async function listCacheEntries(
  store: StoreContext,
  filter: CacheEntryFilter & { readonly limit?: number } = {},
): Promise<CacheEntryRow[]> {
  let query = store.db.selectFrom('cacheEntries').selectAll();
  if (filter.dataflow !== undefined) query = query.where('dataflowName', '=', filter.dataflow);
  if (filter.sourceId !== undefined) query = query.where('sourceId', '=', filter.sourceId);
  if (filter.nodeName !== undefined) query = query.where('nodeName', '=', filter.nodeName);
  query = query.orderBy('createdAt', 'desc').orderBy('cacheKey');
  return filter.limit !== undefined ? query.limit(filter.limit).execute() : query.execute();
}

/**
 * Deletes the entries matching every given field and returns their keys (so the caller can
 * remove the cached values too). An empty filter deletes every entry.
 */
export async function deleteCacheEntries(store: StoreContext, filter: CacheEntryFilter): Promise<string[]> {
  let query = store.db.deleteFrom('cacheEntries');
  if (filter.dataflow !== undefined) query = query.where('dataflowName', '=', filter.dataflow);
  if (filter.sourceId !== undefined) query = query.where('sourceId', '=', filter.sourceId);
  if (filter.nodeName !== undefined) query = query.where('nodeName', '=', filter.nodeName);
  const deleted = await query.returning('cacheKey').execute();
  return deleted.map((row) => row.cacheKey).sort();
}
