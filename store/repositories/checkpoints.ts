/**
 * Durable review gates. A gate that needs a person creates a checkpoint (`pending_review`) with
 * one review-queue row per item; reviewers answer items; a resume moves the checkpoint to
 * `approved` exactly once, then to `completed` or `failed`.
 *
 * ```
 * pending_review --beginResume--> approved --completeCheckpoint--> completed
 *        \______________________________\--failCheckpoint-------> failed
 *        \--supersedeCheckpoints--> superseded (a later run of the same source started)
 * ```
 */
import type { Selectable } from 'kysely';
import { StoreError } from '../errors.ts';
import type { CheckpointsTable, ReviewQueueTable } from '../schema/review.ts';
import { isForeignKeyViolation } from '../sql-errors.ts';
import { inTransaction, isUuid, now, type StoreContext } from './context.ts';

export type CheckpointRow = Selectable<CheckpointsTable>;
export type ReviewRow = Selectable<ReviewQueueTable>;
export interface CheckpointWithItems extends CheckpointRow {
  /** Its review items in the order the gate listed them. */
  readonly items: ReviewRow[];
}

export interface CheckpointItemInput {
  readonly reviewType: string;
  /** Unique within the checkpoint. */
  readonly itemId: string;
  readonly contextData?: unknown;
  readonly suggestedAction?: unknown;
}

export interface CreateCheckpointInput {
  readonly dataflowName: string;
  readonly sourceId?: string | null;
  readonly checkpointType: string;
  /** What the engine needs to resume without re-running completed nodes. */
  readonly state: unknown;
  readonly items: readonly CheckpointItemInput[];
}

/**
 * Stores a checkpoint in `pending_review` and its items as `pending` reviews, in one transaction.
 *
 * @example
 * ```ts
 * const cp = await createCheckpoint(store, {
 *   dataflowName: 'ingest', checkpointType: 'type_review', state: { completed: ['staging'] },
 *   items: [{ reviewType: 'type_review', itemId: 'flights.delay', suggestedAction: { type: 'INTEGER' } }],
 * });
 * await reviewItem(store, cp.items[0].reviewId, { status: 'approved', reviewedBy: 'ana' });
 * const resumed = await beginResume(store, cp.checkpointId);
 * await completeCheckpoint(store, cp.checkpointId, { nodes: 4 });
 * ```
 */
export async function createCheckpoint(store: StoreContext, input: CreateCheckpointInput): Promise<CheckpointWithItems> {
  const seen = new Set<string>();
  for (const item of input.items) {
    if (seen.has(item.itemId)) {
      throw new StoreError('CONFLICT', `Cannot create the '${input.checkpointType}' checkpoint: item id '${item.itemId}' appears twice. Give each review item a unique itemId.`);
    }
    seen.add(item.itemId);
  }
  if (input.sourceId != null && !isUuid(input.sourceId)) {
    throw new StoreError('NOT_FOUND', `Cannot create the '${input.checkpointType}' checkpoint: source ${input.sourceId} does not exist (source ids are uuids; getSourceByName finds one by name).`);
  }
  const checkpointId = crypto.randomUUID();
  try {
    return await inTransaction(store.db, async (db) => {
      const checkpoint = await db
        .insertInto('checkpoints')
        .values({
          checkpointId,
          dataflowName: input.dataflowName,
          sourceId: input.sourceId ?? null,
          status: 'pending_review',
          checkpointType: input.checkpointType,
          createdAt: now(),
          checkpointState: input.state ?? null,
        })
        .returningAll()
        .executeTakeFirstOrThrow();
      const items = input.items.length
        ? await db
            .insertInto('reviewQueue')
            .values(
              input.items.map((item, position) => ({
                reviewId: crypto.randomUUID(),
                checkpointId,
                reviewType: item.reviewType,
                itemId: item.itemId,
                position,
                contextData: item.contextData ?? null,
                suggestedAction: item.suggestedAction ?? null,
                status: 'pending' as const,
              })),
            )
            .returningAll()
            .execute()
        : [];
      items.sort((a, b) => a.position - b.position);
      return { ...checkpoint, items };
    });
  } catch (error) {
    if (isForeignKeyViolation(error)) {
      throw new StoreError('NOT_FOUND', `Cannot create the '${input.checkpointType}' checkpoint: source ${input.sourceId} does not exist.`, { cause: error });
    }
    throw error;
  }
}

