import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  deleteCacheEntries,
  finishRun,
  getCacheEntry,
  getRun,
  getSourceByName,
  lastRun,
  listCacheEntries,
  listRuns,
  listSources,
  putCacheEntry,
  recordNodeExecution,
  startRun,
  StoreError,
  upsertSource,
} from '../../store/index.ts';
import { DIALECTS, storeLifecycle } from './helpers.ts';

describe.each(DIALECTS)('repositories on %s', (dialect) => {
  const { ctx, setUp, tearDown } = storeLifecycle(dialect);
  beforeEach(setUp);
  afterEach(tearDown);

  describe('sources', () => {
    it('upserts by name, keeping the id and creation time', async () => {
      const first = await upsertSource(ctx.store, 'weather', 'csv', { path: 'seattle-weather.csv' });
      const second = await upsertSource(ctx.store, 'weather', 'parquet', { path: 'w.parquet', columns: ['date'] });
      expect(second).toMatchObject({ sourceId: first.sourceId, createdAt: first.createdAt, sourceType: 'parquet', connectionConfig: { path: 'w.parquet', columns: ['date'] } });
      expect(second.updatedAt >= first.updatedAt).toBe(true);
      await upsertSource(ctx.store, 'airports', 'csv', {});
      await upsertSource(ctx.store, 'Zoo', 'csv', {});
      expect((await listSources(ctx.store)).map((s) => s.name)).toEqual(['Zoo', 'airports', 'weather']);
      expect(await getSourceByName(ctx.store, 'weather')).toEqual(second);
      expect(await getSourceByName(ctx.store, 'nope')).toBeUndefined();
    });
  });

  describe('runs', () => {
    it('records a run and its node executions, upserting by node', async () => {
      const source = await upsertSource(ctx.store, 's', 'csv', {});
      const run = await startRun(ctx.store, { dataflowName: 'ingest', sourceId: source.sourceId, finalVars: ['contextDocument'], config: { parallelism: 2 }, startedAt: '2026-03-01T00:00:00Z' });
      expect(run).toMatchObject({ status: 'running', finishedAt: null, finalVars: ['contextDocument'], config: { parallelism: 2 }, startedAt: '2026-03-01T00:00:00.000Z' });

      await recordNodeExecution(ctx.store, { runId: run.runId, nodeName: 'profiling', status: 'failed', startedAt: '2026-03-01T00:00:02Z', durationMs: 5.5, errorMessage: 'boom' });
      await recordNodeExecution(ctx.store, { runId: run.runId, nodeName: 'staging', status: 'cached', startedAt: '2026-03-01T00:00:01Z', durationMs: 0.25, cacheKey: 'k' });
      await recordNodeExecution(ctx.store, { runId: run.runId, nodeName: 'typing', status: 'skipped' });
      const retried = await recordNodeExecution(ctx.store, { runId: run.runId, nodeName: 'profiling', status: 'done', startedAt: '2026-03-01T00:00:03Z', durationMs: 7 });
      expect(retried).toMatchObject({ status: 'done', errorMessage: null, cacheHit: false, durationMs: 7 });

      const finished = await finishRun(ctx.store, run.runId, { status: 'failed', errorMessage: 'typing skipped', finishedAt: '2026-03-01T00:00:04.5Z' });
      expect(finished).toMatchObject({ status: 'failed', errorMessage: 'typing skipped', finishedAt: '2026-03-01T00:00:04.500Z', durationMs: 4500 });

      const loaded = await getRun(ctx.store, run.runId);
      expect(loaded?.nodes.map((n) => [n.nodeName, n.status, n.cacheHit])).toEqual([
        ['staging', 'cached', true],
        ['profiling', 'done', false],
        ['typing', 'skipped', false],
      ]);
      expect(await getRun(ctx.store, crypto.randomUUID())).toBeUndefined();

      const again = await ctx.store.db.selectFrom('nodeExecutions').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
      expect(again.n).toBe(3);
    });

    it('lists runs newest first, filtered, and finds the last one', async () => {
      const a = await upsertSource(ctx.store, 'a', 'csv', {});
      const b = await upsertSource(ctx.store, 'b', 'csv', {});
      const runs = [];
      for (const [i, [dataflow, source]] of ([['ingest', a], ['ingest', b], ['report', a], ['ingest', a]] as const).entries()) {
        runs.push(await startRun(ctx.store, { dataflowName: dataflow, sourceId: source.sourceId, startedAt: new Date(Date.UTC(2026, 0, 1, i)) }));
      }
      expect((await listRuns(ctx.store, { dataflow: 'ingest' })).map((r) => r.runId)).toEqual([runs[3], runs[1], runs[0]].map((r) => r.runId));
      expect((await listRuns(ctx.store, { sourceId: a.sourceId, limit: 2 })).map((r) => r.runId)).toEqual([runs[3], runs[2]].map((r) => r.runId));
      await finishRun(ctx.store, runs[1].runId, { status: 'completed' });
      expect((await lastRun(ctx.store, { dataflow: 'ingest', status: 'completed' }))?.runId).toBe(runs[1].runId);
      expect((await lastRun(ctx.store, { sourceId: b.sourceId, dataflow: 'report' }))).toBeUndefined();
    });

    it('refuses unknown runs and sources, and finishing twice', async () => {
      const unknownSource = await startRun(ctx.store, { dataflowName: 'ingest', sourceId: crypto.randomUUID() }).catch((e: unknown) => e);
      expect(unknownSource).toBeInstanceOf(StoreError);
      expect((unknownSource as StoreError).message).toMatch(/upsertSource first/);
      const unknownRun = await recordNodeExecution(ctx.store, { runId: crypto.randomUUID(), nodeName: 'x', status: 'done' }).catch((e: unknown) => e);
      expect((unknownRun as StoreError).code).toBe('NOT_FOUND');
      const run = await startRun(ctx.store, { dataflowName: 'ingest' });
      await finishRun(ctx.store, run.runId, { status: 'pending_review' });
      await finishRun(ctx.store, run.runId, { status: 'completed' });
      const twice = await finishRun(ctx.store, run.runId, { status: 'failed' }).catch((e: unknown) => e);
      expect((twice as StoreError).message).toMatch(/already ended as 'completed'/);
      for (const id of [crypto.randomUUID(), 'run-42']) {
        expect(((await finishRun(ctx.store, id, { status: 'failed' }).catch((e: unknown) => e)) as StoreError).code).toBe('NOT_FOUND');
        expect(((await recordNodeExecution(ctx.store, { runId: id, nodeName: 'x', status: 'done' }).catch((e: unknown) => e)) as StoreError).code).toBe('NOT_FOUND');
        expect(await getRun(ctx.store, id)).toBeUndefined();
      }
      expect(((await startRun(ctx.store, { dataflowName: 'ingest', sourceId: 'by-name' }).catch((e: unknown) => e)) as StoreError).message).toMatch(/getSourceByName/);
      expect(await listRuns(ctx.store, { sourceId: 'by-name' })).toEqual([]);
    });

    it('deletes node executions with their run', async () => {
      const run = await startRun(ctx.store, { dataflowName: 'ingest' });
      await recordNodeExecution(ctx.store, { runId: run.runId, nodeName: 'a', status: 'done' });
      await ctx.store.db.deleteFrom('runs').execute();
      expect(await ctx.store.db.selectFrom('nodeExecutions').selectAll().execute()).toEqual([]);
    });
  });

  describe('cache entries', () => {
    it('puts, hits, lists and deletes', async () => {
      const put = await putCacheEntry(ctx.store, { cacheKey: 'k1', nodeName: 'profiling', codeVersion: 'c1', dataVersion: 'd1', dataflowName: 'ingest', sourceId: 's1', sizeBytes: 2 ** 35 });
      expect(put).toMatchObject({ hitCount: 0, lastHitAt: null, sizeBytes: 2 ** 35 });
      await putCacheEntry(ctx.store, { cacheKey: 'k2', nodeName: 'typing', codeVersion: 'c1', dataVersion: 'd1', dataflowName: 'ingest', sourceId: 's2' });
      await putCacheEntry(ctx.store, { cacheKey: 'k3', nodeName: 'profiling', codeVersion: 'c1', dataVersion: 'd2', dataflowName: 'other' });

      expect(await getCacheEntry(ctx.store, 'missing')).toBeUndefined();
      const first = await getCacheEntry(ctx.store, 'k1');
      const second = await getCacheEntry(ctx.store, 'k1');
      expect(first?.hitCount).toBe(1);
      expect(second?.hitCount).toBe(2);
      expect(second?.lastHitAt).toMatch(/Z$/);
      // Concurrent hits are all counted.
      await Promise.all([1, 2, 3, 4].map(() => getCacheEntry(ctx.store, 'k1')));
      expect((await getCacheEntry(ctx.store, 'k1'))?.hitCount).toBe(7);
      // Re-putting refreshes the entry but keeps its hit count.
      expect(await putCacheEntry(ctx.store, { cacheKey: 'k1', nodeName: 'profiling', codeVersion: 'c1', dataVersion: 'd1', sizeBytes: 10 })).toMatchObject({ hitCount: 7, sizeBytes: 10 });

      expect((await listCacheEntries(ctx.store, { nodeName: 'profiling' })).map((e) => e.cacheKey).sort()).toEqual(['k1', 'k3']);
      expect((await listCacheEntries(ctx.store, { dataflow: 'ingest' })).map((e) => e.cacheKey)).toEqual(['k2']);
      expect(await listCacheEntries(ctx.store, { limit: 2 })).toHaveLength(2);

      expect(await deleteCacheEntries(ctx.store, { sourceId: 's2' })).toEqual(['k2']);
      expect(await deleteCacheEntries(ctx.store, { dataflow: 'other', nodeName: 'typing' })).toEqual([]);
      expect(await deleteCacheEntries(ctx.store, {})).toEqual(['k1', 'k3']);
      expect(await listCacheEntries(ctx.store)).toEqual([]);
    });
  });
});

