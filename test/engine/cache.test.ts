import { appendFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Builder, FileCacheStore, MemoryCacheStore, PersistentCache, defineManifest, type ManifestNode } from '../../engine/index.ts';

const tmp = () => join(mkdtempSync(join(tmpdir(), 'dataraum-cache-')), 'cache');

/** A small dataflow whose code versions can be "edited" and whose executions are counted. */
function dataflow(versions: Record<string, string> = {}, cache: Partial<Record<string, ManifestNode['cache']>> = {}) {
  const calls: Record<string, number> = {};
  const hit = (n: string) => { calls[n] = (calls[n] ?? 0) + 1; };
  class Connection { constructor(readonly url: string) {} }
  const fns: Record<string, Function> = {
    conn: (url: string) => { hit('conn'); return new Connection(url); },
    raw: async (conn: Connection) => { hit('raw'); await new Promise((r) => setTimeout(r, 1)); return [3, 1, 2].map((x) => x + conn.url.length * 0); },
    sorted: (raw: number[]) => { hit('sorted'); return [...raw].sort(); },
    stats: (sorted: number[]) => { hit('stats'); return { when: new Date(Date.UTC(2024, 0, 1)), big: 2n ** 70n, counts: new Map([['n', sorted.length]]), data: Float64Array.from(sorted) }; },
    report: (stats: { counts: Map<string, number> }, title = 'Report') => { hit('report'); return `${title}: ${stats.counts.get('n')}`; },
    other: (raw: number[]) => { hit('other'); return raw.length; },
  };
  const deps: Record<string, string[]> = { conn: ['url'], raw: ['conn'], sorted: ['raw'], stats: ['sorted'], report: ['stats', 'title'], other: ['raw'] };
  const nodes: ManifestNode[] = [
    { name: 'url', kind: 'input', module: '', fn: '', deps: [], type: 'string', doc: '', tags: {}, checks: [], when: [], codeVersion: '', cache: 'default', async: false },
    { name: 'title', kind: 'input', module: '', fn: '', deps: [], type: 'string', doc: '', tags: {}, checks: [], when: [], codeVersion: '', cache: 'default', async: false },
    ...Object.keys(fns).map((name): ManifestNode => ({
      name, kind: 'function', module: 'm', fn: name, deps: deps[name].map((d) => ({ name: d, param: d, optional: d === 'title', type: '' })),
      type: '', doc: '', tags: {}, checks: [], when: [], codeVersion: versions[name] ?? 'v1', cache: cache[name] ?? (name === 'conn' ? 'ignore' : 'default'), async: name === 'raw',
    })),
  ];
  return { calls, manifest: defineManifest({ version: 1, dataflow: 'cached', nodes }, async () => fns) };
}

