/**
 * `dataraum run <folder>` on the whole vega-datasets folder (70 tables of every supported file
 * type, from 1 row to 3 million, text-only tables included): the run completes, every supported
 * file becomes a typed_ table with typed + quarantined = raw rows, and the files staging cannot
 * read are named in a warning.
 */
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDuckDB, queryRows, type DuckDBConnection } from '../../nodes/duckdb.ts';
import { fileTypeOfPath } from '../../nodes/staging/file-types.ts';
import { cli, type CliRun } from './helpers.ts';

const require = createRequire(import.meta.url);
const DATA = path.join(path.dirname(require.resolve('vega-datasets')), '..', 'data');

let home: string;
let run: CliRun;
let duckdb: DuckDBConnection;

beforeAll(async () => {
  home = mkdtempSync(path.join(tmpdir(), 'dataraum-vega-folder-'));
  run = await cli({ home }, ['run', DATA]);
  duckdb = await openDuckDB(path.join(home, 'data.duckdb'));
}, 600_000);

afterAll(() => {
  duckdb?.closeSync();
  if (home) rmSync(home, { recursive: true, force: true });
});

describe('dataraum run on the whole vega-datasets folder', () => {
  it('completes', () => {
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toMatch(/Context document: /);
  });

  it('types every supported file, losing no row', async () => {
    const files = readdirSync(DATA).filter((f) => fileTypeOfPath(path.join(DATA, f)) !== undefined);
    const tables = await queryRows(duckdb, "SELECT table_name FROM duckdb_tables() WHERE schema_name = 'main' AND starts_with(table_name, 'typed_') AND NOT contains(table_name, '__')");
    // flights-200k comes as .json and .arrow; .arrow is not a supported type. miserables.json holds
    // two arrays of records (nodes, links): a table each.
    expect(tables.length).toBe(files.length + 1);
    expect(tables.map((t) => t.table_name)).toEqual(expect.arrayContaining(['typed_miserables_nodes', 'typed_miserables_links']));
    for (const { table_name } of tables) {
      const name = String(table_name).slice('typed_'.length);
      const [counts] = await queryRows(duckdb, `SELECT (SELECT count(*) FROM "raw_${name}") AS raw, (SELECT count(*) FROM "typed_${name}") AS typed, (SELECT count(*) FROM "quarantine_${name}") AS quarantined`);
      expect(Number(counts.typed) + Number(counts.quarantined), name).toBe(Number(counts.raw));
    }
  });

  it('names the files it skipped', () => {
    expect(`${run.stdout}\n${run.stderr}`).toMatch(/Skipped 4 file\(s\) in '.*' that staging cannot read: 7zip\.png, ffox\.png, flights-200k\.arrow, gimp\.png/);
  });
});
