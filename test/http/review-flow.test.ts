/**
 * A run that pauses for review, answered and resumed over HTTP: the ingest of a CSV whose dates
 * read day-first and month-first alike pauses at the type review; items are approved, rejected
 * and modified (singly and in an all-or-nothing bulk); the run resumes from the review queue in
 * the background, a second resume is a 409, and the decisions shape the typed table. On SQLite
 * and on PostgreSQL.
 */
import { rmSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { App } from '../../server/http/server-context.ts';
import { createTarget, DIALECTS, type TestStoreTarget } from '../store/helpers.ts';
import { expectProblem, server, waitForRun, workspace, type Workspace } from './helpers.ts';

describe.each(DIALECTS)('a run paused for type review (%s store)', (dialect) => {
  let ws: Workspace;
  let target: TestStoreTarget;
  let app: App;
  let paused: any;
  let items: any[];
  const item = (column: string) => items.find((i) => i.item_id === `orders.${column}`);

  beforeAll(async () => {
    ws = workspace(`review-${dialect}`);
    target = await createTarget(dialect);
    app = await server(ws, 'url' in target.options ? { databaseUrl: target.options.url } : {});
    const res = await app.inject({ method: 'POST', url: '/sources', payload: { path: 'orders.csv' } });
    expect(res.statusCode, res.body).toBe(202);
    paused = await waitForRun(app, res.json().run_id);
  });

  afterAll(async () => {
    await app?.close();
    await target?.destroy();
    if (ws) rmSync(ws.dir, { recursive: true, force: true });
  });

  it('pauses with a checkpoint, and GET /reviews lists its items', async () => {
    expect(paused).toMatchObject({ status: 'pending_review', source: 'orders', checkpoint_id: expect.any(String) });
    expect(paused.nodes.find((n: any) => n.node === 'typeReview').status).toBe('awaiting_review');
    const res = await app.inject({ method: 'GET', url: `/reviews?status=pending&checkpoint=${paused.checkpoint_id}` });
    expect(res.statusCode, res.body).toBe(200);
    items = res.json().reviews;
    expect(items.map((i) => i.item_id).sort()).toEqual(['orders.ordered_on', 'orders.paid_on', 'orders.shipped_on']);
    expect(items[0]).toMatchObject({ status: 'pending', review_type: 'type_review', source: 'orders', checkpoint_status: 'pending_review', dataflow: 'ingest' });
    expect(items[0].suggested_action).toHaveProperty('decidedType');
    expect((await app.inject({ method: 'GET', url: '/reviews?source=orders' })).json().reviews).toHaveLength(3);
    expectProblem(await app.inject({ method: 'GET', url: '/reviews?source=nope' }), 404);
    expectProblem(await app.inject({ method: 'GET', url: '/reviews?status=maybe' }), 400);
  });

  it('refuses to resume from the queue while items are unanswered, and refuses bad resume bodies', async () => {
    const early = expectProblem(await app.inject({ method: 'POST', url: `/runs/${paused.run_id}/resume`, payload: { from_reviews: true } }), 409);
    expect(early.detail).toContain('3 unanswered review item(s)');
    expect(early.detail).toContain('POST /reviews/<id>/approve|reject|modify');
    expectProblem(await app.inject({ method: 'POST', url: `/runs/${paused.run_id}/resume`, payload: {} }), 400);
    expectProblem(await app.inject({ method: 'POST', url: `/runs/${paused.run_id}/resume`, payload: { from_reviews: true, answers: {} } }), 400);
    expectProblem(await app.inject({ method: 'POST', url: `/checkpoints/${crypto.randomUUID()}/resume`, payload: { from_reviews: true } }), 404);
    // Answers that miss items or do not fit are refused before the checkpoint is claimed: it still waits.
    const partial = expectProblem(await app.inject({ method: 'POST', url: `/checkpoints/${paused.checkpoint_id}/resume`, payload: { answers: { 'orders.ordered_on': null, 'orders.nope': null } } }), 400);
    expect(partial.detail).toContain('no answer for 2 of 3 item(s)');
    expect(partial.detail).toContain("no review item 'orders.nope' in this checkpoint");
    const bad = expectProblem(await app.inject({ method: 'POST', url: `/runs/${paused.run_id}/resume`, payload: { answers: { 'orders.ordered_on': null, 'orders.shipped_on': null, 'orders.paid_on': { type: 'DATE' } } } }), 400);
    expect(bad.detail).toContain("not a type_review answer for 'orders.paid_on'");
    expect((await app.inject({ method: 'GET', url: `/reviews?checkpoint=${paused.checkpoint_id}` })).json().reviews[0].checkpoint_status).toBe('pending_review');
  });

  it('answers items one by one: approve and reject; answering again is a 409 unless it replaces the answer', async () => {
    const approved = await app.inject({ method: 'POST', url: `/reviews/${item('ordered_on').review_id}/approve`, headers: { 'x-dataraum-user': 'ana' }, payload: { notes: 'US supplier' } });
    expect(approved.statusCode, approved.body).toBe(200);
    expect(approved.json()).toMatchObject({ status: 'approved', reviewed_by: 'ana', notes: 'US supplier' });
    const rejected = await app.inject({ method: 'POST', url: `/reviews/${item('shipped_on').review_id}/reject`, payload: { by: 'bo' } });
    expect(rejected.json()).toMatchObject({ status: 'rejected', reviewed_by: 'bo' });
    const twice = expectProblem(await app.inject({ method: 'POST', url: `/reviews/${item('ordered_on').review_id}/reject` }), 409);
    expect(twice.detail).toContain('already approved by ana');
    expect(twice.detail).toContain('"replace": true');
    const replaced = await app.inject({ method: 'POST', url: `/reviews/${item('ordered_on').review_id}/reject`, payload: { by: 'cy', replace: true } });
    expect(replaced.statusCode, replaced.body).toBe(200);
    expect(replaced.json()).toMatchObject({ status: 'rejected', reviewed_by: 'cy' });
    const back = await app.inject({ method: 'POST', url: `/reviews/${item('ordered_on').review_id}/approve`, headers: { 'x-dataraum-user': 'ana' }, payload: { notes: 'US supplier', replace: true } });
    expect(back.json()).toMatchObject({ status: 'approved', reviewed_by: 'ana' });
    expectProblem(await app.inject({ method: 'POST', url: `/reviews/${item('paid_on').review_id}/modify`, payload: {} }), 400);
    // A value resume would refuse is refused now, as `dataraum review modify` refuses it, with a valid example.
    const invalid = expectProblem(await app.inject({ method: 'POST', url: `/reviews/${item('paid_on').review_id}/modify`, payload: { value: { type: 'DOUBLE' } } }), 400);
    expect(invalid.detail).toMatch(/^not a type_review answer for 'orders\.paid_on': decidedType: .*Unrecognized key: "type".* e\.g\. \{"decidedType":"DATE","format":\{"kind":"date",/);
    const noFit = expectProblem(await app.inject({ method: 'POST', url: `/reviews/${item('paid_on').review_id}/modify`, payload: { value: { decidedType: 'INTEGER', format: { kind: 'date', strptime: '%d/%m/%Y' } } } }), 400);
    expect(noFit.detail).toContain("format 'date' cannot produce INTEGER");
    expect(expectProblem(await app.inject({ method: 'POST', url: `/reviews/${crypto.randomUUID()}/approve` }), 404).detail).toContain('GET /reviews shows the open ones');
  });

  it('POST /reviews/bulk is all or nothing: one bad item and none is applied', async () => {
    const value = { decidedType: 'DATE', format: { kind: 'date', strptime: '%d/%m/%Y' }, reason: 'EU payments: day first' };
    const bad = await app.inject({ method: 'POST', url: '/reviews/bulk', payload: [
      { review_id: item('paid_on').review_id, action: 'modify', value },
      { review_id: item('ordered_on').review_id, action: 'approve' },
    ] });
    expect(expectProblem(bad, 409).detail).toMatch(/^item 1 .*Nothing in this request was applied/);
    const badValue = await app.inject({ method: 'POST', url: '/reviews/bulk', payload: [{ review_id: item('paid_on').review_id, action: 'modify', value: { decidedType: 'DATE', format: 'dd/mm/yyyy' } }] });
    expect(expectProblem(badValue, 400).detail).toMatch(/^item 0 .*not a type_review answer for 'orders\.paid_on': format: .*Nothing in this request was applied/);
    expect((await app.inject({ method: 'GET', url: `/reviews?checkpoint=${paused.checkpoint_id}` })).json().reviews.map((i: any) => i.item_id)).toEqual(['orders.paid_on']);
    expectProblem(await app.inject({ method: 'POST', url: '/reviews/bulk', payload: [] }), 400);

    const ok = await app.inject({ method: 'POST', url: '/reviews/bulk', headers: { 'x-dataraum-user': 'cy' }, payload: [{ review_id: item('paid_on').review_id, action: 'modify', value }] });
    expect(ok.statusCode, ok.body).toBe(200);
    expect(ok.json().reviews).toEqual([expect.objectContaining({ item_id: 'orders.paid_on', status: 'modified', reviewed_by: 'cy', modified_action: value })]);
  });

  it('resumes from the reviews in the background; a second resume is a 409; the decisions shape the typed table', async () => {
    const res = await app.inject({ method: 'POST', url: `/runs/${paused.run_id}/resume`, payload: { from_reviews: true } });
    expect(res.statusCode, res.body).toBe(202);
    expect(res.json()).toMatchObject({ run_id: paused.run_id, location: `/runs/${paused.run_id}` });
    // Still queued or running: the claim in memory refuses the second resume.
    const again = expectProblem(await app.inject({ method: 'POST', url: `/checkpoints/${paused.checkpoint_id}/resume`, payload: { from_reviews: true } }), 409);
    expect(again.detail).toContain('resumes once');

    const done = await waitForRun(app, paused.run_id);
    expect(done).toMatchObject({ status: 'completed', error: null, checkpoint_id: null });
    expect(done.nodes.find((n: any) => n.node === 'typeReview').status).toBe('done');
    // Nothing before the gate ran again: staging's record is the first run's.
    expect(done.nodes.find((n: any) => n.node === 'staging').started_at).toBe(paused.nodes.find((n: any) => n.node === 'staging').started_at);

    // After completion the store refuses it too.
    expectProblem(await app.inject({ method: 'POST', url: `/checkpoints/${paused.checkpoint_id}/resume`, payload: { from_reviews: true } }), 409);
    expectProblem(await app.inject({ method: 'POST', url: `/runs/${paused.run_id}/resume`, payload: { from_reviews: true } }), 409);

    const typed = (await app.inject({ method: 'GET', url: '/sources/orders/tables?layer=typed' })).json().tables[0];
    const types = Object.fromEntries(typed.columns.map((c: any) => [c.name, c.resolved_type]));
    expect(types).toMatchObject({ ordered_on: 'DATE', shipped_on: 'VARCHAR', paid_on: 'DATE' });
    expect(typed.row_count).toBe(120);
  });
});