/** A checkpoint with its review items, or undefined when there is no such checkpoint. */
export async function getCheckpoint(store: StoreContext, checkpointId: string): Promise<CheckpointWithItems | undefined> {
  if (!isUuid(checkpointId)) return undefined;
  const checkpoint = await store.db.selectFrom('checkpoints').selectAll().where('checkpointId', '=', checkpointId).executeTakeFirst();
  if (!checkpoint) return undefined;
  const items = await store.db
    .selectFrom('reviewQueue')
    .selectAll()
    .where('checkpointId', '=', checkpointId)
    .orderBy('position')
    .execute();
  return { ...checkpoint, items };
}

/** Items still waiting for a reviewer on checkpoints that wait for review, oldest checkpoint first. */
export async function listPendingReviews(
  store: StoreContext,
  filter: { readonly checkpointId?: string; readonly sourceId?: string } = {},
): Promise<ReviewRow[]> {
  let query = store.db
    .selectFrom('reviewQueue as r')
    .innerJoin('checkpoints as c', 'c.checkpointId', 'r.checkpointId')
    .selectAll('r')
    .where('r.status', '=', 'pending')
    .where('c.status', '=', 'pending_review');
  for (const id of [filter.checkpointId, filter.sourceId]) if (id !== undefined && !isUuid(id)) return [];
  if (filter.checkpointId !== undefined) query = query.where('r.checkpointId', '=', filter.checkpointId);
  if (filter.sourceId !== undefined) query = query.where('c.sourceId', '=', filter.sourceId);
  return query.orderBy('c.createdAt').orderBy('r.checkpointId').orderBy('r.position').execute();
}

export interface ReviewDecision {
  readonly status: 'approved' | 'rejected' | 'modified';
  readonly reviewedBy: string;
  readonly notes?: string | null;
  /** Required when status is `modified`: what to do instead of the suggested action. */
  readonly modifiedAction?: unknown;
  /** When given, the item must belong to this checkpoint. */
  readonly checkpointId?: string;
  /**
   * Replace an earlier answer to the item (while its checkpoint waits for review). Without it an
   * answered item is refused, so of two concurrent reviewers only one answers.
   */
  readonly replace?: boolean;
}

/**
 * Answers one review item. Fails without changing anything when the item is unknown, already
 * answered (unless `replace`), belongs to another checkpoint, or its checkpoint no longer waits
 * for review.
 */
export async function reviewItem(store: StoreContext, reviewId: string, decision: ReviewDecision): Promise<ReviewRow> {
  if (decision.status === 'modified' && decision.modifiedAction === undefined) {
    throw new StoreError('INVALID_STATE', `Cannot mark review ${reviewId} 'modified' without a modifiedAction: pass what to do instead, or approve/reject it.`);
  }
  if (!isUuid(reviewId)) {
    throw new StoreError('NOT_FOUND', `Cannot review item ${reviewId}: no such review item. listPendingReviews shows the open ones.`);
  }
  if (decision.checkpointId !== undefined && !isUuid(decision.checkpointId)) {
    throw new StoreError('NOT_FOUND', `Cannot review item ${reviewId}: checkpoint ${decision.checkpointId} does not exist.`);
  }
  // One conditional UPDATE: of two concurrent reviewers, only one can change a pending item
  // (with `replace`, the last one wins).
  let update = store.db
    .updateTable('reviewQueue')
    .set({
      status: decision.status,
      reviewedBy: decision.reviewedBy,
      reviewNotes: decision.notes ?? null,
      modifiedAction: decision.status === 'modified' ? decision.modifiedAction : null,
      reviewedAt: now(),
    })
    .where('reviewId', '=', reviewId)
    .where((eb) =>
      eb.exists(
        eb
          .selectFrom('checkpoints')
          .select('checkpoints.checkpointId')
          .whereRef('checkpoints.checkpointId', '=', 'reviewQueue.checkpointId')
          .where('checkpoints.status', '=', 'pending_review'),
      ),
    );
  if (!decision.replace) update = update.where('status', '=', 'pending');
  if (decision.checkpointId !== undefined) update = update.where('checkpointId', '=', decision.checkpointId);
  const updated = await update.returningAll().executeTakeFirst();
  if (updated) return updated;

  const current = await store.db
    .selectFrom('reviewQueue as r')
    .innerJoin('checkpoints as c', 'c.checkpointId', 'r.checkpointId')
    .select(['r.checkpointId', 'r.status', 'r.reviewedBy', 'c.status as checkpointStatus'])
    .where('r.reviewId', '=', reviewId)
    .executeTakeFirst();
  if (!current) {
    throw new StoreError('NOT_FOUND', `Cannot review item ${reviewId}: no such review item. listPendingReviews shows the open ones.`);
  }
  if (decision.checkpointId !== undefined && current.checkpointId !== decision.checkpointId) {
    throw new StoreError('CONFLICT', `Cannot review item ${reviewId}: it belongs to checkpoint ${current.checkpointId}, not ${decision.checkpointId}. Use the item ids of the checkpoint you are reviewing.`);
  }
  if (current.status !== 'pending' && !decision.replace) {
    throw new StoreError('INVALID_STATE', `Cannot review item ${reviewId}: it was already ${current.status} by ${current.reviewedBy ?? 'someone'}. Answer it again with replace to change the answer while the checkpoint waits for review.`);
  }
  throw new StoreError('INVALID_STATE', `Cannot review item ${reviewId}: its checkpoint ${current.checkpointId} is '${current.checkpointStatus}', no longer waiting for review.`);
}

