/**
 * Type inference against the field types vega-datasets declares in its datapackage.json, for every
 * CSV/TSV resource loaded as all-VARCHAR raw tables. Prints the accuracy and every miss with why.
 */
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDuckDB, type DuckDBConnection } from '../../nodes/duckdb.ts';
import { SURVEY_SAMPLE_ROWS, typeCandidates } from '../../nodes/typing/inference.ts';
import type { CandidateType, TypeCandidatesResult } from '../../nodes/typing/types.ts';
import { stageCsv, stagingOf, VEGA_DIR, VEGA_PACKAGE } from '../profiling/helpers/stage-csv.ts';

interface Resource { name: string; path: string; schema: { fields: { name: string; type: string }[] } }

const ACCEPTED: Record<string, CandidateType[]> = {
  integer: ['INTEGER', 'BIGINT'],
  number: ['DOUBLE', 'DECIMAL'],
  date: ['DATE'],
  datetime: ['TIMESTAMP', 'TIMESTAMPTZ'],
  string: ['VARCHAR'],
  boolean: ['BOOLEAN'],
};

/** Misses we make on purpose, and why (checked: any other miss fails the test). */
const EXPLAINED: Record<string, string> = {
  'zipcodes.zip_code': 'declared integer, but 3256 zip codes have leading zeros (00501): kept as VARCHAR so no zero is lost',
  'species.county_id': 'declared integer, but FIPS county codes have leading zeros (01001): kept as VARCHAR',
  'github.time': "declared string, but every value is a timestamp ('2015/01/01 01:00:00'): read as TIMESTAMP",
};

const tableName = (r: Resource): string => r.name.replace(/[^A-Za-z0-9]+/g, '_');

let conn: DuckDBConnection;
let resources: Resource[];
let result: TypeCandidatesResult;

beforeAll(async () => {
  conn = await openDuckDB(':memory:');
  const pkg = JSON.parse(readFileSync(VEGA_PACKAGE, 'utf8')) as { resources: Resource[] };
  resources = pkg.resources.filter((r) => /\.(csv|tsv)$/.test(r.path));
  const staged = [];
  for (const r of resources) staged.push(await stageCsv(conn, `${VEGA_DIR}${r.path}`, tableName(r), r.path.endsWith('.tsv') ? '\t' : ','));
  result = await typeCandidates(stagingOf(...staged), conn);
});
afterAll(() => conn?.closeSync());

describe('type inference on vega-datasets', () => {
  it('agrees with datapackage.json field types (accuracy reported, floor asserted)', () => {
    let right = 0;
    let total = 0;
    const misses: string[] = [];
    for (const r of resources) {
      const t = result.tables[tableName(r)];
      for (const f of r.schema.fields) {
        total++;
        const col = t.columns[f.name];
        expect(col, `${r.path}:${f.name} was not inferred`).toBeDefined();
        if (ACCEPTED[f.type].includes(col.best.type)) right++;
        else misses.push(`${tableName(r)}.${f.name}`);
        if (!ACCEPTED[f.type].includes(col.best.type)) {
          console.log(`MISS ${r.path}:${f.name} declared ${f.type}, inferred ${col.best.type} (${col.best.confidence}) — ${EXPLAINED[`${tableName(r)}.${f.name}`] ?? col.best.notes.join('; ')}`);
        }
      }
    }
    const accuracy = right / total;
    console.log(`vega-datasets type inference accuracy: ${right}/${total} = ${accuracy.toFixed(4)} over ${resources.length} files`);
    expect(accuracy).toBeGreaterThanOrEqual(0.97);
    expect(misses.filter((m) => !(m in EXPLAINED))).toEqual([]);
  });

  it('reads formats from the data: %b %d %Y dates, ISO timestamps, fraction-less decimals', () => {
    expect(result.tables.sp500.columns.date.best).toMatchObject({ type: 'DATE', format: { kind: 'date', strptime: '%b %d %Y' }, parseSuccessRate: 1 });
    expect(result.tables.seattle_weather_hourly_normals.columns.date.best).toMatchObject({ type: 'TIMESTAMP', format: { kind: 'timestamp', strptime: null } });
    expect(result.tables.unemployment.columns.rate.best).toMatchObject({ type: 'DOUBLE', parseSuccessRate: 1 });
    expect(result.tables.github.columns.time.best.format).toEqual({ kind: 'timestamp', strptime: '%Y/%m/%d %H:%M:%S' });
    // Gaps: 'Speed IAS in knots' is empty on some rows; empties are NULL, not failures.
    const speed = result.tables.birdstrikes.columns['Speed IAS in knots'];
    expect(speed.best).toMatchObject({ type: 'INTEGER', parseSuccessRate: 1, failedCount: 0 });
    expect(speed.nonNullCount).toBeLessThan(speed.rowCount);
    expect(speed.unit).toMatchObject({ unit: 'kn' });
    expect(result.tables.zipcodes.columns.zip_code.identifier?.reason).toMatch(/leading zeros/);
    expect(result.tables.zipcodes.columns.zip_code.pattern?.pattern).toBe('postal_code');
  });

  it('a probe-family check per 32 columns, one sample survey, and per batch of 8 columns a survey and a verify scan (and a shape scan above the sample size)', () => {
    for (const t of Object.values(result.tables)) {
      const columns = Object.keys(t.columns).length;
      const perBatch = t.rowCount > SURVEY_SAMPLE_ROWS ? 3 : 2;
      expect(t.queryCount).toBe(Math.ceil(columns / 32) + 1 + Math.ceil(columns / 8) * perBatch);
    }
  });
});
