/**
 * Pipeline configs: the zod schema and its error paths, loading by name or path, and resolution
 * against a real driver (the gated fixture dataflow; the shipped pipelines against ingest).
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Builder, type Driver } from '../../engine/index.ts';
import { listPipelines, loadPipeline, parsePipeline, PipelineError, resolvePipeline, type Pipeline } from '../../config/pipeline.ts';
import { loadDataflow } from '../../cli/runtime.ts';
import { FIXTURE_ROOT, REPO } from './helpers.ts';

let gated: Driver;
let dir: string;

beforeAll(async () => {
  gated = await Builder().withDataflow(await loadDataflow('gated', FIXTURE_ROOT)).build();
  dir = mkdtempSync(path.join(tmpdir(), 'dataraum-pipeline-'));
});

afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

function pipeline(yaml: string): Pipeline {
  return parsePipeline(`name: test\ndataflow: gated\n${yaml}`);
}

function problems(fn: () => unknown): string[] {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(PipelineError);
    return (err as PipelineError).issues.map((i) => `${i.path}: ${i.message}`);
  }
  throw new Error('expected a PipelineError');
}

describe('the pipeline schema', () => {
  it('applies the defaults', () => {
    expect(parsePipeline('name: p')).toEqual({ name: 'p', dataflow: 'ingest', steps: 'all', skip_steps: [], fail_fast: true, max_parallel: 4 });
  });

  it('lists every problem with its path', () => {
    const issues = problems(() => parsePipeline('name: p\nsteps: [staging, 3, ""]\nmax_parallel: 0\nfail_fast: maybe\ntables: []\nextra: 1'));
    expect(issues).toHaveLength(6);
    expect(issues.some((i) => i.startsWith('steps[1]: '))).toBe(true);
    expect(issues.some((i) => i.startsWith('steps[2]: a step must not be empty'))).toBe(true);
    expect(issues.some((i) => i.startsWith('max_parallel: '))).toBe(true);
    expect(issues.some((i) => i.startsWith('fail_fast: '))).toBe(true);
    expect(issues.some((i) => i.startsWith('tables: '))).toBe(true);
    expect(issues.some((i) => /extra/.test(i))).toBe(true);
  });

  it('says what steps may be', () => {
    expect(problems(() => parsePipeline('name: p\nsteps: everything'))).toEqual(["steps: expected 'all' or a list of steps"]);
  });

  it('reports YAML syntax errors and a missing name', () => {
    expect(problems(() => parsePipeline('name: [unclosed'))[0]).toMatch(/^: /);
    expect(problems(() => parsePipeline('steps: all'))).toEqual([expect.stringMatching(/^name: /)]);
  });
});

describe('loading pipelines', () => {
  it('ships default and profile-only', () => {
    expect(listPipelines(REPO)).toEqual(expect.arrayContaining(['default', 'profile-only']));
    expect(loadPipeline('default', REPO)).toMatchObject({ name: 'default', dataflow: 'ingest', steps: 'all' });
    expect(loadPipeline('profile-only', REPO)).toMatchObject({ name: 'profile-only', steps: ['profiling'], fail_fast: false, max_parallel: 2 });
  });

  it('reads a path, and names the file in errors', () => {
    const file = path.join(dir, 'mine.yaml');
    writeFileSync(file, 'name: mine\ndataflow: gated\nsteps: [stats]\n');
    expect(loadPipeline(file, REPO).steps).toEqual(['stats']);
    writeFileSync(file, 'name: mine\nmax_parallel: many\n');
    expect(() => loadPipeline(file, REPO)).toThrow(new RegExp(`Invalid pipeline \\(${file.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}\\)`));
  });

  it('suggests a pipeline for a misspelt name', () => {
    expect(() => loadPipeline('profile-onyl', REPO)).toThrow(/Unknown pipeline 'profile-onyl'.*did you mean 'profile-only'\?.*available: .*default/s);
  });
});

describe('resolving a pipeline against a driver', () => {
  it('runs a requested step with its dependencies', () => {
    const r = resolvePipeline(pipeline('steps: [stats]\nmax_parallel: 2\nfail_fast: false'), gated);
    expect(r.finalVars).toEqual(['stats']);
    expect(r.nodes).toEqual(['numbers', 'stats']);
    expect(r.options).toEqual({ failFast: false, maxParallel: 2 });
  });

  it('selects by tag and by module word, keeping only the requested nodes nothing else requested needs', () => {
    const byTag = resolvePipeline(pipeline('steps: [module=report]'), gated);
    expect(byTag.finalVars).toEqual(['published']);
    expect(byTag.nodes).toEqual(['numbers', 'stats', 'approval', 'report', 'signoff', 'published']);
    expect(resolvePipeline(pipeline('steps: [summary, load]'), gated).finalVars).toEqual(['stats']);
  });

  it('passes ontology and tables on as config', () => {
    expect(resolvePipeline(pipeline('ontology: retail\ntables: [orders]'), gated).config).toEqual({ ontology: 'retail', tables: ['orders'] });
  });

  it('names unknown steps with their paths and suggestions', () => {
    const issues = problems(() => resolvePipeline(pipeline('steps: [stats, stat, module=reprot]\nskip_steps: [numbres]'), gated));
    expect(issues).toEqual([
      expect.stringMatching(/^steps\[1\]: unknown step 'stat' \(did you mean 'stats'/),
      expect.stringMatching(/^steps\[2\]: no node is tagged 'module=reprot' \(did you mean 'module=report'/),
      expect.stringMatching(/^skip_steps\[0\]: unknown step 'numbres' \(did you mean 'numbers'/),
    ]);
  });

  it('refuses to skip a step a requested step needs, naming both', () => {
    const issues = problems(() => resolvePipeline(pipeline('steps: [signoff]\nskip_steps: [approval]'), gated));
    expect(issues).toEqual([expect.stringMatching(/^skip_steps: step 'signoff' needs 'approval', which skip_steps removes/)]);
  });

  it('removes skipped steps from the requested set', () => {
    const r = resolvePipeline(pipeline('steps: [stats, published]\nskip_steps: [published]'), gated);
    expect(r.finalVars).toEqual(['stats']);
  });

  it('with steps: all, drops a skipped step and what builds on it', () => {
    const r = resolvePipeline(pipeline('steps: all\nskip_steps: [signoff]'), gated);
    expect(r.finalVars).toEqual(['report']);
    expect(r.nodes).toEqual(['numbers', 'stats', 'approval', 'report']);
    expect(problems(() => resolvePipeline(pipeline('skip_steps: [numbers]'), gated))).toEqual([expect.stringMatching(/every requested step is skipped/)]);
  });

  it('refuses a pipeline written for another dataflow', () => {
    expect(problems(() => resolvePipeline(parsePipeline('name: p\ndataflow: ingest'), gated))).toEqual([
      "dataflow: the pipeline is for dataflow 'ingest', the driver runs 'gated'",
    ]);
  });

  it('resolves the shipped pipelines against the ingest dataflow', async () => {
    const ingest = await Builder().withDataflow(await loadDataflow('ingest', REPO)).build();
    const all = resolvePipeline(loadPipeline('default', REPO), ingest);
    const runnable = ingest.listVariables().filter((v) => !v.isExternalInput).map((v) => v.name);
    expect(all.nodes.sort()).toEqual(runnable.sort());
    const profile = resolvePipeline(loadPipeline('profile-only', REPO), ingest);
    const profiling = ingest.listVariables({ tags: { module: 'profiling' } }).map((v) => v.name);
    expect(profiling.length).toBeGreaterThan(0);
    for (const n of profiling) expect(profile.nodes).toContain(n);
    // Only what profiling needs: nothing tagged typing or later runs.
    for (const n of ingest.listVariables({ tags: { module: 'typing' } })) expect(profile.nodes).not.toContain(n.name);
    expect(profile.options).toEqual({ failFast: false, maxParallel: 2 });
  });
});
