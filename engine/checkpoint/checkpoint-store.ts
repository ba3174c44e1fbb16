/**
 * Where review gates park a paused run. The engine ships an in-memory store; the metadata store
 * (store/) provides the durable one on SQLite and PostgreSQL.
 */
import { DataraumError } from '../errors.ts';
import type { ReviewItem } from '../result.ts';

/** Everything needed to resume a paused run, serialized by the engine (see serialize.ts). */
export interface CheckpointState {
  readonly dataflow: string;
  readonly finalVars: readonly string[];
  /** The gate node that paused the run. */
  readonly gate: string;
  /** Base64 of the serialized values of completed nodes still needed, and serializable inputs. */
  readonly values: string;
  /** Names of inputs that could not be serialized and must be passed again on resume. */
  readonly resupply: readonly string[];
  readonly config: Readonly<Record<string, unknown>>;
  readonly runId: string;
  /** What the paused run was about (cache scope, next checkpoint's source). */
  readonly sourceId?: string | null;
}

export interface NewCheckpoint {
  readonly dataflowName: string;
  readonly sourceId?: string | null;
  readonly checkpointType: string;
  readonly state: CheckpointState;
  readonly items: readonly ReviewItem[];
}

/** `superseded`: a later run replaced the paused one (a store's choice; only `pending_review` resumes). */
export type CheckpointStatus = 'pending_review' | 'approved' | 'completed' | 'failed' | 'superseded';

export interface StoredCheckpoint {
  readonly checkpointId: string;
  readonly dataflowName: string;
  readonly checkpointType: string;
  readonly status: CheckpointStatus;
  readonly state: CheckpointState;
  readonly items: readonly ReviewItem[];
}

export interface CheckpointStore {
  create(cp: NewCheckpoint): Promise<string>;
  get(checkpointId: string): Promise<StoredCheckpoint | undefined>;
  /** Atomically moves pending_review -> approved; throws if the checkpoint is unknown or not pending. */
  beginResume(checkpointId: string): Promise<StoredCheckpoint>;
  complete(checkpointId: string, summary: unknown): Promise<void>;
  fail(checkpointId: string, message: string): Promise<void>;
}

export class CheckpointError extends DataraumError {
  constructor(message: string) {
    super('CHECKPOINT', message);
  }
}

/** Process-local checkpoints: gates work with no database, but a paused run dies with the process. */
export class MemoryCheckpointStore implements CheckpointStore {
  private readonly rows = new Map<string, StoredCheckpoint>();

  async create(cp: NewCheckpoint): Promise<string> {
    const id = crypto.randomUUID();
    this.rows.set(id, { checkpointId: id, dataflowName: cp.dataflowName, checkpointType: cp.checkpointType, status: 'pending_review', state: cp.state, items: cp.items });
    return id;
  }

  async get(id: string): Promise<StoredCheckpoint | undefined> {
    return this.rows.get(id);
  }

  async beginResume(id: string): Promise<StoredCheckpoint> {
    const row = this.rows.get(id);
    if (!row) throw new CheckpointError(`Checkpoint '${id}' does not exist`);
    if (row.status !== 'pending_review') throw new CheckpointError(`Checkpoint '${id}' is ${row.status}, not pending review; it can't be resumed again`);
    const next = { ...row, status: 'approved' as const };
    this.rows.set(id, next);
    return next;
  }

  async complete(id: string): Promise<void> {
    this.transition(id, 'approved', 'completed');
  }

  async fail(id: string): Promise<void> {
    const row = this.rows.get(id);
    if (row) this.rows.set(id, { ...row, status: 'failed' });
  }

  private transition(id: string, from: CheckpointStatus, to: CheckpointStatus) {
    const row = this.rows.get(id);
    if (!row || row.status !== from) throw new CheckpointError(`Checkpoint '${id}' is not ${from}`);
    this.rows.set(id, { ...row, status: to });
  }
}
