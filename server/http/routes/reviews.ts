/**
 * The review queue: `GET /reviews` lists items, `POST /reviews/:id/approve|reject|modify` answers
 * one, `POST /reviews/bulk` answers several ALL OR NOTHING (one transaction: if any item cannot be
 * answered, none is, and the problem names the failing item). Decisions go through the store's
 * `reviewItem`, which answers an item once (unless `replace` is given) and only while its
 * checkpoint waits for review. A modify value is checked like `dataraum review modify` checks it
 * (cli/review-values.ts), so resume accepts what was accepted here; a type that reads fewer of its
 * column's values than the item's threshold needs `"force": true`, as the CLI needs --force.
 */
import { z } from 'zod';
import { reviewItem, StoreError, type ReviewDecision, type Store } from '../../../store/index.ts';
import { isoTime, unknownSourceMessage } from '../../../cli/commands/_shared.ts';
import { readingCheck, reviewValueProblem } from '../../../cli/review-values.ts';
import { HttpProblem, problemResponses } from '../problem.ts';
import { IdParams, ReviewSchema, type Review } from '../schemas.ts';
import type { App, ServerContext } from '../server-context.ts';
import { USER_HEADER } from './columns.ts';

const ACTIONS = { approve: 'approved', reject: 'rejected', modify: 'modified' } as const;
type Action = keyof typeof ACTIONS;

const DecisionBody = z.strictObject({
  by: z.string().min(1).max(200).optional().describe(`who decided (default: the ${USER_HEADER} header, else "api")`),
  notes: z.string().max(10_000).optional(),
  value: z.unknown().optional().describe('modify only: the value to use instead of the suggested action'),
  replace: z.boolean().optional().describe('answer an item already answered again, replacing that answer (while its checkpoint waits for review)'),
  force: z.boolean().optional().describe("modify only: answer even when the value reads fewer of the column's values than the item's threshold"),
});

const BulkBody = z.array(z.strictObject({
  review_id: z.uuid(),
  action: z.enum(['approve', 'reject', 'modify']),
  value: z.unknown().optional(),
  notes: z.string().max(10_000).optional(),
  replace: z.boolean().optional(),
  force: z.boolean().optional(),
})).min(1).max(1000);

export function reviewRoutes(app: App, { rt }: ServerContext): void {
  app.get('/reviews', {
    schema: {
      summary: 'Review items, oldest checkpoint first (default: pending items of checkpoints waiting for review)',
      querystring: z.object({
        status: z.enum(['pending', 'approved', 'rejected', 'modified', 'all']).default('pending'),
        checkpoint: z.uuid().optional(),
        source: z.string().min(1).optional(),
      }),
      response: { 200: z.object({ reviews: z.array(ReviewSchema) }), ...problemResponses(400, 401, 403, 404) },
    },
  }, async (req) => {
    const { status, checkpoint, source } = req.query;
    let sourceId: string | undefined;
    if (source !== undefined) {
      const row = await rt.store.db.selectFrom('sources').select('sourceId').where('name', '=', source).executeTakeFirst();
      if (!row) throw new HttpProblem(404, await unknownSourceMessage(rt.store, source));
      sourceId = row.sourceId;
    }
    return { reviews: await listReviews(rt.store, { status, checkpointId: checkpoint, sourceId }) };
  });

  const by = (headers: Record<string, unknown>, given?: string) => given ?? (headers[USER_HEADER] as string | undefined) ?? 'api';

  for (const action of Object.keys(ACTIONS) as Action[]) {
    app.post(`/reviews/:reviewId/${action}`, {
      schema: {
        summary: action === 'modify' ? 'Answer a review item with your own value' : `${action === 'approve' ? 'Accept' : 'Reject'} the suggested action of a review item`,
        params: IdParams('reviewId'),
        body: DecisionBody.nullish(),
        response: { 200: ReviewSchema, ...problemResponses(400, 401, 403, 404, 409) },
      },
    }, async (req) => {
      const reviewId = req.params.reviewId as string;
      const body = req.body ?? {};
      if (action === 'modify' && body.value === undefined) {
        throw new HttpProblem(400, 'modify needs value: what to use instead of the suggested action', { issues: [{ path: ['body', 'value'], message: 'required for modify' }] });
      }
      if (action === 'modify') {
        const problem = await valueProblem(rt.store, reviewId, body.value, body.force === true);
        if (problem) throw new HttpProblem(400, problem, { issues: [{ path: ['body', 'value'], message: problem }] });
      }
      try {
        await reviewItem(rt.store, reviewId, decision(action, by(req.headers, body.by), body.value, body.notes, body.replace));
      } catch (err) {
        if (err instanceof StoreError) throw new HttpProblem(err.code === 'NOT_FOUND' ? 404 : 409, forHttp(err.message), { cause: err });
        throw err;
      }
      return (await listReviews(rt.store, { status: 'all', reviewId }))[0]!;
    });
  }

  app.post('/reviews/bulk', {
    schema: {
      summary: 'Answer several review items at once, all or nothing',
      description: 'One transaction: when any item cannot be answered (unknown, already answered, checkpoint no longer waiting), none is; the problem names the item.',
      body: BulkBody,
      headers: z.looseObject({ [USER_HEADER]: z.string().min(1).max(200).optional() }),
      response: { 200: z.object({ reviews: z.array(ReviewSchema) }), ...problemResponses(400, 401, 403, 404, 409) },
    },
  }, async (req) => {
    const who = by(req.headers);
    const missing = req.body.findIndex((i) => i.action === 'modify' && i.value === undefined);
    if (missing >= 0) throw new HttpProblem(400, `item ${missing} (${req.body[missing]!.review_id}): modify needs value`, { issues: [{ path: ['body', missing, 'value'], message: 'required for modify' }] });
    for (const [i, item] of req.body.entries()) {
      const problem = item.action === 'modify' ? await valueProblem(rt.store, item.review_id, item.value, item.force === true) : undefined;
      if (problem) throw new HttpProblem(400, `item ${i} (${item.review_id}): ${problem} Nothing in this request was applied.`, { issues: [{ path: ['body', i, 'value'], message: problem }] });
    }
    await rt.store.transaction(async (trx) => {
      for (const [i, item] of req.body.entries()) {
        try {
          await reviewItem({ db: trx }, item.review_id, decision(item.action, who, item.value, item.notes, item.replace));
        } catch (err) {
          if (err instanceof StoreError) {
            const status = err.code === 'NOT_FOUND' ? 404 : 409;
            throw new HttpProblem(status, `item ${i} (${item.review_id}): ${forHttp(err.message)} Nothing in this request was applied.`, { cause: err });
          }
          throw err;
        }
      }
    });
    const ids = new Set(req.body.map((i) => i.review_id));
    const rows = await listReviews(rt.store, { status: 'all', reviewIds: [...ids] });
    return { reviews: req.body.map((i) => rows.find((r) => r.review_id === i.review_id)!).filter((r, k, all) => all.indexOf(r) === k) };
  });
}

