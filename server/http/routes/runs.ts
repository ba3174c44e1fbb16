/**
 * Runs: `POST /runs` (ingest a registered source again, optionally with a pipeline), `GET /runs/:id`
 * (status and per-node states from the store: poll it), and resuming a run paused at a review gate
 * (`POST /runs/:id/resume`, `POST /checkpoints/:id/resume`) with answers or from the review queue.
 */
import { z } from 'zod';
import { loadPipeline, PipelineError } from '../../../config/pipeline.ts';
import { getCheckpoint, getRun, type CheckpointWithItems, type Store } from '../../../store/index.ts';
import { CliError, isoTime } from '../../../cli/commands/_shared.ts';
import { answersFromReviews } from '../../../cli/commands/resume.ts';
import { answersProblems } from '../../../cli/review-values.ts';
import { outcomeOf, registerSource, resumeCheckpoint, runDataflow, runIdOfCheckpoint, supersession } from '../../../cli/runs.ts';
import { HttpProblem, problemResponses } from '../problem.ts';
import { IdParams, RunAcceptedSchema, RunSchema } from '../schemas.ts';
import type { App, ServerContext } from '../server-context.ts';
import { sourceFromRequest } from '../source-request.ts';
import { sourceOr404 } from './sources.ts';

const RunBody = z.strictObject({
  source: z.string().min(1).describe('a registered source (POST /sources registers one)'),
  pipeline: z.string().regex(/^[\w-]+$/, 'a pipeline name from config/pipelines/').optional(),
});

const ResumeBody = z.strictObject({
  answers: z.unknown().optional().describe("the gate's value, e.g. { 'orders.ordered_on': { decidedType: 'DATE', ... } }"),
  from_reviews: z.boolean().optional().describe('build the answers from the review queue decisions (every item answered first)'),
}).refine((b) => (b.answers !== undefined) !== (b.from_reviews === true), { message: 'give answers or from_reviews: true (exactly one)' });

