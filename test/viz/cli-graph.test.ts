/**
 * `dataraum graph` end to end (the real bin, in a child process) and, for the option edge cases,
 * the command registered on a bare commander program in-process.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { Command, CommanderError } from 'commander';
import { DirectedGraph } from 'graphology';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { register } from '../../cli/commands/graph.ts';
import { OUTCOME_COLORS } from '../../viz/colors.ts';
import { mermaidId } from '../../viz/index.ts';
import { shopManifest, shopRun } from './fixtures/shop-manifest.ts';

const ROOT = path.resolve(import.meta.dirname, '../..');
const BIN = path.join(ROOT, 'bin/dataraum.mjs');
const FIXTURE = 'test/viz/fixtures/shop.manifest.generated.ts';

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

async function cli(args: string[]): Promise<Run> {
  try {
    const { stdout, stderr } = await promisify(execFile)(process.execPath, [BIN, ...args], { cwd: ROOT, maxBuffer: 64 << 20 });
    return { code: 0, stdout, stderr };
  } catch (err) {
    const e = err as { code?: number; stdout: string; stderr: string };
    return { code: typeof e.code === 'number' ? e.code : -1, stdout: e.stdout, stderr: e.stderr };
  }
}

let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'dataraum-graph-cli-'));
  // A project (an ES module package, like this one) with one built dataflow and one never built.
  await writeFile(path.join(dir, 'package.json'), JSON.stringify({ name: 'graph-cli-fixture', type: 'module' }));
  await mkdir(path.join(dir, 'dataflows/shop'), { recursive: true });
  await mkdir(path.join(dir, 'dataflows/returns'), { recursive: true });
  await writeFile(path.join(dir, 'dataflows/shop/manifest.generated.ts'), `export default { manifest: ${JSON.stringify(shopManifest)} };\n`);
  await writeFile(path.join(dir, 'dataflows/returns/dataflow.ts'), 'export default {};\n');
  await writeFile(path.join(dir, 'run.json'), JSON.stringify({ status: 'failed', ...shopRun }));
});

afterAll(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe('dataraum graph (bin)', () => {
  it('prints a Mermaid flowchart of a manifest file', async () => {
    const r = await cli(['graph', FIXTURE, '--format', 'mermaid']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const lines = r.stdout.split('\n');
    expect(lines[0]).toBe('flowchart LR');
    const ids = lines.map((l) => /^ {2}(n_\w+)[[({]/.exec(l)?.[1]).filter(Boolean);
    expect(ids).toHaveLength(shopManifest.nodes.length);
    expect(ids).toContain(mermaidId('end'));
    expect(lines.filter((l) => /^ {2}n_\w+ -\.?->/.test(l))).toHaveLength(18);
  });

  it('loads a dataflow by name from --root and writes JSON with outputs, config and a run overlay', async () => {
    const out = path.join(dir, 'out/shop.json');
    const r = await cli(['graph', 'shop', '--root', dir, '--out', out, '--outputs', 'end', '--config', 'engine=fast', '--overlay', path.join(dir, 'run.json')]);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/^wrote json of 'shop' \(14 nodes, from .*manifest\.generated\.ts\) to /);
    const graph = DirectedGraph.from(JSON.parse(await readFile(out, 'utf8')));
    expect(graph.order).toBe(14);
    expect(graph.getNodeAttributes('end')).toMatchObject({ requested: true });
    expect(graph.getNodeAttributes('forecast__exact')).toMatchObject({ excluded: true });
    expect(graph.getNodeAttributes('cleanOrders')).toMatchObject({ outcome: 'failed', color: OUTCOME_COLORS.failed });
  });

  it('names the available dataflows when the one asked for does not exist (exit 1)', async () => {
    const r = await cli(['graph', 'shoop', '--root', dir]);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain(`error: unknown dataflow 'shoop' (looked for ${path.join(dir, 'dataflows/shoop/manifest.generated.ts')}); did you mean 'shop'?`);
    expect(r.stderr).toContain('available dataflows: shop');
    expect(r.stderr).toContain('not built yet (run `dataraum build`): returns');
  });

  it('rejects an unknown format as a usage error (exit 2)', async () => {
    const r = await cli(['graph', FIXTURE, '--format', 'svg']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("argument 'svg' is invalid. Allowed choices are dot, mermaid, json, html.");
  });
});

describe('dataraum graph (in-process)', () => {
  let written: string[];

  function program(): Command {
    const p = new Command('dataraum').exitOverride().configureOutput({ writeErr: () => {}, writeOut: () => {} });
    register(p);
    return p;
  }

  async function run(...args: string[]): Promise<string> {
    written = [];
    const spy = vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
      written.push(String(chunk));
      return true;
    });
    try {
      await program().parseAsync(['graph', ...args], { from: 'user' });
    } finally {
      spy.mockRestore();
    }
    return written.join('');
  }

  afterEach(() => vi.restoreAllMocks());

  it('writes DOT by default, and infers the format from --out', async () => {
    const dot = await run(FIXTURE, '--outputs', 'end,total', '--overrides', 'total', '-c', 'engine=fast', '--title', 'Shop "A"');
    expect(dot.startsWith('digraph "shop" {')).toBe(true);
    expect(dot).toContain('label="Shop \\"A\\""');
    expect(dot).toMatch(/"total" \[.*peripheries=2/);
    const html = path.join(dir, 'shop.html');
    vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    await run(FIXTURE, '--out', html);
    expect((await readFile(html, 'utf8')).startsWith('<!doctype html>')).toBe(true);
  });

  it('treats a malformed --config as a usage error (exit code 2)', async () => {
    const err = await run(FIXTURE, '--config', 'engine').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(CommanderError);
    expect((err as CommanderError).exitCode).toBe(2);
    expect((err as CommanderError).message).toContain("--config expects key=value, got 'engine'");
  });

  it('fails with the node names and a suggestion when --outputs names unknown nodes', async () => {
    await expect(run(FIXTURE, '--outputs', 'ends')).rejects.toThrow(/finalVars names 'ends' \(did you mean 'end'\?\)/);
  });

  it('explains a malformed overlay or a file that holds no manifest', async () => {
    const bad = path.join(dir, 'bad-run.json');
    await writeFile(bad, JSON.stringify({ nodes: [{ node: 'rawOrders', outcome: 'exploded' }] }));
    await expect(run(FIXTURE, '--overlay', bad)).rejects.toThrow(/overlay .*bad-run\.json: nodes\[0\] needs a string 'node' and an 'outcome' of done\|cached\|failed\|skipped\|awaiting_review/);
    const notManifest = path.join(dir, 'not-a-manifest.json');
    await writeFile(notManifest, JSON.stringify({ hello: 'world' }));
    await expect(run(notManifest)).rejects.toThrow(/not-a-manifest\.json does not hold a manifest \(no 'nodes' array\)/);
    await expect(run(path.join(dir, 'missing.ts'))).rejects.toThrow(/no manifest file at .*missing\.ts/);
  });
});
