/**
 * JSON files that wrap their records, as API responses do: `{"meta": {...}, "data": [{...}, ...]}`.
 * The records of the array are staged (one row each), across a glob of pages too; an object with
 * no array of objects stays one record.
 */
import { describe, expect, it } from 'vitest';
import { type DuckDBConnection } from '../../nodes/duckdb.ts';
import { _stageSource, sourceConfig } from '../../nodes/staging/staging.ts';
import { rows, stagingFixture } from './helpers.ts';

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

  it('an object with two arrays of records (a graph\'s nodes and links) stays one record', async () => {
    const path = tmp.file('graph.json', JSON.stringify({ nodes: [{ id: 1 }, { id: 2 }], links: [{ source: 1, target: 2 }] }));
    const { tables, warnings } = await _stageSource(sourceConfig(path), duckdb);
    expect(tables[0]).toMatchObject({ rowCount: 1, columns: [{ name: 'nodes' }, { name: 'links' }] });
    expect(warnings).toEqual([]);
  });

  it('an object without an array of objects stays one record', async () => {
    const path = tmp.file('settings.json', JSON.stringify({ theme: 'dark', sizes: [1, 2, 3], owner: { name: 'x' } }));
    const { tables, warnings } = await _stageSource(sourceConfig(path), duckdb);
    expect(tables[0]).toMatchObject({ rowCount: 1 });
    expect(await rows(duckdb, tables[0].rawTable)).toEqual([{ theme: 'dark', sizes: '[1,2,3]', owner: '{"name":"x"}' }]);
    expect(warnings).toEqual([]);
  });
});
