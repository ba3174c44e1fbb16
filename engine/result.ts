/**
 * What a run returns: its status, the requested values, and each node's outcome.
 */
import type { NodeOutcome } from './hooks.ts';

export interface NodeRunRecord {
  readonly node: string;
  readonly outcome: NodeOutcome;
  readonly durationMs: number;
  readonly cacheHit: boolean;
  /** For failed nodes: the error message. For skipped nodes: which failed upstream caused it. */
  readonly error?: string;
}

export interface CheckWarning {
  readonly node: string;
  readonly schema: string;
  readonly issues: readonly { readonly path: readonly (string | number)[]; readonly message: string }[];
}

/** One item a gate asks a person to review. */
export interface ReviewItem {
  /** Stable id of the item within its checkpoint (e.g. the column name). */
  readonly itemId: string;
  /** What kind of review this is (defaults to the gate's checkpoint type). */
  readonly reviewType?: string;
  /** What the reviewer needs to see. */
  readonly context?: unknown;
  /** What the gate proposes; approving an item accepts it. */
  readonly suggestedAction?: unknown;
}

/** A run paused at a review gate. Resume it with `driver.resume(checkpointId, answers)`. */
export interface CheckpointPending {
  readonly checkpointId: string;
  readonly checkpointType: string;
  readonly gate: string;
  readonly items: readonly ReviewItem[];
}

interface RunResultBase {
  readonly runId: string;
  readonly durationMs: number;
  readonly nodes: readonly NodeRunRecord[];
  readonly warnings: readonly CheckWarning[];
}

export interface CompletedRun<V> extends RunResultBase {
  readonly status: 'completed';
  readonly values: V;
}

export interface FailedRun<V> extends RunResultBase {
  readonly status: 'failed';
  /** The first error (with failFast: false, every failed node is in `errors`). */
  readonly error: Error;
  readonly errors: readonly Error[];
  /** Requested values that could still be computed. */
  readonly values: Partial<V>;
}

export interface PendingRun extends RunResultBase {
  readonly status: 'pending_review';
  readonly checkpoint: CheckpointPending;
  /**
   * The values the checkpoint saved for the resume, by node name: completed nodes whose results a
   * later node still needs (resources such as connections are recreated instead), and overrides.
   * A caller can show what the run found before it paused, such as a loader's warnings.
   */
  readonly saved: Readonly<Record<string, unknown>>;
}

export type RunResult<V> = CompletedRun<V> | FailedRun<V> | PendingRun;
