/**
 * Starting and resuming runs, shared by `dataraum run`/`resume` and the HTTP API: a RunRecorder
 * records the run and its nodes in the store (`dataraum status`, `GET /runs/:id`), the durable
 * checkpoint store pauses at review gates, and a run's id can be chosen up front so a client can
 * poll it before the first node starts. A new run of a source that staged it supersedes the source's checkpoints
 * still waiting for review: they can no longer be resumed.
 */
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Driver, Hook, RunResult } from '../engine/index.ts';
import { loadLlmConfig } from '../config/llm.ts';
import { loadPipeline, pipelineRunConfig, resolvePipeline } from '../config/pipeline.ts';
import { _redactedConfig } from '../nodes/staging/catalog.ts';
import type { SourceConfig } from '../nodes/staging/source-config.ts';
import {
  getRun, recordNodeExecution, RunRecorder, supersedeCheckpoints, upsertSource, type CheckpointWithItems, type RunRow, type SourceRow, type Store,
} from '../store/index.ts';
import type { Runtime } from './runtime.ts';

/** What a finished background run reports. */
export interface RunOutcome {
  readonly status: 'completed' | 'failed' | 'pending_review';
  /** The checkpoint to review and resume, when the run paused. */
  readonly checkpointId?: string;
  readonly error?: string;
}

/** Registers (or updates) the source in the store before its run starts, so it is listed at once. */
export function registerSource(rt: Runtime, source: SourceConfig): Promise<SourceRow> {
  return upsertSource(rt.store, source.name, source.source_type, _redactedConfig(source));
}

export interface RunDataflowOptions {
  /** The dataflow to run (default `ingest`). */
  readonly dataflow?: string;
  /** The source to ingest (the `source` input of the ingest dataflow). */
  readonly source?: SourceConfig;
  /** The registered source's id (`registerSource`), recorded on the run. */
  readonly sourceId?: string | null;
  /** The run's id (default: a new uuid): choose it to hand it out before the run starts. */
  readonly runId?: string;
  /** Nodes to compute (or a choice made on the built driver); default: the pipeline's, else the dataflow's sinks. */
  readonly outputs?: readonly string[] | ((driver: Driver) => string[]);
  /** A pipeline from config/pipelines/ (or a path): its steps, options, ontology and profiling/typing options. */
  readonly pipeline?: string;
  /** Build config (@when variants, config inputs). */
  readonly config?: Readonly<Record<string, unknown>>;
  /** More hooks beside the RunRecorder (e.g. a progress bar). */
  readonly hooks?: readonly Hook[];
  /** Use the persistent cache (default true). */
  readonly cache?: boolean;
  /** Told the checkpoints this run superseded (the source's ones still waiting for review), when there were any. */
  readonly onSuperseded?: (checkpointIds: readonly string[]) => void;
}

/**
 * Runs a dataflow (the ingest by default) recorded in the store: the requested outputs, the
 * pipeline's, or the dataflow's sinks.
 *
 * @example
 * ```ts
 * const source = parseSourceConfig({ source_type: 'csv', path: 'data/orders.csv' });
 * const row = await registerSource(rt, source);
 * const result = await runDataflow(rt, { source, sourceId: row.sourceId, runId: crypto.randomUUID() });
 * outcomeOf(result); // { status: 'completed' } | { status: 'pending_review', checkpointId } | ...
 * ```
 */
export async function runDataflow(rt: Runtime, opts: RunDataflowOptions): Promise<RunResult<Record<string, unknown>>> {
  const pipelineDef = opts.pipeline ? loadPipeline(opts.pipeline, rt.root) : undefined;
  // The pipeline's profiling/typing options are run config (kept for a resume); --config wins.
  const config = { ...(pipelineDef ? pipelineRunConfig(pipelineDef) : {}), ...opts.config };
  const recorder = new RunRecorder(rt.store, { sourceId: opts.sourceId ?? null, config });
  const driver = await rt.driver(opts.dataflow ?? 'ingest', { hooks: [recorder, ...(opts.hooks ?? [])], config, cache: opts.cache });
  const inputs: Record<string, unknown> = { ...rt.inputs(), ...llmInputs(rt, opts.sourceId ?? null), ...(opts.source ? { source: opts.source } : {}) };
  let finalVars = typeof opts.outputs === 'function' ? opts.outputs(driver) : opts.outputs ? [...opts.outputs] : sinks(driver);
  let runOptions: { failFast?: boolean; maxParallel?: number } = {};
  if (pipelineDef) {
    const pipeline = resolvePipeline(pipelineDef, driver);
    if (!opts.outputs) finalVars = pipeline.finalVars;
    runOptions = pipeline.options;
    if (pipeline.config.ontology) inputs.ontologyName = pipeline.config.ontology;
  }
  const runId = opts.runId ?? crypto.randomUUID();
  let result: RunResult<Record<string, unknown>>;
  try {
    result = await driver.run(finalVars, { inputs, sourceId: opts.source?.name ?? null, runId, ...runOptions });
  } finally {
    await recorder.flush();
  }
  // A run that staged the source may have changed its raw tables and written new typed ones: a
  // paused run's answers would apply to changed data and overwrite them. One that failed before
  // staging (a locked database, a bad config) leaves the paused run resumable.
  const staged = result.nodes.some((n) => n.node === 'staging' && (n.outcome === 'done' || n.outcome === 'cached'));
  if (opts.sourceId && (result.status !== 'failed' || staged)) {
    const superseded = await supersedeCheckpoints(rt.store, { sourceId: opts.sourceId, dataflowName: driver.dataflow, byRunId: runId });
    if (superseded.length) opts.onSuperseded?.(superseded);
  }
  return result;
}

