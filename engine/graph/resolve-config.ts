/**
 * Applies a build config to a manifest: drops nodes whose `@when` / `@whenNot` conditions don't hold,
 * and turns dependencies whose producers are gone into inputs (Hamilton's semantics).
 */
import { DataraumError } from '../errors.ts';
import type { Manifest, ManifestCondition, ManifestNode } from '../manifest.ts';

export type BuildConfig = Readonly<Record<string, unknown>>;

export function conditionHolds(c: ManifestCondition, config: BuildConfig): boolean {
  const v = config[c.key];
  const matches = v !== undefined && v !== null && String(v) === c.value;
  return c.negate ? !matches : matches;
}

export function resolveConfig(manifest: Manifest, config: BuildConfig): ManifestNode[] {
  const active: ManifestNode[] = [];
  const byName = new Map<string, ManifestNode>();
  for (const node of manifest.nodes) {
    if (node.when.length && !node.when.every((c) => conditionHolds(c, config))) continue;
    const prev = byName.get(node.name);
    if (prev) {
      if (prev.kind === 'input' && node.kind !== 'input') {
        active[active.indexOf(prev)] = node;
        byName.set(node.name, node);
        continue;
      }
      if (node.kind === 'input') continue;
      throw new DataraumError(
        'GRAPH_INVALID',
        `Node '${node.name}' is defined twice under this config (${where(prev)} and ${where(node)}); ` +
          `give the variants @when conditions that exclude each other`,
      );
    }
    byName.set(node.name, node);
    active.push(node);
  }
  // A dependency whose producer was configured away becomes an input.
  for (const node of [...active]) {
    for (const dep of node.deps) {
      if (!byName.has(dep.name)) {
        const input: ManifestNode = {
          name: dep.name, kind: 'input', module: '', fn: '', deps: [], type: dep.type, doc: '',
          tags: {}, checks: [], when: [], codeVersion: '', cache: 'default', async: false,
        };
        byName.set(dep.name, input);
        active.push(input);
      }
    }
  }
  return active;
}

function where(n: ManifestNode): string {
  return n.source ? `${n.source.file}:${n.source.line}` : `${n.module}#${n.fn}`;
}
