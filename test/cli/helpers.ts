/**
 * Running the real `dataraum` bin in a child process against a throwaway home (and, for
 * PostgreSQL, a fresh database), and starting runs of the gated fixture dataflow in-process with
 * the runtime API, the way `dataraum run` does.
 */
import { execFile } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { RunResult } from '../../engine/index.ts';
import { openRuntime } from '../../cli/runtime.ts';
import { RunRecorder, upsertSource } from '../../store/index.ts';

export const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
/** A project root with one dataflow, `gated`: numbers -> stats -> approval (gate) -> report -> signoff (gate) -> published. */
export const FIXTURE_ROOT = path.join(REPO, 'test', 'cli', 'fixtures', 'project');
const BIN = path.join(REPO, 'bin', 'dataraum.mjs');

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

/** Where a test's CLI calls keep their state. */
export interface CliEnv {
  readonly home: string;
  /** PostgreSQL URL of the metadata store; SQLite under `home` when absent. */
  readonly databaseUrl?: string;
}

/** `dataraum <args> --home <home>`, with DATARAUM_DATABASE_URL set for PostgreSQL. */
export function cli(env: CliEnv, args: readonly string[], opts: { stdin?: string } = {}): Promise<CliRun> {
  const childEnv: NodeJS.ProcessEnv = { ...process.env, NO_COLOR: '1' };
  delete childEnv.DATARAUM_DATABASE_URL;
  delete childEnv.DATARAUM_HOME;
  if (env.databaseUrl) childEnv.DATARAUM_DATABASE_URL = env.databaseUrl;
  return new Promise((resolve) => {
    const child = execFile(process.execPath, [BIN, ...args, '--home', env.home], { cwd: REPO, env: childEnv, maxBuffer: 16 << 20 }, (err, stdout, stderr) => {
      const code = err ? (typeof (err as { code?: unknown }).code === 'number' ? (err as { code: number }).code : -1) : 0;
      resolve({ code, stdout, stderr });
    });
    if (opts.stdin !== undefined) child.stdin?.end(opts.stdin);
  });
}

/** Parses stdout as JSON, failing with what the command printed when it is not. */
export function json<T = any>(r: CliRun): T {
  try {
    return JSON.parse(r.stdout) as T;
  } catch {
    throw new Error(`expected JSON on stdout (exit ${r.code})\nstdout: ${r.stdout}\nstderr: ${r.stderr}`);
  }
}

export interface GatedRunOptions {
  readonly source: string;
  readonly count?: number;
  readonly askReview?: boolean;
  readonly askSignoff?: boolean;
}

/** Starts a run of the gated fixture about `source`, recorded in the store like `dataraum run` does. */
export async function startGatedRun(env: CliEnv, opts: GatedRunOptions): Promise<RunResult<Record<string, unknown>>> {
  const rt = await openRuntime({ home: env.home, root: FIXTURE_ROOT, ...(env.databaseUrl ? { databaseUrl: env.databaseUrl } : {}) });
  try {
    const source = await upsertSource(rt.store, opts.source, 'test', { count: opts.count ?? 4 });
    const recorder = new RunRecorder(rt.store, { sourceId: source.sourceId });
    const driver = await rt.driver('gated', { hooks: [recorder] });
    const result = await driver.run(['published'], {
      inputs: { ...rt.inputs(), count: opts.count ?? 4, askReview: opts.askReview ?? false, askSignoff: opts.askSignoff ?? false },
      sourceId: opts.source,
    });
    await recorder.flush();
    return result;
  } finally {
    await rt.close();
  }
}

/** How often each fixture node ran, across every process that used this home. */
export function executions(home: string): Record<string, number> {
  const file = path.join(home, 'executions.log');
  const counts: Record<string, number> = {};
  if (!existsSync(file)) return counts;
  for (const line of readFileSync(file, 'utf8').split('\n')) if (line) counts[line] = (counts[line] ?? 0) + 1;
  return counts;
}
