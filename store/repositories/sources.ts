/** Sources: a named, typed connection to data that dataraum loads. */
import type { Selectable } from 'kysely';
import type { SourcesTable } from '../schema/catalog.ts';
import type { JsonObject } from '../schema/values.ts';
import { now, type StoreContext } from './context.ts';

export type SourceRow = Selectable<SourcesTable>;

/**
 * Creates the source `name`, or updates its type and config when it exists (keeping its id, so
 * everything recorded about it stays attached).
 *
 * @example
 * ```ts
 * const source = await upsertSource(store, 'airports', 'csv', { path: 'data/airports.csv' });
 * ```
 */
export async function upsertSource(
  store: StoreContext,
  name: string,
  sourceType: string,
  connectionConfig: JsonObject,
): Promise<SourceRow> {
  const at = now();
  return store.db
    .insertInto('sources')
    .values({ sourceId: crypto.randomUUID(), name, sourceType, connectionConfig, createdAt: at, updatedAt: at })
    .onConflict((oc) => oc.column('name').doUpdateSet({ sourceType, connectionConfig, updatedAt: at }))
    .returningAll()
    .executeTakeFirstOrThrow();
}

/** The source called `name`, or undefined. */
export async function getSourceByName(store: StoreContext, name: string): Promise<SourceRow | undefined> {
  return store.db.selectFrom('sources').selectAll().where('name', '=', name).executeTakeFirst();
}

/** All sources, by name (code-point order on both dialects, whatever the server's collation). */
export async function listSources(store: StoreContext): Promise<SourceRow[]> {
  const rows = await store.db.selectFrom('sources').selectAll().execute();
  return rows.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}
