/**
 * The execution graph: nodes numbered 0..n-1, dependencies and consumers in flat typed arrays
 * (CSR layout), a precomputed topological order. Built once per driver; every execute walks
 * these arrays without allocating per node.
 */
import { DataraumError } from '../errors.ts';
import type { ManifestNode } from '../manifest.ts';

export const KIND_FUNCTION = 0;
export const KIND_INPUT = 1;
export const KIND_GATE = 2;
export const KIND_EXTRACT = 3;

/** A manifest node with its implementation attached. */
export interface ResolvedNode {
  readonly spec: ManifestNode;
  /** The function to call (for `extract` nodes, the field accessor; none for inputs). */
  readonly fn?: Function;
  /** Output checks: schemas resolved from the node's module. */
  readonly checks?: readonly ResolvedCheck[];
}

/** A Standard Schema (zod 4 implements it); the engine needs nothing more of a schema library. */
export interface StandardSchemaLike {
  readonly '~standard': {
    validate(value: unknown): StandardResult | Promise<StandardResult>;
  };
}
type StandardResult = { value?: unknown; issues?: readonly { message: string; path?: readonly unknown[] }[] };

export interface ResolvedCheck {
  readonly schemaName: string;
  readonly schema: StandardSchemaLike;
  readonly level: 'warn' | 'fail';
}

export class CompiledGraph {
  readonly size: number;
  readonly names: readonly string[];
  readonly index: ReadonlyMap<string, number>;
  readonly nodes: readonly ResolvedNode[];
  readonly kinds: Uint8Array;
  readonly fns: readonly (Function | undefined)[];
  /** deps of node i: depIdx[depStart[i] .. depStart[i+1]) feeding parameter depSlot[k]. */
  readonly depStart: Int32Array;
  readonly depIdx: Int32Array;
  readonly depSlot: Int32Array;
  readonly depOptional: Uint8Array;
  /** consumers of node i (one entry per edge). */
  readonly consStart: Int32Array;
  readonly consIdx: Int32Array;
  /** Node indices in a topological order; topoPos[i] = position of node i in it. */
  readonly topo: Int32Array;
  readonly topoPos: Int32Array;
  /** Per node: argument count and literal arguments bound by `@parameterize`. */
  readonly arity: Int32Array;
  readonly boundArgs: readonly (readonly [number, unknown][] | undefined)[];

  constructor(resolved: readonly ResolvedNode[]) {
    const n = resolved.length;
    this.size = n;
    this.nodes = resolved;
    const names: string[] = new Array(n);
    const index = new Map<string, number>();
    for (let i = 0; i < n; i++) {
      const name = resolved[i].spec.name;
      if (index.has(name)) {
        const a = resolved[index.get(name)!].spec;
        throw new DataraumError('GRAPH_INVALID', `Node '${name}' is defined twice (${where(a)} and ${where(resolved[i].spec)})`);
      }
      names[i] = name;
      index.set(name, i);
    }
    this.names = names;
    this.index = index;

    this.kinds = new Uint8Array(n);
    const fns: (Function | undefined)[] = new Array(n);
    let edges = 0;
    for (let i = 0; i < n; i++) {
      const spec = resolved[i].spec;
      this.kinds[i] = kindCode(spec.kind);
      fns[i] = resolved[i].fn;
      edges += spec.deps.length;
      if (spec.kind !== 'input' && typeof fns[i] !== 'function') {
        throw new DataraumError('GRAPH_INVALID', `Node '${spec.name}' has no function (${spec.module}#${spec.fn} is not an exported function)`);
      }
    }
    this.fns = fns;

    this.depStart = new Int32Array(n + 1);
    this.depIdx = new Int32Array(edges);
    this.depSlot = new Int32Array(edges);
    this.depOptional = new Uint8Array(edges);
    this.arity = new Int32Array(n);
    const boundArgs: (readonly [number, unknown][] | undefined)[] = new Array(n);
    const outDegree = new Int32Array(n);
    let e = 0;
    for (let i = 0; i < n; i++) {
      const spec = resolved[i].spec;
      this.depStart[i] = e;
      const bound = spec.bound;
      let boundEntries: [number, unknown][] | undefined;
      let boundSlots: Set<number> | undefined;
      if (bound !== undefined) {
        boundEntries = Object.entries(bound).map(([k, v]) => [Number(k), v] as [number, unknown]);
        if (boundEntries.length) boundSlots = new Set(boundEntries.map((b) => b[0]));
        else boundEntries = undefined;
      }
      let slot = 0;
      const deps = spec.deps;
      for (let d = 0; d < deps.length; d++) {
        const dep = deps[d];
        if (boundSlots !== undefined) while (boundSlots.has(slot)) slot++;
        const j = index.get(dep.name);
        if (j === undefined) {
          throw new DataraumError('GRAPH_INVALID', `Node '${spec.name}' depends on '${dep.name}', which is not in the graph`);
        }
        this.depIdx[e] = j;
        this.depSlot[e] = slot;
        this.depOptional[e] = dep.optional ? 1 : 0;
        outDegree[j]++;
        e++;
        slot++;
      }
      if (boundSlots !== undefined) {
        while (boundSlots.has(slot)) slot++;
        slot = Math.max(slot, Math.max(...boundSlots) + 1);
      }
      this.arity[i] = slot;
      boundArgs[i] = boundEntries;
    }
    this.depStart[n] = e;
    this.boundArgs = boundArgs;

    this.consStart = new Int32Array(n + 1);
    for (let i = 0; i < n; i++) this.consStart[i + 1] = this.consStart[i] + outDegree[i];
    this.consIdx = new Int32Array(edges);
    const fill = this.consStart.slice(0, n);
    for (let i = 0; i < n; i++) {
      for (let k = this.depStart[i]; k < this.depStart[i + 1]; k++) this.consIdx[fill[this.depIdx[k]]++] = i;
    }

    this.topo = this.topologicalOrder();
    this.topoPos = new Int32Array(n);
    for (let p = 0; p < n; p++) this.topoPos[this.topo[p]] = p;
  }

