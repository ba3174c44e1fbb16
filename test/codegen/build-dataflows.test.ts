/**
 * buildAll / buildDataflow on temporary project roots: writing and re-writing manifests, reading
 * dataflow.ts, and importing a generated manifest (which must also pass tsc).
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Builder, type TypedManifest } from '../../engine/index.ts';
import type { Project } from 'ts-morph';
import { buildAll, buildDataflow, createCodegenProject, formatDiagnostic } from '../../codegen/index.ts';
import { copyFixture, makeTempRoot, REPO, removeTempRoot } from './temp-project.ts';

let root: string;
let project: Project;

beforeAll(() => {
  root = makeTempRoot();
  copyFixture(root, 'modifiers');
  copyFixture(root, 'basic');
  project = createCodegenProject(root);
});
afterAll(() => removeTempRoot(root));

function writeDataflow(name: string, source: string): void {
  fs.mkdirSync(path.join(root, 'dataflows', name), { recursive: true });
  fs.writeFileSync(path.join(root, 'dataflows', name, 'dataflow.ts'), source);
}

describe('buildAll', () => {
  it('writes every manifest, then reports them unchanged', async () => {
    const first = await buildAll({ root, only: ['basic', 'modifiers'], project });
    expect(first.map((r) => [r.name, r.nodes, r.changed, r.diagnostics.length])).toEqual([
      ['basic', 10, true, 0],
      ['modifiers', 18, true, 0],
    ]);
    expect(fs.existsSync(path.join(root, 'dataflows', 'modifiers', 'manifest.generated.ts'))).toBe(true);
    const again = await buildAll({ root, only: ['basic', 'modifiers'], project });
    expect(again.map((r) => r.changed)).toEqual([false, false]);
    const check = await buildAll({ root, only: ['basic', 'modifiers'], check: true, project });
    expect(check.map((r) => r.changed)).toEqual([false, false]);
  });

  it('reports dataflows named in `only` that do not exist', async () => {
    const [r] = await buildAll({ root, only: ['nope'] });
    expect(r).toMatchObject({ name: 'nope', nodes: 0, changed: false });
    expect(r.diagnostics[0]).toMatchObject({ code: 'UNKNOWN_DATAFLOW', file: 'dataflows' });
    expect(r.diagnostics[0].message).toContain('known dataflows: basic, modifiers');
  });
});

describe('reading dataflow.ts', () => {
  it('reports non-literal module lists', async () => {
    writeDataflow('computed', "const mods = ['./a.ts'];\nexport default { name: 'computed', modules: mods };\n");
    const r = await buildDataflow(path.join(root, 'dataflows', 'computed'), { project });
    expect(r.diagnostics.map(formatDiagnostic)).toEqual([
      "dataflows/computed/dataflow.ts:2: 'modules' must be an array literal of module paths; dataflow.ts must `export default defineDataflow({ name: '<name>', modules: ['<path>.ts', ...] })` with literal strings",
    ]);
  });

  it('reports a name that differs from the folder', async () => {
    writeDataflow('folder', "import { defineDataflow } from '../../engine/index.ts';\nexport default defineDataflow({\n  name: 'other',\n  modules: [],\n});\n");
    const r = await buildDataflow(path.join(root, 'dataflows', 'folder'), { project });
    expect(r.diagnostics).toHaveLength(1);
    expect(r.diagnostics[0]).toMatchObject({ code: 'DATAFLOW_INVALID', file: 'dataflows/folder/dataflow.ts', line: 3 });
    expect(r.diagnostics[0].message).toContain("dataflow name 'other' must match its folder 'folder'");
  });

  it('reports missing modules at their line, and accepts an identifier-bound definition', async () => {
    writeDataflow(
      'missing',
      "import { defineDataflow } from '../../engine/index.ts';\nconst flow = defineDataflow({\n  name: 'missing',\n  modules: [\n    '../basic/load.ts',\n    './gone.ts',\n  ],\n});\nexport default flow;\n",
    );
    const r = await buildDataflow(path.join(root, 'dataflows', 'missing'), { project });
    expect(r.diagnostics.map((d) => [d.code, d.line])).toEqual([['MODULE_NOT_FOUND', 6]]);
    expect(r.diagnostics[0].message).toContain("module './gone.ts' not found (looked for dataflows/missing/gone.ts)");
  });
});

describe('node modules that do not parse', () => {
  it('are reported at the line of the syntax error, and nothing is built from them', async () => {
    writeDataflow('syntax', "export default { name: 'syntax', modules: ['./nodes.ts'] };\n");
    fs.writeFileSync(path.join(root, 'dataflows', 'syntax', 'nodes.ts'), 'export function ok(): number {\n  return 1;\n}\n\nexport function broken(: number {\n  return 2;\n}\n');
    const r = await buildDataflow(path.join(root, 'dataflows', 'syntax'), { project });
    expect(r.nodes).toBe(0);
    expect(r.diagnostics.length).toBeGreaterThan(0);
    expect(r.diagnostics[0]).toMatchObject({ code: 'SYNTAX_ERROR', file: 'dataflows/syntax/nodes.ts', line: 5 });
  });
});

describe('a generated manifest', () => {
  it('imports, exposes the manifest and loads node modules through its loaders', async () => {
    const file = path.join(root, 'dataflows', 'modifiers', 'manifest.generated.ts');
    const text = fs.readFileSync(file, 'utf8');
    expect(text.startsWith('// Generated by `dataraum build` from dataflows/modifiers/dataflow.ts. Do not edit.\n')).toBe(true);
    expect(text).toContain("import { defineManifest, type GateValue } from '../../engine/index.ts';");
    expect(text).toContain('export interface ModifiersNodes {');
    expect(text).toContain('  typeReview: GateValue<Awaited<ReturnType<typeof m0.typeReview>>>;');
    expect(text).toContain("  mean: Awaited<ReturnType<typeof m0.stats>>['mean'];");
    expect(text).toContain('  smoothed: Awaited<ReturnType<typeof m1.smoothed__mean>> | Awaited<ReturnType<typeof m1.smoothed__median>>;');
    expect(text).toContain('  sampleSize: Parameters<typeof m0.values>[0];');

    const mod = (await import(file)) as { default: TypedManifest };
    const { manifest, load } = mod.default;
    expect(manifest.version).toBe(1);
    expect(manifest.dataflow).toBe('modifiers');
    expect(manifest.nodes).toHaveLength(18);
    expect(Object.isFrozen(mod.default)).toBe(true);
    const stats = manifest.nodes.find((n) => n.name === 'stats')!;
    const nodes = await load(stats.module);
    expect(typeof nodes[stats.fn]).toBe('function');
    expect((nodes[stats.fn] as (v: number[]) => unknown)([1, 2, 3])).toEqual({ mean: 2, count: 3 });
    // The check schema's module is loadable too, and holds the schema.
    const check = stats.checks[0];
    expect(typeof (await load(check.module))[check.schema]).toBe('object');
    await expect(load('./elsewhere.ts')).rejects.toThrow("module './elsewhere.ts' is not part of the 'modifiers' manifest");
  });

  it('executes on the engine: parameterize bindings, extract fields, the gate value and config variants', async () => {
    const file = path.join(root, 'dataflows', 'modifiers', 'manifest.generated.ts');
    const typed = ((await import(file)) as { default: TypedManifest }).default;
    const dr = await Builder().withDataflow(typed).withConfig({ method: 'median' }).build();
    const values = await dr.execute(['typed', 'meanTimesTwo', 'countShifted', 'meanPlusOne', 'low', 'report'], { inputs: { sampleSize: 4, base: 10 } });
    expect(values).toEqual({
      typed: 1, // the gate passed its answers on: one reviewed column
      meanTimesTwo: 'times two:4.5:0', // mean 2.5 bound to `base`, delta=2, label bound
      countShifted: 'a b:1:2', // count 4, delta=-3, flags=[true,null]
      meanPlusOne: 'plus:11:0', // `base` left unbound: wired to the input
      low: 1,
      report: '1,2,3,4',
    });
  });

  it('type-checks under strict tsc, with the node value types it declares', () => {
    fs.writeFileSync(
      path.join(root, 'use-manifest.ts'),
      [
        "import manifest from './dataflows/modifiers/manifest.generated.ts';",
        "import type { ModifiersNodes } from './dataflows/modifiers/manifest.generated.ts';",
        "import basic from './dataflows/basic/manifest.generated.ts';",
        "const answers: ModifiersNodes['typeReview'] = [{ column: 'c', type: 'DOUBLE' }];",
        "const mean: ModifiersNodes['mean'] = 1.5;",
        "const shifted: ModifiersNodes['meanTimesTwo'] = 'x';",
        '// @ts-expect-error a gate value is the answers, not a GateOutcome',
        "const wrong: ModifiersNodes['typeReview'] = { value: [] };",
        'export const used = [manifest, basic, answers, mean, shifted, wrong];',
        '',
      ].join('\n'),
    );
    fs.writeFileSync(
      path.join(root, 'tsconfig.json'),
      JSON.stringify({
        compilerOptions: {
          target: 'ES2022', module: 'NodeNext', moduleResolution: 'NodeNext', lib: ['ES2023'], types: ['node'], strict: true,
          skipLibCheck: true, allowImportingTsExtensions: true, noEmit: true, isolatedModules: true,
        },
        files: ['use-manifest.ts'],
      }),
    );
    const tsc = path.join(REPO, 'node_modules', 'typescript', 'bin', 'tsc');
    let output = '';
    try {
      execFileSync(process.execPath, [tsc, '-p', root], { encoding: 'utf8' });
    } catch (err) {
      output = String((err as { stdout?: string }).stdout ?? err);
    }
    expect(output).toBe('');
  });
});
