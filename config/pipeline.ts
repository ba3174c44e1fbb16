/**
 * Pipeline configs (`config/pipelines/<name>.yaml`): which steps of a dataflow to run, which to
 * skip, whether to stop at the first failure, how many nodes may run at once, the ontology
 * and tables to work on, and the profiling and typing options. A pipeline is validated twice: its shape by zod when it is loaded, its
 * step names against a real driver when it is resolved (so no node name is hard-coded here).
 *
 * @example
 * ```ts
 * import { loadPipeline, resolvePipeline } from './config/pipeline.ts';
 * const pipeline = loadPipeline('profile-only', process.cwd());
 * const driver = await runtime.driver(pipeline.dataflow);
 * const { finalVars, options } = resolvePipeline(pipeline, driver);
 * await driver.run(finalVars, { ...options, inputs: runtime.inputs() });
 * ```
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parseDocument } from 'yaml';
import { z } from 'zod';
import { suggest, type Driver, type VariableInfo } from '../engine/index.ts';
import { ProfilingOptionsSchema } from '../nodes/profiling/options.ts';
import { InferenceOptionsSchema } from '../nodes/typing/options.ts';

/**
 * A step: a tag selector (`module=profiling`) or a bare word, which selects the node of that name
 * and every node tagged `module=<word>`.
 */
const Step = z.string().trim().min(1, 'a step must not be empty');

export const PipelineSchema = z.strictObject({
  name: z.string().trim().min(1, 'a pipeline needs a name'),
  /** The dataflow the steps belong to. */
  dataflow: z.string().regex(/^[\w-]+$/, 'a dataflow name is a folder name under dataflows/ (letters, digits, _ and -)').default('ingest'),
  /** `all`, or the steps to run; a step's dependencies run too. */
  steps: z.union([z.literal('all'), z.array(Step).min(1, "list at least one step, or write 'all'")], { error: "expected 'all' or a list of steps" }).default('all'),
  /** Steps removed from the requested set. */
  skip_steps: z.array(Step).default([]),
  /** Stop at the first failing node (true), or let independent branches finish (false). */
  fail_fast: z.boolean().default(true),
  /** How many async nodes may run at once. */
  max_parallel: z.number().int().min(1).default(4),
  /** Ontology name (config/ontologies/<name>.yaml) for semantic enrichment. */
  ontology: z.string().trim().min(1).optional(),
  /** Only these tables of the source (default: all). */
  tables: z.array(z.string().trim().min(1)).min(1).optional(),
  /**
   * Profiling options in snake_case (`top_k`, `sample_for_patterns`, ...), checked against the
   * node's own schema (nodes/profiling/options.ts); unset keys keep their defaults.
   */
  profiling: optionsSection(ProfilingOptionsSchema).optional(),
  /**
   * Type inference options (nodes/typing/options.ts), snake_case, and `decision_threshold`: the
   * confidence at or above which a type is decided without review.
   */
  typing: optionsSection(InferenceOptionsSchema.extend({ decisionThreshold: z.number().min(0).max(1) })).optional(),
});

function camelCase(key: string): string {
  return key.replace(/_([a-z])/g, (_m, c: string) => c.toUpperCase());
}

/**
 * A pipeline section of node options written in snake_case: its keys camel-cased and checked by
 * `schema` (strict, so a misspelt key is named) without applying defaults, which stay the node's.
 */
function optionsSection<S extends z.ZodObject>(schema: S) {
  const partial = schema.partial().strict();
  return z.record(z.string(), z.unknown()).transform((section, ctx) => {
    const camel = Object.fromEntries(Object.entries(section).map(([k, v]) => [camelCase(k), v]));
    const parsed = partial.safeParse(camel);
    if (parsed.success) return camel as Partial<z.input<S>>;
    for (const issue of parsed.error.issues) {
      ctx.addIssue({ code: 'custom', path: issue.path, message: issue.code === 'unrecognized_keys' ? `unknown option(s) ${issue.keys.join(', ')}` : issue.message });
    }
    return z.NEVER;
  });
}

