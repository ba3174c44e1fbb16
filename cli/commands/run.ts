/**
 * `dataraum run [path]`: runs the ingest dataflow on a file, a folder or a source config, with the
 * embedded defaults under `.dataraum/` (SQLite metadata, DuckDB data, the persistent cache), a
 * live progress display, and a durable pause at review gates. `--dataflow NAME --outputs a,b`
 * runs any other dataflow.
 *
 * Exit codes: 0 completed, 1 failed, 2 usage, 3 paused for review.
 */
import type { Command } from 'commander';
import { ProgressBarHook, type Driver, type RunResult } from '../../engine/index.ts';
import { parseSourceConfig, sourceConfigFromPath, type SourceConfig } from '../../nodes/staging/source-config.ts';
import { readSourceConfigFile } from '../../nodes/staging/source-config-file.ts';
import { identifySource } from '../../nodes/staging/source-identity.ts';
import type { StagingResult } from '../../nodes/staging/types.ts';
import type { Store } from '../../store/index.ts';
import { formatRunErrors, isSummary } from '../output.ts';
import { registerSource, runDataflow } from '../runs.ts';
import { commandLine, lockHome } from '../home-lock.ts';
import { openRuntime, resolveHome, type Runtime } from '../runtime.ts';
import { homeFlag, rootFlag, usageError } from './_shared.ts';

interface RunOptions {
  source?: string;
  name?: string;
  dataflow: string;
  outputs?: string;
  only?: string;
  pipeline?: string;
  config: string[];
  home?: string;
  root?: string;
  resume?: boolean;
  cache: boolean;
  json?: boolean;
  progress: boolean;
}

export const EXIT_PAUSED = 3;

export function register(program: Command): void {
  program
    .command('run')
    .description('Ingest a file, a folder or a source config (stage, profile, type, quarantine), or run any dataflow')
    .argument('[path]', 'a file or folder to ingest (CSV, TSV, JSON, NDJSON, Parquet, DuckDB, SQLite)')
    .option('-s, --source <file>', 'a source config (YAML or JSON): name, source_type, path | file_pattern | connection_string, ...')
    .option('-n, --name <name>', 'the source\'s name (default: the config\'s name, else the file or folder name; a name another path holds gets the parent folder\'s name in front)')
    .option('-d, --dataflow <name>', 'the dataflow to run', 'ingest')
    .option('-o, --outputs <names>', 'comma-separated nodes to compute (default: the dataflow\'s final summary)')
    .option('--only <steps>', 'comma-separated steps: node names or tag selectors like module=profiling (their dependencies run too)')
    .option('-p, --pipeline <name>', 'a pipeline from config/pipelines/<name>.yaml (or a path)')
    .option('-c, --config <key=value...>', 'build config for @when variants and config inputs; a {...} or [...] value is JSON', collect, [])
    .option('--home <dir>', 'where the embedded defaults live (default: $DATARAUM_HOME or .dataraum)')
    .option('--root <dir>', 'project root holding dataflows/ (default: this package)')
    .option('--resume', 'finish an interrupted run of this source: completed nodes come from the cache')
    .option('--no-cache', 'compute every node, ignoring the persistent cache')
    .option('--no-progress', 'no live progress display')
    .option('--json', 'print the run result as JSON on stdout')
    .addHelpText('after', `
Examples:
  $ dataraum run node_modules/vega-datasets/data/seattle-weather.csv
  $ dataraum run ./data/                      # every supported file in the folder, one table each
  $ dataraum run exports/orders.csv --name shop   # the source 'shop'
  $ dataraum run --source sources/shop.yaml   # e.g. source_type: postgres, connection_string: ...
  $ dataraum run ./data --only module=profiling --json
  $ dataraum run ./data --pipeline profile-only    # config/pipelines/profile-only.yaml
  $ dataraum run --dataflow weather --outputs report -c units=metric`)
    .action(async (path: string | undefined, opts: RunOptions, command: Command) => {
      process.exitCode = await runCommand(path, opts, command);
    });
}

function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}

