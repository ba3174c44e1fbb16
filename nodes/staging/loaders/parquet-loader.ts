/**
 * Parquet: typed by its writer, so types are kept (strong). One `read_parquet` statement per
 * table; a glob unions its files by column name.
 *
 * The files of a glob may disagree on a column's type. A lossless widening (INTEGER in one file,
 * BIGINT in another) is DuckDB's to unify; any other difference is warned about, naming the
 * files, and where DuckDB's common type would change values each file's column is read on its
 * own: numbers that one type would round (BIGINT and DOUBLE) as exact text, and times without a
 * zone next to times with one as UTC, not as this machine's time zone.
 */
import { queryRows, quoteIdent, quoteLiteral, type DuckDBConnection } from '../../duckdb.ts';
import { StagingError, firstLine } from '../errors.ts';
import { uniqueNames } from '../names.ts';
import type { SourceConfig } from '../source-config.ts';
import type { StagedTable } from '../types.ts';
import { fileTarget } from './file-target.ts';
import type { LoadContext, SourceLoader } from './registry.ts';
import { committedTable, rejectsTableName, withTableSwap } from './raw-table.ts';

/** A file's top-level column: DuckDB's name and type for it, and the file's own name. */
interface FileColumn {
  readonly name: string;
  readonly type: string;
  readonly original: string;
}

interface FileSchema {
  readonly file: string;
  readonly columns: readonly FileColumn[];
}

/** A column whose files disagree on its type in a way DuckDB's union would not keep every value. */
interface MixedColumn {
  /** DuckDB's name of the column in the union (lower case is how files match). */
  readonly key: string;
  /** What each file's column is read as, where it is not read as it is. */
  readonly casts: ReadonlyMap<string, (column: string) => string>;
  readonly warning: string;
}

const TZ = 'TIMESTAMP WITH TIME ZONE';
const TEMPORAL = new Set(['DATE', 'TIMESTAMP', 'TIMESTAMP_S', 'TIMESTAMP_MS', 'TIMESTAMP_NS', TZ]);
/** Integer types: bits, signed, and the decimal digits every value fits in. */
const INTEGERS: Readonly<Record<string, { bits: number; signed: boolean; digits: number }>> = {
  TINYINT: { bits: 8, signed: true, digits: 3 }, SMALLINT: { bits: 16, signed: true, digits: 5 },
  INTEGER: { bits: 32, signed: true, digits: 10 }, BIGINT: { bits: 64, signed: true, digits: 19 }, HUGEINT: { bits: 128, signed: true, digits: 39 },
  UTINYINT: { bits: 8, signed: false, digits: 3 }, USMALLINT: { bits: 16, signed: false, digits: 5 },
  UINTEGER: { bits: 32, signed: false, digits: 10 }, UBIGINT: { bits: 64, signed: false, digits: 20 }, UHUGEINT: { bits: 128, signed: false, digits: 39 },
};
/** Integer bits a float type holds exactly (its significand). */
const FLOAT_BITS: Readonly<Record<string, number>> = { FLOAT: 24, DOUBLE: 53 };

function decimalOf(type: string): { precision: number; scale: number } | undefined {
  const m = /^DECIMAL\((\d+),\s*(\d+)\)$/.exec(type);
  return m ? { precision: Number(m[1]), scale: Number(m[2]) } : undefined;
}

const isNumber = (type: string): boolean => type in INTEGERS || type in FLOAT_BITS || decimalOf(type) !== undefined;

/** Whether every value of type `from` is the same value as type `to`. */
function widensLosslessly(from: string, to: string): boolean {
  if (from === to) return true;
  const fi = INTEGERS[from];
  const ti = INTEGERS[to];
  if (fi && ti) return fi.signed === ti.signed ? ti.bits >= fi.bits : !fi.signed && ti.bits > fi.bits;
  if (fi && to in FLOAT_BITS) return fi.bits - (fi.signed ? 1 : 0) <= FLOAT_BITS[to];
  if (from === 'FLOAT' && to === 'DOUBLE') return true;
  const fd = decimalOf(from);
  const td = decimalOf(to);
  if (fi && td) return td.precision - td.scale >= fi.digits;
  if (fd && td) return td.scale >= fd.scale && td.precision - td.scale >= fd.precision - fd.scale;
  // Coarser timestamps and dates are instants a microsecond TIMESTAMP holds.
  return to === 'TIMESTAMP' && ['DATE', 'TIMESTAMP_S', 'TIMESTAMP_MS'].includes(from);
}

