/** Durable review gates (checkpoints + their review queue) and the LLM answer cache. */
import type { DefaultBoolean, DefaultTimestamp, Generated, Json, NullableTimestamp } from './values.ts';

/**
 * pending_review -> approved (resume began) -> completed | failed; pending_review -> superseded
 * when a later run of the same source starts (the checkpoint can no longer be resumed).
 */
export type CheckpointStatus = 'pending_review' | 'approved' | 'completed' | 'failed' | 'superseded';
export type ReviewStatus = 'pending' | 'approved' | 'rejected' | 'modified';

export interface CheckpointsTable {
  checkpointId: string;
  dataflowName: string;
  sourceId: string | null;
  status: CheckpointStatus;
  /** What the gate asks about, e.g. `type_review`. */
  checkpointType: string;
  createdAt: DefaultTimestamp;
  resumedAt: NullableTimestamp;
  completedAt: NullableTimestamp;
  /** What the engine needs to resume without re-running completed nodes. */
  checkpointState: Json | null;
  resultSummary: Json | null;
  errorMessage: string | null;
}

export interface ReviewQueueTable {
  reviewId: string;
  checkpointId: string;
  reviewType: string;
  /** Stable id of the item within its checkpoint (unique per checkpoint). */
  itemId: string;
  /** Index of the item in the gate's list (0-based). */
  position: number;
  contextData: Json | null;
  suggestedAction: Json | null;
  /** The reviewer's replacement for `suggestedAction` when status is `modified`. */
  modifiedAction: Json | null;
  status: Generated<ReviewStatus>;
  reviewedAt: NullableTimestamp;
  reviewedBy: string | null;
  reviewNotes: string | null;
}

export interface LlmCacheTable {
  cacheId: string;
  cacheKey: string;
  feature: string;
  sourceId: string | null;
  tableIds: Json<string[]> | null;
  ontology: string | null;
  provider: string | null;
  model: string | null;
  promptHash: string | null;
  responseJson: Json;
  inputTokens: number | null;
  outputTokens: number | null;
  createdAt: DefaultTimestamp;
  expiresAt: NullableTimestamp;
  isValid: DefaultBoolean;
}