  /** Kahn's algorithm; on a cycle, names one concretely. */
  private topologicalOrder(): Int32Array {
    const n = this.size;
    const indeg = new Int32Array(n);
    for (let i = 0; i < n; i++) indeg[i] = this.depStart[i + 1] - this.depStart[i];
    const order = new Int32Array(n);
    let head = 0;
    let tail = 0;
    for (let i = 0; i < n; i++) if (indeg[i] === 0) order[tail++] = i;
    while (head < tail) {
      const i = order[head++];
      for (let k = this.consStart[i]; k < this.consStart[i + 1]; k++) {
        const c = this.consIdx[k];
        if (--indeg[c] === 0) order[tail++] = c;
      }
    }
    if (tail < n) throw new DataraumError('GRAPH_INVALID', `The graph has a cycle: ${this.findCycle(indeg).join(' -> ')}`);
    return order;
  }

  /** Walks dependencies among the nodes Kahn could not order until a node repeats. */
  private findCycle(indeg: Int32Array): string[] {
    let start = 0;
    while (indeg[start] === 0) start++;
    const seenAt = new Map<number, number>();
    const path: number[] = [];
    let cur = start;
    while (!seenAt.has(cur)) {
      seenAt.set(cur, path.length);
      path.push(cur);
      let next = -1;
      for (let k = this.depStart[cur]; k < this.depStart[cur + 1]; k++) {
        if (indeg[this.depIdx[k]] > 0) { next = this.depIdx[k]; break; }
      }
      cur = next;
    }
    // path holds consumer -> dependency steps; print in data-flow order.
    return path.slice(seenAt.get(cur)).concat(cur).reverse().map((i) => this.names[i]);
  }

  deps(i: number): number[] {
    const out: number[] = [];
    for (let k = this.depStart[i]; k < this.depStart[i + 1]; k++) out.push(this.depIdx[k]);
    return out;
  }

  consumers(i: number): number[] {
    const out: number[] = [];
    for (let k = this.consStart[i]; k < this.consStart[i + 1]; k++) out.push(this.consIdx[k]);
    return out;
  }
}

function kindCode(kind: ManifestNode['kind']): number {
  switch (kind) {
    case 'function': return KIND_FUNCTION;
    case 'input': return KIND_INPUT;
    case 'gate': return KIND_GATE;
    case 'extract': return KIND_EXTRACT;
  }
}

function where(n: ManifestNode): string {
  return n.source ? `${n.source.file}:${n.source.line}` : n.module ? `${n.module}#${n.fn}` : 'runtime';
}