describe('persistent cache', () => {
  it('re-running an unchanged dataflow recomputes nothing, in a new driver over the same directory', async () => {
    const dir = tmp();
    const first = dataflow();
    const dr1 = await Builder().withDataflow(first.manifest).withCache(new PersistentCache({ store: new FileCacheStore(dir) })).build();
    const out1 = await dr1.execute(['report', 'stats'], { inputs: { url: 'db://x' } });
    expect(first.calls).toEqual({ conn: 1, raw: 1, sorted: 1, stats: 1, report: 1 });

    const second = dataflow();
    const dr2 = await Builder().withDataflow(second.manifest).withCache(new PersistentCache({ store: new FileCacheStore(dir) })).build();
    const res = await dr2.run(['report', 'stats'], { inputs: { url: 'db://x' } });
    expect(res.status).toBe('completed');
    // The connection is a resource (`ignore`): it is recreated, everything else is a hit.
    expect(second.calls).toEqual({ conn: 1 });
    expect(res.nodes.filter((n) => n.cacheHit).map((n) => n.node).sort()).toEqual(['raw', 'report', 'sorted', 'stats']);
    // Date, bigint, Map and typed arrays survive the round trip.
    if (res.status === 'completed') expect(res.values).toEqual(out1);
  });

  it('editing one node recomputes it and its downstream only', async () => {
    const store = new MemoryCacheStore();
    const a = dataflow();
    await (await Builder().withDataflow(a.manifest).withCache(new PersistentCache({ store })).build()).execute(['report', 'other'], { inputs: { url: 'u' } });
    const b = dataflow({ sorted: 'v2' });
    await (await Builder().withDataflow(b.manifest).withCache(new PersistentCache({ store })).build()).execute(['report', 'other'], { inputs: { url: 'u' } });
    // sorted changed; it returns the same value, so stats' inputs are unchanged: stats and report hit.
    expect(b.calls).toEqual({ conn: 1, sorted: 1 });
    const c = dataflow({ raw: 'v2' });
    await (await Builder().withDataflow(c.manifest).withCache(new PersistentCache({ store })).build()).execute(['report', 'other'], { inputs: { url: 'u' } });
    expect(c.calls).toEqual({ conn: 1, raw: 1 });
  });

  it('a changed input recomputes what depends on it; an optional input changes the key too', async () => {
    const store = new MemoryCacheStore();
    const run = async (inputs: Record<string, unknown>) => {
      const d = dataflow();
      await (await Builder().withDataflow(d.manifest).withCache(new PersistentCache({ store })).build()).execute(['report'], { inputs });
      return d.calls;
    };
    await run({ url: 'u' });
    expect(await run({ url: 'u', title: 'Other' })).toEqual({ conn: 1, report: 1 });
    expect(await run({ url: 'u', title: 'Other' })).toEqual({ conn: 1 });
  });

  it('only reads the values it needs on an all-hit run', async () => {
    let reads = 0;
    class CountingStore extends MemoryCacheStore {
      override getBlob(v: string) { reads++; return super.getBlob(v); }
    }
    const store = new CountingStore();
    for (let k = 0; k < 2; k++) {
      await (await Builder().withDataflow(dataflow().manifest).withCache(new PersistentCache({ store })).build()).execute(['report'], { inputs: { url: 'u' } });
    }
    expect(reads).toBe(1); // just `report`
  });

  it('honours recompute, disable and ignore behaviours (builder overrides)', async () => {
    const store = new MemoryCacheStore();
    const build = (d: ReturnType<typeof dataflow>) => Builder().withDataflow(d.manifest).withCache(new PersistentCache({ store })).withCacheBehavior({ stats: 'recompute', other: 'disable' }).build();
    await (await build(dataflow())).execute(['report', 'other'], { inputs: { url: 'u' } });
    const d = dataflow();
    await (await build(d)).execute(['report', 'other'], { inputs: { url: 'u' } });
    expect(d.calls).toEqual({ conn: 1, stats: 1, other: 1 });
    expect(store.entries().map((e) => e.node).sort()).toEqual(['raw', 'report', 'sorted', 'stats']);
  });

  it('names the node whose value cannot be stored', async () => {
    const d = dataflow({}, { conn: 'default' });
    const dr = await Builder().withDataflow(d.manifest).withCache(new PersistentCache({ store: new MemoryCacheStore() })).build();
    await expect(dr.execute(['raw'], { inputs: { url: 'u' } })).rejects.toThrow(/The value of 'conn' can't be stored: \(root\) is an instance of Connection. Mark the node '@cache ignore'/);
  });

  it('survives a torn index line from an interrupted run, and clears by filter', async () => {
    const dir = tmp();
    await (await Builder().withDataflow(dataflow().manifest).withCache(new PersistentCache({ store: new FileCacheStore(dir) })).build()).execute(['report'], { inputs: { url: 'u' } });
    appendFileSync(join(dir, 'index.jsonl'), '{"k":"torn-li');
    const store = new FileCacheStore(dir);
    expect(store.entries()).toHaveLength(4);
    const d = dataflow();
    await (await Builder().withDataflow(d.manifest).withCache(new PersistentCache({ store })).build()).execute(['report'], { inputs: { url: 'u' } });
    expect(d.calls).toEqual({ conn: 1 });
    expect(store.clear({ node: 'report' })).toBe(1);
    expect(new FileCacheStore(dir).entries()).toHaveLength(3);
    expect(store.clear()).toBe(3);
    expect(new FileCacheStore(dir).entries()).toHaveLength(0);
  });
});

describe('resources in cache keys', () => {
  it('version a resource by its recipe: a changed resource input recomputes its consumers', async () => {
    const store = new MemoryCacheStore();
    const run = async (url: string) => {
      const d = dataflow();
      await (await Builder().withDataflow(d.manifest).withCache(new PersistentCache({ store })).build()).execute(['raw'], { inputs: { url } });
      return d.calls;
    };
    expect(await run('db://a')).toEqual({ conn: 1, raw: 1 });
    expect(await run('db://a')).toEqual({ conn: 1 }); // same recipe: raw is a hit
    expect(await run('db://b')).toEqual({ conn: 1, raw: 1 }); // another database: raw recomputes
  });
});
