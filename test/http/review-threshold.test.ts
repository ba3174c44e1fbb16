/**
 * A reviewer's type over HTTP is held to the item's threshold as `dataraum review modify` holds it:
 * a measured reading that leaves too many values unreadable is refused (single and bulk) unless the
 * request says `"force": true`.
 */
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { App } from '../../server/http/server-context.ts';
import { expectProblem, server, waitForRun, workspace, type Workspace } from './helpers.ts';

describe('POST /reviews/:id/modify below the threshold', () => {
  let ws: Workspace;
  let app: App;
  let amount: any;

  beforeAll(async () => {
    ws = workspace('threshold');
    // amount: one value in ten is not a number, so DOUBLE reads 90%, below the 95% threshold.
    const rows = ['id,amount'];
    for (let i = 0; i < 400; i++) rows.push(`${i},${i % 10 ? `${(i % 97) + 0.5}` : `n/a ${i}`}`);
    writeFileSync(join(ws.data, 'mixed.csv'), `${rows.join('\n')}\n`);
    app = await server(ws);
    const res = await app.inject({ method: 'POST', url: '/sources', payload: { path: 'mixed.csv' } });
    expect(res.statusCode, res.body).toBe(202);
    const paused = await waitForRun(app, res.json().run_id);
    expect(paused.status).toBe('pending_review');
    const reviews = (await app.inject({ method: 'GET', url: `/reviews?checkpoint=${paused.checkpoint_id}` })).json().reviews;
    amount = reviews.find((r: any) => r.item_id === 'mixed.amount');
    expect(amount).toBeDefined();
  }, 120_000);

  afterAll(async () => {
    await app?.close();
    if (ws) rmSync(ws.dir, { recursive: true, force: true });
  });

  it('refuses a measured reading below the threshold, naming the loss; "force": true answers with it', async () => {
    const url = `/reviews/${amount.review_id}/modify`;
    const low = expectProblem(await app.inject({ method: 'POST', url, payload: { value: { decidedType: 'DOUBLE' } } }), 400);
    expect(low.detail).toContain("DOUBLE as number (decimal '.', no grouping) reads 90% of the 400 non-null values of 'mixed.amount' (measured when the run paused), below the item's threshold of 95%: on resume the rows of its 40 unreadable value(s) go to quarantine.");
    expect(low.detail).toContain('send "force": true to answer with it anyway');
    const bulk = expectProblem(await app.inject({ method: 'POST', url: '/reviews/bulk', payload: [{ review_id: amount.review_id, action: 'modify', value: { decidedType: 'DOUBLE' } }] }), 400);
    expect(bulk.detail).toMatch(/^item 0 .*below the item's threshold of 95%.*Nothing in this request was applied/);
    expect((await app.inject({ method: 'GET', url: `/reviews?checkpoint=${amount.checkpoint_id}&status=all` })).json().reviews[0].status).toBe('pending');

    const forced = await app.inject({ method: 'POST', url, payload: { value: { decidedType: 'DOUBLE' }, force: true, by: 'ana' } });
    expect(forced.statusCode, forced.body).toBe(200);
    expect(forced.json()).toMatchObject({ status: 'modified', reviewed_by: 'ana', modified_action: { decidedType: 'DOUBLE' } });
    const bulkForced = await app.inject({ method: 'POST', url: '/reviews/bulk', payload: [{ review_id: amount.review_id, action: 'modify', value: { decidedType: 'DOUBLE' }, force: true, replace: true }] });
    expect(bulkForced.statusCode, bulkForced.body).toBe(200);
  });
});
