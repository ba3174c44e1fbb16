/**
 * The hot path: executes a plan. Ready nodes are kept on a stack; a synchronous node completes
 * in place (no promise, no allocation per node), an async one is counted in flight and wakes the
 * loop when it settles. At most `maxParallel` promises are in flight. Dependencies' values are
 * released as soon as their last consumer has been called, unless they were requested.
 */
import { CheckFailedError, NodeExecutionError, type CheckIssue } from '../errors.ts';
import { gateNeedsReview, isGateOutcome } from '../gate.ts';
import { KIND_GATE, type CompiledGraph, type ResolvedCheck } from '../graph/compiled-graph.ts';
import type { Hook, NodeOutcome } from '../hooks.ts';
import type { CheckWarning, ReviewItem } from '../result.ts';
import { TO_RUN, type ExecutionPlan } from './plan.ts';

export const O_NONE = 0;
export const O_DONE = 1;
export const O_CACHED = 2;
export const O_FAILED = 3;
export const O_SKIPPED = 4;
export const O_REVIEW = 5;
export const OUTCOME_NAMES: readonly (NodeOutcome | undefined)[] = [undefined, 'done', 'cached', 'failed', 'skipped', 'awaiting_review'];

/**
 * Optional per-node interception (the persistent cache): may answer a node without running it,
 * and sees every computed value.
 */
export interface NodeInterceptor {
  /** Returns a cached value wrapper, or undefined to compute. May be async. */
  lookup(i: number, values: readonly unknown[]): { value: unknown } | undefined | Promise<{ value: unknown } | undefined>;
  /** Called with each freshly computed value. May be async; the run waits for it before finishing. */
  store(i: number, value: unknown, values: readonly unknown[]): void | Promise<void>;
  /** Replaces a lazily loaded cached value in `values[i]` by the real one. */
  materialize(i: number, values: unknown[]): void;
  /** Called once when the run ends (flush writes). */
  finish(): void | Promise<void>;
}

export interface RunOptions {
  readonly runId: string;
  readonly maxParallel: number;
  readonly failFast: boolean;
  readonly hooks: readonly Hook[];
  readonly interceptor?: NodeInterceptor;
}

export interface RunState {
  readonly values: unknown[];
  readonly outcome: Uint8Array;
  readonly durationMs: Float64Array;
  readonly errors: Map<number, Error>;
  readonly warnings: CheckWarning[];
  /** Set when a gate asked for review. */
  pausedAt?: { readonly node: number; readonly items: readonly ReviewItem[] };
  /** Number of consumer edges that still need each node's value (for release and checkpoints). */
  readonly refs: Int32Array;
  readonly requested: Uint8Array;
}

const now = () => performance.now();

function isThenable(v: unknown): v is PromiseLike<unknown> {
  return v !== null && typeof v === 'object' && typeof (v as { then?: unknown }).then === 'function';
}

