/** The dataflow engine's durable records: runs, per-node executions and the persistent cache index. */
import type { DefaultTimestamp, Generated, Json, NullableTimestamp } from './values.ts';

export type RunStatus = 'running' | 'completed' | 'failed' | 'pending_review';
export type NodeExecutionStatus = 'done' | 'cached' | 'failed' | 'skipped' | 'awaiting_review';

export interface RunsTable {
  runId: string;
  dataflowName: string;
  sourceId: string | null;
  status: RunStatus;
  /** The requested outputs. */
  finalVars: Json<string[]> | null;
  config: Json | null;
  startedAt: DefaultTimestamp;
  finishedAt: NullableTimestamp;
  durationMs: number | null;
  errorMessage: string | null;
  /** `host:pid` of the process that records the run (null for runs from before 0008). */
  owner: string | null;
}

export interface NodeExecutionsTable {
  executionId: string;
  runId: string;
  nodeName: string;
  status: NodeExecutionStatus;
  startedAt: NullableTimestamp;
  durationMs: number | null;
  cacheHit: Generated<boolean>;
  cacheKey: string | null;
  errorMessage: string | null;
}

export interface CacheEntriesTable {
  cacheKey: string;
  nodeName: string;
  codeVersion: string;
  dataVersion: string;
  dataflowName: string | null;
  /** Not a foreign key: cache entries may outlive (and be cleaned up after) their source. */
  sourceId: string | null;
  sizeBytes: number | null;
  createdAt: DefaultTimestamp;
  lastHitAt: NullableTimestamp;
  hitCount: Generated<number>;
}
