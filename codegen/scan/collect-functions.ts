/**
 * Finds the node functions of a module: every exported function (declaration, or a `const` bound
 * to an arrow or function expression) whose name does not start with `_`. Non-function exports
 * (schemas, constants, types) are not nodes.
 */
import { Node, ts, type ArrowFunction, type FunctionDeclaration, type FunctionExpression, type SourceFile, type VariableStatement } from 'ts-morph';
import type { DiagnosticSink, Location } from '../diagnostics.ts';
import { importPath, lineOf, rootRelative } from '../paths.ts';
import { typeText } from './type-text.ts';

export type NodeFunction = FunctionDeclaration | ArrowFunction | FunctionExpression;

export interface ParamInfo {
  readonly name: string;
  readonly index: number;
  /** Has `?` or a default value. */
  readonly optional: boolean;
  readonly type: ts.Type;
  readonly typeText: string;
  readonly location: Location;
}

export interface FunctionInfo {
  /** Exported name: the node name unless a modifier says otherwise. */
  readonly exportName: string;
  /** The module the dataflow lists (what the manifest's loader imports), absolute. */
  readonly moduleFile: string;
  /** `moduleFile` relative to the manifest's folder. */
  readonly module: string;
  readonly fn: NodeFunction;
  /** Where the JSDoc lives: the function declaration, or the `const` statement of an arrow export. */
  readonly docHost: FunctionDeclaration | VariableStatement;
  readonly location: Location;
  /** undefined when a parameter is not a plain identifier (already reported). */
  readonly params: readonly ParamInfo[] | undefined;
  /** The value the function produces: its return type with Promise unwrapped. */
  readonly valueType: ts.Type;
  readonly async: boolean;
}

export interface CollectContext {
  readonly checker: ts.TypeChecker;
  readonly root: string;
  readonly manifestDir: string;
  readonly sink: DiagnosticSink;
}

export function collectFunctions(sf: SourceFile, ctx: CollectContext): FunctionInfo[] {
  const moduleFile = sf.getFilePath();
  const module = importPath(ctx.manifestDir, moduleFile);
  const found: { info: FunctionInfo; file: string; pos: number }[] = [];
  for (const [exportName, decls] of sf.getExportedDeclarations()) {
    if (exportName === 'default' || exportName.startsWith('_')) continue;
    const target = pickFunction(decls);
    if (!target) continue;
    const { fn, docHost, at } = target;
    const declFile = at.getSourceFile().getFilePath();
    const location = { file: rootRelative(ctx.root, declFile), line: lineOf(at) };
    const params = readParams(fn, exportName, ctx);
    const signature = ctx.checker.getSignatureFromDeclaration(fn.compilerNode);
    const returnType = signature ? ctx.checker.getReturnTypeOfSignature(signature) : ctx.checker.getAnyType();
    const valueType = ctx.checker.getAwaitedType(returnType) ?? returnType;
    const info: FunctionInfo = {
      exportName,
      moduleFile,
      module,
      fn,
      docHost,
      location,
      params,
      valueType,
      async: fn.isAsync() || valueType !== returnType,
    };
    found.push({ info, file: declFile, pos: at.getPos() });
  }
  // Source order (re-exported functions grouped by their file), independent of Map order.
  found.sort((a, b) => (a.file === b.file ? a.pos - b.pos : a.file === moduleFile ? -1 : b.file === moduleFile ? 1 : a.file < b.file ? -1 : 1));
  return found.map((f) => f.info);
}

function pickFunction(decls: readonly Node[]): { fn: NodeFunction; docHost: FunctionDeclaration | VariableStatement; at: Node } | undefined {
  // Overloads: the implementation carries the body and the JSDoc that matters.
  const fnDecls = decls.filter(Node.isFunctionDeclaration);
  if (fnDecls.length) {
    const impl = fnDecls.find((d) => d.hasBody()) ?? fnDecls[0];
    return { fn: impl, docHost: impl, at: impl };
  }
  for (const d of decls) {
    if (!Node.isVariableDeclaration(d)) continue;
    let init = d.getInitializer();
    while (init && (Node.isParenthesizedExpression(init) || Node.isAsExpression(init) || Node.isSatisfiesExpression(init))) {
      init = init.getExpression();
    }
    if (init && (Node.isArrowFunction(init) || Node.isFunctionExpression(init))) {
      const statement = d.getVariableStatement();
      if (!statement) return undefined;
      return { fn: init, docHost: statement, at: d };
    }
  }
  return undefined;
}

function readParams(fn: NodeFunction, exportName: string, ctx: CollectContext): ParamInfo[] | undefined {
  const out: ParamInfo[] = [];
  let ok = true;
  const file = rootRelative(ctx.root, fn.getSourceFile().getFilePath());
  const enclosing = fn.compilerNode;
  let index = 0;
  for (const p of fn.getParameters()) {
    const nameNode = p.getNameNode();
    const location = { file, line: lineOf(p) };
    if (Node.isIdentifier(nameNode) && nameNode.getText() === 'this') continue; // a `this` annotation, not a parameter
    if (!Node.isIdentifier(nameNode)) {
      ctx.sink.report(
        'PARAM_NOT_IDENTIFIER',
        location,
        `parameter ${index + 1} of '${exportName}' is a destructuring pattern (\`${nameNode.getText()}\`); node parameters must be plain identifiers because their names are the dependencies: take the whole value (e.g. \`config: Config\`) and destructure inside the function`,
        exportName,
      );
      ok = false;
    } else if (p.isRestParameter()) {
      ctx.sink.report(
        'PARAM_NOT_IDENTIFIER',
        location,
        `parameter '...${nameNode.getText()}' of '${exportName}' is a rest parameter; node parameters must be plain identifiers, one per dependency: declare each dependency as its own parameter`,
        exportName,
      );
      ok = false;
    } else {
      const type = ctx.checker.getTypeAtLocation(p.compilerNode);
      out.push({
        name: nameNode.getText(),
        index,
        optional: p.hasQuestionToken() || p.hasInitializer(),
        type,
        typeText: typeText(ctx.checker, type, enclosing),
        location,
      });
    }
    index++;
  }
  return ok ? out : undefined;
}