export async function runGraph(graph: CompiledGraph, plan: ExecutionPlan, opts: RunOptions): Promise<RunState> {
  const n = graph.size;
  const { depStart, depIdx, depSlot, consStart, consIdx, fns, arity, boundArgs, kinds } = graph;
  const planState = plan.state;
  const values: unknown[] = new Array(n);
  const outcome = new Uint8Array(n);
  const durationMs = new Float64Array(n);
  const pending = new Int32Array(n);
  const refs = new Int32Array(n);
  const requested = new Uint8Array(n);
  const errors = new Map<number, Error>();
  const warnings: CheckWarning[] = [];
  const st: RunState = { values, outcome, durationMs, errors, warnings, refs, requested };
  for (const i of plan.finalIdx) requested[i] = 1;
  for (const [i, v] of plan.provided) values[i] = v;

  const ready: number[] = [];
  for (let i = 0; i < n; i++) {
    if (planState[i] !== TO_RUN) continue;
    let p = 0;
    for (let k = depStart[i]; k < depStart[i + 1]; k++) {
      const j = depIdx[k];
      const s = planState[j];
      if (s === TO_RUN) p++;
      if (s !== 0) refs[j]++;
    }
    pending[i] = p;
    if (p === 0) ready.push(i);
  }
  // Run in roughly topological order: the stack pops the last pushed first.
  ready.reverse();

  const hooks = opts.hooks;
  const hasNodeHooks = hooks.some((h) => h.beforeNode || h.afterNode);
  const interceptor = opts.interceptor;
  const maxParallel = opts.maxParallel;
  const failFast = opts.failFast;
  let inflight = 0;
  let stopped = false;
  let wake: (() => void) | null = null;
  let argBufs: (unknown[] | undefined)[] | undefined;
  const storing: Promise<void>[] = [];

  const settle = () => {
    inflight--;
    if (wake) { const w = wake; wake = null; w(); }
  };

  const unlockConsumers = (i: number) => {
    for (let k = consStart[i]; k < consStart[i + 1]; k++) {
      const c = consIdx[k];
      if (planState[c] === TO_RUN && --pending[c] === 0) ready.push(c);
    }
  };

  const release = (i: number) => {
    for (let k = depStart[i]; k < depStart[i + 1]; k++) {
      const j = depIdx[k];
      if (--refs[j] === 0 && requested[j] === 0 && planState[j] === TO_RUN) values[j] = undefined;
    }
  };

  const fail = (i: number, err: unknown, t0: number) => {
    durationMs[i] = now() - t0;
    outcome[i] = O_FAILED;
    const e = err instanceof CheckFailedError ? err : new NodeExecutionError(graph.names[i], inputNames(graph, i), err);
    errors.set(i, e);
    if (failFast) stopped = true;
    if (hasNodeHooks) afterNodeHooks(hooks, opts.runId, graph, i, 'failed', durationMs[i], e, false);
  };

  const finish = (i: number, v: unknown, t0: number, cacheHit: boolean) => {
    if (kinds[i] === KIND_GATE && isGateOutcome(v)) {
      if (gateNeedsReview(v)) {
        durationMs[i] = now() - t0;
        outcome[i] = O_REVIEW;
        st.pausedAt = { node: i, items: v.items! };
        stopped = true;
        if (hasNodeHooks) afterNodeHooks(hooks, opts.runId, graph, i, 'awaiting_review', durationMs[i], undefined, false);
        return;
      }
      v = v.value;
    }
    const checks = graph.nodes[i].checks;
    if (checks !== undefined && checks.length > 0) {
      let res: void | Promise<void>;
      try {
        res = runChecks(graph.names[i], checks, v, warnings);
      } catch (err) {
        fail(i, err, t0);
        return;
      }
      if (res !== undefined) {
        inflight++;
        res.then(() => { complete(i, v, t0, cacheHit); settle(); }, (e) => { fail(i, e, t0); settle(); });
        return;
      }
    }
    complete(i, v, t0, cacheHit);
  };

  const complete = (i: number, v: unknown, t0: number, cacheHit: boolean) => {
    values[i] = v;
    durationMs[i] = now() - t0;
    outcome[i] = cacheHit ? O_CACHED : O_DONE;
    if (interceptor && !cacheHit) {
      let s: void | Promise<void>;
      try {
        s = interceptor.store(i, v, values);
      } catch (err) {
        fail(i, err, t0);
        return;
      }
      if (isThenable(s)) storing.push(Promise.resolve(s).catch((e) => { errors.set(i, e); outcome[i] = O_FAILED; }));
    }
    if (hasNodeHooks) afterNodeHooks(hooks, opts.runId, graph, i, cacheHit ? 'cached' : 'done', durationMs[i], undefined, cacheHit);
    unlockConsumers(i);
  };

  const call = (i: number, t0: number) => {
    const fn = fns[i]!;
    const a = arity[i];
    const bound = boundArgs[i];
    let r: unknown;
    try {
      if (bound === undefined && a <= 3 && depStart[i + 1] - depStart[i] === a) {
        const s = depStart[i];
        r = a === 0 ? fn() : a === 1 ? fn(values[depIdx[s]]) : a === 2 ? fn(values[depIdx[s]], values[depIdx[s + 1]])
          : fn(values[depIdx[s]], values[depIdx[s + 1]], values[depIdx[s + 2]]);
      } else {
        argBufs ??= new Array(n);
        let args = argBufs[i];
        if (args === undefined) {
          args = argBufs[i] = new Array(a);
          if (bound) for (const [slot, val] of bound) args[slot] = val;
        }
        for (let k = depStart[i]; k < depStart[i + 1]; k++) args[depSlot[k]] = values[depIdx[k]];
        r = fn.apply(undefined, args);
        for (let k = depStart[i]; k < depStart[i + 1]; k++) args[depSlot[k]] = undefined;
      }
    } catch (err) {
      release(i);
      fail(i, err, t0);
      return;
    }
    release(i);
    if (isThenable(r)) {
      inflight++;
      r.then((v) => { finish(i, v, t0, false); settle(); }, (e) => { fail(i, e, t0); settle(); });
    } else {
      finish(i, r, t0, false);
    }
  };

  const lookupThenCall = (i: number, t0: number) => {
    let hit: { value: unknown } | undefined | Promise<{ value: unknown } | undefined>;
    try {
      hit = interceptor!.lookup(i, values);
    } catch (err) {
      fail(i, err, t0);
      return;
    }
    if (isThenable(hit)) {
      inflight++;
      (hit as Promise<{ value: unknown } | undefined>).then(
        (h) => {
          if (h !== undefined) { release(i); complete(i, h.value, t0, true); }
          else call(i, t0);
          settle();
        },
        (e) => { fail(i, e, t0); settle(); },
      );
      return;
    }
    if (hit !== undefined) { release(i); complete(i, hit.value, t0, true); }
    else call(i, t0);
  };

  for (;;) {
    while (ready.length > 0 && inflight < maxParallel && !stopped) {
      const i = ready.pop()!;
      if (hasNodeHooks) beforeNodeHooks(hooks, opts.runId, graph, i);
      const t0 = now();
      if (interceptor !== undefined) lookupThenCall(i, t0);
      else call(i, t0);
    }
    if (inflight === 0) break;
    await new Promise<void>((resolve) => { wake = resolve; });
  }
  if (storing.length) await Promise.all(storing);
  if (interceptor) {
    // Requested values that were cache hits are read now; so are values a checkpoint must keep.
    for (let i = 0; i < n; i++) {
      if (requested[i] === 1 || (st.pausedAt && refs[i] > 0)) {
        try {
          interceptor.materialize(i, values);
        } catch (err) {
          errors.set(i, err as Error);
          outcome[i] = O_FAILED;
        }
      }
    }
    await interceptor.finish();
  }

  // Whatever was planned but never ran was skipped (upstream failure, fail-fast stop, or a gate pause).
  for (let i = 0; i < n; i++) {
    if (planState[i] === TO_RUN && outcome[i] === O_NONE) {
      outcome[i] = O_SKIPPED;
      if (hasNodeHooks) afterNodeHooks(hooks, opts.runId, graph, i, 'skipped', 0, undefined, false);
    }
  }
  return st;
}

