/**
 * The build of one dataflow, from node module files to a checked manifest and its file text.
 * Order: scan -> modifiers -> expand -> names -> duplicates -> inputs -> edge types -> cycles ->
 * code versions -> emit. Every check runs even when an earlier one failed, so one build reports
 * every problem; nothing is emitted while any diagnostic exists.
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { ts, type Project, type SourceFile } from 'ts-morph';
import type { Manifest } from '../engine/index.ts';
import { checkCycles } from './check/cycles.ts';
import { checkDuplicates } from './check/duplicates.ts';
import { checkNames } from './check/names.ts';
import { checkEdgeTypes } from './check/types.ts';
import { CodeVersioner } from './code-version.ts';
import { DiagnosticSink, type Diagnostic } from './diagnostics.ts';
import { emitManifestFile } from './emit/manifest-file.ts';
import { expandFunction } from './graph/expand.ts';
import { deriveInputs } from './graph/inputs.ts';
import { toManifestNode, type NodeDraft } from './graph/node-draft.ts';
import { parseModifiers } from './modifiers/index.ts';
import { importPath, rootRelative } from './paths.ts';
import { createCodegenProject } from './project.ts';
import { collectFunctions } from './scan/collect-functions.ts';
import { readDocComment } from './scan/jsdoc.ts';
import { schemaResolver } from './scan/resolve-schema.ts';

export interface BuildManifestOptions {
  /** Dataflow name: the manifest's `dataflow` and the `<Name>Nodes` interface. */
  readonly dataflow: string;
  /** Folder the manifest file will live in; module paths are relative to it. */
  readonly manifestDir: string;
  /** Project root: `source.file` and diagnostics are relative to it. */
  readonly projectRoot: string;
  /** Reuse a Project (see createCodegenProject); one is created otherwise. */
  readonly project?: Project;
  /** Import specifier for the engine in the generated file; default: `<root>/engine/index.ts` if present, else 'dataraum/engine'. */
  readonly engineImport?: string;
  /** "Generated from ..." text; default: the dataflow.ts beside the manifest. */
  readonly origin?: string;
}

export interface ManifestBuild {
  /** Undefined when there are diagnostics. */
  readonly manifest?: Manifest;
  /** The manifest.generated.ts text; undefined when there are diagnostics. */
  readonly text?: string;
  readonly diagnostics: readonly Diagnostic[];
}

/**
 * Builds the manifest of the node modules `sourceFiles` (absolute paths) without writing anything.
 *
 * @example
 * ```ts
 * const { manifest, text, diagnostics } = buildManifest(['/proj/nodes/weather/load.ts'], {
 *   dataflow: 'weather', manifestDir: '/proj/dataflows/weather', projectRoot: '/proj',
 * });
 * if (diagnostics.length) console.error(diagnostics.map(formatDiagnostic).join('\n'));
 * else console.log(manifest!.nodes.map((n) => n.name));
 * ```
 */
export function buildManifest(sourceFiles: readonly string[], opts: BuildManifestOptions): ManifestBuild {
  const project = opts.project ?? createCodegenProject(opts.projectRoot);
  const files = sourceFiles.map((f) => project.getSourceFile(f) ?? project.addSourceFileAtPath(f));
  const sink = new DiagnosticSink();
  const result = buildFromSourceFiles(project, files, opts, sink);
  return { ...result, diagnostics: sink.sorted() };
}

/** Internal: files already in the project (buildAll adds every dataflow's files first, then builds). */
export function buildFromSourceFiles(
  project: Project,
  files: readonly SourceFile[],
  opts: BuildManifestOptions,
  sink: DiagnosticSink,
): { manifest?: Manifest; text?: string } {
  const checker = project.getTypeChecker().compilerObject;
  const root = opts.projectRoot;
  const manifestDir = opts.manifestDir;

  const drafts: NodeDraft[] = [];
  const program = project.getProgram().compilerObject;
  for (const sf of files) {
    // Type errors inside function bodies are tsc's business; a file that does not parse would
    // silently lose nodes, so it stops here.
    const syntax = program.getSyntacticDiagnostics(sf.compilerNode);
    if (syntax.length) {
      for (const d of syntax.slice(0, 5)) {
        const line = d.start === undefined ? 1 : sf.compilerNode.getLineAndCharacterOfPosition(d.start).line + 1;
        sink.report('SYNTAX_ERROR', { file: rootRelative(root, sf.getFilePath()), line }, `syntax error: ${ts.flattenDiagnosticMessageText(d.messageText, ' ')}; fix it, then build again`);
      }
      continue;
    }
    const resolveSchema = schemaResolver(sf, manifestDir);
    for (const info of collectFunctions(sf, { checker, root, manifestDir, sink })) {
      const declFile = info.fn.getSourceFile();
      const doc = readDocComment(info.docHost);
      const mods = parseModifiers(doc.tags, {
        fnName: info.exportName,
        file: info.location.file,
        sink,
        resolveSchema: declFile === sf ? resolveSchema : schemaResolver(declFile, manifestDir),
      });
      if (info.params) drafts.push(...expandFunction(info, info.params, mods, doc.doc, { checker, sink }));
    }
  }

  const named = checkNames(drafts, sink);
  const producers = new Map<string, NodeDraft[]>();
  for (const d of named) {
    const group = producers.get(d.name);
    if (group) group.push(d);
    else producers.set(d.name, [d]);
  }
  checkDuplicates(producers, sink);
  const inputs = deriveInputs(named, producers, checker, sink);
  checkEdgeTypes(named, producers, checker, sink);
  checkCycles(producers, sink);
  if (sink.hasErrors) return {};

  const versioner = new CodeVersioner(checker);
  for (const d of named) {
    d.codeVersion = d.info ? versioner.version(d.info.fn.compilerNode, d.versionSalt) : '';
  }
  for (const d of inputs) d.codeVersion = createHash('sha256').update(`${d.versionSalt}\0${d.type}`).digest('hex').slice(0, 16);

  const all = [...named, ...inputs];
  const manifest: Manifest = { version: 1, dataflow: opts.dataflow, nodes: all.map(toManifestNode) };
  const engineFile = path.join(root, 'engine', 'index.ts');
  const text = emitManifestFile(manifest, all, {
    dataflow: opts.dataflow,
    origin: opts.origin ?? rootRelative(root, path.join(manifestDir, 'dataflow.ts')),
    engineImport: opts.engineImport ?? (fs.existsSync(engineFile) ? importPath(manifestDir, engineFile) : 'dataraum/engine'),
  });
  return { manifest, text };
}
