/**
 * The build step: reads a dataflow's node modules with ts-morph, derives the DAG with real
 * TypeScript types, checks it (modifiers, edge types, duplicates, cycles) and writes a typed
 * manifest beside the dataflow.
 *
 * @example
 * ```ts
 * import { buildAll, formatDiagnostic } from 'dataraum/codegen';
 * for (const r of await buildAll({ root: process.cwd() })) {
 *   for (const d of r.diagnostics) console.error(formatDiagnostic(d));
 *   if (r.changed) console.log(`wrote ${r.manifestPath} (${r.nodes} nodes)`);
 * }
 * ```
 */
export { buildAll, buildDataflow, MANIFEST_FILE } from './build-dataflows.ts';
export type { BuildAllOptions, BuildDataflowOptions, BuildOptions, DataflowBuildResult } from './build-dataflows.ts';
export { buildManifest } from './build-manifest.ts';
export type { BuildManifestOptions, ManifestBuild } from './build-manifest.ts';
export { formatDiagnostic } from './diagnostics.ts';
export type { Diagnostic, DiagnosticCode } from './diagnostics.ts';
export { createCodegenProject } from './project.ts';
export { findCycles } from './check/cycles.ts';
export { nodesInterfaceName } from './emit/manifest-file.ts';
