/**
 * The Driver executes a built graph: only the upstream closure of what you ask for, each node at
 * most once, async nodes concurrently, with checks, hooks, an optional persistent cache and review
 * gates that pause and resume.
 *
 * @example
 * ```ts
 * const dr = await Builder().withFunctions({
 *   spend: () => [10, 20, 30],
 *   avgSpend: (spend: number[]) => spend.reduce((a, b) => a + b, 0) / spend.length,
 * }).build();
 * const { avgSpend } = await dr.execute(['avgSpend']); // 20
 * ```
 */
import { DirectedGraph } from 'graphology';
import { CheckpointError, type CheckpointStore, type CheckpointState } from './checkpoint/checkpoint-store.ts';
import { DataraumError, InvalidExecutionError, suggest } from './errors.ts';
import { planExecution, PROVIDED, TO_RUN, type ExecutionPlan } from './execution/plan.ts';
import { O_CACHED, O_DONE, O_FAILED, O_SKIPPED, OUTCOME_NAMES, runGraph, type NodeInterceptor, type RunState } from './execution/run-graph.ts';
import { KIND_INPUT, type CompiledGraph } from './graph/compiled-graph.ts';
import type { Hook } from './hooks.ts';
import type { Manifest, ManifestNode } from './manifest.ts';
import type { NodeRunRecord, RunResult } from './result.ts';
import { deserializeValue, findUnserializable, serializeValue } from './serialize.ts';

export interface ExecuteOptions {
  /** Values for input nodes (parameters no node produces). */
  readonly inputs?: Readonly<Record<string, unknown>>;
  /** Replace any node's value; its upstream is not computed. */
  readonly overrides?: Readonly<Record<string, unknown>>;
  /** Stop at the first failure (default), or let independent branches finish. */
  readonly failFast?: boolean;
  /** Max async nodes in flight (defaults to the builder's). */
  readonly maxParallel?: number;
  /** Extra hooks for this run only. */
  readonly hooks?: readonly Hook[];
  /** What this run is about (e.g. a source): recorded on checkpoints and cache entries. */
  readonly sourceId?: string | null;
  readonly runId?: string;
}

/** Which requested values an execution should produce: names, or every node matching tags. */
export type FinalVars<K extends string> = readonly K[] | { readonly tags: TagFilter };

/** `{ module: 'profiling' }` matches a node tagged `module=profiling`; an array value matches any of them. */
export type TagFilter = Readonly<Record<string, string | readonly string[]>>;

export interface VariableInfo {
  readonly name: string;
  readonly kind: ManifestNode['kind'];
  readonly type: string;
  readonly doc: string;
  readonly tags: ManifestNode['tags'];
  readonly dependencies: readonly string[];
  readonly optionalDependencies: readonly string[];
  readonly isExternalInput: boolean;
  readonly source?: ManifestNode['source'];
}

/** A cache behind the driver: builds a per-run interceptor. */
export interface CacheAdapter {
  forRun(graph: CompiledGraph, plan: ExecutionPlan, runId: string, scope: string | null, dataflow: string): NodeInterceptor;
}

export interface DriverInternals {
  readonly dataflow: string;
  readonly graph: CompiledGraph;
  readonly config: Readonly<Record<string, unknown>>;
  readonly hooks: readonly Hook[];
  readonly maxParallel: number;
  readonly checkpoints: CheckpointStore;
  readonly cache?: CacheAdapter;
}

type Values<T, K extends keyof T> = { [P in K]: T[P] };

export class Driver<T extends Record<string, unknown> = Record<string, unknown>> {
  readonly #d: DriverInternals;

  constructor(internals: DriverInternals) {
    this.#d = internals;
  }

  get dataflow(): string {
    return this.#d.dataflow;
  }

