/**
 * The on-disk cache: an append-only index (one JSON line per entry) and content-addressed blobs.
 * Small values live inline in their index line, so a first run costs one append per node rather
 * than one file per node; large ones get a file under blobs/. A torn last line (a crash mid-write)
 * is ignored on load: at worst that node is computed again.
 */
import { appendFileSync, existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { matchesFilter, type CacheEntry, type CacheStore } from './cache-store.ts';

const INLINE_MAX = 4096;
const FLUSH_EVERY_MS = 50;

interface IndexLine { k: string; n: string; c: string; d: string; f: string; s: string | null; z: number; t: string; v?: string }

export class FileCacheStore implements CacheStore {
  readonly dir: string;
  readonly #indexPath: string;
  readonly #entries = new Map<string, CacheEntry>();
  readonly #inline = new Map<string, string>();
  #pending: string[] = [];
  #lastFlush = 0;

  constructor(dir = '.dataraum/cache') {
    this.dir = dir;
    this.#indexPath = join(dir, 'index.jsonl');
    mkdirSync(join(dir, 'blobs'), { recursive: true });
    if (existsSync(this.#indexPath)) this.#load(readFileSync(this.#indexPath, 'utf8'));
  }

  #load(text: string) {
    for (const raw of text.split('\n')) {
      if (!raw) continue;
      let l: IndexLine;
      try {
        l = JSON.parse(raw);
      } catch {
        continue; // a torn write from an interrupted run
      }
      if (l.k === undefined) continue;
      if (l.d === '') { this.#entries.delete(l.k); continue; }
      this.#entries.set(l.k, { key: l.k, node: l.n, codeVersion: l.c, dataVersion: l.d, dataflow: l.f, scope: l.s, sizeBytes: l.z, createdAt: l.t });
      if (l.v !== undefined) this.#inline.set(l.d, l.v);
    }
  }

  getEntry(key: string) {
    return this.#entries.get(key);
  }

  putEntry(e: CacheEntry) {
    this.#entries.set(e.key, e);
    const line: IndexLine = { k: e.key, n: e.node, c: e.codeVersion, d: e.dataVersion, f: e.dataflow, s: e.scope, z: e.sizeBytes, t: e.createdAt };
    const inline = this.#inline.get(e.dataVersion);
    if (inline !== undefined) line.v = inline;
    this.#pending.push(JSON.stringify(line));
    const now = performance.now();
    if (now - this.#lastFlush > FLUSH_EVERY_MS) this.flush();
  }

  getBlob(v: string): Uint8Array | undefined {
    const inline = this.#inline.get(v);
    if (inline !== undefined) return Buffer.from(inline, 'base64');
    const path = this.#blobPath(v);
    return existsSync(path) ? readFileSync(path) : undefined;
  }

  hasBlob(v: string) {
    return this.#inline.has(v) || existsSync(this.#blobPath(v));
  }

  putBlob(v: string, bytes: Uint8Array) {
    if (bytes.byteLength <= INLINE_MAX) {
      this.#inline.set(v, Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64'));
      return;
    }
    const path = this.#blobPath(v);
    if (existsSync(path)) return;
    mkdirSync(join(this.dir, 'blobs', v.slice(0, 2)), { recursive: true });
    const tmp = `${path}.${process.pid}.tmp`;
    writeFileSync(tmp, bytes);
    renameSync(tmp, path); // atomic: a reader never sees half a value
  }

  entries() {
    return [...this.#entries.values()];
  }

  flush() {
    this.#lastFlush = performance.now();
    if (!this.#pending.length) return;
    const text = this.#pending.join('\n') + '\n';
    this.#pending = [];
    appendFileSync(this.#indexPath, text);
  }

  clear(filter: { dataflow?: string; scope?: string; node?: string } = {}): number {
    this.flush();
    let n = 0;
    for (const [k, e] of this.#entries) if (matchesFilter(e, filter)) { this.#entries.delete(k); n++; }
    const live = new Set([...this.#entries.values()].map((e) => e.dataVersion));
    for (const v of [...this.#inline.keys()]) if (!live.has(v)) this.#inline.delete(v);
    const lines = [...this.#entries.values()].map((e) => {
      const line: IndexLine = { k: e.key, n: e.node, c: e.codeVersion, d: e.dataVersion, f: e.dataflow, s: e.scope, z: e.sizeBytes, t: e.createdAt };
      const inline = this.#inline.get(e.dataVersion);
      if (inline !== undefined) line.v = inline;
      return JSON.stringify(line) + '\n';
    });
    const tmp = `${this.#indexPath}.${process.pid}.tmp`;
    writeFileSync(tmp, lines.join(''));
    renameSync(tmp, this.#indexPath);
    const blobs = join(this.dir, 'blobs');
    for (const sub of existsSync(blobs) ? readdirSync(blobs) : []) {
      for (const f of readdirSync(join(blobs, sub))) {
        if (!live.has(f.replace(/\.bin$/, ''))) rmSync(join(blobs, sub, f), { force: true });
      }
    }
    return n;
  }

  #blobPath(v: string) {
    return join(this.dir, 'blobs', v.slice(0, 2), `${v}.bin`);
  }
}
