/**
 * Every rule of the build step, on fixtures under test/codegen/fixtures/: the manifests of the
 * valid ones, and a file:line diagnostic for each mistake in the broken ones. Built in check mode
 * (nothing is written into the repository) with one shared Project.
 */
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Project } from 'ts-morph';
import type { ManifestNode } from '../../engine/index.ts';
import { buildDataflow, buildManifest, createCodegenProject, formatDiagnostic, type DataflowBuildResult } from '../../codegen/index.ts';
import { FIXTURES, REPO } from './temp-project.ts';

let project: Project;
const results = new Map<string, DataflowBuildResult>();

async function build(name: string): Promise<DataflowBuildResult> {
  let r = results.get(name);
  if (!r) {
    r = await buildDataflow(path.join(FIXTURES, name), { root: REPO, check: true, project });
    results.set(name, r);
  }
  return r;
}

function node(r: DataflowBuildResult, name: string, fn?: string): ManifestNode {
  const found = r.manifest!.nodes.filter((n) => n.name === name && (fn === undefined || n.fn === fn));
  expect(found, `node ${name}`).toHaveLength(1);
  return found[0];
}

const FILE = (c: string, f = 'nodes.ts') => `test/codegen/fixtures/${c}/${f}`;

function messages(r: DataflowBuildResult) {
  return r.diagnostics.map((d) => ({ code: d.code, at: `${d.file}:${d.line}`, node: d.node }));
}

beforeAll(() => {
  project = createCodegenProject(REPO);
});

describe('basic fixture: node forms, inputs, optional parameters, helpers', () => {
  it('builds without diagnostics, in module then source order, inputs last', async () => {
    const r = await build('basic');
    expect(r.diagnostics.map(formatDiagnostic)).toEqual([]);
    expect(r.name).toBe('basic');
    expect(r.manifestPath).toBe(path.join(FIXTURES, 'basic', 'manifest.generated.ts'));
    expect(r.manifest!.nodes.map((n) => `${n.kind}:${n.name}`)).toEqual([
      'function:rawLines',
      'function:readings',
      'function:doubled',
      'function:total',
      'function:scaled',
      'function:summary',
      'function:headline',
      'input:sourcePath',
      'input:limit',
      'input:offset',
    ]);
    expect(r.nodes).toBe(10);
  });

  it('skips _helpers and non-function exports, and imported helpers of unlisted modules', async () => {
    const names = (await build('basic')).manifest!.nodes.map((n) => n.name);
    for (const absent of ['_parse', 'DEFAULT_LIMIT', 'Reading', '_double', '_times']) expect(names).not.toContain(absent);
  });

  it('records declaration, arrow, async arrow and function-expression exports', async () => {
    const r = await build('basic');
    expect(node(r, 'rawLines')).toMatchObject({
      module: './load.ts',
      fn: 'rawLines',
      deps: [{ name: 'sourcePath', param: 'sourcePath', optional: false, type: 'string' }],
      type: 'string[]',
      doc: 'Raw lines read from the source.',
      tags: {},
      checks: [],
      when: [],
      cache: 'default',
      async: false,
      source: { file: FILE('basic', 'load.ts'), line: 25 },
    });
    expect(node(r, 'readings')).toMatchObject({ type: 'Reading[]', async: false, source: { line: 30 } });
    // Promise<number[]> is unwrapped; a default value makes the parameter optional.
    expect(node(r, 'doubled')).toMatchObject({
      async: true,
      type: 'number[]',
      cache: 'recompute',
      deps: [
        { name: 'readings', param: 'readings', optional: false, type: 'Reading[]' },
        { name: 'limit', param: 'limit', optional: true, type: 'number' },
      ],
    });
    expect(node(r, 'total')).toMatchObject({
      doc: 'A function expression export.',
      deps: [
        { name: 'doubled', optional: false },
        { name: 'offset', optional: true, type: 'number | undefined' },
      ],
    });
    expect(node(r, 'scaled')).toMatchObject({ async: true, type: 'number' });
  });

  it('collects repeated @tag keys into arrays', async () => {
    expect(node(await build('basic'), 'readings').tags).toEqual({ layer: 'staging', owner: ['data', 'ops'] });
  });

  it('turns unproduced parameters into typed input nodes, choosing the type every consumer accepts', async () => {
    const r = await build('basic');
    expect(node(r, 'sourcePath')).toMatchObject({ kind: 'input', module: '', fn: '', deps: [], type: 'string' });
    // `total` takes `offset?: number`, `scaled` takes `offset: number`: number satisfies both.
    expect(node(r, 'offset')).toMatchObject({ kind: 'input', type: 'number' });
  });

  it('accepts a producer with extra fields for a consumer that needs fewer (real assignability)', async () => {
    const r = await build('basic');
    expect(node(r, 'summary').type).toBe("{ a: number; b: 'x'; }");
    expect(node(r, 'headline').deps).toEqual([{ name: 'summary', param: 'summary', optional: false, type: '{ a: number; }' }]);
  });

  it('gives every node a 16-hex code version', async () => {
    for (const n of (await build('basic')).manifest!.nodes) expect(n.codeVersion).toMatch(/^[0-9a-f]{16}$/);
  });
});

