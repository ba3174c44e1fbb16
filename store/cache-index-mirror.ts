/**
 * A cache store that also records every new entry in the metadata store's `cache_entries`, so the
 * cache index can be queried in SQL (on PostgreSQL, by every process) and `reset --source` can
 * find a source's entries. Values stay in the wrapped store; the engine's lookups never wait on
 * the database (writes are queued and flushed when the run ends).
 *
 * @example
 * ```ts
 * const cache = new PersistentCache({ store: new CacheIndexMirror(new FileCacheStore(), store) });
 * ```
 */
import type { CacheEntry, CacheStore } from '../engine/index.ts';
import { putCacheEntry } from './repositories/cache-entries.ts';
import type { StoreContext } from './repositories/context.ts';

export class CacheIndexMirror implements CacheStore {
  readonly #inner: CacheStore;
  readonly #store: StoreContext;
  readonly #sourceIds = new Map<string, Promise<string | null>>();
  #queue: Promise<void> = Promise.resolve();
  #error: unknown;

  constructor(inner: CacheStore, store: StoreContext) {
    this.#inner = inner;
    this.#store = store;
  }

  getEntry(key: string) { return this.#inner.getEntry(key); }
  getBlob(v: string) { return this.#inner.getBlob(v); }
  putBlob(v: string, bytes: Uint8Array) { this.#inner.putBlob(v, bytes); }
  hasBlob(v: string) { return this.#inner.hasBlob(v); }
  entries() { return this.#inner.entries(); }
  clear(filter?: { dataflow?: string; scope?: string; node?: string }) { return this.#inner.clear(filter); }

  putEntry(entry: CacheEntry): void {
    this.#inner.putEntry(entry);
    this.#queue = this.#queue.then(async () => {
      await putCacheEntry(this.#store, {
        cacheKey: entry.key, nodeName: entry.node, codeVersion: entry.codeVersion, dataVersion: entry.dataVersion,
        dataflowName: entry.dataflow, sourceId: entry.scope === null ? null : await this.#sourceId(entry.scope), sizeBytes: entry.sizeBytes,
      });
    }).catch((err) => { this.#error ??= err; });
  }

  async flush(): Promise<void> {
    await this.#inner.flush();
    await this.#queue;
    if (this.#error !== undefined) {
      const err = this.#error;
      this.#error = undefined;
      throw err;
    }
  }

  /** Entries are scoped by source name; the table keys them by the source's id. */
  #sourceId(scope: string): Promise<string | null> {
    let id = this.#sourceIds.get(scope);
    if (!id) {
      id = this.#store.db.selectFrom('sources').select('sourceId').where('name', '=', scope).executeTakeFirst().then((r) => r?.sourceId ?? null);
      this.#sourceIds.set(scope, id);
    }
    return id;
  }
}