/** `key=value` pairs; a value starting with `{` or `[` is JSON (e.g. `profilingOptions={"buckets":5}`). */
function parseConfig(pairs: readonly string[], command: Command): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const p of pairs) {
    const eq = p.indexOf('=');
    if (eq <= 0) usageError(command, `--config expects key=value, got '${p}'`);
    const key = p.slice(0, eq);
    const value = p.slice(eq + 1);
    if (/^\s*[[{]/.test(value)) {
      try {
        out[key] = JSON.parse(value);
      } catch (err) {
        usageError(command, `--config ${key}: the value starts like JSON but does not parse (${(err as Error).message}); quote it for the shell, e.g. -c '${key}={"buckets":5}'`);
      }
    } else out[key] = value;
  }
  return out;
}

/** A bad `--only` step, found once the dataflow's driver is built. */
class UnknownStepError extends Error {}

async function runCommand(path: string | undefined, opts: RunOptions, command: Command): Promise<number> {
  const config = parseConfig(opts.config, command);
  const isIngest = opts.dataflow === 'ingest';
  if (isIngest && !path && !opts.source) usageError(command, 'give a file or folder to ingest, or --source config.yaml');
  if (!isIngest && opts.name !== undefined) usageError(command, '--name names an ingested source; it applies to the ingest dataflow only');
  const lock = lockHome(resolveHome(opts.home), commandLine());
  const runtime = await openRuntime({ home: opts.home, root: opts.root }).catch((err: unknown) => {
    lock.release();
    throw err;
  });
  try {
    const source = isIngest ? await ingestSource(runtime.store, path, opts) : undefined;
    const sourceRow = source ? await registerSource(runtime, source) : undefined;
    if (opts.resume && sourceRow) await markInterrupted(runtime.store, sourceRow.sourceId);
    const result = await runDataflow(runtime, {
      dataflow: opts.dataflow, source, sourceId: sourceRow?.sourceId ?? null, config, cache: opts.cache,
      hooks: opts.progress && !opts.json ? [new ProgressBarHook()] : [],
      onSuperseded: (ids) => process.stderr.write(`note: this run supersedes ${ids.length} checkpoint(s) of this source still waiting for review (${ids.join(', ')}): they can no longer be resumed\n`),
      ...(opts.pipeline ? { pipeline: opts.pipeline } : {}),
      ...(opts.outputs || opts.only ? { outputs: (driver: Driver) => chooseOutputs(driver, opts) } : {}),
    });
    const stagingWarnings = result.status === 'pending_review' ? pausedStagingWarnings(result.saved) : [];
    report(result, opts, runtime, Boolean(command.optsWithGlobals().verbose), stagingWarnings);
    return result.status === 'completed' ? 0 : result.status === 'pending_review' ? EXIT_PAUSED : 1;
  } catch (err) {
    if (err instanceof UnknownStepError) usageError(command, err.message);
    throw err;
  } finally {
    await runtime.close();
    lock.release();
  }
}

/**
 * The source to ingest. Unless a name was chosen (`--name`, `name:` in the config), a file or
 * folder is told apart from another of the same name by its path (see identifySource).
 */
async function ingestSource(store: Store, path: string | undefined, opts: RunOptions): Promise<SourceConfig> {
  const raw = opts.source ? readSourceConfigFile(opts.source) : sourceConfigFromPath(path!);
  const isObject = typeof raw === 'object' && raw !== null && !Array.isArray(raw);
  if (opts.name !== undefined) return parseSourceConfig(isObject ? { ...raw, name: opts.name } : raw);
  const config = parseSourceConfig(raw);
  if (opts.source && isObject && (raw as Record<string, unknown>).name !== undefined) return config;
  const identity = await identifySource(store, config);
  if (identity.note) process.stderr.write(`note: ${identity.note}\n`);
  return identity.config;
}

/**
 * Runs left `running` without a recorded process (from before runs.owner) are marked failed before
 * the rerun picks up from the cache. Runs with an owner are the reaper's (openRuntime): it fails
 * only those whose process is gone, never a run still going in another process.
 */
async function markInterrupted(store: Store, sourceId: string): Promise<void> {
  await store.db.updateTable('runs').set({ status: 'failed', errorMessage: 'interrupted (resumed by a later run)', finishedAt: new Date().toISOString() })
    .where('sourceId', '=', sourceId).where('status', '=', 'running').where('owner', 'is', null).execute();
}

/** `--outputs a,b` as given, or `--only` steps: node names and tag selectors such as module=profiling. */
function chooseOutputs(driver: Driver, opts: RunOptions): string[] {
  const list = (s: string) => s.split(',').map((x) => x.trim()).filter(Boolean);
  if (opts.outputs) return list(opts.outputs);
  const names = new Set<string>();
  for (const step of list(opts.only ?? '')) {
    const eq = step.indexOf('=');
    if (eq > 0) {
      const matched = driver.listVariables({ tags: { [step.slice(0, eq)]: step.slice(eq + 1) } }).map((v) => v.name);
      if (!matched.length) throw new UnknownStepError(`--only: no node is tagged ${step}`);
      matched.forEach((m) => names.add(m));
    } else names.add(step);
  }
  return [...names];
}

/**
 * The staging warnings (files skipped, tables renamed or dropped, lines rejected) of a run paused
 * at a review gate. A completed run prints them in its summary; a paused one has no summary yet,
 * but its checkpoint saved the staging node's value for the resume. Empty without a `staging` node.
 */
function pausedStagingWarnings(saved: Readonly<Record<string, unknown>>): string[] {
  const warnings = (saved.staging as Partial<StagingResult> | undefined)?.warnings;
  return Array.isArray(warnings) ? warnings.filter((w): w is string => typeof w === 'string') : [];
}

function report(result: RunResult<Record<string, unknown>>, opts: RunOptions, rt: Runtime, verbose: boolean, stagingWarnings: readonly string[]): void {
  const home = rt.home;
  if (opts.json) {
    const { nodes } = result;
    const out = result.status === 'completed' ? { status: result.status, runId: result.runId, values: result.values, nodes }
      : result.status === 'failed' ? { status: result.status, runId: result.runId, error: result.error.message, errors: result.errors.map((e) => e.message), nodes }
      : { status: result.status, runId: result.runId, checkpoint: result.checkpoint, stagingWarnings, nodes };
    process.stdout.write(JSON.stringify(out, (_k, v) => (typeof v === 'bigint' ? v.toString() : v), 2) + '\n');
    return;
  }
  if (result.status === 'failed') {
    process.stderr.write(formatRunErrors([result.error, ...result.errors.slice(1)], verbose) + '\n');
    return;
  }
  if (result.status === 'pending_review') {
    const cp = result.checkpoint;
    process.stdout.write(`Paused for review at '${cp.gate}': ${cp.items.length} item(s) need a decision (checkpoint ${cp.checkpointId}).\n`);
    for (const item of cp.items.slice(0, 10)) process.stdout.write(`  - ${item.itemId}\n`);
    for (const w of stagingWarnings) process.stdout.write(`warning: ${w}\n`);
    // Followed as printed, from any folder: a hint without the home would look in ./.dataraum.
    const flags = homeFlag(home);
    process.stdout.write(`Review with \`dataraum review list --checkpoint ${cp.checkpointId}${flags}\`, then \`dataraum resume ${cp.checkpointId} --from-reviews${flags}${rootFlag(rt.root)}\`.\n`);
    return;
  }
  const entries = Object.entries(result.values);
  const summaries = entries.filter(([, v]) => isSummary(v));
  if (summaries.length) {
    // A dataflow with a summary speaks through it; the other results (bookkeeping such as what
    // was written to the metadata store) are in --json, under their node names.
    for (const [, v] of summaries) process.stdout.write((v as { text: string }).text + '\n');
  } else {
    for (const [name, value] of entries) {
      if (typeof value === 'string') process.stdout.write(`${value}\n`);
      else process.stdout.write(`${name}: ${JSON.stringify(value, (_k, v) => (typeof v === 'bigint' ? v.toString() : v), 2)}\n`);
    }
  }
  process.stdout.write(`Metadata and data are under ${home}.\n`);
}
