/**
 * Undoes a bundler's parameter renaming for runtime-loaded nodes.
 *
 * esbuild (behind tsx and vitest) renames a parameter that shadows a top-level name of the same
 * file: `export function b(a) {}` next to `export function a() {}` compiles to `function b(a2)`.
 * Hamilton-style modules do exactly that, so a runtime dependency that names no node but reads
 * `<node><n>` (n >= 2, esbuild's suffix) is mapped back to `<node>`. The build step reads the
 * TypeScript source and never needs this.
 */
import type { ManifestNode } from '../manifest.ts';

export function undoBundlerRenames(specs: readonly ManifestNode[], isRuntime: (spec: ManifestNode) => boolean): ManifestNode[] {
  const produced = new Set<string>();
  for (const s of specs) if (s.kind !== 'input') produced.add(s.name);
  return specs.map((spec) => {
    if (!isRuntime(spec)) return spec;
    let changed = false;
    const deps = spec.deps.map((d) => {
      if (produced.has(d.name)) return d;
      const original = renamedFrom(d.name, produced);
      if (original === undefined) return d;
      changed = true;
      return { ...d, name: original, param: d.param === d.name ? original : d.param };
    });
    return changed ? { ...spec, deps } : spec;
  });
}

function renamedFrom(name: string, produced: ReadonlySet<string>): string | undefined {
  // Longest node-name prefix followed by an integer >= 2 without a leading zero.
  for (let cut = name.length - 1; cut > 0; cut--) {
    const suffix = name.slice(cut);
    if (!/^[1-9]\d*$/.test(suffix) || Number(suffix) < 2) continue;
    const prefix = name.slice(0, cut);
    if (produced.has(prefix)) return prefix;
  }
  return undefined;
}