/**
 * The file's own names of its top-level columns: DuckDB renames names that differ only in case
 * (`A`, `a` -> `A`, `a_1`). parquet_schema lists the schema depth-first, each element with its
 * number of children: the root's children are the columns.
 */
async function topLevelNames(duckdb: DuckDBConnection, file: string): Promise<string[]> {
  const rows = await queryRows<{ name: string; num_children: string | number | null }>(duckdb, `SELECT name, num_children FROM parquet_schema(${quoteLiteral(file)})`);
  const children = (i: number) => Number(rows[i]?.num_children ?? 0);
  const names: string[] = [];
  let i = 1;
  for (let k = 0; k < children(0) && i < rows.length; k++) {
    names.push(rows[i].name);
    // Skip the column's nested elements.
    let pending = children(i++);
    while (pending > 0 && i < rows.length) pending += children(i++) - 1;
  }
  return names;
}

async function describe(duckdb: DuckDBConnection, source: string): Promise<{ name: string; type: string }[]> {
  return (await queryRows<{ column_name: string; column_type: string }>(duckdb, `DESCRIBE SELECT * FROM ${source}`)).map((r) => ({ name: r.column_name, type: r.column_type }));
}

async function fileSchema(duckdb: DuckDBConnection, file: string, described?: readonly { name: string; type: string }[]): Promise<FileSchema> {
  const columns = described ?? (await describe(duckdb, `read_parquet(${quoteLiteral(file)})`));
  const originals = await topLevelNames(duckdb, file);
  // Should the two ever disagree on the columns, DuckDB's names are kept rather than misattributed.
  const same = originals.length === columns.length;
  return { file, columns: columns.map((c, i) => ({ ...c, original: same ? originals[i] : c.name })) };
}

const list = (files: readonly string[]): string => files.length <= 3 ? files.map((f) => `'${f}'`).join(', ') : `${files.slice(0, 3).map((f) => `'${f}'`).join(', ')} and ${files.length - 3} more`;

/** The union's columns whose files disagree on the type beyond a lossless widening, and how to read them. */
function mixedColumns(union: readonly { name: string; type: string }[], schemas: readonly FileSchema[], table: string): MixedColumn[] {
  const out: MixedColumn[] = [];
  for (const u of union) {
    const key = u.name.toLowerCase();
    const byType = new Map<string, string[]>();
    for (const s of schemas) {
      const c = s.columns.find((fc) => fc.name.toLowerCase() === key);
      if (c) byType.set(c.type, [...(byType.get(c.type) ?? []), s.file]);
    }
    const types = [...byType.keys()];
    if (types.length < 2 || types.every((t) => widensLosslessly(t, u.type))) continue;
    const found = `Column '${u.name}' of '${table}' has different types in its files: ${[...byType].map(([t, f]) => `${t} in ${list(f)}`).join('; ')}`;
    const casts = new Map<string, (column: string) => string>();
    let warning: string;
    if (types.every((t) => TEMPORAL.has(t)) && types.includes(TZ)) {
      // Read on its own, a time without a zone would be placed in the session's (this machine's) zone.
      for (const [t, files] of byType) if (t !== TZ) for (const f of files) casts.set(f, (c) => `timezone('UTC', CAST(${c} AS TIMESTAMP))`);
      warning = `${found}. Staged as ${TZ}: the times without a zone are read as UTC, whatever this machine's time zone.`;
    } else if (types.every(isNumber) && isNumber(u.type)) {
      for (const files of byType.values()) for (const f of files) casts.set(f, (c) => `CAST(${c} AS VARCHAR)`);
      warning = `${found}. One type for all would round some values (DuckDB's ${u.type}), so the column is staged as VARCHAR: ` +
        `each file's own values as exact text (a DOUBLE's shortest digits that read back as it).`;
    } else {
      warning = `${found}. Staged as ${u.type}, the type DuckDB unifies them to.`;
    }
    out.push({ key, casts, warning });
  }
  return out;
}

