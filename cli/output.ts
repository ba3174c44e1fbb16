/** Formats errors for people: the message and its causes; the stack only with --verbose. */
export function formatError(err: unknown, verbose: boolean): string {
  if (!(err instanceof Error)) return `error: ${String(err)}`;
  if (verbose) return `error: ${err.stack ?? err.message}${err.cause ? `\ncaused by: ${formatCause(err.cause, true)}` : ''}`;
  return `error: ${err.message}`;
}

function formatCause(cause: unknown, verbose: boolean): string {
  if (cause instanceof Error) return verbose ? (cause.stack ?? cause.message) : cause.message;
  return String(cause);
}