  /** The graph as a manifest (config applied, runtime nodes included) — what `viz/` draws. */
  get manifest(): Manifest {
    return { version: 1, dataflow: this.#d.dataflow, nodes: this.#d.graph.nodes.map((n) => n.spec) };
  }

  /** The graph as a graphology DirectedGraph, for analysis. */
  toGraphology(): DirectedGraph {
    const g = new DirectedGraph();
    const graph = this.#d.graph;
    for (const n of graph.nodes) g.addNode(n.spec.name, { kind: n.spec.kind, type: n.spec.type, tags: n.spec.tags });
    for (let i = 0; i < graph.size; i++) for (const j of graph.deps(i)) g.mergeEdge(graph.names[j], graph.names[i]);
    return g;
  }

  /**
   * Computes the requested values and returns them; throws on failure or when a gate pauses the
   * run (use `run` to get a `RunResult` instead).
   */
  async execute<K extends keyof T & string>(finalVars: FinalVars<K>, options: ExecuteOptions = {}): Promise<Values<T, K>> {
    const result = await this.run(finalVars, options);
    if (result.status === 'completed') return result.values;
    if (result.status === 'failed') throw result.error;
    throw new CheckpointError(
      `The run paused at review gate '${result.checkpoint.gate}' (checkpoint ${result.checkpoint.checkpointId}, ` +
        `${result.checkpoint.items.length} item(s)); answer it with driver.resume('${result.checkpoint.checkpointId}', answers)`,
    );
  }

  /** Like `execute`, but returns a `RunResult`: completed, failed (with per-node status) or pending_review. */
  async run<K extends keyof T & string>(finalVars: FinalVars<K>, options: ExecuteOptions = {}): Promise<RunResult<Values<T, K>>> {
    const names = this.#resolveFinalVars(finalVars);
    const plan = planExecution(this.#d.graph, { finalVars: names, inputs: options.inputs, overrides: options.overrides, config: this.#d.config });
    return this.#runPlan(names, plan, options);
  }

  /** Checks that `execute(finalVars, options)` could run: throws `InvalidExecutionError` listing every problem. */
  validateExecution(finalVars: FinalVars<string>, options: Pick<ExecuteOptions, 'inputs' | 'overrides'> = {}): void {
    planExecution(this.#d.graph, { finalVars: this.#resolveFinalVars(finalVars), inputs: options.inputs, overrides: options.overrides, config: this.#d.config });
  }

  /** Every node, optionally filtered by tags and/or kind. */
  listVariables(filter: { tags?: TagFilter; kind?: ManifestNode['kind'] } = {}): VariableInfo[] {
    const graph = this.#d.graph;
    const out: VariableInfo[] = [];
    for (let i = 0; i < graph.size; i++) {
      const spec = graph.nodes[i].spec;
      if (filter.kind && spec.kind !== filter.kind) continue;
      if (filter.tags && !matchesTags(spec.tags, filter.tags)) continue;
      out.push({
        name: spec.name, kind: spec.kind, type: spec.type, doc: spec.doc, tags: spec.tags,
        dependencies: spec.deps.map((d) => d.name),
        optionalDependencies: spec.deps.filter((d) => d.optional).map((d) => d.name),
        isExternalInput: graph.kinds[i] === KIND_INPUT, source: spec.source,
      });
    }
    return out;
  }

  /** All nodes the given nodes (transitively) depend on, in topological order. */
  upstreamOf(...names: string[]): string[] {
    return this.#walk(names, (i) => this.#d.graph.deps(i));
  }

  /** All nodes that (transitively) depend on the given nodes, in topological order. */
  downstreamOf(...names: string[]): string[] {
    return this.#walk(names, (i) => this.#d.graph.consumers(i));
  }

  /** Nodes on any path from `from` to `to` (both included), in topological order; empty if none. */
  pathBetween(from: string, to: string): string[] {
    const down = new Set(this.downstreamOf(from));
    const up = new Set(this.upstreamOf(to));
    const between = [...down].filter((n) => up.has(n));
    if (!down.has(to)) return [];
    return this.#sortTopo([from, ...between, to]);
  }

  /**
   * Resumes a run paused at a review gate: `answers` become the gate's value, no completed node runs
   * again, and the run goes on (possibly to the next gate). Validation happens before anything changes.
   */
  async resume<K extends keyof T & string = keyof T & string>(
    checkpointId: string, answers: unknown, options: Pick<ExecuteOptions, 'inputs' | 'hooks' | 'failFast' | 'maxParallel' | 'sourceId'> = {},
  ): Promise<RunResult<Values<T, K>>> {
    const store = this.#d.checkpoints;
    const cp = await store.get(checkpointId);
    if (!cp) throw new CheckpointError(`Checkpoint '${checkpointId}' does not exist`);
    if (cp.status !== 'pending_review') throw new CheckpointError(`Checkpoint '${checkpointId}' is ${cp.status}; only a checkpoint pending review can be resumed`);
    const state = cp.state;
    if (state.dataflow !== this.#d.dataflow) {
      throw new CheckpointError(`Checkpoint '${checkpointId}' belongs to dataflow '${state.dataflow}', not '${this.#d.dataflow}'`);
    }
    const graph = this.#d.graph;
    const gateIdx = graph.index.get(state.gate);
    if (gateIdx === undefined) throw new CheckpointError(`Gate '${state.gate}' of checkpoint '${checkpointId}' is no longer in the dataflow`);
    const checks = graph.nodes[gateIdx].checks ?? [];
    for (const c of checks) {
      const res = await c.schema['~standard'].validate(answers);
      if (res.issues?.length) {
        throw new DataraumError('CHECK_FAILED', `Answers for gate '${state.gate}' don't match ${c.schemaName}: ${res.issues.slice(0, 5).map((i) => `${(i.path ?? []).map((p) => (typeof p === 'object' && p && 'key' in p ? String((p as { key: PropertyKey }).key) : String(p))).join('.') || '(root)'}: ${i.message}`).join('; ')}`);
      }
    }
    const saved = deserializeValue(Buffer.from(state.values, 'base64')) as { overrides: Record<string, unknown>; inputs: Record<string, unknown> };
    const missing = state.resupply.filter((n) => !(options.inputs && Object.hasOwn(options.inputs, n)));
    if (missing.length) {
      throw new InvalidExecutionError(missing.map((name) => ({ kind: 'missing_input' as const, name, neededBy: ['resume (this input could not be saved in the checkpoint)'] })));
    }
    const plan = planExecution(graph, {
      finalVars: state.finalVars,
      inputs: { ...saved.inputs, ...options.inputs },
      overrides: { ...saved.overrides, [state.gate]: answers },
      config: this.#d.config,
    });
    await store.beginResume(checkpointId);
    let result: RunResult<Values<T, K>>;
    try {
      result = await this.#runPlan(state.finalVars as K[], plan, { ...options, sourceId: options.sourceId ?? state.sourceId ?? null, runId: state.runId });
    } catch (err) {
      await store.fail(checkpointId, err instanceof Error ? err.message : String(err));
      throw err;
    }
    if (result.status === 'failed') await store.fail(checkpointId, result.error.message);
    else await store.complete(checkpointId, { status: result.status, nextCheckpoint: result.status === 'pending_review' ? result.checkpoint.checkpointId : undefined });
    return result;
  }

  async #runPlan<K extends keyof T & string>(names: readonly string[], plan: ExecutionPlan, options: ExecuteOptions): Promise<RunResult<Values<T, K>>> {
    const d = this.#d;
    const graph = d.graph;
    const runId = options.runId ?? crypto.randomUUID();
    const hooks = options.hooks?.length ? [...d.hooks, ...options.hooks] : d.hooks;
    const t0 = performance.now();
    const graphCtx = hooks.length ? {
      runId, dataflow: d.dataflow, finalVars: names,
      nodes: Array.from(graph.topo).filter((i) => plan.state[i] === TO_RUN).map((i) => graph.names[i]),
    } : undefined;
    if (graphCtx) for (const h of hooks) h.beforeGraph?.(graphCtx);
    let st: RunState;
    try {
      st = await runGraph(graph, plan, {
        runId, hooks, failFast: options.failFast ?? true,
        maxParallel: Math.max(1, options.maxParallel ?? d.maxParallel),
        interceptor: d.cache?.forRun(graph, plan, runId, options.sourceId ?? null, d.dataflow),
      });
    } catch (err) {
      if (graphCtx) for (const h of hooks) h.afterGraph?.({ ...graphCtx, status: 'failed', durationMs: performance.now() - t0, error: err });
      throw err;
    }
    const durationMs = performance.now() - t0;
    const values: Record<string, unknown> = {};
    for (const i of plan.finalIdx) {
      if (plan.state[i] === PROVIDED || st.outcome[i] === O_DONE || st.outcome[i] === O_CACHED) values[graph.names[i]] = st.values[i];
    }
    const base = { runId, durationMs, warnings: st.warnings };
    const nodes = lazyRecords(graph, plan, st);
    let result: RunResult<Values<T, K>>;
    if (st.errors.size) {
      const errors = [...st.errors.values()];
      result = { ...base, get nodes() { return nodes(); }, status: 'failed', error: errors[0], errors, values: values as Partial<Values<T, K>> };
    } else if (st.pausedAt) {
      const gateNode = graph.nodes[st.pausedAt.node].spec;
      const { state, saved } = this.#checkpointState(runId, names, plan, st, st.pausedAt.node, options.sourceId ?? null);
      const checkpointType = gateNode.gate ?? gateNode.name;
      const items = st.pausedAt.items.map((it) => ({ ...it, reviewType: it.reviewType ?? checkpointType }));
      const checkpointId = await d.checkpoints.create({ dataflowName: d.dataflow, sourceId: options.sourceId ?? null, checkpointType, state, items });
      result = { ...base, get nodes() { return nodes(); }, status: 'pending_review', checkpoint: { checkpointId, checkpointType, gate: gateNode.name, items }, saved };
    } else {
      result = { ...base, get nodes() { return nodes(); }, status: 'completed', values: values as Values<T, K> };
    }
    if (graphCtx) {
      const error = result.status === 'failed' ? result.error : undefined;
      for (const h of hooks) h.afterGraph?.({ ...graphCtx, status: result.status, durationMs, error });
    }
    return result;
  }

  /** The values a resume needs: completed nodes whose value is still referenced, plus the inputs. */
  #checkpointState(runId: string, finalVars: readonly string[], plan: ExecutionPlan, st: RunState, gate: number, sourceId: string | null): { state: CheckpointState; saved: Record<string, unknown> } {
    const graph = this.#d.graph;
    const overrides: Record<string, unknown> = {};
    const inputs: Record<string, unknown> = {};
    const resupply: string[] = [];
    for (let i = 0; i < graph.size; i++) {
      const name = graph.names[i];
      const kept = st.refs[i] > 0 || st.requested[i] === 1;
      if (plan.state[i] === PROVIDED) {
        const v = st.values[i];
        if (graph.kinds[i] === KIND_INPUT || findUnserializable(v) !== undefined) {
          if (findUnserializable(v) === undefined) inputs[name] = v;
          else resupply.push(name);
        } else overrides[name] = v;
        continue;
      }
      if (!kept || i === gate) continue;
      if (st.outcome[i] !== O_DONE && st.outcome[i] !== O_CACHED) continue;
      // Resources (connections, clients) are recreated on resume rather than saved.
      if (graph.nodes[i].spec.cache === 'ignore' || findUnserializable(st.values[i]) !== undefined) continue;
      overrides[name] = st.values[i];
    }
    const values = serializeValue({ overrides, inputs }, 'checkpoint').toString('base64');
    return { state: { dataflow: this.#d.dataflow, finalVars, gate: graph.names[gate], values, resupply, config: this.#d.config, runId, sourceId }, saved: overrides };
  }

  #resolveFinalVars(finalVars: FinalVars<string>): string[] {
    if (Array.isArray(finalVars)) return finalVars as string[];
    const tags = (finalVars as { tags: TagFilter }).tags;
    const names = this.listVariables({ tags }).filter((v) => !v.isExternalInput).map((v) => v.name);
    if (!names.length) throw new DataraumError('UNKNOWN_NODE', `No node matches tags ${JSON.stringify(tags)}`);
    return names;
  }

  #walk(names: string[], next: (i: number) => number[]): string[] {
    const graph = this.#d.graph;
    const start = names.map((name) => {
      const i = graph.index.get(name);
      if (i === undefined) throw new InvalidExecutionError([{ kind: 'unknown_node', name, suggestions: suggest(name, graph.names) }]);
      return i;
    });
    const seen = new Uint8Array(graph.size);
    const stack = [...start];
    for (const s of start) seen[s] = 1;
    while (stack.length) {
      const i = stack.pop()!;
      for (const j of next(i)) if (!seen[j]) { seen[j] = 1; stack.push(j); }
    }
    for (const s of start) seen[s] = 0;
    const out: string[] = [];
    for (const i of graph.topo) if (seen[i]) out.push(graph.names[i]);
    return out;
  }

  #sortTopo(names: string[]): string[] {
    const graph = this.#d.graph;
    return [...new Set(names)].sort((a, b) => graph.topoPos[graph.index.get(a)!] - graph.topoPos[graph.index.get(b)!]);
  }
}

