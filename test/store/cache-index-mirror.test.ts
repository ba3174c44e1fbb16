import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Builder, MemoryCacheStore, PersistentCache } from '../../engine/index.ts';
import { CacheIndexMirror, deleteCacheEntries, listCacheEntries, openStore, upsertSource } from '../../store/index.ts';

describe('CacheIndexMirror', () => {
  it('records every new cache entry in cache_entries, keyed by the source id, without changing hits', async () => {
    const store = await openStore({ sqlitePath: join(mkdtempSync(join(tmpdir(), 'dataraum-mirror-')), 'm.sqlite') });
    try {
      const source = await upsertSource(store, 'shop', 'csv', { path: 'shop.csv' });
      const values = new MemoryCacheStore();
      let calls = 0;
      const build = () => Builder().withFunctions({ a: () => { calls++; return [1, 2, 3]; }, b: (a: number[]) => { calls++; return a.length; } })
        .withName('mirrored').withCache(new PersistentCache({ store: new CacheIndexMirror(values, store) })).build();
      await (await build()).execute(['b'], { sourceId: 'shop' });
      const rows = await listCacheEntries(store, {});
      expect(rows.map((r) => r.nodeName).sort()).toEqual(['a', 'b']);
      expect(rows.every((r) => r.sourceId === source.sourceId && r.dataflowName === 'mirrored')).toBe(true);
      expect(rows.map((r) => r.cacheKey).sort()).toEqual(values.entries().map((e) => e.key).sort());

      await (await build()).execute(['b'], { sourceId: 'shop' });
      expect(calls).toBe(2); // the second run was all hits
      expect(await deleteCacheEntries(store, { sourceId: source.sourceId })).toHaveLength(2);
    } finally {
      await store.close();
    }
  });
});
