/**
 * The metadata store: sources, tables, columns and everything learned about them, plus the
 * engine's runs, checkpoints, review queue and cache index, on SQLite (default) or PostgreSQL.
 *
 * @example
 * ```ts
 * import { openStore, upsertSource, listSources } from 'dataraum/store';
 * const store = await openStore(); // .dataraum/metadata.sqlite, or DATARAUM_DATABASE_URL
 * await upsertSource(store, 'weather', 'csv', { path: 'seattle-weather.csv' });
 * console.log(await listSources(store));
 * await store.close();
 * ```
 */
export { openStore, migrateToLatest, DEFAULT_SQLITE_PATH, DATABASE_URL_ENV } from './open-store.ts';
export type { OpenStoreOptions, Store } from './open-store.ts';
export { StoreError } from './errors.ts';
export { processAlive } from './process-liveness.ts';
export type { StoreErrorCode } from './errors.ts';
export type { StoreDialect } from './value-codec-plugin.ts';
export { VALUE_COLUMNS, VIEW_VALUE_COLUMNS } from './schema/value-columns.ts';

export type { Database } from './schema/database.ts';
export type * from './schema/values.ts';
export type * from './schema/catalog.ts';
export type * from './schema/enrichment.ts';
export type * from './schema/quality.ts';
export type * from './schema/review.ts';
export type * from './schema/engine.ts';
export type * from './schema/views.ts';

export type { StoreContext } from './repositories/context.ts';
export * from './repositories/runs.ts';
export * from './repositories/sources.ts';
export * from './repositories/checkpoints.ts';
export * from './repositories/cache-entries.ts';
export { DurableCheckpointStore } from './durable-checkpoint-store.ts';
export { RunRecorder } from './run-recorder.ts';
export { CacheIndexMirror } from './cache-index-mirror.ts';
