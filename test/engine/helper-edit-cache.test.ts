/**
 * Hamilton's cache is blind to edited helper functions; ours is not. A real project goes through
 * the build step and the on-disk cache, each step in a fresh process (so no module cache hides an
 * edit): editing a helper recomputes exactly the nodes that call it, and nothing else.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';

// Inside the package, so the generated manifest's `dataraum/engine` import resolves to this engine.
const base = join(import.meta.dirname, '..', '.generated');
let root: string;

const helpers = (prefix: string) => `export function _unused() { return 0; }\nexport function fmt(n: number): string { return '${prefix}' + n; }\n`;

beforeAll(() => {
  mkdirSync(base, { recursive: true });
  root = mkdtempSync(join(base, 'helper-edit-'));
  mkdirSync(join(root, 'dataflows', 'calc'), { recursive: true });
  mkdirSync(join(root, 'nodes'));
  writeFileSync(join(root, 'dataflows', 'calc', 'dataflow.ts'), `import { defineDataflow } from 'dataraum/engine';\nexport default defineDataflow({ name: 'calc', modules: ['../../nodes/calc.ts'] });\n`);
  writeFileSync(join(root, 'nodes', 'helpers.ts'), helpers('v='));
  writeFileSync(join(root, 'nodes', 'calc.ts'), [
    `import { fmt } from './helpers.ts';`,
    `const seen = ((globalThis as { calls?: string[] }).calls ??= []);`,
    `export function base(): number { seen.push('base'); return 2; }`,
    `export function doubled(base: number): number { seen.push('doubled'); return base * 2; }`,
    `export function label(doubled: number): string { seen.push('label'); return fmt(doubled); }`,
    `export async function other(base: number): Promise<number> { seen.push('other'); return base + 1; }`,
  ].join('\n') + '\n');
  writeFileSync(join(root, 'step.ts'), [
    `import { buildAll } from 'dataraum/codegen';`,
    `import { Builder, FileCacheStore, PersistentCache } from 'dataraum/engine';`,
    `const [built] = await buildAll({ root: ${JSON.stringify(root)} });`,
    `if (built.diagnostics.length) throw new Error(JSON.stringify(built.diagnostics));`,
    `const manifest = (await import('./dataflows/calc/manifest.generated.ts')).default;`,
    `const dr = await Builder().withDataflow(manifest).withCache(new PersistentCache({ store: new FileCacheStore(${JSON.stringify(join(root, 'cache'))}) })).build();`,
    `const out = await dr.execute(['label', 'other']);`,
    `console.log(JSON.stringify({ out, calls: (globalThis as { calls?: string[] }).calls ?? [] }));`,
  ].join('\n') + '\n');
});

function step(): { out: Record<string, unknown>; calls: string[] } {
  const res = spawnSync(process.execPath, ['--import', 'tsx', join(root, 'step.ts')], { cwd: root, encoding: 'utf8', timeout: 120_000 });
  expect(res.status, res.stderr).toBe(0);
  return JSON.parse(res.stdout.trim().split('\n').pop()!);
}

describe('persistent cache and the build step', () => {
  it('recomputes exactly the nodes whose helper changed, and nothing on an unchanged rerun', () => {
    const first = step();
    expect(first.out).toEqual({ label: 'v=4', other: 3 });
    expect(first.calls.sort()).toEqual(['base', 'doubled', 'label', 'other']);

    expect(step().calls).toEqual([]);

    writeFileSync(join(root, 'nodes', 'helpers.ts'), helpers('value='));
    const edited = step();
    expect(edited.out).toEqual({ label: 'value=4', other: 3 });
    expect(edited.calls).toEqual(['label']);

    // Editing a function no node calls changes nothing.
    writeFileSync(join(root, 'nodes', 'helpers.ts'), helpers('value=').replace('return 0', 'return 1'));
    expect(step().calls).toEqual([]);
  }, 300_000);
});
