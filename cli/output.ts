/** Formats errors for people: the message; with --verbose, the stack and every cause's stack. */
export function formatError(err: unknown, verbose: boolean): string {
  if (!(err instanceof Error)) return `error: ${String(err)}`;
  if (!verbose) return `error: ${err.message}`;
  const lines = [`error: ${err.stack ?? err.message}`];
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
  return errors.map((e, i) => (i === 0 ? formatError(e, false) : `  also: ${e.message}`)).join('\n');
}