describe('modifiers fixture', () => {
  it('builds without diagnostics', async () => {
    expect((await build('modifiers')).diagnostics.map(formatDiagnostic)).toEqual([]);
  });

  it('@check: same-module and imported schemas, with levels; the module is the one exporting it', async () => {
    expect(node(await build('modifiers'), 'stats').checks).toEqual([
      { schema: 'StatsSchema', module: './schemas.ts', level: 'fail' },
      { schema: 'Positive', module: './nodes.ts', level: 'warn' },
    ]);
  });

  it('@extract_fields: one extract node per field, typed from the result, depending on the source', async () => {
    const r = await build('modifiers');
    expect(node(r, 'mean')).toMatchObject({
      kind: 'extract',
      field: 'mean',
      type: 'number',
      module: './nodes.ts',
      fn: 'stats',
      deps: [{ name: 'stats', param: 'stats', optional: false, type: '{ mean: number; count: number; }' }],
    });
    expect(node(r, 'count')).toMatchObject({ kind: 'extract', field: 'count' });
    // Listed fields only; Promise unwrapped first.
    expect(node(r, 'low')).toMatchObject({ kind: 'extract', field: 'low', type: 'number' });
    expect(r.manifest!.nodes.some((n) => n.name === 'high')).toBe(false);
    expect(node(r, 'bounds').kind).toBe('function');
  });

  it('@parameterize: one node per tag, literal values in `bound`, @node rebinding, the rest by name', async () => {
    const r = await build('modifiers');
    expect(r.manifest!.nodes.some((n) => n.name === 'shifted')).toBe(false);
    expect(node(r, 'meanPlusOne')).toMatchObject({
      fn: 'shifted',
      bound: { 1: 1 },
      deps: [
        { name: 'base', param: 'base', optional: false, type: 'number' },
        { name: 'label', param: 'label', optional: true },
        { name: 'flags', param: 'flags', optional: true },
      ],
    });
    expect(node(r, 'meanTimesTwo')).toMatchObject({
      bound: { 1: 2, 2: 'times two' },
      deps: [
        { name: 'mean', param: 'base' },
        { name: 'flags', param: 'flags' },
      ],
    });
    expect(node(r, 'countShifted')).toMatchObject({ bound: { 1: -3, 2: 'a b', 3: [true, null] }, deps: [{ name: 'count', param: 'base' }] });
    expect(node(r, 'countShifted').codeVersion).not.toBe(node(r, 'meanTimesTwo').codeVersion);
  });

  it('@gate: kind gate, checkpoint type, the answer schema as a check, and the GateOutcome unwrapped', async () => {
    const r = await build('modifiers');
    expect(node(r, 'typeReview')).toMatchObject({
      kind: 'gate',
      gate: 'type_review',
      type: '{ column: string; type: string; }[]',
      checks: [{ schema: 'ReviewAnswers', module: './schemas.ts', level: 'fail' }],
    });
    // The consumer asks for the answers, not the GateOutcome: the edge type-checks.
    expect(node(r, 'typed').deps[0]).toMatchObject({ name: 'typeReview', type: '{ column: string; type: string; }[]' });
  });

  it('@when / @whenNot: name__variant resolves to name; variants with conditions may share it', async () => {
    const r = await build('modifiers');
    expect(node(r, 'smoothed', 'smoothed__mean').when).toEqual([{ key: 'method', value: 'mean', negate: false }]);
    expect(node(r, 'smoothed', 'smoothed__median')).toMatchObject({ when: [{ key: 'method', value: 'mean', negate: true }], tags: { cost: 'high' } });
    expect(node(r, 'report').deps[0].name).toBe('smoothed');
  });
});

