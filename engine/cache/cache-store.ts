/**
 * Where the persistent cache keeps its entries and values. Values are content-addressed: the
 * data version of a value is the hash of its serialized bytes, and its blob is stored under it.
 */

export interface CacheEntry {
  /** node + code version + the data versions of its inputs. */
  readonly key: string;
  readonly node: string;
  readonly codeVersion: string;
  /** Content hash of the serialized value. */
  readonly dataVersion: string;
  readonly dataflow: string;
  /** What the run was about (e.g. the source name), for `reset --source`. */
  readonly scope: string | null;
  readonly sizeBytes: number;
  /** ISO timestamp. */
  readonly createdAt: string;
}

export interface CacheStore {
  getEntry(key: string): CacheEntry | undefined;
  putEntry(entry: CacheEntry): void;
  getBlob(dataVersion: string): Uint8Array | undefined;
  putBlob(dataVersion: string, bytes: Uint8Array): void;
  hasBlob(dataVersion: string): boolean;
  entries(): CacheEntry[];
  /** Drops entries matching the filter (all when empty) and values no entry refers to any more. Returns how many entries went. */
  clear(filter?: { dataflow?: string; scope?: string; node?: string }): number;
  /** Makes writes durable (the file store appends asynchronously). */
  flush(): void | Promise<void>;
}

export function matchesFilter(e: CacheEntry, f: { dataflow?: string; scope?: string; node?: string }): boolean {
  return (f.dataflow === undefined || e.dataflow === f.dataflow) && (f.scope === undefined || e.scope === f.scope) && (f.node === undefined || e.node === f.node);
}
