/**
 * Reading a source config from a YAML or JSON file (`dataraum run --source shop.yaml`). Relative
 * `path` and `file_pattern` values are relative to the file's folder, the way a config that sits
 * next to its data is written, so the result is the same from whatever folder it is run.
 */
import { readFileSync } from 'node:fs';
import { dirname, isAbsolute, resolve } from 'node:path';
import { YAMLParseError, parse as parseYaml } from 'yaml';
import { StagingError } from './errors.ts';

/**
 * The config a file holds, not yet validated (see parseSourceConfig), with relative `path` and
 * `file_pattern` made absolute against the file's folder. A `file_pattern` next to a `path` stays
 * relative to that path (see globOf).
 *
 * @example
 * ```ts
 * // sources/shop.yaml: { source_type: csv, file_pattern: ../data/orders-*.csv }
 * readSourceConfigFile('sources/shop.yaml');
 * // { source_type: 'csv', file_pattern: '/home/me/project/data/orders-*.csv' }
 * ```
 */
export function readSourceConfigFile(file: string): unknown {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const why =
      code === 'ENOENT' ? `does not exist. Check the path (relative paths start at ${process.cwd()})`
      : code === 'EISDIR' ? 'is a folder; a source config is a YAML or JSON file (a folder of data files is staged by giving it as the path)'
      : `cannot be read (${code ?? (error as Error).message})`;
    throw new StagingError('SOURCE_NOT_FOUND', `Source config '${file}' ${why}.`, { subject: file, cause: error });
  }
  const raw = file.toLowerCase().endsWith('.json') ? parseJson(file, text) : parseYamlText(file, text);
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return raw;
  const config = { ...(raw as Record<string, unknown>) };
  const folder = dirname(resolve(file));
  if (typeof config.path === 'string' && config.path !== '' && !isAbsolute(config.path)) config.path = resolve(folder, config.path);
  if (typeof config.file_pattern === 'string' && config.file_pattern !== '' && config.path === undefined && !isAbsolute(config.file_pattern))
    config.file_pattern = resolve(folder, config.file_pattern);
  return config;
}

function parseYamlText(file: string, text: string): unknown {
  try {
    return parseYaml(text);
  } catch (error) {
    if (!(error instanceof YAMLParseError)) throw error;
    // The message ends with "at line L, column C:" and a drawing of the spot; keep the words, place them ourselves.
    const what = error.message.split('\n')[0].replace(/ at line \d+, column \d+:?$/, '').replace(/\.$/, '');
    const at = error.linePos?.[0];
    throw syntaxError(file, 'YAML', what, at && { line: at.line, column: at.col }, error);
  }
}

function parseJson(file: string, text: string): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    const message = (error as Error).message;
    const position = /at position (\d+)/.exec(message);
    const what = message.replace(/ in JSON at position \d+.*$/, '').replace(/ \(line \d+ column \d+\)$/, '');
    throw syntaxError(file, 'JSON', what, position ? lineColumn(text, Number(position[1])) : undefined, error);
  }
}

/** 1-based line and column of a character offset. */
function lineColumn(text: string, offset: number): { line: number; column: number } {
  const before = text.slice(0, offset).split('\n');
  return { line: before.length, column: before[before.length - 1].length + 1 };
}

function syntaxError(file: string, format: string, what: string, at: { line: number; column: number } | undefined, cause: unknown): StagingError {
  const where = at ? ` at line ${at.line}, column ${at.column}` : '';
  return new StagingError('SOURCE_CONFIG', `Source config '${file}' is not valid ${format}${where}: ${what}.`, { subject: file, cause });
}
