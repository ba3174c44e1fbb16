/**
 * Formats errors for people: the message; with --verbose, the stack and every cause's stack. A
 * DuckDB file locked by another process is said in one line (see lockConflict).
 */
export function formatError(err: unknown, verbose: boolean): string {
  if (!(err instanceof Error)) return `error: ${String(err)}`;
  const locked = lockConflict(err);
  if (!verbose) return `error: ${locked ?? err.message}`;
  const lines = [...(locked ? [`error: ${locked}`] : []), `error: ${err.stack ?? err.message}`];
  // Node errors wrap: a node's failure holds the loader's error, which holds DuckDB's. Print the chain.
  const seen = new Set<unknown>([err]);
  for (let cause = err.cause; cause !== undefined && !seen.has(cause) && seen.size <= 10; cause = cause instanceof Error ? cause.cause : undefined) {
    seen.add(cause);
    lines.push(`caused by: ${cause instanceof Error ? (cause.stack ?? cause.message) : String(cause)}`);
  }
  return lines.join('\n');
}

/**
 * The errors of a failed run: the first as `error:`, the others as `also:` lines; with --verbose,
 * each with its stack and causes.
 */
export function formatRunErrors(errors: readonly Error[], verbose: boolean): string {
  if (verbose) return errors.map((e) => formatError(e, true)).join('\n');
  const [first, ...rest] = errors;
  // Every node that found the same file locked says the same: once is enough.
  const firstLock = lockConflict(first);
  const also = [...new Set(rest.map((e) => lockConflict(e) ?? e.message))].filter((m) => m !== firstLock);
  return [formatError(first, false), ...also.map((m) => `  also: ${m}`)].join('\n');
}

const DUCKDB_LOCK = /Could not set lock on file "([^"]+)"/;

/**
 * DuckDB's refusal to open a database file another process has open (a second run on the same
 * home, a `dataraum serve` ingesting), said for people: the file, the process, what to do.
 * Undefined for any other error. DuckDB names the process and its pid where the OS tells them.
 *
 * @example
 * ```ts
 * lockConflict(new Error('IO Error: Could not set lock on file "/h/data.duckdb": Conflicting lock is held in /usr/bin/node (PID 4242).'));
 * // 'another dataraum process (pid 4242) is using /h/data.duckdb: wait for it to finish, or use another --home'
 * ```
 */
export function lockConflict(err: unknown): string | undefined {
  const seen = new Set<unknown>();
  for (let e = err; e !== undefined && e !== null && !seen.has(e) && seen.size <= 10; e = e instanceof Error ? e.cause : undefined) {
    seen.add(e);
    const text = e instanceof Error ? e.message : String(e);
    const file = DUCKDB_LOCK.exec(text)?.[1];
    if (file === undefined) continue;
    const holder = /held in (.+?) \(PID (\d+)\)/.exec(text);
    const who = !holder ? 'another process'
      : /(^|\/)node(\.exe)?$/i.test(holder[1]) ? `another dataraum process (pid ${holder[2]})`
      : `another process (${holder[1]}, pid ${holder[2]})`;
    return `${who} is using ${file}: wait for it to finish, or use another --home`;
  }
  return undefined;
}

/**
 * The texts of a completed run's summaries: results with a `text` for people, such as the ingest's
 * `ingestSummary` (rows, typed and quarantined per table). `dataraum run` and `resume` print them.
 */
export function summaryTexts(values: Readonly<Record<string, unknown>>): string[] {
  return Object.values(values).filter(isSummary).map((v) => v.text);
}

/** A result that speaks for its dataflow: an object with a `text` for people. */
export function isSummary(v: unknown): v is { text: string } {
  return typeof v === 'object' && v !== null && typeof (v as { text?: unknown }).text === 'string';
}