/**
 * Resumes checkpoint `cp` with `answers` (the gate's value), recorded in the store; the resumed run
 * keeps the paused run's id. The caller has checked that the checkpoint waits for review; the
 * store's atomic claim (`beginResume`) still refuses a second resume that slips past that check.
 *
 * @example
 * ```ts
 * const cp = await getCheckpoint(rt.store, checkpointId);
 * const result = await resumeCheckpoint(rt, cp!, answersFromReviews(cp!), 'orders');
 * ```
 */
export async function resumeCheckpoint(
  rt: Runtime, cp: CheckpointWithItems, answers: unknown, sourceName: string | undefined, opts: { hooks?: readonly Hook[] } = {},
): Promise<RunResult<Record<string, unknown>>> {
  const state = (cp.checkpointState ?? {}) as { config?: Record<string, unknown>; runId?: string; gate?: string };
  const recorder = new RunRecorder(rt.store, { sourceId: cp.sourceId, ...(state.config ? { config: state.config } : {}) });
  // The paused run's config decides which @when variants exist.
  const driver = await rt.driver(cp.dataflowName, { hooks: [recorder, ...(opts.hooks ?? [])], ...(state.config ? { config: state.config } : {}) });
  const answeredAt = new Date();
  let result: RunResult<Record<string, unknown>>;
  try {
    // llmRuntime is a resource, never checkpointed: the resumed half rebuilds it from the same settings.
    result = await driver.resume(cp.checkpointId, answers, { inputs: { ...rt.inputs(), ...llmInputs(rt, cp.sourceId) }, ...(sourceName === undefined ? {} : { sourceId: sourceName }) });
  } finally {
    await recorder.flush();
  }
  // The gate took the answers without running again; the recorder only sees nodes that run.
  if (state.runId && state.gate) {
    await recordNodeExecution(rt.store, { runId: state.runId, nodeName: state.gate, status: 'done', startedAt: answeredAt, durationMs: 0 });
  }
  return result;
}

/**
 * The LLM inputs of a run: `llmConfig` from `$DATARAUM_LLM_CONFIG`, else `<root>/config/llm.yaml`
 * when it exists (the shipped file says `provider: none`: off), and the registered source's id
 * so the LLM cache entries belong to the source. Throws naming the file when it is invalid, and
 * when `DATARAUM_LLM_CONFIG` names a file that does not exist.
 *
 * @example
 * ```ts
 * llmInputs(rt, row.sourceId); // { llmConfig: { provider: 'none', ... }, sourceId: '6f1c...' }
 * ```
 */
export function llmInputs(rt: Pick<Runtime, 'root'>, sourceId: string | null, env: NodeJS.ProcessEnv = process.env): Record<string, unknown> {
  const chosen = env.DATARAUM_LLM_CONFIG;
  const file = chosen ? resolve(chosen) : resolve(rt.root, 'config', 'llm.yaml');
  if (chosen && !existsSync(file)) {
    throw new Error(`DATARAUM_LLM_CONFIG points to ${file}, which does not exist; fix the path or unset the variable to use config/llm.yaml`);
  }
  return { ...(existsSync(file) ? { llmConfig: loadLlmConfig(file) } : {}), ...(sourceId ? { sourceId } : {}) };
}

/** Who replaced a superseded checkpoint, and what of the source waits for review now. */
export interface Supersession {
  /** The later run of the source that superseded the checkpoint (undefined when unrecorded). */
  readonly runId?: string;
  readonly run?: RunRow;
  /** The source's newest checkpoint waiting for review, if any: the one to review instead. */
  readonly pendingCheckpointId?: string;
}

/**
 * What superseded checkpoint `cp`: the later run recorded in its summary, and the source's
 * checkpoint waiting for review now (of a later run still, perhaps).
 *
 * @example
 * ```ts
 * if (cp.status === 'superseded') {
 *   const { runId, pendingCheckpointId } = await supersession(rt.store, cp);
 * }
 * ```
 */
export async function supersession(store: Store, cp: CheckpointWithItems): Promise<Supersession> {
  const by = (cp.resultSummary as { supersededBy?: unknown } | null)?.supersededBy;
  const runId = typeof by === 'string' ? by : undefined;
  const run = runId ? await getRun(store, runId) : undefined;
  const pending = cp.sourceId
    ? await store.db.selectFrom('checkpoints').select('checkpointId')
      .where('sourceId', '=', cp.sourceId).where('dataflowName', '=', cp.dataflowName).where('status', '=', 'pending_review')
      .orderBy('createdAt', 'desc').executeTakeFirst()
    : undefined;
  return { ...(runId ? { runId } : {}), ...(run ? { run } : {}), ...(pending ? { pendingCheckpointId: pending.checkpointId } : {}) };
}

/** The run id a resume of `cp` continues. */
export function runIdOfCheckpoint(cp: CheckpointWithItems): string | undefined {
  return (cp.checkpointState as { runId?: string } | null)?.runId;
}

/** What a background job keeps of a run's result. */
export function outcomeOf(result: RunResult<Record<string, unknown>>): RunOutcome {
  if (result.status === 'completed') return { status: 'completed' };
  if (result.status === 'pending_review') return { status: 'pending_review', checkpointId: result.checkpoint.checkpointId };
  return { status: 'failed', error: result.error.message };
}

/** The dataflow's sinks (nodes nobody consumes): what a run computes by default. */
export function sinks(driver: Driver): string[] {
  const vars = driver.listVariables();
  const consumed = new Set(vars.flatMap((v) => v.dependencies));
  return vars.filter((v) => !v.isExternalInput && !consumed.has(v.name)).map((v) => v.name);
}
