/**
 * A node while the build is still checking it: the manifest fields plus what the checks need
 * (TypeScript types, locations, the function for the code version). `toManifestNode` drops the rest.
 */
import type { ts } from 'ts-morph';
import type { ManifestDependency, ManifestNode } from '../../engine/index.ts';
import type { Location } from '../diagnostics.ts';
import type { FunctionInfo } from '../scan/collect-functions.ts';

export interface DepDraft extends ManifestDependency {
  /** The parameter's type; undefined when the edge needs no check (extract -> its source). */
  readonly paramType: ts.Type | undefined;
  readonly paramIndex: number;
  readonly location: Location;
}

/** How the generated `<Name>Nodes` interface spells a node's value type. */
export type TypeRef =
  | { readonly kind: 'return'; readonly module: string; readonly fn: string }
  | { readonly kind: 'gate'; readonly module: string; readonly fn: string }
  | { readonly kind: 'field'; readonly of: TypeRef; readonly field: string }
  | { readonly kind: 'param'; readonly module: string; readonly fn: string; readonly index: number };

/** The manifest's fields (derived, so the two can't drift) plus what the checks need. */
export interface NodeDraft extends Omit<ManifestNode, 'deps' | 'source' | 'codeVersion'> {
  readonly deps: readonly DepDraft[];
  readonly source: Location;
  /** What consumers receive; undefined for inputs (their type comes from the consumers). */
  readonly valueType: ts.Type | undefined;
  readonly typeRef: TypeRef;
  /** The function whose code (and callees) the version hashes; undefined for inputs. */
  readonly info: FunctionInfo | undefined;
  /** Extra text that distinguishes this node's version from its function's (modifiers, binding, field). */
  readonly versionSalt: string;
  codeVersion: string;
}

export function toManifestNode(d: NodeDraft): ManifestNode {
  // Key order is fixed here: it is the order in the generated file, which must be deterministic.
  return {
    name: d.name,
    kind: d.kind,
    module: d.module,
    fn: d.fn,
    deps: d.deps.map((x) => ({ name: x.name, param: x.param, optional: x.optional, type: x.type })),
    ...(d.bound !== undefined ? { bound: d.bound } : {}),
    ...(d.field !== undefined ? { field: d.field } : {}),
    type: d.type,
    doc: d.doc,
    tags: d.tags,
    checks: d.checks,
    when: d.when,
    codeVersion: d.codeVersion,
    cache: d.cache,
    ...(d.gate !== undefined ? { gate: d.gate } : {}),
    async: d.async,
    source: { file: d.source.file, line: d.source.line },
  };
}

/** `name__variant` resolves to `name` (Hamilton's convention for config-conditional variants). */
export function variantBase(exportName: string): string {
  const i = exportName.indexOf('__');
  return i > 0 ? exportName.slice(0, i) : exportName;
}
