/**
 * A hook that records runs and node executions in the metadata store, for `dataraum status` and
 * `dataraum runs`. Hooks are synchronous, so writes are queued in order; `flush()` waits for them.
 * A resumed run keeps its id: its row goes back to `running`, now owned by this process, and
 * gathers the new node records. Its duration counts the time spent running, not the time it
 * waited for review.
 *
 * @example
 * ```ts
 * const recorder = new RunRecorder(store, { sourceId });
 * const dr = await Builder().withDataflow(m).withHooks(recorder).build();
 * await dr.run(['contextDocument']);
 * await recorder.flush();
 * ```
 */
import type { GraphHookContext, GraphHookResult, Hook, NodeHookResult } from '../engine/index.ts';
import type { StoreContext } from './repositories/context.ts';
import { finishRun, getRun, recordNodeExecution, RUN_OWNER, startRun } from './repositories/runs.ts';

export class RunRecorder implements Hook {
  readonly #store: StoreContext;
  readonly #sourceId: string | null;
  readonly #config: unknown;
  #queue: Promise<void> = Promise.resolve();
  #errors: unknown[] = [];
  /**
   * Time each run had spent running before it paused for review, set by the beforeGraph write
   * (writes run in order, so afterGraph's write sees it).
   */
  readonly #ranBefore = new Map<string, number>();

  constructor(store: StoreContext, opts: { sourceId?: string | null; config?: unknown } = {}) {
    this.#store = store;
    this.#sourceId = opts.sourceId ?? null;
    this.#config = opts.config ?? null;
  }

  #enqueue(write: () => Promise<unknown>) {
    this.#queue = this.#queue.then(write).then(() => undefined, (err) => { this.#errors.push(err); });
  }

  beforeGraph(ctx: GraphHookContext): void {
    this.#enqueue(async () => {
      const existing = await getRun(this.#store, ctx.runId);
      this.#ranBefore.set(ctx.runId, existing?.durationMs ?? 0);
      if (existing) {
        await this.#store.db.updateTable('runs').set({ status: 'running', finishedAt: null, errorMessage: null, owner: RUN_OWNER }).where('runId', '=', ctx.runId).execute();
      } else {
        await startRun(this.#store, { runId: ctx.runId, dataflowName: ctx.dataflow, sourceId: this.#sourceId, finalVars: ctx.finalVars, config: this.#config });
      }
      for (const node of ctx.nodes) {
        if (existing?.nodes.some((n) => n.nodeName === node && (n.status === 'done' || n.status === 'cached'))) continue;
        await recordNodeExecution(this.#store, { runId: ctx.runId, nodeName: node, status: 'skipped' });
      }
    });
  }

  afterNode(res: NodeHookResult): void {
    const startedAt = new Date(Date.now() - res.durationMs);
    this.#enqueue(() => recordNodeExecution(this.#store, {
      runId: res.runId, nodeName: res.node, status: res.outcome, startedAt, durationMs: Math.round(res.durationMs), cacheHit: res.cacheHit,
      errorMessage: res.error === undefined ? null : res.error instanceof Error ? res.error.message : String(res.error),
    }));
  }

  afterGraph(res: GraphHookResult): void {
    this.#enqueue(async () => {
      // Time already spent before a pause for review, plus this stretch (the engine times it).
      const durationMs = Math.round((this.#ranBefore.get(res.runId) ?? 0) + res.durationMs);
      this.#ranBefore.delete(res.runId);
      if (res.status === 'pending_review') {
        await this.#store.db.updateTable('runs').set({ status: 'pending_review', durationMs }).where('runId', '=', res.runId).execute();
        return;
      }
      await finishRun(this.#store, res.runId, {
        status: res.status,
        durationMs,
        errorMessage: res.error === undefined ? null : res.error instanceof Error ? res.error.message : String(res.error),
      });
    });
  }

  /** Waits for every queued write; throws the first write error, if any. */
  async flush(): Promise<void> {
    await this.#queue;
    if (this.#errors.length) {
      const [first] = this.#errors;
      this.#errors = [];
      throw first;
    }
  }
}