/**
 * The run config a pipeline's `profiling` and `typing` sections set: the ingest dataflow's config
 * inputs `profilingOptions`, `inferenceOptions` and `decisionThreshold`. (Config, not inputs: a
 * paused run resumes with the config it started with.)
 */
export function pipelineRunConfig(pipeline: Pipeline): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  if (pipeline.profiling && Object.keys(pipeline.profiling).length) out.profilingOptions = pipeline.profiling;
  if (pipeline.typing) {
    const { decisionThreshold, ...inference } = pipeline.typing;
    if (Object.keys(inference).length) out.inferenceOptions = inference;
    if (decisionThreshold !== undefined) out.decisionThreshold = decisionThreshold;
  }
  return out;
}

/** A validated pipeline, defaults applied. */
export type Pipeline = z.output<typeof PipelineSchema>;

/** One problem with a pipeline: where (`steps[2]`) and what. */
export interface PipelineIssue {
  readonly path: string;
  readonly message: string;
}

/** A pipeline that could not be read, validated or resolved; `issues` lists every problem found. */
export class PipelineError extends Error {
  readonly file: string | undefined;
  readonly issues: readonly PipelineIssue[];
  constructor(what: string, file: string | undefined, issues: readonly PipelineIssue[]) {
    super(`${what}${file ? ` (${file})` : ''}: ${issues.length} problem${issues.length === 1 ? '' : 's'}\n${issues.map((i) => `  - ${i.path ? `${i.path}: ` : ''}${i.message}`).join('\n')}`);
    this.name = 'PipelineError';
    this.file = file;
    this.issues = issues;
  }
}

/** What a driver needs to run a pipeline. */
export interface ResolvedPipeline {
  /** The requested nodes that nothing else requested depends on: running them runs the rest. */
  readonly finalVars: string[];
  /** Every node that will run (the upstream closure of `finalVars`, inputs excluded), in topological order. */
  readonly nodes: string[];
  readonly options: { readonly failFast: boolean; readonly maxParallel: number };
  /** Values for the run's config (only the keys the pipeline sets). */
  readonly config: Readonly<{ ontology?: string; tables?: readonly string[] }>;
}

/** `config/pipelines` under a project root. */
export function pipelinesDir(root: string): string {
  return path.join(root, 'config', 'pipelines');
}

/** Names of the pipelines under `<root>/config/pipelines`. */
export function listPipelines(root: string): string[] {
  const dir = pipelinesDir(root);
  if (!existsSync(dir)) return [];
  return readdirSync(dir).filter((f) => /\.ya?ml$/.test(f)).map((f) => f.replace(/\.ya?ml$/, '')).sort();
}

/**
 * Reads and validates a pipeline: `nameOrPath` is a pipeline name (`config/pipelines/<name>.yaml`
 * under `root`) or the path of a YAML file. Throws a `PipelineError` listing every problem with
 * its path (`steps[1]: expected string, received number`).
 *
 * @example
 * ```ts
 * const p = loadPipeline('default', '.');          // config/pipelines/default.yaml
 * const q = loadPipeline('./my-pipeline.yaml', '.'); // any file
 * ```
 */
export function loadPipeline(nameOrPath: string, root: string): Pipeline {
  const file = pipelineFile(nameOrPath, root);
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    throw new PipelineError('Cannot read pipeline', file, [{ path: '', message: err instanceof Error ? err.message : String(err) }]);
  }
  return parsePipeline(text, file);
}

/** Validates pipeline YAML text; `file` only names it in errors. */
export function parsePipeline(text: string, file?: string): Pipeline {
  const doc = parseDocument(text, { prettyErrors: true });
  if (doc.errors.length) {
    throw new PipelineError('Invalid pipeline YAML', file, doc.errors.map((e) => ({ path: '', message: e.message.split('\n')[0] })));
  }
  const parsed = PipelineSchema.safeParse(doc.toJS() ?? {});
  if (!parsed.success) {
    throw new PipelineError('Invalid pipeline', file, flattenIssues(parsed.error.issues, []));
  }
  return Object.freeze(parsed.data);
}

