/**
 * What to stage: a file, a glob of files, a folder, a database file or a PostgreSQL database.
 * Validated by zod; every problem is reported at once, with its path, in words a person understands.
 */
import { statSync, readdirSync, type Stats } from 'node:fs';
import { join, resolve } from 'node:path';
import { z } from 'zod';
import { suggest } from '../../engine/errors.ts';
import { SourceConfigError, StagingError, formatPath, type ConfigProblem } from './errors.ts';
import { FILE_SOURCE_TYPES, SUPPORTED_EXTENSIONS, baseNameOf, fileTypeOf, fileTypeOfPath } from './file-types.ts';
import { sanitizeName } from './names.ts';

/**
 * `folder`: every supported file in `path`, each file one table, its type from its extension.
 * A file type with `path` pointing at a folder does the same for that type's files only.
 */
export const SOURCE_TYPES = [...FILE_SOURCE_TYPES, 'postgres', 'folder'] as const;
export type SourceType = (typeof SOURCE_TYPES)[number];

/** Encodings DuckDB's CSV reader decodes without extra extensions. */
export const CSV_ENCODINGS = ['utf-8', 'utf-16', 'utf-16be', 'latin-1', 'windows-1252'] as const;
export type CsvEncoding = (typeof CSV_ENCODINGS)[number];

const DELIMITED = new Set<string>(['csv', 'tsv']);
const DATABASES = new Set<string>(['duckdb', 'sqlite', 'postgres']);
const SINGLE_FILE = new Set<string>(['duckdb', 'sqlite']);
const CSV_OPTIONS = ['delimiter', 'quote', 'escape', 'header', 'encoding'] as const;

const FIELDS = {
  /** Source name; derived from the file/folder (or database) name when omitted. */
  name: z.string().trim().min(1, 'must not be empty (leave it out to derive it from the path)').optional(),
  source_type: z.enum(SOURCE_TYPES, {
    error: (issue) =>
      issue.input === undefined
        ? `is required: one of ${SOURCE_TYPES.join(', ')}`
        : `must be one of ${SOURCE_TYPES.join(', ')} (got ${JSON.stringify(issue.input)})`,
  }),
  /** A file, or a folder (each file one table). */
  path: z.string().min(1, 'must not be empty').optional(),
  /** A glob (`data/2024-*.csv`): all matching files load into ONE table. Relative to `path` if both are set. */
  file_pattern: z.string().min(1, 'must not be empty').optional(),
  /** `postgres://user:password@host:5432/db` (never echoed back in errors). */
  connection_string: z.string().min(1, 'must not be empty').optional(),
  /** Database schema to read (PostgreSQL default `public`; DuckDB default: every schema). */
  schema: z.string().min(1, 'must not be empty').optional(),
  /** Only these tables of a database source (names as the source spells them). */
  tables: z.array(z.string().min(1, 'a table name must not be empty')).min(1, 'must list at least one table (or leave it out for all)').optional(),
  /** CSV/TSV: rows DuckDB samples to sniff the dialect; -1 reads everything. (JSON keys are always collected from every record.) */
  sample_size: z
    .number({ error: 'must be a number' })
    .int('must be a whole number')
    .refine((n) => n === -1 || n > 0, 'must be a positive number of rows, or -1 for all rows')
    .optional(),
  /** CSV/TSV: field delimiter (sniffed when omitted). */
  delimiter: z.string().min(1, 'must not be empty').max(4, 'must be at most 4 characters').optional(),
  /** CSV/TSV: quote character, '' for none (sniffed when omitted). */
  quote: z.string().max(1, 'must be a single character, or empty for none').optional(),
  /** CSV/TSV: escape character, '' for none (sniffed when omitted). */
  escape: z.string().max(1, 'must be a single character, or empty for none').optional(),
  /** CSV/TSV: whether the first line is a header (sniffed when omitted). */
  header: z.boolean({ error: 'must be true or false' }).optional(),
  /** CSV/TSV: text encoding (detected from the file's first megabyte when omitted: UTF-8, UTF-16 or Windows-1252). */
  encoding: z.enum(CSV_ENCODINGS, { error: `must be one of ${CSV_ENCODINGS.join(', ')}` }).optional(),
};

