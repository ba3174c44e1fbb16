import { describe, expect, expectTypeOf, it } from 'vitest';
import { Builder, CheckFailedError, CheckpointError, MemoryCheckpointStore } from '../../engine/index.ts';
import shop from './fixtures/shop-manifest.ts';
import { executions } from './fixtures/shop.ts';

const reset = () => { for (const k of Object.keys(executions)) delete executions[k]; };

describe('drivers built from a manifest', () => {
  it('types results by the manifest and resolves @when variants by config', async () => {
    const eu = await Builder().withDataflow(shop).withConfig({ region: 'eu' }).build();
    const out = await eu.execute(['label', 'count'], { inputs: { rawPrices: [1.005, 2] } });
    expectTypeOf(out.label).toEqualTypeOf<string>();
    expectTypeOf(out.count).toEqualTypeOf<number>();
    expect(out).toEqual({ label: '3 EUR', count: 2 });
    const us = await Builder().withDataflow(shop).withConfig({ region: 'us' }).build();
    expect((await us.execute(['label'], { inputs: { rawPrices: [1] } })).label).toBe('1 USD');
  });

  it('binds @parameterize literals and extracts fields', async () => {
    const dr = await Builder().withDataflow(shop).build();
    expect(await dr.execute(['doubled', 'tripled', 'total'], { inputs: { rawPrices: [1, 2] } })).toEqual({ doubled: [2, 4], tripled: [3, 6], total: 3 });
  });

  it('fails a run when a @check fail schema rejects the output, with the issue path', async () => {
    const dr = await Builder().withDataflow(shop).build();
    const err = await dr.execute(['stats'], { inputs: { rawPrices: [-5] } }).catch((e) => e);
    expect(err).toBeInstanceOf(CheckFailedError);
    expect(err.node).toBe('stats');
    expect(err.issues[0].path).toEqual(['total']);
    expect(err.message).toMatch(/Output of 'stats' failed check Stats: total:/);
  });

  it('records a @check warn failure and goes on', async () => {
    const { nodes } = await import('./fixtures/shop-manifest.ts');
    const warnNodes = nodes.map((n) => (n.name === 'stats' ? { ...n, checks: [{ ...n.checks[0], level: 'warn' as const }] } : n));
    const dr = await Builder().withDataflow({ ...shop, manifest: { ...shop.manifest, nodes: warnNodes } }).build();
    const res = await dr.run(['count'], { inputs: { rawPrices: [-5] } });
    expect(res.status).toBe('completed');
    expect(res.warnings).toHaveLength(1);
    expect(res.warnings[0]).toMatchObject({ node: 'stats', schema: 'Stats', issues: [{ path: ['total'] }] });
  });

  it('lets a gate pass when nothing needs review', async () => {
    const dr = await Builder().withDataflow(shop).withConfig({ region: 'eu' }).build();
    expect((await dr.execute(['report'], { inputs: { rawPrices: [10] } })).report).toBe('10 EUR (limit 100, approved)');
  });

  it('pauses at a gate, resumes with answers without re-running completed nodes', async () => {
    reset();
    const store = new MemoryCheckpointStore();
    const dr = await Builder().withDataflow(shop).withConfig({ region: 'eu' }).withCheckpointStore(store).build();
    const res = await dr.run(['report', 'doubled'], { inputs: { rawPrices: [60, 70] }, sourceId: 'shop-eu' });
    expect(res.status).toBe('pending_review');
    if (res.status !== 'pending_review') return;
    expect(res.checkpoint).toMatchObject({ checkpointType: 'price_review', gate: 'review', items: [{ itemId: 'total', reviewType: 'price_review' }] });
    expect(res.nodes.find((n) => n.node === 'review')?.outcome).toBe('awaiting_review');
    // What the checkpoint keeps for the resume: the gate's input and a requested value done before it.
    expect(res.saved).toEqual({ stats: { total: 130, count: 2 }, doubled: [120, 140] });
    const before = { ...executions };

    // Answers that don't match the gate's schema: a clear error, nothing changed.
    await expect(dr.resume(res.checkpoint.checkpointId, { approved: 'yes' })).rejects.toThrow(/don't match Answers: approved/);
    expect((await store.get(res.checkpoint.checkpointId))?.status).toBe('pending_review');

    // A new driver (as in another process) resumes from the stored checkpoint.
    const dr2 = await Builder().withDataflow(shop).withConfig({ region: 'eu' }).withCheckpointStore(store).build();
    const done = await dr2.resume(res.checkpoint.checkpointId, { approved: false, limit: 130 });
    expect(done.status).toBe('completed');
    if (done.status !== 'completed') return;
    expect(done.values).toEqual({ report: '130 EUR (limit 130, rejected)', doubled: [120, 140] });
    expect(executions.prices).toBe(before.prices);
    expect(executions.stats).toBe(before.stats);
    expect(executions.review).toBe(before.review);
    expect(executions.report).toBe(1);
    // The resumed run is about the same source as the paused one.
    expect((await store.get(res.checkpoint.checkpointId))?.state.sourceId).toBe('shop-eu');
    expect((await store.get(res.checkpoint.checkpointId))?.status).toBe('completed');

    await expect(dr2.resume(res.checkpoint.checkpointId, { approved: true, limit: 1 })).rejects.toThrow(CheckpointError);
    await expect(dr2.resume('no-such-id', {})).rejects.toThrow(/does not exist/);
  });
});