/**
 * Turns a pipeline into what a driver runs. Requesting a step runs its dependencies (the driver's
 * upstream closure). `skip_steps` removes nodes from the requested set: with explicit steps,
 * skipping a node a requested step needs is an error naming both; with `steps: all`, skipping a
 * node also drops everything downstream of it (nothing else could run without it).
 *
 * Step names are checked against the driver, with "did you mean" hints. A bare word selects the
 * node of that name and the nodes tagged `module=<word>`; `key=value` selects by any tag.
 *
 * @example
 * ```ts
 * const { finalVars, options } = resolvePipeline(parsePipeline('name: p\nsteps: [profiling]'), driver);
 * const result = await driver.run(finalVars, options);
 * ```
 */
export function resolvePipeline(pipeline: Pipeline, driver: Driver): ResolvedPipeline {
  if (driver.dataflow !== pipeline.dataflow) {
    throw new PipelineError(`Pipeline '${pipeline.name}' does not fit this dataflow`, undefined, [
      { path: 'dataflow', message: `the pipeline is for dataflow '${pipeline.dataflow}', the driver runs '${driver.dataflow}'` },
    ]);
  }
  const vars = driver.listVariables();
  const runnable = vars.filter((v) => !v.isExternalInput);
  const issues: PipelineIssue[] = [];
  const select = (field: 'steps' | 'skip_steps', steps: readonly string[]): Set<string> => {
    const out = new Set<string>();
    steps.forEach((step, i) => {
      const found = selectStep(step, runnable);
      if (typeof found === 'string') issues.push({ path: `${field}[${i}]`, message: found });
      else for (const n of found) out.add(n);
    });
    return out;
  };

  const steps = pipeline.steps;
  const all = steps === 'all';
  const requested = steps === 'all' ? new Set(runnable.map((v) => v.name)) : select('steps', steps);
  const skipped = select('skip_steps', pipeline.skip_steps);
  if (issues.length) throw new PipelineError(`Pipeline '${pipeline.name}' names unknown steps`, undefined, issues);

  const dropped = all && skipped.size ? new Set([...skipped, ...driver.downstreamOf(...skipped)]) : skipped;
  const wanted = [...requested].filter((n) => !dropped.has(n));
  if (!wanted.length) {
    throw new PipelineError(`Pipeline '${pipeline.name}' runs nothing`, undefined, [{ path: 'skip_steps', message: 'every requested step is skipped; remove some skip_steps' }]);
  }
  const conflicts: PipelineIssue[] = [];
  const upstreamOfWanted = new Set<string>();
  for (const n of wanted) {
    const upstream = driver.upstreamOf(n);
    for (const u of upstream) upstreamOfWanted.add(u);
    const needed = upstream.filter((u) => skipped.has(u));
    if (needed.length) {
      conflicts.push({ path: 'skip_steps', message: `step '${n}' needs ${needed.map((u) => `'${u}'`).join(', ')}, which skip_steps removes; skip '${n}' too or stop skipping ${needed.length === 1 ? 'it' : 'them'}` });
    }
  }
  if (conflicts.length) throw new PipelineError(`Pipeline '${pipeline.name}' skips steps it needs`, undefined, conflicts);

  // Keep only the requested nodes nobody else requested depends on: the closure is the same.
  const finalVars = wanted.filter((n) => !upstreamOfWanted.has(n));
  const inputs = new Set(vars.filter((v) => v.isExternalInput).map((v) => v.name));
  const nodes = [...upstreamOfWanted, ...wanted].filter((n, i, a) => !inputs.has(n) && a.indexOf(n) === i);
  const order = new Map(runnable.map((v, i) => [v.name, i]));
  nodes.sort((a, b) => (order.get(a) ?? 0) - (order.get(b) ?? 0));
  return Object.freeze({
    finalVars,
    nodes,
    options: Object.freeze({ failFast: pipeline.fail_fast, maxParallel: pipeline.max_parallel }),
    config: Object.freeze({
      ...(pipeline.ontology !== undefined ? { ontology: pipeline.ontology } : {}),
      ...(pipeline.tables !== undefined ? { tables: Object.freeze([...pipeline.tables]) } : {}),
    }),
  });
}

