/**
 * The persistent cache, Hamilton-style without its blind spots:
 * - key = node name + code version (its source and every project-local function it calls) +
 *   the data versions of its inputs, so editing a helper recomputes the nodes that use it;
 * - a data version is a canonical content hash of the value (equal values hash equal however
 *   they were built), and the value is stored under it;
 * - on a hit the stored data version feeds downstream keys directly and the value is loaded
 *   lazily, only if a consumer has to run or the value was requested: an all-hit run reads
 *   almost nothing;
 * - async nodes are cached like sync ones.
 *
 * Behaviours (`@cache` or `withCacheBehavior`): default (look up, else compute and store),
 * recompute (always compute, store), disable (compute, don't store), ignore (compute, never
 * store: resources such as connections, versioned downstream by their recipe — code and inputs —
 * since their value can't be fingerprinted).
 *
 * @example
 * ```ts
 * const dr = await Builder().withDataflow(manifest).withCache(new PersistentCache()).build();
 * await dr.execute(['report']); // computes and stores
 * await dr.execute(['report']); // all hits: nothing recomputed
 * ```
 */
import { hash } from 'node:crypto';
import type { CacheAdapter } from '../driver.ts';
import { DataraumError } from '../errors.ts';
import type { NodeInterceptor } from '../execution/run-graph.ts';
import type { ExecutionPlan } from '../execution/plan.ts';
import { KIND_GATE, KIND_INPUT, type CompiledGraph } from '../graph/compiled-graph.ts';
import { deserializeValue, serializeTrusted, serializeValue } from '../serialize.ts';
import type { CacheStore } from './cache-store.ts';
import { fingerprint } from './fingerprint.ts';
import { FileCacheStore } from './file-cache-store.ts';

/** Marks a cache hit whose value has not been read yet. */
const LAZY: unique symbol = Symbol('dataraum.lazy');
type Lazy = { readonly [LAZY]: string };
const lazy = (dataVersion: string): Lazy => ({ [LAZY]: dataVersion });
const isLazy = (v: unknown): v is Lazy => typeof v === 'object' && v !== null && LAZY in v;

/** An input that can't be fingerprinted (a connection passed in): left out of downstream keys. */
const IGNORED = '-';

const BEHAVIOR_CODE = { default: 0, recompute: 1, disable: 2, ignore: 3 } as const;

export interface PersistentCacheOptions {
  /** Where entries and values live (default: a FileCacheStore under .dataraum/cache). */
  readonly store?: CacheStore;
}

export class PersistentCache implements CacheAdapter {
  readonly store: CacheStore;

  constructor(opts: PersistentCacheOptions = {}) {
    this.store = opts.store ?? new FileCacheStore();
  }

  forRun(graph: CompiledGraph, plan: ExecutionPlan, _runId: string, scope: string | null = null, dataflow = 'runtime'): NodeInterceptor {
    const store = this.store;
    const n = graph.size;
    const dv: string[] = new Array(n);
    const keys: string[] = new Array(n);
    const behavior = new Uint8Array(n);
    for (let i = 0; i < n; i++) {
      behavior[i] = graph.kinds[i] === KIND_GATE ? BEHAVIOR_CODE.disable : BEHAVIOR_CODE[graph.nodes[i].spec.cache];
    }
    // Inputs and overrides: versioned by content; unserializable ones (connections) are left out.
    for (const [i, v] of plan.provided) dv[i] = fingerprint(v) ?? IGNORED;

    const keyOf = (i: number): string => {
      const spec = graph.nodes[i].spec;
      let text = `${spec.name}\u0000${spec.codeVersion}`;
      if (spec.bound !== undefined) text += `\u0000${JSON.stringify(spec.bound)}`;
      for (let k = graph.depStart[i]; k < graph.depStart[i + 1]; k++) {
        const j = graph.depIdx[k];
        // An optional input nobody supplied: the function's default applies.
        const v = plan.state[j] === 0 && graph.kinds[j] === KIND_INPUT ? 'default' : dv[j];
        text += `\u0000${v}`;
      }
      return hash('sha256', text);
    };

    const materialize = (j: number, values: unknown[]) => {
      const v = values[j];
      if (!isLazy(v)) return;
      const bytes = store.getBlob(v[LAZY]);
      if (bytes === undefined) {
        throw new DataraumError('CACHE', `The cached value of '${graph.names[j]}' (${v[LAZY]}) is missing from the cache store; run \`dataraum cache clear\` and run again`);
      }
      values[j] = deserializeValue(bytes);
    };

    return {
      lookup(i, values) {
        const b = behavior[i];
        if (b === BEHAVIOR_CODE.default) {
          const key = keyOf(i);
          keys[i] = key;
          const entry = store.getEntry(key);
          if (entry !== undefined) {
            dv[i] = entry.dataVersion;
            return { value: lazy(entry.dataVersion) };
          }
        } else if (b === BEHAVIOR_CODE.recompute) {
          keys[i] = keyOf(i);
        } else if (b === BEHAVIOR_CODE.ignore) {
          // A resource (connection, client) can't be fingerprinted; its recipe versions it: the
          // same code and inputs give the same version, a changed config or path a new one.
          dv[i] = `r:${keyOf(i)}`;
        }
        // The node runs: its inputs must be real values.
        for (let k = graph.depStart[i]; k < graph.depStart[i + 1]; k++) materialize(graph.depIdx[k], values as unknown[]);
        return undefined;
      },
      store(i, value) {
        const b = behavior[i];
        if (b === BEHAVIOR_CODE.ignore) return; // versioned by its recipe in lookup
        const canonical = fingerprint(value);
        // A fingerprinted value holds only plain data, which V8 serializes faithfully; anything else
        // goes through the checked serializer, which names what can't be stored, and the bytes
        // version what has no canonical form (shared sub-objects).
        const bytes = b === BEHAVIOR_CODE.disable && canonical !== undefined ? undefined
          : canonical !== undefined ? serializeTrusted(value) : serializeValue(value, graph.names[i]);
        const version = canonical ?? hash('sha256', bytes!);
        dv[i] = version;
        if (bytes === undefined || b === BEHAVIOR_CODE.disable) return;
        if (!store.hasBlob(version)) store.putBlob(version, bytes);
        const spec = graph.nodes[i].spec;
        store.putEntry({ key: keys[i], node: spec.name, codeVersion: spec.codeVersion, dataVersion: version, dataflow, scope, sizeBytes: bytes.byteLength, createdAt: new Date().toISOString() });
      },
      materialize,
      finish() {
        return store.flush();
      },
    };
  }
}

