/** Durable run records: one row per run, one per node executed in it. */
import { hostname } from 'node:os';
import type { Selectable } from 'kysely';
import { StoreError } from '../errors.ts';
import type { NodeExecutionStatus, NodeExecutionsTable, RunStatus, RunsTable } from '../schema/engine.ts';
import { isForeignKeyViolation } from '../sql-errors.ts';
import { isUuid, now, type StoreContext } from './context.ts';
import { processAlive } from '../process-liveness.ts';

/** `host:pid` of this process: who a run it starts belongs to. */
export const RUN_OWNER = `${hostname()}:${process.pid}`;

export type RunRow = Selectable<RunsTable>;
export type NodeExecutionRow = Selectable<NodeExecutionsTable>;
export interface RunWithNodes extends RunRow {
  /** In the order they started (not-started ones last, by name). */
  readonly nodes: NodeExecutionRow[];
}

export interface StartRunInput {
  /** Defaults to a new uuid. */
  readonly runId?: string;
  readonly dataflowName: string;
  readonly sourceId?: string | null;
  readonly finalVars?: readonly string[];
  readonly config?: unknown;
  readonly startedAt?: string | Date;
}

/**
 * Records a run as `running`.
 *
 * @example
 * ```ts
 * const run = await startRun(store, { dataflowName: 'ingest', finalVars: ['contextDocument'] });
 * await recordNodeExecution(store, { runId: run.runId, nodeName: 'staging', status: 'done', durationMs: 12 });
 * await finishRun(store, run.runId, { status: 'completed' });
 * ```
 */
export async function startRun(store: StoreContext, input: StartRunInput): Promise<RunRow> {
  if (input.runId !== undefined && !isUuid(input.runId)) {
    throw new StoreError('INVALID_VALUE', `Cannot start a run with id '${input.runId}': run ids are uuids (omit runId to get one).`);
  }
  if (input.sourceId != null && !isUuid(input.sourceId)) {
    throw new StoreError('NOT_FOUND', `Cannot start a run of '${input.dataflowName}': source ${input.sourceId} does not exist (source ids are uuids; getSourceByName finds one by name).`);
  }
  try {
    return await store.db
      .insertInto('runs')
      .values({
        runId: input.runId ?? crypto.randomUUID(),
        dataflowName: input.dataflowName,
        sourceId: input.sourceId ?? null,
        status: 'running',
        finalVars: input.finalVars ? [...input.finalVars] : null,
        config: input.config ?? null,
        startedAt: input.startedAt ?? now(),
        owner: RUN_OWNER,
      })
      .returningAll()
      .executeTakeFirstOrThrow();
  } catch (error) {
    if (isForeignKeyViolation(error)) {
      throw new StoreError('NOT_FOUND', `Cannot start a run of '${input.dataflowName}': source ${input.sourceId} does not exist. Create it with upsertSource first.`, { cause: error });
    }
    throw error;
  }
}

export interface NodeExecutionInput {
  readonly runId: string;
  readonly nodeName: string;
  readonly status: NodeExecutionStatus;
  readonly startedAt?: string | Date | null;
  readonly durationMs?: number | null;
  readonly cacheHit?: boolean;
  readonly cacheKey?: string | null;
  readonly errorMessage?: string | null;
}

/** Records what happened to one node of a run; recording the same node again replaces it. */
export async function recordNodeExecution(store: StoreContext, input: NodeExecutionInput): Promise<NodeExecutionRow> {
  const fields = {
    status: input.status,
    startedAt: input.startedAt ?? null,
    durationMs: input.durationMs ?? null,
    cacheHit: input.cacheHit ?? input.status === 'cached',
    cacheKey: input.cacheKey ?? null,
    errorMessage: input.errorMessage ?? null,
  };
  if (!isUuid(input.runId)) {
    throw new StoreError('NOT_FOUND', `Cannot record node '${input.nodeName}': run ${input.runId} does not exist. Call startRun first.`);
  }
  try {
    return await store.db
      .insertInto('nodeExecutions')
      .values({ executionId: crypto.randomUUID(), runId: input.runId, nodeName: input.nodeName, ...fields })
      .onConflict((oc) => oc.columns(['runId', 'nodeName']).doUpdateSet(fields))
      .returningAll()
      .executeTakeFirstOrThrow();
  } catch (error) {
    if (isForeignKeyViolation(error)) {
      throw new StoreError('NOT_FOUND', `Cannot record node '${input.nodeName}': run ${input.runId} does not exist. Call startRun first.`, { cause: error });
    }
    throw error;
  }
}

