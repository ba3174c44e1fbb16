import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Builder, CheckpointError } from '../../engine/index.ts';
import { DurableCheckpointStore, getCheckpoint, listPendingReviews, upsertSource } from '../../store/index.ts';
// The engine's own test dataflow: prices -> stats -> review (gate 'price_review') -> report.
import shop from '../engine/fixtures/shop-manifest.ts';
import { DIALECTS, storeLifecycle } from './helpers.ts';

describe.each(DIALECTS)('the engine pausing and resuming through the store on %s', (dialect) => {
  const { ctx, setUp, tearDown } = storeLifecycle(dialect);
  beforeEach(setUp);
  afterEach(tearDown);

  it('pauses at a gate, survives closing the store, and resumes once from a new store', async () => {
    const source = await upsertSource(ctx.store, 'prices', 'csv', {});
    const driver = await Builder().withDataflow(shop).withConfig({ region: 'eu' }).withCheckpointStore(new DurableCheckpointStore(ctx.store)).build();
    const paused = await driver.run(['report'], { inputs: { rawPrices: [60, 70] }, sourceId: 'prices' });
    expect(paused.status).toBe('pending_review');
    if (paused.status !== 'pending_review') return;
    const { checkpointId } = paused.checkpoint;

    const stored = await getCheckpoint(ctx.store, checkpointId);
    expect(stored).toMatchObject({ status: 'pending_review', checkpointType: 'price_review', dataflowName: 'shop', sourceId: source.sourceId });
    expect(stored?.items).toMatchObject([{ itemId: 'total', reviewType: 'price_review', contextData: { total: 130, count: 2 }, suggestedAction: { approved: true, limit: 130 } }]);
    expect(await listPendingReviews(ctx.store, { sourceId: source.sourceId })).toHaveLength(1);

    // As another process would: a new store on the same database, a new driver.
    await ctx.store.close();
    ctx.store = await ctx.target.open();
    const later = await Builder().withDataflow(shop).withConfig({ region: 'eu' }).withCheckpointStore(new DurableCheckpointStore(ctx.store)).build();
    const done = await later.resume(checkpointId, { approved: false, limit: 130 });
    expect(done.status).toBe('completed');
    if (done.status !== 'completed') return;
    expect(done.values).toEqual({ report: '130 EUR (limit 130, rejected)' });
    expect(await getCheckpoint(ctx.store, checkpointId)).toMatchObject({ status: 'completed', resultSummary: { status: 'completed' } });

    await expect(later.resume(checkpointId, { approved: true, limit: 1 })).rejects.toThrow(CheckpointError);
    await expect(later.resume('no-such-id', {})).rejects.toThrow(/does not exist/);
  });

  it('stores a checkpoint whose scope names no source with a NULL source, and reports store errors as CheckpointError', async () => {
    const checkpoints = new DurableCheckpointStore(ctx.store);
    const id = await checkpoints.create({
      dataflowName: 'shop',
      sourceId: 'not a registered source',
      checkpointType: 'price_review',
      state: { dataflow: 'shop', finalVars: ['report'], gate: 'review', values: '', resupply: [], config: {}, runId: crypto.randomUUID() },
      items: [{ itemId: 'a' }, { itemId: 'b', context: { n: 1 } }],
    });
    const stored = await checkpoints.get(id);
    expect(stored?.items).toEqual([{ itemId: 'a', reviewType: 'price_review' }, { itemId: 'b', reviewType: 'price_review', context: { n: 1 } }]);
    expect((await getCheckpoint(ctx.store, id))?.sourceId).toBeNull();
    await expect(checkpoints.complete(id, {})).rejects.toThrow(CheckpointError);
    await checkpoints.beginResume(id);
    await expect(checkpoints.beginResume(id)).rejects.toThrow(/already 'approved'/);
    await checkpoints.fail(id, 'boom');
    expect((await checkpoints.get(id))?.status).toBe('failed');
  });
});