/**
 * Claims a checkpoint for resuming: `pending_review` -> `approved`. Atomic: of concurrent
 * resumes exactly one succeeds, the others get an INVALID_STATE StoreError.
 */
export async function beginResume(store: StoreContext, checkpointId: string): Promise<CheckpointWithItems> {
  if (!isUuid(checkpointId)) {
    throw new StoreError('NOT_FOUND', `Cannot resume checkpoint ${checkpointId}: no such checkpoint. Check the id printed when the run paused.`);
  }
  const claimed = await store.db
    .updateTable('checkpoints')
    .set({ status: 'approved', resumedAt: now() })
    .where('checkpointId', '=', checkpointId)
    .where('status', '=', 'pending_review')
    .executeTakeFirst();
  if (claimed.numUpdatedRows === 0n) {
    const current = await store.db.selectFrom('checkpoints').select(['status', 'resumedAt', 'errorMessage']).where('checkpointId', '=', checkpointId).executeTakeFirst();
    if (!current) {
      throw new StoreError('NOT_FOUND', `Cannot resume checkpoint ${checkpointId}: no such checkpoint. Check the id printed when the run paused.`);
    }
    if (current.status === 'superseded') {
      throw new StoreError('INVALID_STATE', `Cannot resume checkpoint ${checkpointId}: it was ${current.errorMessage ?? 'superseded by a later run of the same source'}. Review the later run's checkpoint instead.`);
    }
    throw new StoreError(
      'INVALID_STATE',
      `Cannot resume checkpoint ${checkpointId}: it is already '${current.status}'${current.resumedAt ? ` (resumed at ${current.resumedAt})` : ''}. ` +
        'A checkpoint resumes once; start a new run to process the data again.',
    );
  }
  const checkpoint = await getCheckpoint(store, checkpointId);
  if (!checkpoint) throw new StoreError('NOT_FOUND', `Checkpoint ${checkpointId} disappeared while resuming it (deleted concurrently).`);
  return checkpoint;
}

export interface SupersedeInput {
  readonly sourceId: string;
  readonly dataflowName: string;
  /** The new run of the source that replaces the paused ones. */
  readonly byRunId: string;
}

/**
 * Marks the checkpoints of a source and dataflow still waiting for review `superseded` by a new
 * run (their `resultSummary` is `{ supersededBy: runId }`), and ends the runs paused at them as
 * failed, saying why. Resuming one later would apply old answers to data that may have changed
 * and overwrite the newer run's tables. The new run's own checkpoint (it may have paused too) is
 * left alone. Returns the superseded checkpoints' ids, oldest first.
 *
 * @example
 * ```ts
 * const result = await driver.run(finalVars, { runId });
 * // once the run has staged the source:
 * await supersedeCheckpoints(store, { sourceId: source.sourceId, dataflowName: 'ingest', byRunId: runId });
 * ```
 */