export interface FinishRunInput {
  readonly status: Exclude<RunStatus, 'running'>;
  readonly errorMessage?: string | null;
  readonly finishedAt?: string | Date;
  /** Defaults to finishedAt - startedAt. */
  readonly durationMs?: number;
}

/** Ends a `running` run (or a `pending_review` one that was resumed) with its final status. */
export async function finishRun(store: StoreContext, runId: string, input: FinishRunInput): Promise<RunRow> {
  const run = isUuid(runId) && await store.db.selectFrom('runs').select(['startedAt', 'status']).where('runId', '=', runId).executeTakeFirst();
  if (!run) throw new StoreError('NOT_FOUND', `Cannot finish run ${runId}: no such run. Check the id (listRuns shows recent runs).`);
  const finishedAt = input.finishedAt ? new Date(input.finishedAt) : new Date();
  const updated = await store.db
    .updateTable('runs')
    .set({
      status: input.status,
      errorMessage: input.errorMessage ?? null,
      finishedAt,
      durationMs: input.durationMs ?? Math.max(0, finishedAt.getTime() - new Date(run.startedAt).getTime()),
    })
    .where('runId', '=', runId)
    .where('status', 'in', ['running', 'pending_review'])
    .returningAll()
    .executeTakeFirst();
  if (!updated) {
    throw new StoreError('INVALID_STATE', `Cannot finish run ${runId}: it already ended as '${run.status}'. Start a new run instead.`);
  }
  return updated;
}

export interface RunFilter {
  readonly dataflow?: string;
  readonly sourceId?: string;
  readonly status?: RunStatus;
}

/** Runs matching the filter, newest first (at most `limit`, default 50). */
export async function listRuns(store: StoreContext, filter: RunFilter & { readonly limit?: number } = {}): Promise<RunRow[]> {
  let query = store.db.selectFrom('runs').selectAll();
  if (filter.dataflow !== undefined) query = query.where('dataflowName', '=', filter.dataflow);
  if (filter.sourceId !== undefined) {
    if (!isUuid(filter.sourceId)) return [];
    query = query.where('sourceId', '=', filter.sourceId);
  }
  if (filter.status !== undefined) query = query.where('status', '=', filter.status);
  return query.orderBy('startedAt', 'desc').orderBy('runId', 'desc').limit(filter.limit ?? 50).execute();
}

/** The newest run matching the filter, or undefined. */
export async function lastRun(store: StoreContext, filter: RunFilter = {}): Promise<RunRow | undefined> {
  return (await listRuns(store, { ...filter, limit: 1 }))[0];
}

/** A run with its node executions, or undefined when there is no such run. */
export async function getRun(store: StoreContext, runId: string): Promise<RunWithNodes | undefined> {
  if (!isUuid(runId)) return undefined;
  const run = await store.db.selectFrom('runs').selectAll().where('runId', '=', runId).executeTakeFirst();
  if (!run) return undefined;
  const nodes = await store.db
    .selectFrom('nodeExecutions')
    .selectAll()
    .where('runId', '=', runId)
    .orderBy('startedAt')
    .orderBy('nodeName')
    .execute();
  // NULLs sort first on SQLite and last on PostgreSQL: put not-started nodes last on both.
  nodes.sort((a, b) => Number(a.startedAt === null) - Number(b.startedAt === null));
  return { ...run, nodes };
}

/**
 * Marks failed the runs still `running` whose process is gone: recorded on this host by a process
 * that no longer exists (killed, crashed, a server that restarted). Runs of other hosts and of
 * live processes are left alone. Returns the runs it marked.
 *
 * @example
 * ```ts
 * await reapOrphanedRuns(store); // e.g. ['8d0c…'] after a `dataraum serve` was killed mid-run
 * ```
 */
export async function reapOrphanedRuns(store: StoreContext): Promise<string[]> {
  const host = `${hostname()}:`;
  const running = await store.db.selectFrom('runs').select(['runId', 'owner', 'startedAt']).where('status', '=', 'running').where('owner', 'like', `${host}%`).execute();
  const reaped: string[] = [];
  for (const run of running) {
    const pid = Number(run.owner!.slice(host.length));
    if (!Number.isInteger(pid) || pid === process.pid || processAlive(pid)) continue;
    const finishedAt = new Date();
    const updated = await store.db
      .updateTable('runs')
      .set({
        status: 'failed',
        errorMessage: `interrupted: the process that ran it (pid ${pid}) exited before it finished`,
        finishedAt,
        durationMs: finishedAt.getTime() - new Date(run.startedAt).getTime(),
      })
      .where('runId', '=', run.runId)
      .where('status', '=', 'running')
      .executeTakeFirst();
    if (Number(updated.numUpdatedRows) > 0) reaped.push(run.runId);
  }
  return reaped;
}