function runChecks(node: string, checks: readonly ResolvedCheck[], value: unknown, warnings: CheckWarning[]): void | Promise<void> {
  const pendingChecks: Promise<void>[] = [];
  for (const c of checks) {
    const r = c.schema['~standard'].validate(value);
    const handle = (res: { issues?: readonly { message: string; path?: readonly unknown[] }[] }) => {
      if (!res.issues || res.issues.length === 0) return;
      const issues: CheckIssue[] = res.issues.map((iss) => ({
        path: (iss.path ?? []).map((p) => (typeof p === 'object' && p !== null && 'key' in p ? (p as { key: PropertyKey }).key : p) as string | number),
        message: iss.message,
      }));
      if (c.level === 'fail') throw new CheckFailedError(node, c.schemaName, issues);
      warnings.push({ node, schema: c.schemaName, issues });
    };
    if (isThenable(r)) pendingChecks.push(Promise.resolve(r).then(handle));
    else handle(r);
  }
  if (pendingChecks.length) return Promise.all(pendingChecks).then(() => undefined);
}

export function inputNames(graph: CompiledGraph, i: number): string[] {
  const out: string[] = [];
  for (let k = graph.depStart[i]; k < graph.depStart[i + 1]; k++) out.push(graph.names[graph.depIdx[k]]);
  return out;
}

function beforeNodeHooks(hooks: readonly Hook[], runId: string, graph: CompiledGraph, i: number) {
  const ctx = { runId, node: graph.names[i], tags: graph.nodes[i].spec.tags };
  for (const h of hooks) h.beforeNode?.(ctx);
}

function afterNodeHooks(
  hooks: readonly Hook[], runId: string, graph: CompiledGraph, i: number,
  outcome: NodeOutcome, durationMs: number, error: unknown, cacheHit: boolean,
) {
  const res = { runId, node: graph.names[i], tags: graph.nodes[i].spec.tags, outcome, durationMs, error, cacheHit };
  for (const h of hooks) h.afterNode?.(res);
}

