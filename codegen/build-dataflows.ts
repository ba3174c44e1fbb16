/**
 * `buildDataflow` / `buildAll`: find dataflows, build their manifests with one shared Project,
 * and write `manifest.generated.ts` beside each `dataflow.ts` (or, with `check`, only compare).
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Project, SourceFile } from 'ts-morph';
import type { Manifest } from '../engine/index.ts';
import { buildFromSourceFiles } from './build-manifest.ts';
import { DiagnosticSink, type Diagnostic } from './diagnostics.ts';
import { rootRelative } from './paths.ts';
import { createCodegenProject } from './project.ts';
import { readDataflow, type DataflowSource } from './scan/read-dataflow.ts';

export const MANIFEST_FILE = 'manifest.generated.ts';

export interface DataflowBuildResult {
  /** Dataflow name (its folder name). */
  readonly name: string;
  /** Absolute path of manifest.generated.ts. */
  readonly manifestPath: string;
  /** Number of nodes in the manifest (0 when the build failed). */
  readonly nodes: number;
  /**
   * Without `check`: the file was (re)written because its content differed.
   * With `check`: the committed file is missing or stale.
   */
  readonly changed: boolean;
  /** Empty when the build succeeded; nothing is written otherwise. */
  readonly diagnostics: readonly Diagnostic[];
  /** The built manifest, when the build succeeded. */
  readonly manifest?: Manifest;
}

export interface BuildOptions {
  /** Compare with the committed manifest instead of writing it. */
  readonly check?: boolean;
  /**
   * Reuse a ts-morph Project (see createCodegenProject). A reused Project keeps the file text it
   * has read: after editing files, call `refreshFromFileSystemSync()` on their SourceFiles.
   */
  readonly project?: Project;
}

export interface BuildDataflowOptions extends BuildOptions {
  /** Project root; default: two levels above `dir` (dataflows/<name>/). */
  readonly root?: string;
}

export interface BuildAllOptions extends BuildOptions {
  /** Project root: the folder holding `dataflows/`. */
  readonly root: string;
  /** Only these dataflows (folder names); default: all. */
  readonly only?: readonly string[];
}

/**
 * Builds one dataflow folder (the one holding dataflow.ts).
 *
 * @example
 * ```ts
 * const r = await buildDataflow('dataflows/ingest', { root: '.' });
 * for (const d of r.diagnostics) console.error(formatDiagnostic(d));
 * ```
 */
export async function buildDataflow(dir: string, opts: BuildDataflowOptions = {}): Promise<DataflowBuildResult> {
  const abs = path.resolve(dir);
  const root = path.resolve(opts.root ?? path.join(abs, '..', '..'));
  const [result] = buildDirs(root, [abs], opts);
  return result;
}

/**
 * Builds every dataflow under `<root>/dataflows/` (or those in `only`) with one Project.
 *
 * @example
 * ```ts
 * const results = await buildAll({ root: process.cwd(), check: true });
 * const stale = results.filter((r) => r.changed || r.diagnostics.length);
 * ```
 */
export async function buildAll(opts: BuildAllOptions): Promise<DataflowBuildResult[]> {
  const root = path.resolve(opts.root);
  const base = path.join(root, 'dataflows');
  const found = fs.existsSync(base)
    ? fs
        .readdirSync(base, { withFileTypes: true })
        .filter((e) => e.isDirectory() && fs.existsSync(path.join(base, e.name, 'dataflow.ts')))
        .map((e) => e.name)
        .sort()
    : [];
  const unknown: DataflowBuildResult[] = [];
  let names = found;
  if (opts.only?.length) {
    names = found.filter((n) => opts.only!.includes(n));
    for (const n of opts.only) {
      if (found.includes(n)) continue;
      unknown.push({
        name: n,
        manifestPath: path.join(base, n, MANIFEST_FILE),
        nodes: 0,
        changed: false,
        diagnostics: [
          {
            code: 'UNKNOWN_DATAFLOW',
            message: `no dataflow '${n}': there is no ${rootRelative(root, path.join(base, n, 'dataflow.ts'))}; known dataflows: ${found.join(', ') || '(none)'}`,
            file: rootRelative(root, base),
            line: 1,
          },
        ],
      });
    }
  }
  return [...buildDirs(root, names.map((n) => path.join(base, n)), opts), ...unknown];
}

function buildDirs(root: string, dirs: readonly string[], opts: BuildOptions): DataflowBuildResult[] {
  const project = opts.project ?? createCodegenProject(root);
  // Phase 1: add every file first, so the checker's program is built once for all dataflows.
  const prepared: { dir: string; sink: DiagnosticSink; source?: DataflowSource; files: SourceFile[] }[] = [];
  for (const dir of dirs) {
    const sink = new DiagnosticSink();
    const source = readDataflow(project, dir, root, sink);
    const files = (source?.modules ?? []).map((m) => project.getSourceFile(m.file) ?? project.addSourceFileAtPath(m.file));
    prepared.push({ dir, sink, source, files });
  }
  return prepared.map(({ dir, sink, source, files }) => {
    const manifestPath = path.join(dir, MANIFEST_FILE);
    const name = source?.name ?? path.basename(dir);
    const built =
      source && !sink.hasErrors
        ? buildFromSourceFiles(project, files, { dataflow: source.name, manifestDir: dir, projectRoot: root }, sink)
        : {};
    if (!built.text || !built.manifest || sink.hasErrors) {
      return { name, manifestPath, nodes: 0, changed: false, diagnostics: sink.sorted() };
    }
    const current = fs.existsSync(manifestPath) ? fs.readFileSync(manifestPath, 'utf8') : undefined;
    const changed = current !== built.text;
    if (changed && !opts.check) fs.writeFileSync(manifestPath, built.text);
    return { name, manifestPath, nodes: built.manifest.nodes.length, changed, diagnostics: [], manifest: built.manifest };
  });
}