/** The store's hints name its functions; over HTTP the routes are the way. */
function forHttp(message: string): string {
  return message.replace('listPendingReviews shows the open ones', 'GET /reviews shows the open ones').replace('Answer it again with replace', 'Answer it again with "replace": true');
}

function decision(action: Action, reviewedBy: string, value: unknown, notes: string | undefined, replace: boolean | undefined): ReviewDecision {
  return { status: ACTIONS[action], reviewedBy, ...(notes !== undefined ? { notes } : {}), ...(action === 'modify' ? { modifiedAction: value } : {}), ...(replace ? { replace } : {}) };
}

/**
 * Why `value` cannot answer the item (undefined when it can, or when there is no such item:
 * answering says so): it does not fit the item, or, for a type, it reads too few of the column's
 * values unless forced.
 */
async function valueProblem(store: Store, reviewId: string, value: unknown, force: boolean): Promise<string | undefined> {
  const item = await store.db.selectFrom('reviewQueue').select(['reviewType', 'itemId', 'suggestedAction', 'contextData as context']).where('reviewId', '=', reviewId).executeTakeFirst();
  if (!item) return undefined;
  return reviewValueProblem(item, value) ?? readingCheck(item, value, force).refuse?.replace('pass --force', 'send "force": true');
}

async function listReviews(store: Store, f: { status: 'pending' | 'approved' | 'rejected' | 'modified' | 'all'; checkpointId?: string; sourceId?: string; reviewId?: string; reviewIds?: string[] }): Promise<Review[]> {
  let q = store.db.selectFrom('reviewQueue as r')
    .innerJoin('checkpoints as c', 'c.checkpointId', 'r.checkpointId')
    .leftJoin('sources as s', 's.sourceId', 'c.sourceId')
    .selectAll('r').select(['c.status as checkpointStatus', 'c.dataflowName', 's.name as sourceName']);
  if (f.status === 'pending') q = q.where('r.status', '=', 'pending').where('c.status', '=', 'pending_review');
  else if (f.status !== 'all') q = q.where('r.status', '=', f.status);
  if (f.checkpointId !== undefined) q = q.where('r.checkpointId', '=', f.checkpointId);
  if (f.sourceId !== undefined) q = q.where('c.sourceId', '=', f.sourceId);
  if (f.reviewId !== undefined) q = q.where('r.reviewId', '=', f.reviewId);
  if (f.reviewIds !== undefined) q = q.where('r.reviewId', 'in', f.reviewIds);
  const rows = await q.orderBy('c.createdAt').orderBy('r.checkpointId').orderBy('r.position').execute();
  return rows.map((r) => ({
    review_id: r.reviewId, checkpoint_id: r.checkpointId, checkpoint_status: r.checkpointStatus, dataflow: r.dataflowName, source: r.sourceName ?? null,
    review_type: r.reviewType, item_id: r.itemId, status: r.status, context: r.contextData ?? null, suggested_action: r.suggestedAction ?? null,
    modified_action: r.modifiedAction ?? null, reviewed_by: r.reviewedBy, reviewed_at: isoTime(r.reviewedAt), notes: r.reviewNotes,
  }));
}
