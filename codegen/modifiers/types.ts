/** What the modifier tags of one function say, once parsed. */
import type { Binding, CacheBehavior, ManifestCheck, ManifestCondition } from '../../engine/index.ts';
import type { DiagnosticSink } from '../diagnostics.ts';
import type { RawTag } from '../scan/jsdoc.ts';

export interface ParameterizeSpec {
  /** The generated node's export-style name (may be a `name__variant`). */
  readonly name: string;
  /** Parameter name -> what it is bound to. */
  readonly bindings: ReadonlyMap<string, Binding>;
  readonly tag: RawTag;
}

export interface Modifiers {
  tags: Record<string, string | string[]>;
  checks: ManifestCheck[];
  when: ManifestCondition[];
  /** `@extract_fields`: the listed fields, or undefined for every property of the result. */
  extract?: { readonly fields: readonly string[] | undefined; readonly tag: RawTag };
  parameterize: ParameterizeSpec[];
  gate?: { readonly type: string; readonly tag: RawTag };
  cache?: CacheBehavior;
  /** The modifier tags as written: part of the code version. */
  text: string[];
}

export function emptyModifiers(): Modifiers {
  return { tags: {}, checks: [], when: [], parameterize: [], text: [] };
}

export interface ModifierContext {
  /** The function's exported name, for messages. */
  readonly fnName: string;
  /** File of the function, relative to the project root. */
  readonly file: string;
  readonly sink: DiagnosticSink;
  /** Finds an exported schema visible from the function's module: its module relative to the manifest. */
  readonly resolveSchema: (name: string) => { readonly module: string; readonly exportName: string } | undefined;
}

/** One modifier: parses its tag into `mods`, reporting a MALFORMED_TAG diagnostic when it can't. */
export type ModifierParser = (tag: RawTag, mods: Modifiers, ctx: ModifierContext) => void;

export function malformed(ctx: ModifierContext, tag: RawTag, expected: string): void {
  const written = tag.text ? `@${tag.name} ${tag.text}` : `@${tag.name}`;
  ctx.sink.report('MALFORMED_TAG', { file: ctx.file, line: tag.line }, `malformed \`${written}\` on '${ctx.fnName}': ${expected}`, ctx.fnName);
}

/** `key=value` pairs separated by spaces; undefined when any token is not one. */
export function parsePairs(text: string): [string, string][] | undefined {
  if (!text) return undefined;
  const pairs: [string, string][] = [];
  for (const token of text.split(' ')) {
    const m = /^([A-Za-z_][\w.-]*)=(\S+)$/.exec(token);
    if (!m) return undefined;
    pairs.push([m[1], m[2]]);
  }
  return pairs;
}