/** Each file read on its own, with the casts its mixed columns need, unioned by name. */
function perFileSource(schemas: readonly FileSchema[], mixed: readonly MixedColumn[]): string {
  const selects = schemas.map((s) => {
    const replace = s.columns.flatMap((c) => {
      const cast = mixed.find((m) => m.key === c.name.toLowerCase())?.casts.get(s.file);
      return cast ? [`${cast(quoteIdent(c.name))} AS ${quoteIdent(c.name)}`] : [];
    });
    return `SELECT *${replace.length ? ` REPLACE (${replace.join(', ')})` : ''} FROM read_parquet(${quoteLiteral(s.file)})`;
  });
  return `(${selects.join(' UNION ALL BY NAME ')})`;
}

async function loadParquet(config: SourceConfig, duckdb: DuckDBConnection, ctx: LoadContext): Promise<StagedTable[]> {
  const { files, originalName, name, rawTable } = await fileTarget(config, duckdb, ctx);
  let source = `read_parquet([${files.map(quoteLiteral).join(', ')}], union_by_name = true)`;
  let union: { name: string; type: string }[];
  let schemas: FileSchema[];
  try {
    union = await describe(duckdb, source);
    // One file's columns are the union's; a glob's files are compared (one metadata read each).
    schemas = [];
    for (const f of files) schemas.push(await fileSchema(duckdb, f, files.length === 1 ? union : undefined));
  } catch (error) {
    throw new StagingError('UNREADABLE_SOURCE', `Cannot read ${files.length === 1 ? `'${files[0]}'` : `files of '${originalName}'`} as Parquet: ${firstLine(error)}. Is it a complete Parquet file?`, { subject: files.join(', '), cause: error });
  }
  const mixed = mixedColumns(union, schemas, originalName);
  for (const m of mixed) ctx.warn(m.warning);
  if (mixed.some((m) => m.casts.size > 0)) {
    source = perFileSource(schemas, mixed);
    try {
      union = await describe(duckdb, source);
    } catch (error) {
      throw new StagingError('UNREADABLE_SOURCE', `Cannot read files of '${originalName}' as Parquet: ${firstLine(error)}.`, { subject: files.join(', '), cause: error });
    }
  }
  // The files' own names; a column the union took from several files keeps the first file's.
  const originals = new Map<string, string>();
  for (const s of schemas) for (const c of s.columns) if (!originals.has(c.name.toLowerCase())) originals.set(c.name.toLowerCase(), c.original);
  const names = union.map((c) => c.name);
  const ownNames = names.map((n) => originals.get(n.toLowerCase()) ?? n);
  const columns = uniqueNames(ownNames);
  await withTableSwap(duckdb, async (swap) => {
    swap.dropOnCommit(rejectsTableName(name));
    const build = swap.temp(rawTable);
    const select = names.map((n, i) => `${quoteIdent(n)} AS ${quoteIdent(columns[i].name)}`).join(', ');
    try {
      await duckdb.run(`CREATE TABLE ${quoteIdent(build)} AS SELECT ${select} FROM ${source}`);
    } catch (error) {
      throw new StagingError('UNREADABLE_SOURCE', `Cannot load Parquet from ${files.join(', ')}: ${firstLine(error)}.`, { subject: files.join(', '), cause: error });
    }
  });
  return [
    await committedTable(duckdb, { name, originalName, rawTable, strength: 'strong', files }, ownNames),
  ];
}

export const parquetLoader: SourceLoader = { type: 'parquet', strength: 'strong', load: loadParquet };
