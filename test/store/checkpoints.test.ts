import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  beginResume,
  completeCheckpoint,
  createCheckpoint,
  failCheckpoint,
  getCheckpoint,
  listPendingReviews,
  reviewItem,
  startRun,
  StoreError,
  supersedeCheckpoints,
  upsertSource,
  type Store,
} from '../../store/index.ts';
import { DIALECTS, storeLifecycle } from './helpers.ts';

function typeReview(store: Store, sourceId?: string) {
  return createCheckpoint(store, {
    dataflowName: 'ingest',
    sourceId,
    checkpointType: 'type_review',
    state: { completed: ['staging', 'profiling'], values: { rows: 3 } },
    items: ['flights.delay', 'flights.date', 'airports.lat'].map((itemId, i) => ({
      reviewType: 'type_review',
      itemId,
      contextData: { samples: ['1', 'x'], confidence: 0.5 + i / 10 },
      suggestedAction: { type: i === 1 ? 'TIMESTAMP' : 'INTEGER' },
    })),
  });
}

async function storeError(promise: Promise<unknown>): Promise<StoreError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(StoreError);
  return error as StoreError;
}

describe.each(DIALECTS)('checkpoints and review queue on %s', (dialect) => {
  const { ctx, setUp, tearDown } = storeLifecycle(dialect);
  beforeEach(setUp);
  afterEach(tearDown);

  it('creates a pending checkpoint with one pending review per item, in order', async () => {
    const source = await upsertSource(ctx.store, 'vega', 'csv', {});
    const cp = await typeReview(ctx.store, source.sourceId);
    expect(cp).toMatchObject({ status: 'pending_review', checkpointType: 'type_review', sourceId: source.sourceId, resumedAt: null });
    expect(cp.checkpointState).toEqual({ completed: ['staging', 'profiling'], values: { rows: 3 } });
    expect(cp.items.map((i) => [i.itemId, i.status, i.position])).toEqual([
      ['flights.delay', 'pending', 0],
      ['flights.date', 'pending', 1],
      ['airports.lat', 'pending', 2],
    ]);
    expect(cp.items[1].suggestedAction).toEqual({ type: 'TIMESTAMP' });
    expect(await getCheckpoint(ctx.store, cp.checkpointId)).toEqual(cp);
    expect(await getCheckpoint(ctx.store, crypto.randomUUID())).toBeUndefined();
  });

  it('is all or nothing: a bad item leaves no checkpoint behind', async () => {
    const duplicate = await storeError(
      createCheckpoint(ctx.store, { dataflowName: 'ingest', checkpointType: 't', state: {}, items: [{ reviewType: 't', itemId: 'a' }, { reviewType: 't', itemId: 'a' }] }),
    );
    expect(duplicate.code).toBe('CONFLICT');
    const missingSource = await storeError(
      createCheckpoint(ctx.store, { dataflowName: 'ingest', sourceId: crypto.randomUUID(), checkpointType: 't', state: {}, items: [{ reviewType: 't', itemId: 'a' }] }),
    );
    expect(missingSource.code).toBe('NOT_FOUND');
    // An item that fails inside the transaction (NOT NULL review_type) rolls back the checkpoint.
    await expect(
      createCheckpoint(ctx.store, { dataflowName: 'ingest', checkpointType: 't', state: {}, items: [{ reviewType: null as unknown as string, itemId: 'a' }] }),
    ).rejects.toThrow();
    expect(await ctx.store.db.selectFrom('checkpoints').selectAll().execute()).toEqual([]);
    expect(await ctx.store.db.selectFrom('reviewQueue').selectAll().execute()).toEqual([]);
  });

  it('joins a surrounding transaction: rolled back with it', async () => {
    const error = await ctx.store
      .transaction(async (trx) => {
        await typeReview({ ...ctx.store, db: trx });
        throw new Error('the gate failed after storing its checkpoint');
      })
      .catch((e: unknown) => e);
    expect((error as Error).message).toMatch(/gate failed/);
    expect(await ctx.store.db.selectFrom('checkpoints').selectAll().execute()).toEqual([]);
    expect(await ctx.store.db.selectFrom('reviewQueue').selectAll().execute()).toEqual([]);
  });

  it('lists pending reviews by checkpoint and by source', async () => {
    const a = await upsertSource(ctx.store, 'a', 'csv', {});
    const b = await upsertSource(ctx.store, 'b', 'csv', {});
    const cpA = await typeReview(ctx.store, a.sourceId);
    const cpB = await typeReview(ctx.store, b.sourceId);
    await reviewItem(ctx.store, cpA.items[0].reviewId, { status: 'approved', reviewedBy: 'ana' });
    expect((await listPendingReviews(ctx.store, { checkpointId: cpA.checkpointId })).map((r) => r.itemId)).toEqual(['flights.date', 'airports.lat']);
    expect((await listPendingReviews(ctx.store, { sourceId: b.sourceId })).map((r) => r.reviewId)).toEqual(cpB.items.map((i) => i.reviewId));
    expect(await listPendingReviews(ctx.store)).toHaveLength(5);
    // Items of a checkpoint that was resumed no longer wait for anyone.
    await beginResume(ctx.store, cpB.checkpointId);
    expect(await listPendingReviews(ctx.store)).toHaveLength(2);
  });

  it('records approve, reject and modify answers', async () => {
    const cp = await typeReview(ctx.store);
    const [delay, date, lat] = cp.items;
    const approved = await reviewItem(ctx.store, delay.reviewId, { status: 'approved', reviewedBy: 'ana', checkpointId: cp.checkpointId });
    expect(approved).toMatchObject({ status: 'approved', reviewedBy: 'ana', reviewNotes: null, modifiedAction: null });
    expect(approved.reviewedAt).toMatch(/Z$/);
    expect(await reviewItem(ctx.store, date.reviewId, { status: 'rejected', reviewedBy: 'bo', notes: 'keep as text' })).toMatchObject({ status: 'rejected', reviewNotes: 'keep as text' });
    const modified = await reviewItem(ctx.store, lat.reviewId, { status: 'modified', reviewedBy: 'ana', modifiedAction: { type: 'DOUBLE' } });
    expect(modified.modifiedAction).toEqual({ type: 'DOUBLE' });
    expect(modified.suggestedAction).toEqual({ type: 'INTEGER' });
  });

  it('refuses bad reviews with clear errors and changes nothing', async () => {
    const cp = await typeReview(ctx.store);
    const other = await typeReview(ctx.store);
    const item = cp.items[0];
    const snapshot = async () => ctx.store.db.selectFrom('reviewQueue').selectAll().orderBy('reviewId').execute();
    const before = await snapshot();

    const unknown = await storeError(reviewItem(ctx.store, crypto.randomUUID(), { status: 'approved', reviewedBy: 'x' }));
    expect(unknown.code).toBe('NOT_FOUND');
    const wrong = await storeError(reviewItem(ctx.store, item.reviewId, { status: 'approved', reviewedBy: 'x', checkpointId: other.checkpointId }));
    expect(wrong.code).toBe('CONFLICT');
    expect(wrong.message).toContain(`belongs to checkpoint ${cp.checkpointId}`);
    const noAction = await storeError(reviewItem(ctx.store, item.reviewId, { status: 'modified', reviewedBy: 'x' }));
    expect(noAction.message).toMatch(/without a modifiedAction/);
    expect(await snapshot()).toEqual(before);

    await reviewItem(ctx.store, item.reviewId, { status: 'approved', reviewedBy: 'ana' });
    const afterFirst = await snapshot();
    const twice = await storeError(reviewItem(ctx.store, item.reviewId, { status: 'rejected', reviewedBy: 'bo' }));
    expect(twice.code).toBe('INVALID_STATE');
    expect(twice.message).toMatch(/already approved by ana/);
    expect(await snapshot()).toEqual(afterFirst);
    // replace: a later answer overwrites the earlier one while the checkpoint waits
    const replaced = await reviewItem(ctx.store, item.reviewId, { status: 'modified', reviewedBy: 'bo', modifiedAction: { type: 'BIGINT' }, replace: true });
    expect(replaced).toMatchObject({ status: 'modified', reviewedBy: 'bo', modifiedAction: { type: 'BIGINT' } });

    await beginResume(ctx.store, cp.checkpointId);
    const late = await storeError(reviewItem(ctx.store, cp.items[1].reviewId, { status: 'approved', reviewedBy: 'bo' }));
    expect(late.message).toMatch(/is 'approved', no longer waiting for review/);
    const lateReplace = await storeError(reviewItem(ctx.store, item.reviewId, { status: 'approved', reviewedBy: 'cy', replace: true }));
    expect(lateReplace.message).toMatch(/is 'approved', no longer waiting for review/);
  });

  it('moves pending_review -> approved -> completed, once', async () => {
    const cp = await typeReview(ctx.store);
    const early = await storeError(completeCheckpoint(ctx.store, cp.checkpointId, {}));
    expect(early.message).toMatch(/Call beginResume first/);

    const resumed = await beginResume(ctx.store, cp.checkpointId);
    expect(resumed.status).toBe('approved');
    expect(resumed.resumedAt).toMatch(/Z$/);
    expect(resumed.items).toHaveLength(3);

    const again = await storeError(beginResume(ctx.store, cp.checkpointId));
    expect(again.code).toBe('INVALID_STATE');
    expect(again.message).toMatch(/already 'approved' \(resumed at .*\)\. A checkpoint resumes once/);

    const done = await completeCheckpoint(ctx.store, cp.checkpointId, { nodes: 4, tables: ['typed_flights'] });
    expect(done).toMatchObject({ status: 'completed', resultSummary: { nodes: 4, tables: ['typed_flights'] } });
    expect(done.completedAt).toMatch(/Z$/);
    expect((await storeError(beginResume(ctx.store, cp.checkpointId))).message).toMatch(/already 'completed'/);
    expect((await storeError(failCheckpoint(ctx.store, cp.checkpointId, 'late'))).code).toBe('INVALID_STATE');

    for (const id of [crypto.randomUUID(), 'not-a-uuid']) {
      expect((await storeError(beginResume(ctx.store, id))).code).toBe('NOT_FOUND');
      expect((await storeError(completeCheckpoint(ctx.store, id, {}))).code).toBe('NOT_FOUND');
      expect((await storeError(reviewItem(ctx.store, id, { status: 'approved', reviewedBy: 'x' }))).code).toBe('NOT_FOUND');
      expect(await getCheckpoint(ctx.store, id)).toBeUndefined();
      expect(await listPendingReviews(ctx.store, { checkpointId: id })).toEqual([]);
    }
  });

  it('fails a waiting or resuming checkpoint, and a failed one cannot resume', async () => {
    const waiting = await typeReview(ctx.store);
    expect(await failCheckpoint(ctx.store, waiting.checkpointId, 'source changed')).toMatchObject({ status: 'failed', errorMessage: 'source changed' });
    expect((await storeError(beginResume(ctx.store, waiting.checkpointId))).message).toMatch(/already 'failed'/);

    const resuming = await typeReview(ctx.store);
    await beginResume(ctx.store, resuming.checkpointId);
    expect(await failCheckpoint(ctx.store, resuming.checkpointId, 'node typeResolution failed')).toMatchObject({ status: 'failed' });
  });

  it("supersedes a source's waiting checkpoints when a later run starts, and ends the runs paused at them", async () => {
    const [orders, other] = [await upsertSource(ctx.store, 'orders', 'csv', {}), await upsertSource(ctx.store, 'other', 'csv', {})];
    const paused = async (sourceId: string, dataflowName = 'ingest') => {
      const run = await startRun(ctx.store, { dataflowName, sourceId });
      await ctx.store.db.updateTable('runs').set({ status: 'pending_review', durationMs: 42 }).where('runId', '=', run.runId).execute();
      const cp = await createCheckpoint(ctx.store, { dataflowName, sourceId, checkpointType: 'type_review', state: { runId: run.runId }, items: [{ reviewType: 'type_review', itemId: 'orders.dt' }] });
      return { runId: run.runId, cp };
    };
    const first = await paused(orders.sourceId);
    const second = await paused(orders.sourceId);
    const resuming = await paused(orders.sourceId);
    await beginResume(ctx.store, resuming.cp.checkpointId);
    const otherSource = await paused(other.sourceId);
    const otherDataflow = await paused(orders.sourceId, 'weather');
    await reviewItem(ctx.store, first.cp.items[0].reviewId, { status: 'approved', reviewedBy: 'ana' });

    const byRunId = crypto.randomUUID();
    expect(await supersedeCheckpoints(ctx.store, { sourceId: orders.sourceId, dataflowName: 'ingest', byRunId })).toEqual([first.cp.checkpointId, second.cp.checkpointId]);

    const cp = (await getCheckpoint(ctx.store, first.cp.checkpointId))!;
    expect(cp).toMatchObject({ status: 'superseded', resultSummary: { supersededBy: byRunId }, errorMessage: expect.stringContaining(`superseded by run ${byRunId}`) });
    expect(cp.completedAt).toMatch(/Z$/);
    // The answers stay as given; the checkpoint no longer waits for them.
    expect(cp.items.map((i) => i.status)).toEqual(['approved']);
    const resume = await storeError(beginResume(ctx.store, first.cp.checkpointId));
    expect(resume.code).toBe('INVALID_STATE');
    expect(resume.message).toContain(`it was superseded by run ${byRunId}`);
    expect((await storeError(reviewItem(ctx.store, second.cp.items[0].reviewId, { status: 'approved', reviewedBy: 'bo' }))).message).toMatch(/is 'superseded', no longer waiting for review/);
    expect((await listPendingReviews(ctx.store, { sourceId: orders.sourceId })).map((r) => r.checkpointId)).toEqual([otherDataflow.cp.checkpointId]);

    const runs = new Map((await ctx.store.db.selectFrom('runs').select(['runId', 'status', 'errorMessage', 'durationMs']).execute()).map((r) => [r.runId, r]));
    for (const { runId, cp: c } of [first, second]) {
      expect(runs.get(runId)).toMatchObject({ status: 'failed', durationMs: 42, errorMessage: `superseded by run ${byRunId}: its review checkpoint ${c.checkpointId} can no longer be resumed` });
    }
    // A resume that claimed its checkpoint first, another source and another dataflow are left alone.
    expect((await getCheckpoint(ctx.store, resuming.cp.checkpointId))!.status).toBe('approved');
    for (const left of [resuming, otherSource, otherDataflow]) expect(runs.get(left.runId)!.status).toBe('pending_review');
    for (const left of [otherSource, otherDataflow]) expect((await getCheckpoint(ctx.store, left.cp.checkpointId))!.status).toBe('pending_review');

    // Nothing left to supersede: a no-op.
    expect(await supersedeCheckpoints(ctx.store, { sourceId: orders.sourceId, dataflowName: 'ingest', byRunId: crypto.randomUUID() })).toEqual([]);
    expect((await getCheckpoint(ctx.store, first.cp.checkpointId))!.resultSummary).toEqual({ supersededBy: byRunId });
  });

  it('lets exactly one of many concurrent resumes win', async () => {
    const cp = await typeReview(ctx.store);
    // On PostgreSQL each resume runs on its own store (own pool, own connections) so they truly race.
    const racers = dialect === 'postgres' ? await Promise.all([1, 2, 3, 4, 5].map(() => ctx.target.open())) : [];
    ctx.extra.push(...racers);
    const stores = dialect === 'postgres' ? racers : [ctx.store, ctx.store, ctx.store, ctx.store, ctx.store];
    const outcomes = await Promise.allSettled(stores.map((s) => beginResume(s, cp.checkpointId)));
    const won = outcomes.filter((o) => o.status === 'fulfilled');
    const lost = outcomes.filter((o): o is PromiseRejectedResult => o.status === 'rejected');
    expect(won).toHaveLength(1);
    expect(lost).toHaveLength(4);
    for (const l of lost) expect((l.reason as StoreError).code).toBe('INVALID_STATE');
  });
});
