/**
 * The one ts-morph Project a build uses. Creating a Project (and its lib.d.ts) is the expensive
 * part of a build, so `buildAll` creates one for every dataflow, and tests can pass one in.
 */
import fs from 'node:fs';
import path from 'node:path';
import { Project, ts } from 'ts-morph';

/**
 * The compiler options the checks run under. Strict matters: without strictNullChecks an
 * optional parameter would accept a producer that may return undefined and the edge check
 * would prove nothing.
 */
const COMPILER_OPTIONS: ts.CompilerOptions = {
  target: ts.ScriptTarget.ES2022,
  module: ts.ModuleKind.NodeNext,
  moduleResolution: ts.ModuleResolutionKind.NodeNext,
  lib: ['lib.es2023.d.ts'],
  types: ['node'],
  strict: true,
  esModuleInterop: true,
  skipLibCheck: true,
  resolveJsonModule: true,
  allowImportingTsExtensions: true,
  noEmit: true,
  isolatedModules: true,
};

/**
 * Creates the Project for a project root. When the root has a tsconfig.json its compiler options
 * are used (without adding its files: only the dataflows' modules and what they import are read).
 *
 * @example
 * ```ts
 * const project = createCodegenProject('/path/to/project');
 * const result = await buildDataflow('/path/to/project/dataflows/ingest', { project });
 * ```
 */
export function createCodegenProject(root: string): Project {
  const tsConfigFilePath = path.join(root, 'tsconfig.json');
  if (fs.existsSync(tsConfigFilePath)) {
    const project = new Project({ tsConfigFilePath, skipAddingFilesFromTsConfig: true });
    // Strictness is not negotiable for the edge checks (see COMPILER_OPTIONS).
    project.compilerOptions.set({ strict: true, noEmit: true, allowImportingTsExtensions: true });
    return project;
  }
  return new Project({ compilerOptions: COMPILER_OPTIONS, skipAddingFilesFromTsConfig: true });
}