export function runRoutes(app: App, ctx: ServerContext): void {
  const { rt, runner, dataRoots } = ctx;
  /** Checkpoints claimed by a queued or running resume: a second resume is a 409 before the store would say so. */
  const resuming = new Set<string>();

  app.post('/runs', {
    schema: {
      summary: 'Ingest a registered source again (optionally with a pipeline) in the background',
      body: RunBody,
      response: { 202: RunAcceptedSchema, ...problemResponses(400, 401, 403, 404, 409) },
    },
  }, async (req, reply) => {
    const row = await sourceOr404(rt.store, req.body.source);
    if (req.body.pipeline) {
      // Checked here so a bad name is a 400 now, not a failed run later.
      try {
        loadPipeline(req.body.pipeline, rt.root);
      } catch (err) {
        if (err instanceof PipelineError) throw new HttpProblem(400, `${err.message}; the pipelines are config/pipelines/<name>.yaml`, { cause: err });
        throw err;
      }
    }
    const stored = row.connectionConfig as Record<string, unknown>;
    if (typeof stored.connection_string === 'string' && stored.connection_string.includes(':***@')) {
      throw new HttpProblem(409, `source '${row.name}' was stored with its password redacted; POST /sources with its full config to run it again`);
    }
    // Paths were checked when the source was registered; the roots may have changed since.
    const source = sourceFromRequest(stored, dataRoots);
    const { sourceId } = await registerSource(rt, source);
    const runId = crypto.randomUUID();
    const { pipeline } = req.body;
    const job = runner.submit({ runId, kind: 'ingest', source: source.name }, async () => outcomeOf(await runDataflow(rt, { source, runId, sourceId, ...(pipeline ? { pipeline } : {}) })));
    const location = `/runs/${runId}`;
    return reply.code(202).header('location', location).send({ run_id: runId, status: job.status, source: source.name, location });
  });

  app.get('/runs/:runId', {
    schema: {
      summary: 'A run: status, per-node states and, when paused, the checkpoint to review',
      params: IdParams('runId'),
      response: { 200: RunSchema, ...problemResponses(400, 401, 403, 404) },
    },
  }, async (req) => {
    const runId = req.params.runId as string;
    const job = runner.get(runId);
    const run = await getRun(rt.store, runId);
    if (!run && !job) throw new HttpProblem(404, `no run ${runId}; runs started here answer POST /sources or POST /runs with their id`);
    // While a job is queued or running, memory knows better than the store (which may still show the paused run).
    const active = job && (job.status === 'queued' || job.status === 'running');
    const status = active || !run ? job!.status : run.status;
    let checkpointId: string | null = null;
    if (status === 'pending_review') checkpointId = job?.checkpointId ?? (await pendingCheckpointOf(rt.store, runId))?.checkpointId ?? null;
    const source = run?.sourceId ? (await rt.store.db.selectFrom('sources').select('name').where('sourceId', '=', run.sourceId).executeTakeFirst())?.name ?? null : job?.source ?? null;
    return {
      run_id: runId,
      dataflow: run?.dataflowName ?? null,
      source,
      status,
      started_at: isoTime(run?.startedAt) ?? job?.submittedAt ?? null,
      finished_at: active ? null : isoTime(run?.finishedAt) ?? job?.finishedAt ?? null,
      duration_ms: active || run?.durationMs === null || run?.durationMs === undefined ? null : Number(run.durationMs),
      error: active ? null : run?.errorMessage ?? job?.error ?? null,
      waiting_for: (active && job?.waitingFor) || null,
      checkpoint_id: checkpointId,
      nodes: (run?.nodes ?? []).map((n) => ({
        node: n.nodeName, status: n.status, started_at: isoTime(n.startedAt), duration_ms: n.durationMs === null ? null : Number(n.durationMs),
        cache_hit: Boolean(n.cacheHit), error: n.errorMessage,
      })),
    };
  });

  const resume = async (cp: CheckpointWithItems | undefined, id: string, body: z.output<typeof ResumeBody>) => {
    if (!cp) throw new HttpProblem(404, `no checkpoint ${id}; GET /reviews lists the checkpoints waiting for review`);
    if (cp.status === 'superseded') {
      const { runId, pendingCheckpointId } = await supersession(rt.store, cp);
      throw new HttpProblem(409, `checkpoint ${cp.checkpointId} was superseded by ${runId ? `run ${runId}` : 'a later run'} of the same source: resuming it would apply its answers to data that may have changed. ` +
        (pendingCheckpointId ? `Review the checkpoint waiting now instead: GET /reviews?checkpoint=${pendingCheckpointId}, then POST /checkpoints/${pendingCheckpointId}/resume.` : `No checkpoint of the source waits for review now${runId ? `; GET /runs/${runId} shows what that run did` : ''}.`));
    }
    if (cp.status !== 'pending_review' || resuming.has(cp.checkpointId)) {
      throw new HttpProblem(409, `checkpoint ${cp.checkpointId} is ${resuming.has(cp.checkpointId) ? 'being resumed already' : `'${cp.status}'`}; a checkpoint resumes once. POST /runs to process the source again.`);
    }
    let answers: unknown;
    try {
      answers = body.from_reviews ? answersFromReviews(cp) : body.answers;
    } catch (err) {
      if (err instanceof CliError) throw new HttpProblem(409, err.message.replace(/`dataraum review approve\|reject\|modify`/, 'POST /reviews/<id>/approve|reject|modify').replace('--answers <file>', 'answers in the body'));
      throw err;
    }
    const problems = body.from_reviews ? [] : answersProblems(cp.items, body.answers);
    if (problems.length) {
      throw new HttpProblem(400, `the answers cannot resume checkpoint ${cp.checkpointId}, which still waits for review: ${problems.join('; ')}`, {
        issues: problems.map((message) => ({ path: ['body', 'answers'], message })),
      });
    }
    const runId = runIdOfCheckpoint(cp) ?? crypto.randomUUID();
    const source = cp.sourceId ? (await rt.store.db.selectFrom('sources').select('name').where('sourceId', '=', cp.sourceId).executeTakeFirst())?.name : undefined;
    resuming.add(cp.checkpointId);
    const job = runner.submit({ runId, kind: 'resume', source: source ?? null }, async () => {
      try {
        return outcomeOf(await resumeCheckpoint(rt, cp, answers, source));
      } finally {
        resuming.delete(cp.checkpointId);
      }
    });
    return { run_id: runId, status: job.status, source: source ?? null, location: `/runs/${runId}` };
  };

  const resumeSchema = (what: string, param: string) => ({
    summary: `Resume ${what} paused at a review gate, in the background`,
    params: IdParams(param),
    body: ResumeBody,
    response: { 202: RunAcceptedSchema, ...problemResponses(400, 401, 403, 404, 409) },
  });

  app.post('/runs/:runId/resume', { schema: resumeSchema('a run', 'runId') }, async (req, reply) => {
    const runId = req.params.runId as string;
    const job = runner.get(runId);
    const cp = job?.checkpointId ? await getCheckpoint(rt.store, job.checkpointId) : await pendingCheckpointOf(rt.store, runId);
    if (!cp && !job && !(await getRun(rt.store, runId))) throw new HttpProblem(404, `no run ${runId}`);
    if (!cp) throw new HttpProblem(409, `run ${runId} is not waiting for review (GET /runs/${runId} shows its status)`);
    const accepted = await resume(cp, cp.checkpointId, req.body);
    return reply.code(202).header('location', accepted.location).send(accepted);
  });

  app.post('/checkpoints/:checkpointId/resume', { schema: resumeSchema('the run of a checkpoint', 'checkpointId') }, async (req, reply) => {
    const id = req.params.checkpointId as string;
    const accepted = await resume(await getCheckpoint(rt.store, id), id, req.body);
    return reply.code(202).header('location', accepted.location).send(accepted);
  });
}

/** The checkpoint a run is paused at: checkpoints keep their run's id in their state. */
async function pendingCheckpointOf(store: Store, runId: string): Promise<CheckpointWithItems | undefined> {
  const rows = await store.db.selectFrom('checkpoints').select(['checkpointId', 'checkpointState']).where('status', '=', 'pending_review').orderBy('createdAt', 'desc').execute();
  const hit = rows.find((r) => (r.checkpointState as { runId?: string } | null)?.runId === runId);
  return hit ? getCheckpoint(store, hit.checkpointId) : undefined;
}
