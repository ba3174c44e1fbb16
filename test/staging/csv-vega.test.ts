/** CSV/TSV staging on real files from vega-datasets: counts equal the files' real line counts. */
import { copyFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { DuckDBConnection } from '../../nodes/duckdb.ts';
import { sourceConfig, staging } from '../../nodes/staging/staging.ts';
import { VEGA, countOf, lineCount, rows, stagingFixture } from './helpers.ts';

let duckdb: DuckDBConnection;
const tmp = stagingFixture((c) => (duckdb = c));

describe('vega-datasets CSV/TSV', () => {
  it.each([
    ['airports.csv', 'airports', ['iata', 'name', 'city', 'state', 'country', 'latitude', 'longitude'], ','],
    ['flights-airport.csv', 'flights_airport', ['origin', 'destination', 'count'], ','],
    ['seattle-weather.csv', 'seattle_weather', ['date', 'precipitation', 'temp_max', 'temp_min', 'wind', 'weather'], ','],
    ['unemployment.tsv', 'unemployment', ['id', 'rate'], '\t'],
  ])('%s: every line staged as VARCHAR, nothing rejected', async (file, name, columns, delimiter) => {
    const path = join(VEGA, file);
    const result = await staging(sourceConfig(path), duckdb);
    expect(result.sourceName).toBe(name);
    expect(result.tables).toHaveLength(1);
    const [table] = result.tables;
    expect(table).toMatchObject({ name, originalName: file, rawTable: `raw_${name}`, strength: 'untyped', files: [path], rejects: [], rejectCount: 0 });
    expect(table.rowCount).toBe(lineCount(path) - 1);
    expect(table.columns.map((c) => c.name)).toEqual(columns);
    expect(table.columns.map((c) => c.originalName)).toEqual(columns);
    expect(table.columns.map((c) => c.position)).toEqual(columns.map((_, i) => i));
    expect(new Set(table.columns.map((c) => c.rawType))).toEqual(new Set(['VARCHAR']));
    expect(table.dialect).toMatchObject({ delimiter, header: true, encoding: 'utf-8' });
    expect(await countOf(duckdb, table.rawTable)).toBe(table.rowCount);
  });

  it('keeps values as the text in the file (no parsing, no trimming of meaning)', async () => {
    await staging(sourceConfig(join(VEGA, 'unemployment.tsv')), duckdb);
    const first = await rows<{ id: string; rate: string }>(duckdb, 'raw_unemployment');
    expect(first[0]).toEqual({ id: '1001', rate: '.097' });
    await staging(sourceConfig(join(VEGA, 'airports.csv')), duckdb);
    const [row] = (await duckdb.runAndReadAll(`SELECT * FROM raw_airports WHERE iata = '00M'`)).getRowObjectsJson();
    expect(row).toEqual({ iata: '00M', name: 'Thigpen', city: 'Bay Springs', state: 'MS', country: 'USA', latitude: '31.95376472', longitude: '-89.23450472' });
  });

  it('stages a folder of several CSVs, each file its own table', async () => {
    const folder = join(tmp.dir, 'vega-folder');
    mkdirSync(folder);
    for (const f of ['airports.csv', 'flights-airport.csv', 'seattle-weather.csv', 'unemployment.tsv']) copyFileSync(join(VEGA, f), join(folder, f));
    writeFileSync(join(folder, 'README.md'), 'not data');
    writeFileSync(join(folder, 'empty.csv'), '');
    writeFileSync(join(folder, '.DS_Store'), 'the system\'s');
    mkdirSync(join(folder, 'archive'));
    copyFileSync(join(VEGA, 'airports.csv'), join(folder, 'archive', 'airports-2019.csv'));
    const result = await staging(sourceConfig(folder), duckdb);
    expect(result).toMatchObject({ sourceName: 'vega_folder', sourceType: 'folder' });
    expect(result.tables.map((t) => [t.name, t.rowCount])).toEqual([
      ['airports', 3376],
      ['flights_airport', 5366],
      ['seattle_weather', 1461],
      ['unemployment', 3218],
    ]);
    expect(result.warnings).toEqual([
      `Skipped empty file '${join(folder, 'empty.csv')}' (0 bytes).`,
      expect.stringMatching(new RegExp(`^Skipped 1 file\\(s\\) in '.*vega-folder' that staging cannot read: README\\.md \\(supported: .*\\.csv .*\\)\\.$`)),
      `Did not look into 1 subfolder(s) of '${folder}': archive. Stage each as a source of its own, or name files across folders with file_pattern (e.g. '${join(folder, '**', '*.csv')}').`,
    ]);
    // Only CSVs when the folder is given as a csv source.
    const csvOnly = await staging(sourceConfig({ source_type: 'csv', path: folder }), duckdb);
    expect(csvOnly.tables.map((t) => t.name)).toEqual(['airports', 'flights_airport', 'seattle_weather']);
  });
});