/** Cross-field rules, written against unknown input: they run even when a field has the wrong type. */
function crossFieldProblems(v: Record<string, unknown>): ConfigProblem[] {
  const problems: ConfigProblem[] = [];
  const type = typeof v.source_type === 'string' ? v.source_type : undefined;
  if (!type || !(SOURCE_TYPES as readonly string[]).includes(type)) return problems;
  const has = (key: string) => v[key] !== undefined;
  if (type === 'postgres') {
    if (!has('connection_string'))
      problems.push({ path: ['connection_string'], message: 'is required for a postgres source (postgres://user@host:5432/database)' });
    else if (typeof v.connection_string === 'string' && !isPostgresUrl(v.connection_string))
      problems.push({ path: ['connection_string'], message: 'is not a PostgreSQL URL: expected postgres://user:password@host:port/database (value not shown: it may hold a password)' });
    for (const key of ['path', 'file_pattern'])
      if (has(key)) problems.push({ path: [key], message: 'does not apply to a postgres source (use connection_string)' });
  } else {
    if (has('connection_string'))
      problems.push({ path: ['connection_string'], message: `only applies to postgres sources, not ${type}` });
    if (!has('path') && !has('file_pattern'))
      problems.push({ path: ['path'], message: `a ${type} source needs path (a file or folder) or file_pattern (a glob)` });
    if (SINGLE_FILE.has(type) && has('file_pattern'))
      problems.push({ path: ['file_pattern'], message: `does not apply to a ${type} database file (use path)` });
    if (type === 'folder' && has('file_pattern'))
      problems.push({ path: ['file_pattern'], message: 'does not apply to a folder source (a glob loads into one table: set source_type to the files\' type)' });
    if (type === 'folder' && !has('path'))
      problems.push({ path: ['path'], message: 'is required for a folder source' });
  }
  if (!DATABASES.has(type)) {
    for (const key of ['schema', 'tables'])
      if (has(key)) problems.push({ path: [key], message: `only applies to database sources (duckdb, sqlite, postgres), not ${type}` });
  } else if (type === 'sqlite' && has('schema')) {
    problems.push({ path: ['schema'], message: 'does not apply to sqlite (a SQLite file has one schema)' });
  }
  if (!DELIMITED.has(type) && type !== 'folder') {
    for (const key of CSV_OPTIONS)
      if (has(key)) problems.push({ path: [key], message: `is a CSV option and does not apply to a ${type} source` });
  }
  if (typeof v.quote === 'string' && typeof v.delimiter === 'string' && v.quote !== '' && v.quote === v.delimiter)
    problems.push({ path: ['quote'], message: 'must differ from delimiter' });
  return problems;
}

function isPostgresUrl(text: string): boolean {
  try {
    const url = new URL(text);
    return (url.protocol === 'postgres:' || url.protocol === 'postgresql:') && (url.hostname !== '' || url.searchParams.has('host'));
  } catch {
    return false;
  }
}

