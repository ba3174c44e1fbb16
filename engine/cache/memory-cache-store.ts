import { matchesFilter, type CacheEntry, type CacheStore } from './cache-store.ts';

/** Process-local cache: for notebooks and tests, and to measure the cache's own overhead. */
export class MemoryCacheStore implements CacheStore {
  readonly #entries = new Map<string, CacheEntry>();
  readonly #blobs = new Map<string, Uint8Array>();

  getEntry(key: string) { return this.#entries.get(key); }
  putEntry(entry: CacheEntry) { this.#entries.set(entry.key, entry); }
  getBlob(v: string) { return this.#blobs.get(v); }
  putBlob(v: string, bytes: Uint8Array) { this.#blobs.set(v, bytes); }
  hasBlob(v: string) { return this.#blobs.has(v); }
  entries() { return [...this.#entries.values()]; }
  flush() {}

  clear(filter: { dataflow?: string; scope?: string; node?: string } = {}): number {
    let n = 0;
    for (const [k, e] of this.#entries) if (matchesFilter(e, filter)) { this.#entries.delete(k); n++; }
    const live = new Set([...this.#entries.values()].map((e) => e.dataVersion));
    for (const v of this.#blobs.keys()) if (!live.has(v)) this.#blobs.delete(v);
    return n;
  }
}
