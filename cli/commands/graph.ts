/**
 * `dataraum graph <dataflow> [--format dot|mermaid|json|html] [--out file] [--outputs a,b]
 * [--config key=value ...] [--overlay run.json]`: draws a dataflow's DAG.
 *
 * `<dataflow>` is a dataflow name (loads `<root>/dataflows/<name>/manifest.generated.ts`) or the
 * path of a manifest file (a generated `.ts`/`.js` module or a `.json` manifest). Exit codes:
 * 0 ok, 1 failure (unknown dataflow, unreadable file, unknown node), 2 usage error.
 *
 * @example
 * ```sh
 * dataraum graph ingest --format html --out ingest.html --outputs contextDocument --overlay run.json
 * dataraum graph ./dataflows/ingest/manifest.generated.ts --format mermaid --config llm=off
 * ```
 */
import { existsSync, readdirSync, statSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { Option } from 'commander';
import type { Command } from 'commander';
import { suggest } from '../../engine/index.ts';
import type { Manifest, NodeOutcome, NodeRunRecord } from '../../engine/index.ts';
import { render, VIZ_FORMATS } from '../../viz/index.ts';
import type { VizFormat, VizOptions } from '../../viz/index.ts';

interface GraphOptions {
  format?: VizFormat;
  out?: string;
  outputs?: string[];
  overrides?: string[];
  config?: string[];
  overlay?: string;
  title?: string;
  direction?: 'LR' | 'TD';
  root: string;
}

const MANIFEST_FILE = 'manifest.generated.ts';

/** `--out` extensions that imply a format when `--format` is not given. */
const FORMAT_BY_EXTENSION: Readonly<Record<string, VizFormat>> = {
  '.dot': 'dot',
  '.gv': 'dot',
  '.mmd': 'mermaid',
  '.mermaid': 'mermaid',
  '.json': 'json',
  '.html': 'html',
  '.htm': 'html',
};

const OUTCOMES: readonly NodeOutcome[] = ['done', 'cached', 'failed', 'skipped', 'awaiting_review'];

export function register(program: Command): void {
  program
    .command('graph')
    .description('Draw a dataflow DAG as Graphviz DOT, Mermaid, graphology JSON or a self-contained HTML page')
    .argument('<dataflow>', `dataflow name (dataflows/<name>/${MANIFEST_FILE}) or path to a manifest file`)
    .addOption(
      new Option('-f, --format <format>', 'output format (default: from --out extension, else dot)').choices(VIZ_FORMATS),
    )
    .option('-o, --out <file>', 'write to this file instead of stdout')
    .option('--outputs <names>', 'requested outputs to highlight, comma separated', parseList)
    .option('--overrides <names>', 'values supplied as overrides, comma separated', parseList)
    .option('-c, --config <key=value...>', 'config for @when conditions (repeatable); failing nodes are greyed')
    .option('--overlay <run.json>', 'colour nodes by a run result: a JSON object with nodes: NodeRunRecord[]')
    .option('--title <text>', 'title shown on the picture (default: the dataflow name)')
    .addOption(new Option('--direction <dir>', 'layout direction').choices(['LR', 'TD']))
    .option('--root <dir>', 'project root holding dataflows/', process.cwd())
    .action(async (target: string, opts: GraphOptions, cmd: Command) => {
      const usage = (message: string): never => cmd.error(`error: ${message}`, { exitCode: 2, code: 'dataraum.usage' });
      const format = opts.format ?? (opts.out ? FORMAT_BY_EXTENSION[path.extname(opts.out).toLowerCase()] : undefined) ?? 'dot';
      const config = parseConfig(opts.config ?? [], usage);
      const { manifest, file } = await loadManifest(target, path.resolve(opts.root));
      const vizOpts: VizOptions = {
        ...(opts.outputs ? { finalVars: opts.outputs } : {}),
        ...(opts.overrides ? { overrides: opts.overrides } : {}),
        ...(config ? { config } : {}),
        ...(opts.overlay ? { run: await loadOverlay(path.resolve(opts.overlay)) } : {}),
        ...(opts.title !== undefined ? { title: opts.title } : {}),
        ...(opts.direction ? { direction: opts.direction } : {}),
      };
      const text = render(format, manifest, vizOpts);
      if (opts.out) {
        const out = path.resolve(opts.out);
        await mkdir(path.dirname(out), { recursive: true });
        await writeFile(out, text);
        process.stderr.write(
          `wrote ${format} of '${manifest.dataflow}' (${manifest.nodes.length} nodes, from ${path.relative(process.cwd(), file) || file}) to ${opts.out}\n`,
        );
      } else {
        process.stdout.write(text);
      }
    });
}

function parseList(value: string, previous: string[] | undefined): string[] {
  const names = value.split(',').map((s) => s.trim()).filter(Boolean);
  return [...(previous ?? []), ...names];
}

function parseConfig(pairs: readonly string[], usage: (message: string) => never): Record<string, string> | undefined {
  if (!pairs.length) return undefined;
  const config: Record<string, string> = {};
  for (const pair of pairs) {
    const at = pair.indexOf('=');
    if (at <= 0) usage(`--config expects key=value, got '${pair}' (for example --config engine=fast)`);
    config[pair.slice(0, at)] = pair.slice(at + 1);
  }
  return config;
}

/** A path (has a separator or a file extension) or a dataflow name under `<root>/dataflows`. */
async function loadManifest(target: string, root: string): Promise<{ manifest: Manifest; file: string }> {
  const isPath = /[\\/]/.test(target) || /\.(?:[cm]?[jt]s|json)$/i.test(target);
  if (isPath) {
    const file = path.resolve(target);
    if (!existsSync(file)) throw new Error(`no manifest file at ${file}; pass a dataflow name or the path of a manifest.generated.ts`);
    return { manifest: await readManifestFile(file), file };
  }
  const dataflows = path.join(root, 'dataflows');
  const file = path.join(dataflows, target, MANIFEST_FILE);
  if (!existsSync(file)) throw new Error(unknownDataflowMessage(target, dataflows));
  return { manifest: await readManifestFile(file), file };
}

function unknownDataflowMessage(name: string, dataflows: string): string {
  const built: string[] = [];
  const unbuilt: string[] = [];
  if (existsSync(dataflows)) {
    for (const entry of readdirSync(dataflows).sort()) {
      const dir = path.join(dataflows, entry);
      if (!statSync(dir).isDirectory()) continue;
      if (existsSync(path.join(dir, MANIFEST_FILE))) built.push(entry);
      else if (existsSync(path.join(dir, 'dataflow.ts'))) unbuilt.push(entry);
    }
  }
  if (unbuilt.includes(name)) {
    return `dataflow '${name}' has no ${MANIFEST_FILE} yet in ${path.join(dataflows, name)}; run \`dataraum build ${name}\` first`;
  }
  const hint = suggest(name, [...built, ...unbuilt]);
  const lines = [`unknown dataflow '${name}' (looked for ${path.join(dataflows, name, MANIFEST_FILE)})${hint.length ? `; did you mean ${hint.map((h) => `'${h}'`).join(', ')}?` : ''}`];
  if (built.length) lines.push(`available dataflows: ${built.join(', ')}`);
  if (unbuilt.length) lines.push(`not built yet (run \`dataraum build\`): ${unbuilt.join(', ')}`);
  if (!built.length && !unbuilt.length) lines.push(`no dataflows found under ${dataflows}; pass --root <project> or a manifest file path`);
  return lines.join('\n');
}

async function readManifestFile(file: string): Promise<Manifest> {
  let loaded: unknown;
  try {
    if (file.toLowerCase().endsWith('.json')) {
      loaded = JSON.parse(await readFile(file, 'utf8'));
    } else {
      const mod = (await import(pathToFileURL(file).href)) as Record<string, unknown>;
      loaded = mod.default ?? mod.manifest;
    }
  } catch (err) {
    const reason = err instanceof Error ? err.message : String(err);
    // tsx compiles a .ts file outside an ES module package as CommonJS, which cannot hold a generated manifest.
    const hint = /require\(\)? ?(of )?ES Module|require\(esm\)/i.test(reason)
      ? ' (a .ts manifest must sit in an ES module package: its nearest package.json needs "type": "module")'
      : '';
    throw new Error(`cannot load manifest ${file}: ${reason}${hint}`, { cause: err });
  }
  // A generated module exports defineManifest(...) (a TypedManifest); a JSON file may hold either shape.
  const candidate = isRecord(loaded) && isRecord(loaded.manifest) ? loaded.manifest : loaded;
  const problem = manifestProblem(candidate);
  if (problem) {
    throw new Error(
      `${file} does not hold a manifest (${problem}); expected a default export from defineManifest(...) ` +
        `as written by \`dataraum build\`, or a JSON Manifest`,
    );
  }
  return candidate as Manifest;
}

function manifestProblem(value: unknown): string | undefined {
  if (!isRecord(value)) return 'no object exported';
  if (!Array.isArray(value.nodes)) return "no 'nodes' array";
  for (const [i, n] of value.nodes.entries()) {
    if (!isRecord(n) || typeof n.name !== 'string' || typeof n.kind !== 'string' || !Array.isArray(n.deps)) {
      return `nodes[${i}] lacks name, kind or deps`;
    }
  }
  return undefined;
}

/** Reads a run result (or anything with `nodes: NodeRunRecord[]`) for the overlay. */
async function loadOverlay(file: string): Promise<{ nodes: NodeRunRecord[] }> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(await readFile(file, 'utf8'));
  } catch (err) {
    throw new Error(`cannot read overlay ${file}: ${err instanceof Error ? err.message : String(err)}`, { cause: err });
  }
  const expected = "expected a run result: an object with 'nodes': [{ node, outcome, durationMs, cacheHit }]";
  if (!isRecord(parsed) || !Array.isArray(parsed.nodes)) throw new Error(`overlay ${file}: ${expected}`);
  const nodes = parsed.nodes.map((r: unknown, i: number): NodeRunRecord => {
    if (!isRecord(r) || typeof r.node !== 'string' || !OUTCOMES.includes(r.outcome as NodeOutcome)) {
      throw new Error(`overlay ${file}: nodes[${i}] needs a string 'node' and an 'outcome' of ${OUTCOMES.join('|')}; ${expected}`);
    }
    return {
      node: r.node,
      outcome: r.outcome as NodeOutcome,
      durationMs: typeof r.durationMs === 'number' ? r.durationMs : Number.NaN,
      cacheHit: r.cacheHit === true,
      ...(typeof r.error === 'string' ? { error: r.error } : {}),
    };
  });
  return { nodes };
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