/** The name a source gets when none is given: the file/folder/database name, sanitized. */
function deriveName(v: { source_type: string; path?: string; file_pattern?: string; connection_string?: string }): string {
  let raw = '';
  if (v.source_type === 'postgres' && v.connection_string) {
    try {
      const url = new URL(v.connection_string);
      raw = decodeURIComponent(url.pathname.replace(/^\//, '')) || url.hostname;
    } catch {
      raw = '';
    }
  } else if (v.file_pattern) {
    // `data/sales/2024-*.csv` -> `2024` (the fixed part of the file name), else the folder: `sales`.
    const parts = v.file_pattern.split(/[\\/]/);
    const fixed = baseNameOf(parts.pop() ?? '').split(/[*?[{]/)[0].replace(/[-_. ]+$/, '');
    raw = fixed || parts.filter((p) => p && !/[*?[{]/.test(p) && p !== '.' && p !== '..').pop() || (v.path ? baseNameOf(resolve(v.path)) : '');
  } else if (v.path) {
    raw = baseNameOf(resolve(v.path));
  }
  return sanitizeName(raw, 's') || v.source_type;
}

/**
 * The source config schema. Parse with {@link parseSourceConfig} for readable errors.
 *
 * @example
 * ```ts
 * SourceConfigSchema.parse({ source_type: 'csv', path: 'data/airports.csv' }).name; // 'airports'
 * ```
 */
export const SourceConfigSchema = z
  .strictObject(FIELDS)
  .check(
    z.superRefine(
      (value, ctx) => {
        if (typeof value !== 'object' || value === null) return;
        for (const p of crossFieldProblems(value as Record<string, unknown>))
          ctx.addIssue({ code: 'custom', path: [...p.path], message: p.message });
      },
      { when: () => true },
    ),
  )
  .transform((v) => Object.freeze({ ...v, name: v.name ?? deriveName(v), ...(v.tables ? { tables: Object.freeze([...v.tables]) } : {}) }));

/** A validated, frozen source config; `name` is always set. */
export type SourceConfig = z.output<typeof SourceConfigSchema>;
/** What a person writes (YAML/JSON): `name` optional. */
export type SourceConfigInput = z.input<typeof SourceConfigSchema>;

/**
 * Validates a source config; throws a {@link SourceConfigError} listing every problem with its path.
 *
 * @example
 * ```ts
 * parseSourceConfig({ source_type: 'tsv', path: 'data/unemployment.tsv' });
 * // { source_type: 'tsv', path: 'data/unemployment.tsv', name: 'unemployment' }
 * parseSourceConfig({ source_type: 'postgres', delimter: ';' });
 * // throws: Invalid source config (2 problems):
 * //   - delimter: unknown field (did you mean 'delimiter'?)
 * //   - connection_string: is required for a postgres source (...)
 * ```
 */
export function parseSourceConfig(input: unknown): SourceConfig {
  if (typeof input !== 'object' || input === null || Array.isArray(input))
    throw new SourceConfigError([{ path: [], message: `a source config must be an object with at least source_type and path (got ${input === null ? 'null' : Array.isArray(input) ? 'a list' : typeof input})` }]);
  const result = SourceConfigSchema.safeParse(input);
  if (result.success) return result.data;
  const problems: ConfigProblem[] = [];
  for (const issue of result.error.issues) {
    const path = issue.path.filter((p): p is string | number => typeof p !== 'symbol');
    if (issue.code === 'unrecognized_keys') {
      for (const key of issue.keys) {
        const close = suggest(key, Object.keys(FIELDS), 1);
        problems.push({ path: [...path, key], message: `unknown field${close.length ? ` (did you mean '${close[0]}'?)` : `; known fields: ${Object.keys(FIELDS).join(', ')}`}` });
      }
    } else if (issue.code === 'invalid_type' && issue.message.startsWith('Invalid input')) {
      const got = (input as Record<string, unknown>)[String(path[0])];
      problems.push({ path, message: `must be ${article(issue.expected)} (got ${describe(path.length === 1 ? got : undefined)})` });
    } else {
      problems.push({ path, message: issue.message });
    }
  }
  // A wrongly typed field can also trip a cross-field rule; say each thing once per path.
  const seen = new Set<string>();
  throw new SourceConfigError(problems.filter((p) => {
    const key = `${formatPath(p.path)}\u0000${p.message}`;
    return seen.has(key) ? false : (seen.add(key), true);
  }));
}

function article(expected: string): string {
  if (expected === 'array') return 'a list';
  return /^[aeiou]/.test(expected) ? `an ${expected}` : `a ${expected}`;
}

function describe(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'string') return `the text ${JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}...` : value)}`;
  if (typeof value === 'object') return 'an object';
  return `${typeof value} ${String(value)}`;
}

/**
 * Builds a source config for a file or folder: a file's type comes from its extension; a folder
 * becomes one `folder` source holding every supported file in it (each file a table). The path is
 * made absolute: it is what tells two files of the same name apart (see source-identity.ts).
 *
 * @example
 * ```ts
 * sourceConfigFromPath('node_modules/vega-datasets/data/airports.csv');
 * // { source_type: 'csv', path: '/home/me/project/node_modules/vega-datasets/data/airports.csv', name: 'airports' }
 * sourceConfigFromPath('exports/');
 * // { source_type: 'folder', path: '/home/me/project/exports', name: 'exports' }
 * ```
 */
export function sourceConfigFromPath(pathToFileOrFolder: string): SourceConfig {
  let stats: Stats;
  try {
    stats = statSync(pathToFileOrFolder);
  } catch (error) {
    throw new StagingError('SOURCE_NOT_FOUND', `Cannot stage '${pathToFileOrFolder}': no such file or folder. Check the path (relative paths start at ${process.cwd()}).`, { subject: pathToFileOrFolder, cause: error });
  }
  if (stats.isDirectory()) {
    const supported = readdirSync(pathToFileOrFolder).filter((f) => fileTypeOf(f) && statSync(join(pathToFileOrFolder, f)).isFile());
    if (supported.length === 0)
      throw new StagingError('SOURCE_NOT_FOUND', `Folder '${pathToFileOrFolder}' holds no file staging can read (supported: ${SUPPORTED_EXTENSIONS.join(' ')}).`, { subject: pathToFileOrFolder });
    return parseSourceConfig({ source_type: 'folder', path: resolve(pathToFileOrFolder) });
  }
  const type = fileTypeOfPath(pathToFileOrFolder);
  if (!type)
    throw new StagingError('UNKNOWN_SOURCE_TYPE', `Cannot tell the type of '${pathToFileOrFolder}' from its extension (supported: ${SUPPORTED_EXTENSIONS.join(' ')}). Write a source config with source_type instead.`, { subject: pathToFileOrFolder });
  return parseSourceConfig({ source_type: type, path: resolve(pathToFileOrFolder) });
}