describe('broken fixtures: each mistake is a diagnostic with file:line', () => {
  it('type mismatches (also after unwrapping a Promise) and conflicting input types', async () => {
    const r = await build('broken-types');
    expect(r.manifest).toBeUndefined();
    expect(r.nodes).toBe(0);
    expect(messages(r)).toEqual([
      { code: 'TYPE_MISMATCH', at: `${FILE('broken-types')}:7`, node: 'doubled' },
      { code: 'TYPE_MISMATCH', at: `${FILE('broken-types')}:17`, node: 'useRecord' },
      { code: 'INPUT_TYPE_CONFLICT', at: `${FILE('broken-types')}:22`, node: 'threshold' },
    ]);
    expect(formatDiagnostic(r.diagnostics[0])).toBe(
      `${FILE('broken-types')}:7: type mismatch: parameter 'label' of 'doubled' expects \`number\`, but node 'label' (${FILE('broken-types')}:2) produces \`string\`; change one of the two types`,
    );
  });

  it('cycles are spelled out with every node location; nodes outside them are not reported', async () => {
    const r = await build('broken-cycle');
    const cycles = r.diagnostics.map((d) => d.message.split(' (')[0]);
    expect(cycles).toEqual(['dependency cycle: a -> b -> a', 'dependency cycle: c -> d -> e -> c', 'dependency cycle: selfish -> selfish']);
    expect(r.diagnostics.every((d) => d.code === 'CYCLE')).toBe(true);
    expect(r.diagnostics[1].message).toContain(`d at ${FILE('broken-cycle')}:13`);
    expect(r.diagnostics.some((d) => d.message.includes('fine'))).toBe(false);
  });

  it('duplicates name both locations; variants need distinct conditions on every member', async () => {
    const r = await build('broken-duplicate');
    expect(messages(r)).toEqual([
      { code: 'DUPLICATE_NODE', at: `${FILE('broken-duplicate', 'one.ts')}:2`, node: 'total' },
      { code: 'DUPLICATE_NODE', at: `${FILE('broken-duplicate', 'one.ts')}:12`, node: 'pick' },
      { code: 'DUPLICATE_NODE', at: `${FILE('broken-duplicate', 'two.ts')}:8`, node: 'speed' },
    ]);
    expect(r.diagnostics[0].message).toContain(`${FILE('broken-duplicate', 'one.ts')}:2`);
    expect(r.diagnostics[0].message).toContain(`${FILE('broken-duplicate', 'two.ts')}:1`);
  });

  it('unknown tags, malformed modifiers, bad parameters and bad names', async () => {
    const r = await build('broken-tags');
    const f = FILE('broken-tags');
    expect(messages(r)).toEqual([
      { code: 'UNKNOWN_TAG', at: `${f}:5`, node: 'unknownTag' },
      { code: 'MALFORMED_TAG', at: `${f}:10`, node: 'badTag' },
      { code: 'SCHEMA_NOT_FOUND', at: `${f}:15`, node: 'missingSchema' },
      { code: 'MALFORMED_TAG', at: `${f}:20`, node: 'badCheckLevel' },
      { code: 'MALFORMED_TAG', at: `${f}:25`, node: 'badWhen' },
      { code: 'MALFORMED_TAG', at: `${f}:30`, node: 'badWhenNot' },
      { code: 'MALFORMED_TAG', at: `${f}:35`, node: 'badCache' },
      { code: 'MALFORMED_TAG', at: `${f}:40`, node: 'gateWithoutType' },
      { code: 'GATE_RETURN', at: `${f}:45`, node: 'gateNotOutcome' },
      { code: 'EXTRACT_FIELDS', at: `${f}:50`, node: 'extractFromNumber' },
      { code: 'EXTRACT_FIELDS', at: `${f}:55`, node: 'extractMissingField' },
      { code: 'MALFORMED_TAG', at: `${f}:60`, node: 'extractBadFieldSyntax' },
      { code: 'MALFORMED_TAG', at: `${f}:65`, node: 'badJson' },
      { code: 'PARAMETERIZE', at: `${f}:70`, node: 'p2' },
      { code: 'TYPE_MISMATCH', at: `${f}:75`, node: 'p3' },
      { code: 'INVALID_NAME', at: `${f}:80`, node: 'class' },
      { code: 'INVALID_NAME', at: `${f}:85`, node: 'with-dash' },
      { code: 'PARAM_NOT_IDENTIFIER', at: `${f}:90`, node: 'destructured' },
      { code: 'PARAM_NOT_IDENTIFIER', at: `${f}:94`, node: 'rest' },
      { code: 'MALFORMED_TAG', at: `${f}:98`, node: 'twoCaches' },
    ]);
    const text = r.diagnostics.map((d) => d.message);
    expect(text[0]).toContain('unknown JSDoc tag @chek');
    expect(text[0]).toContain('did you mean @check');
    expect(text[2]).toContain("schema 'Missing'");
    expect(text[6]).toContain('one of default, recompute, disable, ignore');
    expect(text[10]).toContain("names field 'nope'");
    expect(text[12]).toContain('is not a JSON literal');
    expect(text[17]).toContain('destructuring pattern');
  });

  it('buildManifest builds a plain list of module files, without a dataflow.ts', () => {
    const r = buildManifest([path.join(FIXTURES, 'basic', 'load.ts')], {
      dataflow: 'basic',
      manifestDir: path.join(FIXTURES, 'basic'),
      projectRoot: REPO,
      project,
    });
    expect(r.diagnostics).toEqual([]);
    expect(r.manifest!.nodes.map((n) => n.name)).toEqual(['rawLines', 'readings', 'doubled', 'total', 'scaled', 'sourcePath', 'limit', 'offset']);
  });
});

describe('determinism', () => {
  it('two independent builds produce byte-identical files', async () => {
    const opts = { dataflow: 'modifiers', manifestDir: path.join(FIXTURES, 'modifiers'), projectRoot: REPO };
    const files = ['nodes.ts', 'variants.ts'].map((f) => path.join(FIXTURES, 'modifiers', f));
    const a = buildManifest(files, { ...opts, project });
    const b = buildManifest(files, { ...opts, project: createCodegenProject(REPO) });
    expect(a.text).toBeDefined();
    expect(a.text).toBe(b.text);
  });
});
