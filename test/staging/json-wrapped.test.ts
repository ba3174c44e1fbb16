/**
 * JSON files that wrap their records, as API responses do: `{"meta": {...}, "data": [{...}, ...]}`.
 * The records of the array are staged (one row each), across a glob of pages too; several arrays of
 * records are a table each; an object with no array of objects stays one record.
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { type DuckDBConnection } from '../../nodes/duckdb.ts';
import { _stageSource, sourceConfig } from '../../nodes/staging/staging.ts';
import { rows, stagingFixture, VEGA } from './helpers.ts';

let duckdb: DuckDBConnection;
const tmp = stagingFixture((c) => (duckdb = c));

const page = (n: number, ids: number[]) =>
  JSON.stringify({ meta: { page: n, per_page: 2 }, links: ['next'], items: ids.map((id) => ({ id, name: `n${id}`, tags: [id], ok: id % 2 === 0 })) });

describe('JSON records wrapped in an object', () => {
  it('stages the records of the one array of objects and says what was left out', async () => {
    const path = tmp.file('response.json', page(1, [1, 2, 3]));
    const { tables, warnings } = await _stageSource(sourceConfig(path), duckdb);
    expect(tables[0]).toMatchObject({ rowCount: 3, columns: [{ name: 'id' }, { name: 'name' }, { name: 'tags' }, { name: 'ok' }] });
    expect(await rows(duckdb, tables[0].rawTable, 'id')).toEqual([
      { id: '1', name: 'n1', tags: '[1]', ok: 'false' },
      { id: '2', name: 'n2', tags: '[2]', ok: 'true' },
      { id: '3', name: 'n3', tags: '[3]', ok: 'false' },
    ]);
    expect(warnings).toEqual([`'response.json' is one JSON object: the 3 record(s) of its "items" array are staged; its other keys ("meta", "links") are not.`]);
  });

  it('a glob of pages stages every page\'s records in one table', async () => {
    tmp.file('page-1.json', page(1, [1, 2]));
    tmp.file('page-2.json', page(2, [3, 4]));
    tmp.file('page-3.json', page(3, [5]));
    const { tables, warnings } = await _stageSource(sourceConfig({ source_type: 'json', name: 'pages', file_pattern: `${tmp.dir}/page-*.json` }), duckdb);
    expect(tables[0].rowCount).toBe(5);
    expect((await rows<{ id: string }>(duckdb, tables[0].rawTable, 'id')).map((r) => r.id)).toEqual(['1', '2', '3', '4', '5']);
    expect(warnings[0]).toMatch(/page-\*\.json' is one JSON object per file: the 5 record\(s\) of its "items" array are staged/);
  });

  it('an object with several arrays of records (a graph\'s nodes and links) stages a table per array', async () => {
    // vega-datasets' Les Misérables co-occurrence graph: {"nodes": [77 objects], "links": [254 objects]}.
    const { tables, warnings } = await _stageSource(sourceConfig(join(VEGA, 'miserables.json')), duckdb);
    expect(tables.map((t) => ({ name: t.name, originalName: t.originalName, rowCount: t.rowCount, columns: t.columns.map((c) => c.originalName) }))).toEqual([
      { name: 'miserables_nodes', originalName: 'miserables.json#/nodes', rowCount: 77, columns: ['name', 'group', 'index'] },
      { name: 'miserables_links', originalName: 'miserables.json#/links', rowCount: 254, columns: ['source', 'target', 'value'] },
    ]);
    expect((await rows(duckdb, 'raw_miserables_links'))[0]).toEqual({ source: '1', target: '0', value: '1' });
    expect(warnings).toEqual([
      `'miserables.json' is one JSON object with 2 arrays of records, each staged as a table: "nodes" (77 record(s)) as 'miserables_nodes', "links" (254 record(s)) as 'miserables_links'.`,
    ]);
  });

  it('names each array\'s table after its key, odd keys too, and lists the keys holding no records', async () => {
    const path = tmp.file('export.json', JSON.stringify({ version: 2, 'order lines': [{ sku: 'a', qty: 1.50 }], 'a/b': [{ x: 1 }], empty: [], tags: ['x'] }));
    const { tables, warnings } = await _stageSource(sourceConfig(path), duckdb);
    expect(tables.map((t) => [t.name, t.originalName, t.rowCount])).toEqual([
      ['export_order_lines', 'export.json#/order lines', 1],
      ['export_a_b', 'export.json#/a~1b', 1],
    ]);
    expect(await rows(duckdb, 'raw_export_order_lines')).toEqual([{ sku: 'a', qty: '1.5' }]);
    expect(warnings).toEqual([
      `'export.json' is one JSON object with 2 arrays of records, each staged as a table: "order lines" (1 record(s)) as 'export_order_lines', "a/b" (1 record(s)) as 'export_a_b'; ` +
        `its other keys ("version", "empty", "tags") are not. Decimal numbers in them are staged as DuckDB prints them (19.90 as 19.9; past 15 digits rounded).`,
    ]);
  });

  it('a GeoJSON FeatureCollection stages one row per feature: its properties as columns, its geometry as JSON text', async () => {
    // vega-datasets' USGS earthquakes of one week.
    const { tables, warnings } = await _stageSource(sourceConfig(join(VEGA, 'earthquakes.json')), duckdb);
    expect(tables).toHaveLength(1);
    const names = tables[0].columns.map((c) => c.name);
    expect(tables[0].rowCount).toBe(1707);
    expect(names.slice(0, 4)).toEqual(['mag', 'place', 'time', 'updated']);
    expect(names.slice(-2)).toEqual(['id', 'geometry']);
    expect((await rows(duckdb, tables[0].rawTable))[0]).toMatchObject({
      mag: '2', place: '4km W of Castaic, CA', time: '1517966773840', felt: null, id: 'ci37868143', geometry: '{"type":"Point","coordinates":[-118.6671667,34.4945,26.49]}',
    });
    expect(warnings).toEqual([expect.stringMatching(/^'earthquakes\.json' is a GeoJSON FeatureCollection: its 1707 feature\(s\) are staged, one row each, with their properties as columns and their geometry as JSON text in 'geometry'; its other keys \("type", "metadata", "bbox"\) are not\./)]);
  });

  it('a feature\'s own id property wins over the feature id; a feature without properties still has its geometry', async () => {
    const path = tmp.file('places.geojson.json', JSON.stringify({ type: 'FeatureCollection', features: [
      { type: 'Feature', id: 'f1', properties: { id: 7, name: 'a' }, geometry: { type: 'Point', coordinates: [1, 2] } },
      { type: 'Feature', id: 'f2', properties: null, geometry: null },
    ] }));
    const { tables } = await _stageSource(sourceConfig(path), duckdb);
    expect(await rows(duckdb, tables[0].rawTable)).toEqual([
      { id: '7', name: 'a', geometry: '{"type":"Point","coordinates":[1,2]}' },
      { id: 'f2', name: null, geometry: null },
    ]);
  });

  it('a TopoJSON topology stays one row, and the warning says how to get its features', async () => {
    const { tables, warnings } = await _stageSource(sourceConfig(join(VEGA, 'us-10m.json')), duckdb);
    expect(tables[0].rowCount).toBe(1);
    expect(warnings).toEqual([`'us-10m.json' is a TopoJSON topology: it is staged as one row of JSON text. Convert it to GeoJSON (e.g. topojson-client's feature()) to stage one row per feature.`]);
  });

  it('an object without an array of objects stays one record', async () => {
    const path = tmp.file('settings.json', JSON.stringify({ theme: 'dark', sizes: [1, 2, 3], owner: { name: 'x' } }));
    const { tables, warnings } = await _stageSource(sourceConfig(path), duckdb);
    expect(tables[0]).toMatchObject({ rowCount: 1 });
    expect(await rows(duckdb, tables[0].rawTable)).toEqual([{ theme: 'dark', sizes: '[1,2,3]', owner: '{"name":"x"}' }]);
    expect(warnings).toEqual([]);
  });
});
