/**
 * Typed tables for quality and context tests: real data from vega-datasets typed by DuckDB's
 * readers, or generated with SQL, described as the `TypedSource` type resolution would hand over.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadOntology, type ResolvedOntology } from '../../config/ontology.ts';
import { queryRows, quoteIdent, quoteLiteral, type DuckDBConnection } from '../../nodes/duckdb.ts';
import type { TypedSource, TypedTable } from '../../nodes/enrichment/types.ts';

export const VEGA_DIR = new URL('../../node_modules/vega-datasets/data/', import.meta.url).pathname;

/** `typed_<name>` from a vega-datasets file, read with read_csv / read_json. */
export async function vegaTable(conn: DuckDBConnection, name: string, file: string): Promise<TypedTable> {
  const reader = file.endsWith('.json') ? 'read_json' : 'read_csv';
  return typedTable(conn, name, `SELECT * FROM ${reader}(${quoteLiteral(VEGA_DIR + file)})`);
}

/** Creates `typed_<name>` from a SELECT and describes it from DuckDB's catalog. */
export async function typedTable(conn: DuckDBConnection, name: string, select: string): Promise<TypedTable> {
  const typed = `typed_${name}`;
  await conn.run(`CREATE OR REPLACE TABLE ${quoteIdent(typed)} AS ${select}`);
  const cols = await queryRows<{ column_name: string; data_type: string; ordinal_position: number }>(conn,
    'SELECT column_name, data_type, ordinal_position FROM information_schema.columns WHERE table_name = ? ORDER BY ordinal_position', [typed]);
  const [count] = await queryRows<{ n: string }>(conn, `SELECT count(*) AS n FROM ${quoteIdent(typed)}`);
  return {
    name, typedTable: typed, rowCount: Number(count!.n),
    columns: cols.map((c) => ({ name: c.column_name, originalName: c.column_name, position: Number(c.ordinal_position) - 1, type: c.data_type })),
  };
}

export const sourceOf = (sourceName: string, ...tables: TypedTable[]): TypedSource => ({ sourceName, tables });

/**
 * An ontology for movies.json extending base, with rules the data is known to break: grosses
 * and running times are sometimes missing, ratings must lie on their scales, release dates
 * should read `Mon DD YYYY` with a year no later than 2010.
 */
export function moviesOntology(): ResolvedOntology {
  const dir = mkdtempSync(join(tmpdir(), 'dataraum-ontology-'));
  writeFileSync(join(dir, 'movies_test.yaml'), `
name: movies_test
description: Film releases, for quality tests
extends: base
concepts:
  - name: gross
    description: Box-office takings
    indicators: ['*gross*']
    semantic_role: measure
    value_kind: numeric
  - name: running_time
    description: Length of the film in minutes
    indicators: ['running_time*']
    semantic_role: measure
    value_kind: numeric
  - name: imdb_rating
    description: IMDB user rating
    indicators: ['imdb_rating']
    semantic_role: measure
    value_kind: numeric
  - name: release_date_text
    description: Release date as written
    indicators: ['release_date']
    semantic_role: attribute
    value_kind: text
quality_rules:
  - concept: gross
    rule_type: not_null
    severity: error
  - concept: running_time
    rule_type: max_null_ratio
    params: { max: 0.2 }
  - concept: imdb_rating
    rule_type: range
    params: { min: 1, max: 9 }
  - concept: release_date_text
    rule_type: pattern
    # The data was published in 2010: later years are two-digit years read as 20xx (e.g. 2046).
    params: { regex: '[A-Z][a-z]{2} [0-9]{2} (1[89][0-9]{2}|200[0-9]|2010)' }
`);
  return loadOntology('movies_test', dir);
}
