/**
 * What enrichment (semantic, topology, temporal), quality and the context document read: the
 * typed tables of one source in DuckDB. The ingest dataflow builds this from type resolution.
 */

export interface TypedColumn {
  /** Column name in the typed DuckDB table. */
  readonly name: string;
  /** The name in the source (before sanitizing). */
  readonly originalName: string;
  /** 0-based position. */
  readonly position: number;
  /** DuckDB type of the typed column: INTEGER, BIGINT, DOUBLE, DECIMAL(p,s), BOOLEAN, DATE, TIMESTAMP, TIMESTAMP WITH TIME ZONE, TIME, INTERVAL, JSON, VARCHAR, ... */
  readonly type: string;
  /** Metadata-store id of the column, when recorded. */
  readonly columnId?: string;
}

export interface TypedTable {
  /** Logical table name, e.g. `airports`. */
  readonly name: string;
  /** DuckDB table holding the typed rows: `typed_<name>` (or the raw table of a strongly typed source). */
  readonly typedTable: string;
  readonly rowCount: number;
  readonly columns: readonly TypedColumn[];
  /** Metadata-store id of the table, when recorded. */
  readonly tableId?: string;
  /** Rows that failed a type conversion, kept with their raw values in `quarantineTable`. */
  readonly quarantinedRows?: number;
  readonly quarantineTable?: string;
  /** Source lines staging could not parse (ragged, bad quoting, invalid UTF-8), kept in `rejectsTable`. */
  readonly rejectedRows?: number;
  readonly rejectsTable?: string;
}

export interface TypedSource {
  readonly sourceName: string;
  readonly tables: readonly TypedTable[];
}