/** The nodes a step selects, or a message saying why it selects none. */
function selectStep(step: string, runnable: readonly VariableInfo[]): string[] | string {
  const eq = step.indexOf('=');
  if (eq < 0) {
    // A bare word is the node of that name and the nodes of that module: `profiling` is both the
    // profiling node and what is tagged module=profiling (which builds on it).
    const selected = runnable.filter((v) => v.name === step || hasTag(v, 'module', step)).map((v) => v.name);
    if (selected.length) return selected;
    const modules = tagValues(runnable, 'module');
    const hint = suggest(step, [...runnable.map((v) => v.name), ...modules]);
    return `unknown step '${step}'${hint.length ? ` (did you mean ${hint.map((h) => `'${h}'`).join(', ')}?)` : ''}; a step is a node name, a module (${modules.length ? modules.join(', ') : 'none tagged'}) or key=value`;
  }
  const key = step.slice(0, eq).trim();
  const value = step.slice(eq + 1).trim();
  if (!key || !value) return `'${step}' is not a tag selector; write key=value, e.g. module=profiling`;
  const matched = runnable.filter((v) => hasTag(v, key, value)).map((v) => v.name);
  if (matched.length) return matched;
  const pairs = new Set<string>();
  for (const v of runnable) for (const [k, vals] of Object.entries(v.tags)) for (const x of typeof vals === 'string' ? [vals] : vals) pairs.add(`${k}=${x}`);
  const hint = suggest(`${key}=${value}`, pairs);
  return `no node is tagged '${key}=${value}'${hint.length ? ` (did you mean ${hint.map((h) => `'${h}'`).join(', ')}?)` : ''}`;
}

function hasTag(v: VariableInfo, key: string, value: string): boolean {
  const have = v.tags[key];
  return have !== undefined && (typeof have === 'string' ? have === value : have.includes(value));
}

function tagValues(vars: readonly VariableInfo[], key: string): string[] {
  const out = new Set<string>();
  for (const v of vars) {
    const t = v.tags[key];
    if (t !== undefined) for (const x of typeof t === 'string' ? [t] : t) out.add(x);
  }
  return [...out].sort();
}

function pipelineFile(nameOrPath: string, root: string): string {
  const isPath = /[\\/]/.test(nameOrPath) || /\.ya?ml$/i.test(nameOrPath);
  if (isPath) return path.resolve(nameOrPath);
  const dir = pipelinesDir(root);
  for (const ext of ['.yaml', '.yml']) {
    const file = path.join(dir, `${nameOrPath}${ext}`);
    if (existsSync(file)) return file;
  }
  const known = listPipelines(root);
  const hint = suggest(nameOrPath, known);
  throw new PipelineError(`Unknown pipeline '${nameOrPath}'`, undefined, [{
    path: '',
    message: `no ${nameOrPath}.yaml in ${dir}${hint.length ? ` (did you mean ${hint.map((h) => `'${h}'`).join(', ')}?)` : ''}; ` +
      (known.length ? `available: ${known.join(', ')}` : 'pass the path of a pipeline YAML file'),
  }]);
}

/**
 * zod reports a failed union as one issue at the union; when one branch got further (the value
 * was a list, but an element is wrong), its issues say more: report those, with their paths.
 */
function flattenIssues(issues: readonly z.core.$ZodIssue[], prefix: readonly PropertyKey[]): PipelineIssue[] {
  const out: PipelineIssue[] = [];
  const depth = (branch: readonly z.core.$ZodIssue[]) => Math.max(0, ...branch.map((i) => i.path.length));
  for (const issue of issues) {
    const at = [...prefix, ...issue.path];
    if (issue.code === 'invalid_union' && issue.errors.length) {
      const deepest = issue.errors.reduce((best, b) => (depth(b) > depth(best) ? b : best));
      if (depth(deepest) > 0) {
        out.push(...flattenIssues(deepest, at));
        continue;
      }
    }
    out.push({ path: formatPath(at), message: issue.message });
  }
  return out;
}

function formatPath(p: readonly PropertyKey[]): string {
  let out = '';
  for (const k of p) out += typeof k === 'number' ? `[${k}]` : `${out ? '.' : ''}${String(k)}`;
  return out;
}
