/**
 * The manifest: the checked, serializable description of a dataflow's DAG.
 *
 * The build step (`codegen/`) writes one beside each dataflow, with the TypeScript types of every
 * node; runtime loading (`Builder().withFunctions(...)`) derives the same shape without types.
 * The engine only ever reads this shape, so both paths share one execution semantics.
 */

/** What a node is. */
export type NodeKind =
  /** A plain exported function. */
  | 'function'
  /** A value that no node produces: supplied through `inputs` (or an optional parameter's default). */
  | 'input'
  /** A function whose non-empty result pauses the run for human review. */
  | 'gate'
  /** One field of an `@extract_fields` node's object result. */
  | 'extract';

/** How the persistent cache treats a node. */
export type CacheBehavior = 'default' | 'recompute' | 'disable' | 'ignore';

/** A parameter bound by `@parameterize` instead of being wired by name. */
export type Binding = { readonly value: unknown } | { readonly node: string };

export interface ManifestDependency {
  /** The node whose value feeds this parameter. */
  readonly name: string;
  /** The parameter's name in the function (differs from `name` when `@parameterize` rebinds it). */
  readonly param: string;
  /** Has a default value or `?`: when nothing supplies it, the function's own default applies. */
  readonly optional: boolean;
  /** Parameter type text ('' when unknown, e.g. runtime loading). */
  readonly type: string;
}

export interface ManifestCheck {
  /** Name of an exported schema (zod, or any Standard Schema) in `module`. */
  readonly schema: string;
  /** Module holding the schema, relative to the manifest (same as the node's module by default). */
  readonly module: string;
  readonly level: 'warn' | 'fail';
}

/** `@when key=value` (negate: false) or `@whenNot key=value` (negate: true). */
export interface ManifestCondition {
  readonly key: string;
  readonly value: string;
  readonly negate: boolean;
}

export interface SourceLocation {
  /** Path relative to the project root. */
  readonly file: string;
  readonly line: number;
}

export interface ManifestNode {
  /** The value this node produces (variants `name__x` resolve to `name`). */
  readonly name: string;
  readonly kind: NodeKind;
  /** Module path relative to the manifest file ('' for inputs). */
  readonly module: string;
  /** Exported function name in `module` ('' for inputs). */
  readonly fn: string;
  /** Positional: `deps[i]` feeds the function's i-th parameter. Literal `@parameterize` bindings are in `bound`. */
  readonly deps: readonly ManifestDependency[];
  /** Parameter index -> literal value bound by `@parameterize`. */
  readonly bound?: Readonly<Record<number, unknown>>;
  /** For `extract` nodes: the field of the source node's value. */
  readonly field?: string;
  /** Return type text with Promise unwrapped ('' when unknown). */
  readonly type: string;
  /** First line of the node's doc comment. */
  readonly doc: string;
  readonly tags: Readonly<Record<string, string | readonly string[]>>;
  readonly checks: readonly ManifestCheck[];
  readonly when: readonly ManifestCondition[];
  /** Hash of the node's source and the project-local functions it calls, transitively. */
  readonly codeVersion: string;
  readonly cache: CacheBehavior;
  /** For `gate` nodes: the checkpoint type recorded when the gate pauses a run. */
  readonly gate?: string;
  readonly async: boolean;
  readonly source?: SourceLocation;
}

export interface Manifest {
  readonly version: 1;
  /** Dataflow name (the folder under dataflows/). */
  readonly dataflow: string;
  readonly nodes: readonly ManifestNode[];
}

/**
 * A manifest together with its node types. Generated manifests export one of these;
 * `T` maps every node name to its value type, so `execute` results are typed.
 */
export interface TypedManifest<T = Record<string, unknown>> {
  readonly manifest: Manifest;
  /** Imports the node modules (relative imports resolved beside the manifest). */
  readonly load: (module: string) => Promise<Record<string, unknown>>;
  /** Phantom: carries the node value types. Never read at run time. */
  readonly __types?: T;
}

/** Declares a generated manifest; used by the generated file itself. */
export function defineManifest<T>(
  manifest: Manifest,
  load: (module: string) => Promise<Record<string, unknown>>,
): TypedManifest<T> {
  return Object.freeze({ manifest, load });
}
