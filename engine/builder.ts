/**
 * Builds a Driver. Immutable: every `with...` returns a new builder, so a base builder can be
 * shared and specialised.
 *
 * @example
 * ```ts
 * import manifest from './dataflows/weather/manifest.generated.ts';
 * const dr = await Builder()
 *   .withDataflow(manifest)              // typed: results carry the nodes' return types
 *   .withConfig({ region: 'eu' })        // selects @when variants; also feeds inputs of that name
 *   .withHooks(new ProgressBarHook())
 *   .build();
 * const { dailyMeans } = await dr.execute(['dailyMeans'], { inputs: { csvPath: 'weather.csv' } });
 * ```
 */
import { MemoryCheckpointStore, type CheckpointStore } from './checkpoint/checkpoint-store.ts';
import { Driver, type CacheAdapter } from './driver.ts';
import { DataraumError } from './errors.ts';
import { CompiledGraph, type ResolvedCheck, type ResolvedNode, type StandardSchemaLike } from './graph/compiled-graph.ts';
import { resolveConfig } from './graph/resolve-config.ts';
import type { Hook } from './hooks.ts';
import type { CacheBehavior, ManifestNode, TypedManifest } from './manifest.ts';
import { undoBundlerRenames } from './runtime/bundler-renames.ts';
import { nodesFromFunctions, type RuntimeNodeOptions } from './runtime/from-functions.ts';

type AnyFn = (...args: never[]) => unknown;
/** Node value types of runtime functions; an untyped record (e.g. a dynamic import) gives untyped values. */
type FunctionValues<F> = string extends keyof F ? Record<string, unknown> : { [K in keyof F as K extends `_${string}` ? never : F[K] extends AnyFn ? K : never]: F[K] extends AnyFn ? Awaited<ReturnType<F[K]>> : never };

/** Merges the modules of `withModules(a, b)` into one type (their union would have no common keys). */
type UnionToIntersection<U> = (U extends unknown ? (u: U) => void : never) extends (i: infer I) => void ? I : never;

type Source =
  | { readonly kind: 'manifest'; readonly typed: TypedManifest<unknown> }
  | { readonly kind: 'functions'; readonly fns: Readonly<Record<string, unknown>>; readonly origin: string; readonly options: Readonly<Record<string, RuntimeNodeOptions>> };

interface BuilderState {
  readonly sources: readonly Source[];
  readonly config: Readonly<Record<string, unknown>>;
  readonly hooks: readonly Hook[];
  readonly maxParallel: number;
  readonly checkpoints?: CheckpointStore;
  readonly cache?: CacheAdapter;
  readonly cacheBehavior: Readonly<Record<string, CacheBehavior>>;
  readonly name?: string;
}

export class DriverBuilder<T extends Record<string, unknown> = {}> {
  readonly #s: BuilderState;

  constructor(state?: BuilderState) {
    this.#s = Object.freeze(state ?? { sources: [], config: {}, hooks: [], maxParallel: 8, cacheBehavior: {} });
  }

  #with(patch: Partial<BuilderState>): BuilderState {
    return { ...this.#s, ...patch };
  }

