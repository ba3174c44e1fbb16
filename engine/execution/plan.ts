/**
 * Planning an execution: the upstream closure of the requested values, cut at overrides,
 * with every missing input and unknown name collected before anything runs. Iterative, so
 * graph depth is never a limit.
 */
import { InvalidExecutionError, suggest, type ExecutionProblem } from '../errors.ts';
import { KIND_INPUT, type CompiledGraph } from '../graph/compiled-graph.ts';

/** Per-node plan states. */
export const NOT_NEEDED = 0;
/** Will be computed. */
export const TO_RUN = 1;
/** Value given up front (input, config value, override, resumed checkpoint value). */
export const PROVIDED = 2;

export interface ExecutionPlan {
  readonly finalIdx: Int32Array;
  /** NOT_NEEDED | TO_RUN | PROVIDED per node. */
  readonly state: Uint8Array;
  /** Count of nodes TO_RUN. */
  readonly toRun: number;
  /** Values of PROVIDED nodes, by node index. */
  readonly provided: Map<number, unknown>;
}

export interface PlanRequest {
  readonly finalVars: readonly string[];
  readonly inputs?: Readonly<Record<string, unknown>>;
  readonly overrides?: Readonly<Record<string, unknown>>;
  /** Build config: its values also feed inputs of the same name (inputs win). */
  readonly config?: Readonly<Record<string, unknown>>;
}

export function planExecution(graph: CompiledGraph, req: PlanRequest): ExecutionPlan {
  const problems: ExecutionProblem[] = [];
  const n = graph.size;
  const state = new Uint8Array(n);
  const provided = new Map<number, unknown>();

  const finalIdx = new Int32Array(req.finalVars.length);
  req.finalVars.forEach((name, k) => {
    const i = graph.index.get(name);
    if (i === undefined) problems.push({ kind: 'unknown_node', name, suggestions: suggest(name, graph.names) });
    finalIdx[k] = i ?? -1;
  });
  const overrides = req.overrides ?? {};
  for (const name of Object.keys(overrides)) {
    const i = graph.index.get(name);
    if (i === undefined) problems.push({ kind: 'unknown_node', name, suggestions: suggest(name, graph.names) });
    else provided.set(i, overrides[name]);
  }
  const inputs = req.inputs ?? {};
  const config = req.config ?? {};

  // Iterative DFS over dependencies. `via` remembers who needed an input, for the error message.
  const missing = new Map<number, Set<string>>();
  const stack: number[] = [];
  for (const i of finalIdx) if (i >= 0) stack.push(i);
  while (stack.length) {
    const i = stack.pop()!;
    if (state[i] !== NOT_NEEDED) continue;
    if (provided.has(i)) { state[i] = PROVIDED; continue; }
    if (graph.kinds[i] === KIND_INPUT) {
      const name = graph.names[i];
      if (Object.hasOwn(inputs, name)) { provided.set(i, inputs[name]); state[i] = PROVIDED; }
      else if (Object.hasOwn(config, name)) { provided.set(i, config[name]); state[i] = PROVIDED; }
      else if (!missing.has(i)) missing.set(i, new Set());
      continue;
    }
    state[i] = TO_RUN;
    for (let k = graph.depStart[i]; k < graph.depStart[i + 1]; k++) {
      const j = graph.depIdx[k];
      if (graph.kinds[j] === KIND_INPUT && !provided.has(j) && !Object.hasOwn(inputs, graph.names[j]) && !Object.hasOwn(config, graph.names[j])) {
        // An optional parameter with nothing to feed it takes the function's own default.
        if (graph.depOptional[k]) continue;
        let who = missing.get(j);
        if (!who) missing.set(j, (who = new Set()));
        who.add(graph.names[i]);
        continue;
      }
      if (state[j] === NOT_NEEDED) stack.push(j);
    }
  }
  for (const [j, who] of missing) {
    problems.push({ kind: 'missing_input', name: graph.names[j], neededBy: who.size ? [...who] : ['(requested directly)'] });
  }
  if (problems.length) throw new InvalidExecutionError(problems);

  let toRun = 0;
  for (let i = 0; i < n; i++) if (state[i] === TO_RUN) toRun++;
  return { finalIdx, state, toRun, provided };
}
