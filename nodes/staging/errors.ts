/**
 * Staging errors: data first (code, where, what to do), formatted for people in `message`.
 * Messages never contain credentials: connection strings are reduced to host/port/database.
 */

export type StagingErrorCode =
  /** The source config is invalid (see `problems`). */
  | 'SOURCE_CONFIG'
  /** A file, folder or glob matched nothing. */
  | 'SOURCE_NOT_FOUND'
  /** The file exists but holds no data at all. */
  | 'EMPTY_SOURCE'
  /** The file exists but could not be read or parsed as the declared type. */
  | 'UNREADABLE_SOURCE'
  /** The source type (or file extension) is not one staging knows. */
  | 'UNKNOWN_SOURCE_TYPE'
  /** A database could not be reached or refused the login. */
  | 'CONNECTION_FAILED'
  /** A requested table does not exist in the source. */
  | 'TABLE_NOT_FOUND';

export interface ConfigProblem {
  /** Where in the config, e.g. `['tables', 2]`. Empty for the whole config. */
  readonly path: readonly (string | number)[];
  readonly message: string;
}

export class StagingError extends Error {
  readonly code: StagingErrorCode;
  /** What the error is about: a file path, table name, `host:port/db` (never a password). */
  readonly subject?: string;
  constructor(code: StagingErrorCode, message: string, options?: { subject?: string; cause?: unknown }) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'StagingError';
    this.code = code;
    this.subject = options?.subject;
  }
}

/** Every problem of a source config at once, each with its path. */
export class SourceConfigError extends StagingError {
  readonly problems: readonly ConfigProblem[];
  constructor(problems: readonly ConfigProblem[]) {
    const lines = problems.map((p) => `  - ${p.path.length ? `${formatPath(p.path)}: ` : ''}${p.message}`);
    super(
      'SOURCE_CONFIG',
      `Invalid source config (${problems.length} problem${problems.length === 1 ? '' : 's'}):\n${lines.join('\n')}`,
    );
    this.name = 'SourceConfigError';
    this.problems = problems;
  }
}

/** `['tables', 2, 'name']` -> `tables[2].name`. */
export function formatPath(path: readonly (string | number | symbol)[]): string {
  let out = '';
  for (const part of path) {
    if (typeof part === 'number') out += `[${part}]`;
    else out += out ? `.${String(part)}` : String(part);
  }
  return out;
}

/** The first line of an error's message: DuckDB appends long hint blocks we don't want to repeat. */
export function firstLine(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  return text.split('\n')[0].trim();
}
