/** `dataraum query` runs the read-only engine from the command line: a table, JSON, refusals with exit 1. */
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const REPO = resolve(import.meta.dirname, '../..');
const BIN = join(REPO, 'bin/dataraum.mjs');
let home: string;

function dataraum(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((done) => {
    execFile(process.execPath, [BIN, ...args, '--home', home], { cwd: REPO }, (err, stdout, stderr) => {
      done({ code: err ? Number((err as { code?: number }).code ?? 1) : 0, stdout, stderr });
    });
  });
}

beforeAll(async () => {
  home = mkdtempSync(join(tmpdir(), 'dataraum-query-cli-'));
  mkdirSync(home, { recursive: true });
  const inst = await DuckDBInstance.create(join(home, 'data.duckdb'));
  const c = await inst.connect();
  await c.run("CREATE TABLE typed_weather AS SELECT * FROM (VALUES (DATE '2012-01-01', 'rain', 12.8), (DATE '2012-01-02', 'sun', 10.6), (DATE '2012-01-03', 'rain', 11.7)) t(date, weather, temp_max)");
  await c.run('CREATE TABLE raw_weather AS SELECT CAST(date AS VARCHAR) AS date FROM typed_weather');
  c.closeSync();
  inst.closeSync();
});

afterAll(() => {
  rmSync(home, { recursive: true, force: true });
});

describe('dataraum query', () => {
  it('prints a table and a row count', async () => {
    const r = await dataraum(['query', 'SELECT weather, count(*) AS n FROM typed_weather GROUP BY 1 ORDER BY 1']);
    expect(r.code).toBe(0);
    expect(r.stdout.split('\n').slice(0, 3)).toEqual(['weather  n', 'rain     2', 'sun      1']);
    expect(r.stderr).toMatch(/2 rows in \d+ ms/);
  });

  it('prints JSON with --json and caps rows with --max-rows', async () => {
    const r = await dataraum(['query', 'SELECT * FROM typed_weather ORDER BY date', '--json', '--max-rows', '2']);
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out.columns).toEqual([{ name: 'date', type: 'DATE' }, { name: 'weather', type: 'VARCHAR' }, { name: 'temp_max', type: 'DECIMAL(3,1)' }]);
    expect(out.rows).toEqual([{ date: '2012-01-01', weather: 'rain', temp_max: 12.8 }, { date: '2012-01-02', weather: 'sun', temp_max: 10.6 }]);
    expect(out).toMatchObject({ rowCount: 2, truncated: true });
  });

  it('prints values as DuckDB shows them: decimals with their scale, timestamps to the microsecond, BIT as bits', async () => {
    const r = await dataraum(['query', "SELECT CAST(temp_max AS DECIMAL(5,2)) AS t, TIMESTAMP '2012-01-01 10:00:00.123456' AS ts, '10101'::BIT AS b FROM typed_weather ORDER BY date LIMIT 1"]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout.split('\n').slice(0, 2)).toEqual(['t      ts                          b', '12.80  2012-01-01 10:00:00.123456  10101']);
  });

  it('escapes line breaks and tabs inside cells, so each row stays one line', async () => {
    const r = await dataraum(['query', "SELECT 'a' || chr(10) || 'b' AS x, 'c' || chr(13) || chr(10) || 'd' || chr(9) || 'e' AS y"]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toBe('x     y\na\\nb  c\\r\\nd\\te\n');
  });

  it('a failing query is quoted as written, with the caret under the fault', async () => {
    const r = await dataraum(['query', 'SELECT sum(weather) FROM typed_weather']);
    expect(r.code).toBe(1);
    expect(r.stderr).not.toContain('EXPLAIN');
    expect(r.stderr).toContain('LINE 1: SELECT sum(weather) FROM typed_weather\n               ^');
  });

  it('refuses writes and raw tables with exit code 1 and the reason', async () => {
    const drop = await dataraum(['query', 'DROP TABLE typed_weather']);
    expect(drop.code).toBe(1);
    expect(drop.stderr).toMatch(/query refused: .*DROP statement/);
    const raw = await dataraum(['query', 'SELECT * FROM raw_weather']);
    expect(raw.code).toBe(1);
    expect(raw.stderr).toMatch(/raw staging table/);
  });
});
