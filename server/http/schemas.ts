/** Schemas shared by several routes. */
import { z } from 'zod';

export const Uuid = z.uuid().describe('an id from this API (uuid)');
export const IdParams = (name: string) => z.object({ [name]: Uuid });

export const RunStatusSchema = z.enum(['queued', 'running', 'completed', 'failed', 'pending_review']);

/** 202 answer of everything that starts a background run. */
export const RunAcceptedSchema = z.object({
  run_id: z.string(),
  status: RunStatusSchema,
  source: z.string().nullable(),
  location: z.string().describe('poll this: GET /runs/<id>'),
});

export const NodeStateSchema = z.object({
  node: z.string(),
  status: z.string().describe('done | cached | failed | skipped | awaiting_review'),
  started_at: z.string().nullable(),
  duration_ms: z.number().nullable(),
  cache_hit: z.boolean(),
  error: z.string().nullable(),
});

export const RunSchema = z.object({
  run_id: z.string(),
  dataflow: z.string().nullable(),
  source: z.string().nullable(),
  status: RunStatusSchema,
  started_at: z.string().nullable(),
  finished_at: z.string().nullable(),
  duration_ms: z.number().nullable(),
  error: z.string().nullable(),
  waiting_for: z.string().nullable().describe('while queued: the other process writing to the home, which the run waits for'),
  checkpoint_id: z.string().nullable().describe('the checkpoint to review and resume when status is pending_review'),
  nodes: z.array(NodeStateSchema),
});

export const ReviewSchema = z.object({
  review_id: z.string(),
  checkpoint_id: z.string(),
  checkpoint_status: z.string(),
  dataflow: z.string(),
  source: z.string().nullable(),
  review_type: z.string(),
  item_id: z.string(),
  status: z.enum(['pending', 'approved', 'rejected', 'modified']),
  context: z.unknown(),
  suggested_action: z.unknown(),
  modified_action: z.unknown(),
  reviewed_by: z.string().nullable(),
  reviewed_at: z.string().nullable(),
  notes: z.string().nullable(),
});
export type Review = z.output<typeof ReviewSchema>;
