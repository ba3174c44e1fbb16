/**
 * Source paths sent over HTTP must stay inside the configured data roots. A path is resolved
 * (relative ones against the first root), then its real path (symlinks followed) must be a root
 * or lie below one: `../../etc/passwd`, absolute paths elsewhere and symlinks that point out are
 * refused.
 */
import { existsSync, realpathSync } from 'node:fs';
import { dirname, isAbsolute, relative, resolve, sep } from 'node:path';
import { HttpProblem } from './problem.ts';

/**
 * The data roots from `DATARAUM_DATA_ROOTS` (colon-separated), else the working directory; each
 * as a real path. A root that does not exist is an error (a typo would otherwise refuse everything).
 *
 * @example
 * ```ts
 * dataRootsFromEnv({ DATARAUM_DATA_ROOTS: '/srv/data:/mnt/exports' }); // ['/srv/data', '/mnt/exports']
 * ```
 */
export function dataRootsFromEnv(env: NodeJS.ProcessEnv = process.env, cwd: string = process.cwd()): string[] {
  const raw = env.DATARAUM_DATA_ROOTS?.split(':').map((r) => r.trim()).filter(Boolean);
  return normalizeRoots(raw?.length ? raw : [cwd]);
}

/** Real paths of `roots`; throws naming a root that does not exist. */
export function normalizeRoots(roots: readonly string[]): string[] {
  if (!roots.length) throw new Error('data roots: none configured; set DATARAUM_DATA_ROOTS (colon-separated folders) or pass dataRoots');
  return roots.map((r) => {
    const abs = resolve(r);
    if (!existsSync(abs)) throw new Error(`data root '${r}' does not exist (from DATARAUM_DATA_ROOTS or dataRoots); create it or fix the setting`);
    return realpathSync(abs);
  });
}

function inside(path: string, root: string): boolean {
  const rel = relative(root, path);
  return rel === '' || (!rel.startsWith(`..${sep}`) && rel !== '..' && !isAbsolute(rel));
}

/**
 * The absolute path of `path` when its real path lies inside one of `roots`; otherwise a 403
 * problem. A path that does not exist is a 400 (nothing to ingest). For a path that may not exist
 * yet (a glob's folder), the nearest existing parent is checked.
 *
 * @example
 * ```ts
 * resolveInsideRoots('data/orders.csv', ['/srv/data']); // '/srv/data/data/orders.csv'
 * resolveInsideRoots('../../etc/passwd', ['/srv/data']); // throws HttpProblem 403
 * ```
 */
export function resolveInsideRoots(path: string, roots: readonly string[], opts: { mustExist?: boolean } = {}): string {
  const abs = resolve(roots[0]!, path);
  // The lexical check first: a path that names a place outside is refused whether or not it exists.
  if (!roots.some((r) => inside(abs, r))) throw outside(path, roots);
  let probe = abs;
  while (!existsSync(probe)) {
    if (opts.mustExist !== false) throw new HttpProblem(400, `source path '${path}' does not exist (resolved to ${abs}); paths are relative to the data root ${roots[0]}`);
    const up = dirname(probe);
    if (up === probe) break;
    probe = up;
  }
  const real = realpathSync(probe);
  if (!roots.some((r) => inside(real, r))) throw outside(path, roots, real);
  return abs;
}

function outside(path: string, roots: readonly string[], real?: string): HttpProblem {
  return new HttpProblem(403, `source path '${path}'${real ? ` (really ${real}, through a symbolic link)` : ''} is outside the data roots (${roots.join(', ')}); ` +
    'move the data inside a root or add its folder to DATARAUM_DATA_ROOTS');
}