describe('two stores on one PostgreSQL database', () => {
  const { ctx, setUp, tearDown } = storeLifecycle('postgres');
  beforeEach(setUp);
  afterEach(tearDown);

  it('write their own sources concurrently without interfering', async () => {
    const other = await ctx.target.open();
    ctx.extra.push(other);
    const ingest = async (store: typeof other, name: string) => {
      const source = await upsertSource(store, name, 'csv', { name });
      const run = await startRun(store, { dataflowName: 'ingest', sourceId: source.sourceId });
      await store.transaction(async (trx) => {
        for (const layer of ['raw', 'typed'] as const) {
          const tableId = crypto.randomUUID();
          await trx.insertInto('tables').values({ tableId, sourceId: source.sourceId, tableName: 'data', layer }).execute();
          await trx
            .insertInto('columns')
            .values(Array.from({ length: 20 }, (_, i) => ({ columnId: crypto.randomUUID(), tableId, columnName: `c${i}`, columnPosition: i })))
            .execute();
        }
      });
      for (const node of ['staging', 'profiling', 'typing']) await recordNodeExecution(store, { runId: run.runId, nodeName: node, status: 'done' });
      await finishRun(store, run.runId, { status: 'completed' });
      return source.sourceId;
    };
    const [a, b] = await Promise.all([ingest(ctx.store, 'alpha'), ingest(other, 'beta')]);
    for (const sourceId of [a, b]) {
      const columns = await ctx.store.db.selectFrom('vColumnMetadata').select('columnName').where('sourceId', '=', sourceId).execute();
      expect(columns).toHaveLength(40);
      const run = await lastRun(other, { sourceId });
      expect((await getRun(ctx.store, run!.runId))?.nodes).toHaveLength(3);
      expect(run?.status).toBe('completed');
    }
  });
});
