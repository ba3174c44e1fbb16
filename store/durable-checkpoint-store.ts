/**
 * The engine's `CheckpointStore` on the metadata store: runs paused at a review gate survive the
 * process and resume anywhere that opens the same store (SQLite file or PostgreSQL database).
 */
import {
  CheckpointError,
  type CheckpointState,
  type CheckpointStore,
  type NewCheckpoint,
  type ReviewItem,
  type StoredCheckpoint,
} from '../engine/index.ts';
import { StoreError } from './errors.ts';
import {
  beginResume,
  completeCheckpoint,
  createCheckpoint,
  failCheckpoint,
  getCheckpoint,
  type CheckpointWithItems,
} from './repositories/checkpoints.ts';
import { isUuid, type StoreContext } from './repositories/context.ts';

/**
 * @example
 * ```ts
 * import { Builder } from 'dataraum/engine';
 * import { openStore, DurableCheckpointStore } from 'dataraum/store';
 * const store = await openStore();
 * const driver = await new Builder().withModules(nodes).withCheckpointStore(new DurableCheckpointStore(store)).build();
 * const result = await driver.run(['typedTables']); // may end 'pending_review'
 * // ...later, in another process that opened the same store:
 * await driver.resume(result.checkpoint.checkpointId, answers);
 * ```
 */
export class DurableCheckpointStore implements CheckpointStore {
  readonly #store: StoreContext;

  constructor(store: StoreContext) {
    this.#store = store;
  }

  /**
   * `sourceId` may be a source's id or its name (the engine records what a run is about); a value
   * naming no known source is stored as NULL rather than failing the pause.
   */
  async create(cp: NewCheckpoint): Promise<string> {
    const created = await createCheckpoint(this.#store, {
      dataflowName: cp.dataflowName,
      sourceId: await this.#resolveSource(cp.sourceId),
      checkpointType: cp.checkpointType,
      state: cp.state,
      items: cp.items.map((item) => ({
        reviewType: item.reviewType ?? cp.checkpointType,
        itemId: item.itemId,
        contextData: item.context ?? null,
        suggestedAction: item.suggestedAction ?? null,
      })),
    });
    return created.checkpointId;
  }

  async get(checkpointId: string): Promise<StoredCheckpoint | undefined> {
    const found = await getCheckpoint(this.#store, checkpointId);
    return found && toStored(found);
  }

  async beginResume(checkpointId: string): Promise<StoredCheckpoint> {
    return toStored(await asCheckpointError(beginResume(this.#store, checkpointId)));
  }

  async complete(checkpointId: string, summary: unknown): Promise<void> {
    await asCheckpointError(completeCheckpoint(this.#store, checkpointId, summary));
  }

  async fail(checkpointId: string, message: string): Promise<void> {
    await asCheckpointError(failCheckpoint(this.#store, checkpointId, message));
  }

  async #resolveSource(ref: string | null | undefined): Promise<string | null> {
    if (!ref) return null;
    const db = this.#store.db;
    const byName = await db.selectFrom('sources').select('sourceId').where('name', '=', ref).executeTakeFirst();
    if (byName) return byName.sourceId;
    if (!isUuid(ref)) return null;
    const byId = await db.selectFrom('sources').select('sourceId').where('sourceId', '=', ref).executeTakeFirst();
    return byId?.sourceId ?? null;
  }
}

function toStored(cp: CheckpointWithItems): StoredCheckpoint {
  return {
    checkpointId: cp.checkpointId,
    dataflowName: cp.dataflowName,
    checkpointType: cp.checkpointType,
    status: cp.status,
    state: cp.checkpointState as CheckpointState,
    items: cp.items.map((row): ReviewItem => ({
      itemId: row.itemId,
      reviewType: row.reviewType,
      ...(row.contextData !== null ? { context: row.contextData } : {}),
      ...(row.suggestedAction !== null ? { suggestedAction: row.suggestedAction } : {}),
    })),
  };
}

/** The engine reports checkpoint problems as its own CheckpointError; keep the store's message. */
async function asCheckpointError<T>(promise: Promise<T>): Promise<T> {
  try {
    return await promise;
  } catch (error) {
    if (error instanceof StoreError) {
      const wrapped = new CheckpointError(error.message);
      (wrapped as { cause?: unknown }).cause = error;
      throw wrapped;
    }
    throw error;
  }
}
