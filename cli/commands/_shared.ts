/**
 * What the run-related commands (runs, status, review, resume, reset, cache) share: the runtime
 * options, opening and always closing the runtime, compact tables, and lookups that turn a name
 * a person typed into an id with an error that says what exists.
 */
import { InvalidArgumentError, type Command } from 'commander';
import { suggest } from '../../engine/index.ts';
import { getSourceByName, listSources, type SourceRow, type Store } from '../../store/index.ts';
import { commandLine, lockHome } from '../home-lock.ts';
import { missingHome, openRuntime, PACKAGE_ROOT, resolveHome, type Runtime } from '../runtime.ts';

export interface RuntimeFlags {
  home?: string;
  root?: string;
}

/** Adds `--home` (and with `root`, `--root`) to a command. */
export function runtimeOptions(cmd: Command, opts: { root?: boolean } = {}): Command {
  cmd.option('--home <dir>', 'folder of the embedded store, DuckDB file and cache (default: $DATARAUM_HOME or .dataraum); DATARAUM_DATABASE_URL moves the metadata to PostgreSQL');
  if (opts.root) cmd.option('--root <dir>', 'project root holding dataflows/ (default: the dataraum package)');
  return cmd;
}

/**
 * Opens the runtime, runs `fn`, and closes the runtime whatever happens. A home without a metadata
 * store is a CliError: the commands that use this read or answer what runs left there, and opening
 * would create an empty store (and its folder) wherever a mistyped or forgotten --home points.
 */
export async function withRuntime<T>(flags: RuntimeFlags, fn: (rt: Runtime) => Promise<T>, opts: { writer?: boolean } = {}): Promise<T> {
  const home = resolveHome(flags.home);
  requireHome(home);
  // Commands that change the home's data hold its writer lock (see home-lock.ts).
  const lock = opts.writer ? lockHome(home, commandLine()) : undefined;
  try {
    const rt = await openRuntime({ ...(flags.home !== undefined ? { home: flags.home } : {}), ...(flags.root !== undefined ? { root: flags.root } : {}) });
    try {
      return await fn(rt);
    } finally {
      await rt.close();
    }
  } finally {
    lock?.release();
  }
}

/** Throws a CliError when `home` has no metadata store, or with `folderOnly`, is no folder (see missingHome). */
export function requireHome(home: string, opts: { folderOnly?: boolean } = {}): void {
  const problem = missingHome(home, opts);
  if (problem) throw new CliError(problem);
}

/**
 * ` --home <home>` for a command printed as a hint, when `home` is not where that command would
 * look without it (--home absent: $DATARAUM_HOME, else `.dataraum`); '' otherwise.
 *
 * @example
 * ```ts
 * `dataraum resume ${id} --from-reviews${homeFlag(rt.home)}`; // "... --from-reviews --home /data/dr"
 * ```
 */
export function homeFlag(home: string): string {
  return home === resolveHome() ? '' : ` --home ${shellWord(home)}`;
}

/** ` --root <root>` for a printed `dataraum resume`, when `root` is not the dataraum package; '' otherwise. */
export function rootFlag(root: string): string {
  return root === PACKAGE_ROOT ? '' : ` --root ${shellWord(root)}`;
}

/** `text` as one shell word: as it is when it is safe, else single-quoted. */
export function shellWord(text: string): string {
  return /^[\w@%+=:,./-]+$/.test(text) ? text : `'${text.replaceAll("'", "'\\''")}'`;
}

/** Fails the command with exit code 2 (a usage error), like commander's own errors. */
export function usageError(cmd: Command, message: string): never {
  return cmd.error(`error: ${message}`, { exitCode: 2, code: 'dataraum.usage' });
}

/** A failure the user can act on (exit 1, no stack trace without --verbose). */
export class CliError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CliError';
  }
}

export function writeJson(value: unknown): void {
  process.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
}

export function writeLines(lines: readonly string[]): void {
  if (lines.length) process.stdout.write(`${lines.join('\n')}\n`);
}

/** Line breaks and tabs inside a cell, written as `\n`, `\r`, `\t`: they would break the table's rows. */
const CONTROL: Readonly<Record<string, string>> = { '\n': '\\n', '\r': '\\r', '\t': '\\t' };

/**
 * A plain text table: columns padded to their widest cell, the last one left ragged. Line breaks
 * and tabs in cells are escaped (`--json` has the exact text).
 */
export function table(headers: readonly string[], rawRows: readonly (readonly string[])[]): string[] {
  const rows = rawRows.map((r) => r.map((c) => c.replace(/[\n\r\t]/g, (ch) => CONTROL[ch]!)));
  const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: readonly string[]) =>
    cells.map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i]))).join('  ').trimEnd();
  return [line(headers), ...rows.map(line)];
}

/** `850 ms`, `12.3 s`, `4 min 05 s`; `-` when unknown. */
export function formatDuration(ms: number | null | undefined): string {
  if (ms === null || ms === undefined || !Number.isFinite(ms)) return '-';
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)} s`;
  const s = Math.round(ms / 1000);
  return `${Math.floor(s / 60)} min ${String(s % 60).padStart(2, '0')} s`;
}

/** A stored timestamp as ISO text (the dialects hand back strings or Dates). */
export function isoTime(t: string | Date | null | undefined): string | null {
  if (t === null || t === undefined) return null;
  const d = t instanceof Date ? t : new Date(t);
  return Number.isNaN(d.getTime()) ? String(t) : d.toISOString();
}

/** `2026-11-22 08:40:12` (UTC), for tables. */
export function shortTime(t: string | Date | null | undefined): string {
  const iso = isoTime(t);
  return iso ? iso.replace('T', ' ').replace(/\.\d+Z$|Z$/, '') : '-';
}

/** Cuts text to one line of at most `max` characters. */
export function oneLine(text: string | null | undefined, max = 80): string {
  if (!text) return '';
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Ids in the store are uuids; anything else is unknown (PostgreSQL would reject it with a syntax error). */
export function isUuid(id: string): boolean {
  return UUID.test(id);
}

/** The source called `name`, or a CliError listing the known ones. */
export async function requireSource(store: Store, name: string): Promise<SourceRow> {
  const found = await getSourceByName(store, name);
  if (found) return found;
  throw new CliError(await unknownSourceMessage(store, name));
}

export async function unknownSourceMessage(store: Store, name: string): Promise<string> {
  const known = (await listSources(store)).map((s) => s.name);
  const hint = suggest(name, known);
  return `unknown source '${name}'${hint.length ? ` (did you mean ${hint.map((h) => `'${h}'`).join(', ')}?)` : ''}; ` +
    (known.length ? `known sources: ${known.join(', ')}` : 'no sources are registered yet in this store (check --home / DATARAUM_DATABASE_URL)');
}

/** Source names by id, for showing runs and checkpoints. */
export async function sourceNames(store: Store): Promise<Map<string, string>> {
  return new Map((await listSources(store)).map((s) => [s.sourceId, s.name]));
}

/** Parses a positive integer option (commander argParser; a bad value is a usage error). */
export function positiveInt(name: string): (value: string) => number {
  return (value: string) => {
    const n = Number(value);
    if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError(`${name} expects a whole number >= 1, got '${value}'`);
    return n;
  };
}
