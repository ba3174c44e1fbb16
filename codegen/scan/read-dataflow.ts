/**
 * Reads `dataflows/<name>/dataflow.ts` without running it: the default export must be
 * `defineDataflow({ name: '...', modules: ['...'] })` (or the bare object) with literal values.
 * Reading statically keeps the build free of side effects and works on copies of a project whose
 * imports do not resolve.
 */
import fs from 'node:fs';
import path from 'node:path';
import { Node, type Project, type SourceFile, type Expression } from 'ts-morph';
import type { DiagnosticSink } from '../diagnostics.ts';
import { rootRelative } from '../paths.ts';

export interface DataflowModuleRef {
  /** As written in dataflow.ts. */
  readonly specifier: string;
  /** Absolute path. */
  readonly file: string;
  /** Line of the specifier in dataflow.ts. */
  readonly line: number;
}

export interface DataflowSource {
  readonly name: string;
  readonly dir: string;
  readonly file: string;
  readonly modules: readonly DataflowModuleRef[];
}

const EXPECTED = "dataflow.ts must `export default defineDataflow({ name: '<name>', modules: ['<path>.ts', ...] })` with literal strings";

export function readDataflow(project: Project, dir: string, root: string, sink: DiagnosticSink): DataflowSource | undefined {
  const file = path.join(dir, 'dataflow.ts');
  const rel = rootRelative(root, file);
  if (!fs.existsSync(file)) {
    sink.report('DATAFLOW_INVALID', { file: rel, line: 1 }, `no dataflow.ts in ${rootRelative(root, dir)}; ${EXPECTED}`);
    return undefined;
  }
  const sf = project.addSourceFileAtPath(file);
  const def = findDefinitionObject(sf);
  if (!def) {
    sink.report('DATAFLOW_INVALID', { file: rel, line: 1 }, `no default-exported dataflow definition found; ${EXPECTED}`);
    return undefined;
  }
  const nameInit = def.getProperty('name');
  const modulesInit = def.getProperty('modules');
  let name: string | undefined;
  if (Node.isPropertyAssignment(nameInit)) {
    const init = nameInit.getInitializer();
    if (Node.isStringLiteral(init) || Node.isNoSubstitutionTemplateLiteral(init)) name = init.getLiteralValue();
  }
  if (name === undefined) {
    sink.report('DATAFLOW_INVALID', { file: rel, line: (nameInit ?? def).getStartLineNumber() }, `'name' must be a string literal; ${EXPECTED}`);
    return undefined;
  }
  const folder = path.basename(dir);
  if (name !== folder) {
    sink.report('DATAFLOW_INVALID', { file: rel, line: nameInit!.getStartLineNumber() }, `dataflow name '${name}' must match its folder '${folder}'; rename one of them`);
    return undefined;
  }
  if (!/^[A-Za-z][A-Za-z0-9_-]*$/.test(name)) {
    sink.report('DATAFLOW_INVALID', { file: rel, line: nameInit!.getStartLineNumber() }, `dataflow name '${name}' must start with a letter and contain only letters, digits, '_' and '-'`);
    return undefined;
  }
  const arr = Node.isPropertyAssignment(modulesInit) ? modulesInit.getInitializer() : undefined;
  if (!Node.isArrayLiteralExpression(arr)) {
    sink.report('DATAFLOW_INVALID', { file: rel, line: (modulesInit ?? def).getStartLineNumber() }, `'modules' must be an array literal of module paths; ${EXPECTED}`);
    return undefined;
  }
  const modules: DataflowModuleRef[] = [];
  const seen = new Set<string>();
  for (const el of arr.getElements()) {
    const line = el.getStartLineNumber();
    if (!Node.isStringLiteral(el) && !Node.isNoSubstitutionTemplateLiteral(el)) {
      sink.report('DATAFLOW_INVALID', { file: rel, line }, `module paths must be string literals, found \`${el.getText()}\`; ${EXPECTED}`);
      continue;
    }
    const specifier = el.getLiteralValue();
    const abs = path.resolve(dir, specifier);
    if (!fs.existsSync(abs) || !fs.statSync(abs).isFile()) {
      sink.report('MODULE_NOT_FOUND', { file: rel, line }, `module '${specifier}' not found (looked for ${rootRelative(root, abs)}); paths are relative to the dataflow's folder and include the .ts extension`);
      continue;
    }
    if (seen.has(abs)) continue;
    seen.add(abs);
    modules.push({ specifier, file: abs, line });
  }
  return { name, dir, file, modules };
}

function findDefinitionObject(sf: SourceFile) {
  for (const assignment of sf.getExportAssignments()) {
    if (assignment.isExportEquals()) continue;
    const obj = unwrap(assignment.getExpression(), sf);
    if (obj) return obj;
  }
  return undefined;
}

/** `defineDataflow({...})`, `{...}`, `x satisfies T`, `x as T`, or an identifier bound to one of these. */
function unwrap(expr: Expression, sf: SourceFile, depth = 0): import('ts-morph').ObjectLiteralExpression | undefined {
  if (depth > 5) return undefined;
  if (Node.isObjectLiteralExpression(expr)) return expr;
  if (Node.isCallExpression(expr)) {
    const [arg] = expr.getArguments();
    return arg && Node.isExpression(arg) ? unwrap(arg, sf, depth + 1) : undefined;
  }
  if (Node.isSatisfiesExpression(expr) || Node.isAsExpression(expr) || Node.isParenthesizedExpression(expr)) {
    return unwrap(expr.getExpression(), sf, depth + 1);
  }
  if (Node.isIdentifier(expr)) {
    const decl = sf.getVariableDeclaration(expr.getText());
    const init = decl?.getInitializer();
    return init ? unwrap(init, sf, depth + 1) : undefined;
  }
  return undefined;
}
