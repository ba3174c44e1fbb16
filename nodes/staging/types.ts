/**
 * What staging produces: raw tables in DuckDB and what we know of them. Profiling, typing and
 * everything downstream consume these shapes.
 */

/** How much a source's own types can be trusted. */
export type TypeStrength =
  /** No types at all (CSV/TSV): everything is staged as VARCHAR and inferred. */
  | 'untyped'
  /** Types exist but are loose (SQLite, JSON): staged as VARCHAR and re-inferred. */
  | 'weak'
  /** Types are enforced by the source (Parquet, DuckDB, PostgreSQL): kept as they are. */
  | 'strong';

export interface StagedColumn {
  /** Sanitized, unique column name in the DuckDB table. */
  readonly name: string;
  /** The name in the source (header text, source column name), before sanitizing. */
  readonly originalName: string;
  /** 0-based position. */
  readonly position: number;
  /** DuckDB type of the raw column (VARCHAR for untyped/weak sources). */
  readonly rawType: string;
  /**
   * SQLite only: the storage classes of the column's non-null values, sorted. Typing reads a
   * column whose values were all `real` (8-byte floats) as DOUBLE exactly, whatever its digits.
   */
  readonly storageClasses?: readonly SqliteStorageClass[];
}

/** How SQLite stored a value (`typeof()`), NULL aside. */
export type SqliteStorageClass = 'blob' | 'integer' | 'real' | 'text';

/** A row the loader could not read (ragged, bad quoting, invalid UTF-8...), kept, never dropped. */
export interface RejectedRow {
  readonly file: string;
  /** 1-based line in the file. */
  readonly line: number;
  readonly column?: string;
  readonly errorType: string;
  readonly message: string;
  /** The raw line text, as read. */
  readonly rawLine?: string;
}

export interface StagedTable {
  /** Logical table name (sanitized), e.g. `airports`. */
  readonly name: string;
  /** The source's name for it (file name, source table name). */
  readonly originalName: string;
  /** DuckDB table holding the raw data: `raw_<name>` (a view over `rawFile` when that is set). */
  readonly rawTable: string;
  /**
   * The Parquet file behind `rawTable` for CSV/TSV sources (see loaders/raw-store.ts); unset when
   * `rawTable` is a DuckDB table. Read raw rows through `rawRows()`, which knows both.
   */
  readonly rawFile?: string;
  readonly rowCount: number;
  readonly strength: TypeStrength;
  readonly columns: readonly StagedColumn[];
  readonly rejects: readonly RejectedRow[];
  /** Files this table was loaded from (globs expanded). */
  readonly files: readonly string[];
  /** DuckDB table holding every rejected row with its raw text (`raw_<name>__rejects`; CSV/TSV and NDJSON only). */
  readonly rejectsTable?: string;
  /** Number of rejected rows; `rejects` may hold only the first of them when there are very many. */
  readonly rejectCount?: number;
  /** The CSV dialect the file(s) were read with (sniffed or configured); CSV/TSV only. */
  readonly dialect?: CsvDialect;
}

/** How a delimited file was read. Typing uses it (e.g. `;` delimiter hints at decimal commas). */
export interface CsvDialect {
  readonly delimiter: string;
  /** '' when the file has no quoting. */
  readonly quote: string;
  /** '' when the file has no escape character. */
  readonly escape: string;
  readonly header: boolean;
  /** Lines skipped before the header/data. */
  readonly skipRows: number;
  /** Comment character, '' for none. */
  readonly comment: string;
  readonly encoding: string;
  /** Set when a line is longer than DuckDB's 2 MB default: the line size allowed instead. */
  readonly maxLineSize?: number;
}

export interface StagingResult {
  readonly sourceName: string;
  readonly sourceType: string;
  readonly tables: readonly StagedTable[];
  readonly warnings: readonly string[];
}