  /** Adds a generated manifest (from `dataraum build`); results are typed by it. */
  withDataflow<U>(manifest: TypedManifest<U>): DriverBuilder<T & U & Record<string, unknown>> {
    return new DriverBuilder(this.#with({ sources: [...this.#s.sources, { kind: 'manifest', typed: manifest as TypedManifest<unknown> }] }));
  }

  /**
   * Adds plain functions as nodes, no build step needed: names are outputs, parameter names are
   * dependencies (read with a real parser). Names starting with `_` are skipped.
   */
  withFunctions<F extends Record<string, unknown>>(fns: F, options: Readonly<Record<string, RuntimeNodeOptions>> = {}): DriverBuilder<T & FunctionValues<F>> {
    return new DriverBuilder(this.#with({ sources: [...this.#s.sources, { kind: 'functions', fns, origin: 'runtime', options }] })) as never;
  }

  /** Adds every exported function of imported modules: `withModules(await import('./nodes.ts'))`. */
  withModules<M extends Record<string, unknown>[]>(...modules: M): DriverBuilder<T & FunctionValues<UnionToIntersection<M[number]>>> {
    const sources = modules.map((m, k): Source => ({ kind: 'functions', fns: m, origin: `module#${k}`, options: {} }));
    return new DriverBuilder(this.#with({ sources: [...this.#s.sources, ...sources] })) as never;
  }

  /** Build config: selects `@when` variants; its values also feed inputs of the same name. */
  withConfig(config: Readonly<Record<string, unknown>>): DriverBuilder<T> {
    return new DriverBuilder(this.#with({ config: { ...this.#s.config, ...config } }));
  }

  withHooks(...hooks: Hook[]): DriverBuilder<T> {
    return new DriverBuilder(this.#with({ hooks: [...this.#s.hooks, ...hooks] }));
  }

  /** Max async nodes in flight at once (default 8). */
  withMaxParallel(n: number): DriverBuilder<T> {
    if (!Number.isInteger(n) || n < 1) throw new DataraumError('GRAPH_INVALID', `maxParallel must be a positive integer, got ${n}`);
    return new DriverBuilder(this.#with({ maxParallel: n }));
  }

  /** Where review gates store paused runs (default: in memory, lost with the process). */
  withCheckpointStore(store: CheckpointStore): DriverBuilder<T> {
    return new DriverBuilder(this.#with({ checkpoints: store }));
  }

  /** A persistent cache (see engine/cache). */
  withCache(cache: CacheAdapter): DriverBuilder<T> {
    return new DriverBuilder(this.#with({ cache }));
  }

  /** Overrides nodes' `@cache` behaviour: `{ rawData: 'recompute' }`. */
  withCacheBehavior(behavior: Readonly<Record<string, CacheBehavior>>): DriverBuilder<T> {
    return new DriverBuilder(this.#with({ cacheBehavior: { ...this.#s.cacheBehavior, ...behavior } }));
  }

  /** Names the dataflow of a runtime-built driver (used for checkpoints and runs). */
  withName(name: string): DriverBuilder<T> {
    return new DriverBuilder(this.#with({ name }));
  }

  async build(): Promise<Driver<T>> {
    const s = this.#s;
    const impls = new Map<ManifestNode, { fn?: Function; checks?: ResolvedCheck[] }>();
    const specs: ManifestNode[] = [];
    const manifestSpecs = new Set<ManifestNode>();
    let dataflow = s.name;
    for (const src of s.sources) {
      if (src.kind === 'functions') {
        for (const r of nodesFromFunctions(src.fns, src.origin, src.options)) {
          specs.push(r.spec);
          impls.set(r.spec, { fn: r.fn });
        }
        continue;
      }
      const { manifest, load } = src.typed;
      dataflow ??= manifest.dataflow;
      const active = resolveConfig(manifest, s.config);
      // Load each module once, up front: no await per node.
      const modules = new Map<string, Record<string, unknown>>();
      const wanted = new Set<string>();
      for (const spec of active) {
        if (spec.kind === 'function' || spec.kind === 'gate') wanted.add(spec.module);
        for (const c of spec.checks) wanted.add(c.module);
      }
      await Promise.all([...wanted].map(async (m) => {
        try {
          modules.set(m, await load(m));
        } catch (err) {
          throw new DataraumError('GRAPH_INVALID', `Could not load node module '${m}' of dataflow '${manifest.dataflow}'`, { cause: err });
        }
      }));
      const mod = (m: string) => modules.get(m)!;
      for (const spec of active) {
        specs.push(spec);
        manifestSpecs.add(spec);
        if (spec.kind === 'input') { impls.set(spec, {}); continue; }
        let fn: Function | undefined;
        if (spec.kind === 'extract') {
          const field = spec.field!;
          fn = (v: Record<string, unknown>) => (v == null ? undefined : v[field]);
        } else {
          fn = mod(spec.module)[spec.fn] as Function | undefined;
          if (typeof fn !== 'function') {
            throw new DataraumError('GRAPH_INVALID', `Node '${spec.name}': '${spec.fn}' is not an exported function of ${spec.module}; the manifest may be stale (run \`npm run build:dag\`)`);
          }
        }
        const checks: ResolvedCheck[] = [];
        for (const c of spec.checks) {
          const schema = mod(c.module)[c.schema] as StandardSchemaLike | undefined;
          if (!schema || typeof schema !== 'object' || !('~standard' in schema)) {
            throw new DataraumError('GRAPH_INVALID', `Node '${spec.name}': check schema '${c.schema}' is not an exported zod (Standard Schema) value of ${c.module}`);
          }
          checks.push({ schemaName: c.schema, schema, level: c.level });
        }
        impls.set(spec, { fn, checks });
      }
    }
    // Inputs for runtime nodes, duplicates across sources, and config variants, resolved together.
    const runtimeSpecs = new Set(specs.filter((spec) => !manifestSpecs.has(spec)));
    const unrenamed = undoBundlerRenames(specs, (spec) => runtimeSpecs.has(spec));
    unrenamed.forEach((spec, k) => { if (spec !== specs[k]) impls.set(spec, impls.get(specs[k])!); });
    const merged = resolveConfig({ version: 1, dataflow: dataflow ?? 'runtime', nodes: unrenamed }, s.config);
    const resolved: ResolvedNode[] = merged.map((spec) => {
      const impl = impls.get(spec) ?? {};
      const behavior = s.cacheBehavior[spec.name];
      const finalSpec = behavior && behavior !== spec.cache ? { ...spec, cache: behavior } : spec;
      return { spec: finalSpec, fn: impl.fn, checks: impl.checks?.length ? impl.checks : undefined };
    });
    const graph = new CompiledGraph(resolved);
    return new Driver<T>({
      dataflow: dataflow ?? 'runtime', graph, config: s.config, hooks: s.hooks, maxParallel: s.maxParallel,
      checkpoints: s.checkpoints ?? new MemoryCheckpointStore(), cache: s.cache,
    });
  }
}

/** Starts a driver builder. */
export function Builder(): DriverBuilder<{}> {
  return new DriverBuilder();
}