export async function supersedeCheckpoints(store: StoreContext, input: SupersedeInput): Promise<string[]> {
  if (!isUuid(input.sourceId)) return [];
  return inTransaction(store.db, async (db) => {
    const at = now();
    // The superseding run's own checkpoint (it paused too) stays.
    const waiting = await db.selectFrom('checkpoints').select(['checkpointId', 'checkpointState'])
      .where('sourceId', '=', input.sourceId).where('dataflowName', '=', input.dataflowName).where('status', '=', 'pending_review').execute();
    const older = waiting.filter((c) => (c.checkpointState as { runId?: unknown } | null)?.runId !== input.byRunId).map((c) => c.checkpointId);
    if (!older.length) return [];
    // Conditional: a checkpoint a resume has claimed meanwhile (`approved`) is left to that resume.
    const superseded = await db
      .updateTable('checkpoints')
      .set({
        status: 'superseded',
        completedAt: at,
        resultSummary: { supersededBy: input.byRunId },
        errorMessage: `superseded by run ${input.byRunId}, a later run of the same source: its answers would apply to data that may have changed`,
      })
      .where('checkpointId', 'in', older)
      .where('status', '=', 'pending_review')
      .returning(['checkpointId', 'checkpointState', 'createdAt'])
      .execute();
    superseded.sort((a, b) => a.createdAt.localeCompare(b.createdAt));
    for (const cp of superseded) {
      const runId = (cp.checkpointState as { runId?: unknown } | null)?.runId;
      if (typeof runId !== 'string' || !isUuid(runId) || runId === input.byRunId) continue;
      await db
        .updateTable('runs')
        .set({ status: 'failed', finishedAt: at, errorMessage: `superseded by run ${input.byRunId}: its review checkpoint ${cp.checkpointId} can no longer be resumed` })
        .where('runId', '=', runId)
        .where('status', '=', 'pending_review')
        .execute();
    }
    return superseded.map((c) => c.checkpointId);
  });
}

/** Marks a resumed (`approved`) checkpoint `completed`, with a summary of what the resume did. */
export async function completeCheckpoint(store: StoreContext, checkpointId: string, summary: unknown): Promise<CheckpointRow> {
  return transition(store, checkpointId, ['approved'], 'complete', {
    status: 'completed',
    completedAt: now(),
    resultSummary: summary ?? null,
  });
}

/** Marks a checkpoint that is waiting or resuming `failed`, with the reason. */
export async function failCheckpoint(store: StoreContext, checkpointId: string, message: string): Promise<CheckpointRow> {
  return transition(store, checkpointId, ['pending_review', 'approved'], 'fail', {
    status: 'failed',
    completedAt: now(),
    errorMessage: message,
  });
}

async function transition(
  store: StoreContext,
  checkpointId: string,
  from: CheckpointRow['status'][],
  verb: string,
  set: { status: CheckpointRow['status']; completedAt: string; resultSummary?: unknown; errorMessage?: string },
): Promise<CheckpointRow> {
  if (!isUuid(checkpointId)) throw new StoreError('NOT_FOUND', `Cannot ${verb} checkpoint ${checkpointId}: no such checkpoint.`);
  const updated = await store.db
    .updateTable('checkpoints')
    .set(set)
    .where('checkpointId', '=', checkpointId)
    .where('status', 'in', from)
    .returningAll()
    .executeTakeFirst();
  if (updated) return updated;
  const current = await store.db.selectFrom('checkpoints').select('status').where('checkpointId', '=', checkpointId).executeTakeFirst();
  if (!current) throw new StoreError('NOT_FOUND', `Cannot ${verb} checkpoint ${checkpointId}: no such checkpoint.`);
  throw new StoreError(
    'INVALID_STATE',
    `Cannot ${verb} checkpoint ${checkpointId}: it is '${current.status}', expected ${from.map((s) => `'${s}'`).join(' or ')}` +
      (from.length === 1 && from[0] === 'approved' && current.status === 'pending_review' ? '. Call beginResume first.' : '.'),
  );
}
