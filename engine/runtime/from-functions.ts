/**
 * Runtime loading without a build step (notebooks, REPL, scripts): nodes from plain functions or
 * imported modules. Parameter names come from the function source; there are no types, and
 * JSDoc modifiers are not read, but execution semantics are the same as with a manifest.
 */
import { createHash } from 'node:crypto';
import type { ManifestNode } from '../manifest.ts';
import type { ResolvedNode } from '../graph/compiled-graph.ts';
import { parseParams } from './parse-params.ts';

/** Options a runtime node may carry that a manifest would get from JSDoc tags. */
export interface RuntimeNodeOptions {
  readonly tags?: Readonly<Record<string, string | readonly string[]>>;
  readonly cache?: ManifestNode['cache'];
}

/** Turns exported functions into nodes; `_`-prefixed names and non-functions are skipped. */
export function nodesFromFunctions(
  fns: Readonly<Record<string, unknown>>,
  origin: string,
  options: Readonly<Record<string, RuntimeNodeOptions>> = {},
): ResolvedNode[] {
  const out: ResolvedNode[] = [];
  for (const [exportName, fn] of Object.entries(fns)) {
    if (exportName.startsWith('_') || exportName === 'default' || typeof fn !== 'function') continue;
    if (isClass(fn)) continue;
    const { params, async } = parseParams(fn, exportName);
    const source = Function.prototype.toString.call(fn);
    const opts = options[exportName] ?? {};
    const spec: ManifestNode = {
      name: exportName,
      kind: 'function',
      module: origin,
      fn: exportName,
      deps: params.map((p) => ({ name: p.name, param: p.name, optional: p.optional, type: '' })),
      type: '',
      doc: '',
      tags: opts.tags ?? {},
      checks: [],
      when: [],
      codeVersion: createHash('sha256').update(source).digest('hex').slice(0, 16),
      cache: opts.cache ?? 'default',
      async,
    };
    out.push({ spec, fn });
  }
  return out;
}

function isClass(fn: Function): boolean {
  return /^class[\s{]/.test(Function.prototype.toString.call(fn));
}
