/**
 * Turns the body of `POST /sources` into a validated source config whose paths lie inside the
 * data roots: `{ path }` alone is typed from the file's extension (a folder becomes a folder
 * source) like `dataraum run <path>`; anything else is a full source config.
 */
import { isAbsolute, join } from 'node:path';
import { parseSourceConfig, sourceConfigFromPath, type SourceConfig } from '../../nodes/staging/source-config.ts';
import { SourceConfigError, StagingError } from '../../nodes/staging/errors.ts';
import { resolveInsideRoots } from './data-roots.ts';
import { HttpProblem } from './problem.ts';

/**
 * @example
 * ```ts
 * sourceFromRequest({ path: 'airports.csv' }, ['/srv/data']);
 * // { source_type: 'csv', path: '/srv/data/airports.csv', name: 'airports' }
 * sourceFromRequest({ path: '../../etc/passwd' }, ['/srv/data']); // throws HttpProblem 403
 * ```
 */
export function sourceFromRequest(body: Record<string, unknown>, roots: readonly string[]): SourceConfig {
  const cfg: Record<string, unknown> = { ...body };
  if (cfg.connection_string === undefined) {
    if (typeof cfg.path !== 'string' && typeof cfg.file_pattern !== 'string') {
      throw new HttpProblem(400, 'a source needs path (a file or folder inside the data roots) or file_pattern (a glob), or connection_string for a database', {
        issues: [{ path: ['body', 'path'], message: 'required' }],
      });
    }
    if (typeof cfg.path === 'string') cfg.path = resolveInsideRoots(cfg.path, roots);
    if (typeof cfg.file_pattern === 'string') {
      const pattern = cfg.file_pattern;
      if (pattern.split(/[\\/]/).includes('..')) throw new HttpProblem(403, `file_pattern '${pattern}' climbs out with '..'; write it relative to path or to the data root ${roots[0]}`);
      const base = typeof cfg.path === 'string' ? cfg.path : roots[0]!;
      const full = isAbsolute(pattern) ? pattern : join(base, pattern);
      // The folder part before the first wildcard must lie inside the roots.
      const fixed = full.split(/[\\/]/).filter((_, i, parts) => !parts.slice(0, i + 1).some((p) => /[*?[{]/.test(p))).join('/');
      resolveInsideRoots(fixed || '/', roots, { mustExist: false });
      cfg.file_pattern = full;
    }
  }
  try {
    const keys = Object.keys(cfg).filter((k) => cfg[k] !== undefined);
    if (typeof cfg.path === 'string' && keys.every((k) => k === 'path' || k === 'name')) {
      const derived = sourceConfigFromPath(cfg.path);
      return typeof cfg.name === 'string' ? parseSourceConfig({ ...derived, name: cfg.name }) : derived;
    }
    return parseSourceConfig(cfg);
  } catch (err) {
    if (err instanceof SourceConfigError) {
      throw new HttpProblem(400, err.message, { issues: err.problems.map((p) => ({ path: ['body', ...p.path], message: p.message })), cause: err });
    }
    if (err instanceof StagingError) throw new HttpProblem(400, err.message, { cause: err });
    throw err;
  }
}
