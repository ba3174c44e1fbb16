/**
 * Choosing which tables of a database source to stage (`tables`, `schema`), with "did you mean"
 * errors for names that don't exist.
 */
import { suggest } from '../../../engine/errors.ts';
import { StagingError } from '../errors.ts';

export interface SourceTable {
  readonly schema: string;
  readonly table: string;
}

/** `schema.table`, or just `table` when the schema is the source's default. */
export function displayName(t: SourceTable, defaultSchema: string): string {
  return t.schema === defaultSchema ? t.table : `${t.schema}.${t.table}`;
}

/**
 * The tables to stage: all of them, or those the config names (exactly, case-insensitively, or as
 * `schema.table`). Unknown names fail together, each with close matches.
 */
export function selectTables(available: readonly SourceTable[], requested: readonly string[] | undefined, where: string, defaultSchema: string): SourceTable[] {
  if (!requested) return [...available];
  const chosen: SourceTable[] = [];
  const missing: string[] = [];
  for (const want of requested) {
    const exact = available.filter((t) => t.table === want || `${t.schema}.${t.table}` === want);
    const loose = exact.length ? exact : available.filter((t) => t.table.toLowerCase() === want.toLowerCase() || `${t.schema}.${t.table}`.toLowerCase() === want.toLowerCase());
    if (loose.length === 0) missing.push(want);
    for (const t of loose) if (!chosen.includes(t)) chosen.push(t);
  }
  if (missing.length) {
    const names = available.map((t) => displayName(t, defaultSchema));
    const details = missing.map((m) => {
      const close = suggest(m, names);
      return `'${m}'${close.length ? ` (did you mean ${close.map((c) => `'${c}'`).join(', ')}?)` : ''}`;
    });
    throw new StagingError(
      'TABLE_NOT_FOUND',
      `Table${missing.length > 1 ? 's' : ''} ${details.join(', ')} not found in ${where}. ${names.length ? `It has: ${names.slice(0, 30).join(', ')}${names.length > 30 ? ', ...' : ''}.` : 'It has no tables.'}`,
      { subject: missing.join(', ') },
    );
  }
  return chosen;
}

/** Table names for staging: the bare table name unless two schemas share it. */
export function tableOriginals(tables: readonly SourceTable[], defaultSchema: string): string[] {
  const counts = new Map<string, number>();
  for (const t of tables) counts.set(t.table, (counts.get(t.table) ?? 0) + 1);
  return tables.map((t) => ((counts.get(t.table) ?? 0) > 1 ? `${t.schema}.${t.table}` : displayName(t, defaultSchema)));
}

/**
 * A view the source cannot read (it names a table that was dropped): an error when the config
 * names it in `tables`, else a warning, and the caller skips it so the other tables still load.
 */
export function brokenView(view: string, where: string, reason: string, requested: boolean, warn: (message: string) => void, cause: unknown): void {
  if (requested)
    throw new StagingError('UNREADABLE_SOURCE', `View '${view}' of ${where} cannot be read: ${reason}. Fix the view, or leave it out of tables: in the source config.`, { subject: view, cause });
  warn(`Skipped view '${view}' of ${where}: it cannot be read (${reason}). Fix or drop the view, or list the tables to stage under tables: in the source config.`);
}