function matchesTags(tags: ManifestNode['tags'], filter: TagFilter): boolean {
  for (const [key, want] of Object.entries(filter)) {
    const have = tags[key];
    if (have === undefined) return false;
    const haveList = typeof have === 'string' ? [have] : have;
    const wantList = typeof want === 'string' ? [want] : want;
    if (!wantList.some((w) => haveList.includes(w))) return false;
  }
  return true;
}

/** The failed node that a skipped node waited on, however far up (iterative). */
function failedUpstream(graph: CompiledGraph, st: RunState, i: number): number | undefined {
  const seen = new Set<number>([i]);
  const stack = [i];
  while (stack.length) {
    for (const j of graph.deps(stack.pop()!)) {
      if (st.outcome[j] === O_FAILED) return j;
      if (st.outcome[j] === O_SKIPPED && !seen.has(j)) { seen.add(j); stack.push(j); }
    }
  }
  return undefined;
}

function lazyRecords(graph: CompiledGraph, plan: ExecutionPlan, st: RunState): () => NodeRunRecord[] {
  let cache: NodeRunRecord[] | undefined;
  return () => {
    if (cache) return cache;
    cache = [];
    for (const i of graph.topo) {
      if (plan.state[i] !== TO_RUN) continue;
      const outcome = OUTCOME_NAMES[st.outcome[i]] ?? 'skipped';
      const err = st.errors.get(i);
      let error: string | undefined = err?.message;
      if (outcome === 'skipped') {
        const failedUp = failedUpstream(graph, st, i);
        if (failedUp !== undefined) error = `upstream '${graph.names[failedUp]}' failed`;
      }
      cache.push({ node: graph.names[i], outcome, durationMs: st.durationMs[i], cacheHit: outcome === 'cached', ...(error ? { error } : {}) });
    }
    return cache;
  };
}
