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
