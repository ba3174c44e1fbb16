/** Path helpers: the manifest stores POSIX paths, relative to the manifest or the project root. */
import path from 'node:path';

export function toPosix(p: string): string {
  return p.split(path.sep).join('/');
}

/** `from` directory -> `to` file as an import specifier: always starts with './' or '../'. */
export function importPath(fromDir: string, toFile: string): string {
  const rel = toPosix(path.relative(fromDir, toFile));
  return rel.startsWith('../') || rel.startsWith('./') ? rel : `./${rel}`;
}

/** A file relative to the project root, for diagnostics and `source.file`. */
export function rootRelative(root: string, file: string): string {
  return toPosix(path.relative(root, file));
}

/**
 * 1-based line of a node's start (JSDoc excluded). ts-morph's getStartLineNumber() rescans the
 * file text on every call, which made a 10k-function module quadratic; the compiler's line map is
 * computed once per file.
 */
export function lineOf(node: { getStart(): number; getSourceFile(): { compilerNode: { getLineAndCharacterOfPosition(pos: number): { line: number } } } }): number {
  return node.getSourceFile().compilerNode.getLineAndCharacterOfPosition(node.getStart()).line + 1;
}
