/**
 * Reads a function's parameter names from its source with a real parser (acorn), for runtime
 * loading without a build step. Handles declarations, expressions, arrows, async, methods,
 * defaults and comments — things a regex gets wrong.
 */
import { parse, type Node as AcornNode, type Pattern } from 'acorn';
import { DataraumError } from '../errors.ts';

export interface ParsedParam {
  readonly name: string;
  /** Has a default value: when nothing supplies it, the function's own default applies. */
  readonly optional: boolean;
}

interface FunctionLike extends AcornNode {
  params: Pattern[];
  async: boolean;
}

const FUNCTION_TYPES = new Set(['FunctionDeclaration', 'FunctionExpression', 'ArrowFunctionExpression']);

export function parseParams(fn: Function, nodeName: string): { params: ParsedParam[]; async: boolean } {
  const src = Function.prototype.toString.call(fn);
  if (src.endsWith('{ [native code] }')) {
    throw new DataraumError('PARSE_FAILED', `Node '${nodeName}' is a native or bound function; its parameters can't be read. Wrap it in a plain function.`);
  }
  const fnNode = parseFunction(src, nodeName);
  const params = fnNode.params.map((p, i): ParsedParam => {
    if (p.type === 'Identifier') return { name: p.name, optional: false };
    if (p.type === 'AssignmentPattern' && p.left.type === 'Identifier') return { name: p.left.name, optional: true };
    throw new DataraumError(
      'PARSE_FAILED',
      `Node '${nodeName}': parameter ${i + 1} is a ${p.type === 'RestElement' ? 'rest parameter' : 'destructuring pattern'}; ` +
        `node parameters must be plain names (each name is a dependency)`,
    );
  });
  return { params, async: fnNode.async || isAsyncFunction(fn) };
}

function parseFunction(src: string, nodeName: string): FunctionLike {
  // Method shorthand (`name(a, b) { ... }`, `async name() {}`) is not a valid expression on its own.
  const attempts = [`(${src})`, `({${src}})`];
  for (const text of attempts) {
    let program;
    try {
      program = parse(text, { ecmaVersion: 'latest', sourceType: 'module' });
    } catch {
      continue;
    }
    const found = findFirstFunction(program);
    if (found) return found;
  }
  throw new DataraumError('PARSE_FAILED', `Node '${nodeName}': could not parse the function's source to read its parameters`);
}

function findFirstFunction(root: AcornNode): FunctionLike | undefined {
  const stack: unknown[] = [root];
  while (stack.length) {
    const n = stack.pop() as Record<string, unknown> | undefined;
    if (!n || typeof n !== 'object') continue;
    if (typeof n.type === 'string' && FUNCTION_TYPES.has(n.type)) return n as unknown as FunctionLike;
    // Walk in source order: push children reversed.
    const children = Object.values(n).filter((v) => v && typeof v === 'object');
    for (let i = children.length - 1; i >= 0; i--) {
      const c = children[i];
      if (Array.isArray(c)) for (let j = c.length - 1; j >= 0; j--) stack.push(c[j]);
      else stack.push(c);
    }
  }
  return undefined;
}

function isAsyncFunction(fn: Function): boolean {
  return fn.constructor?.name === 'AsyncFunction';
}
