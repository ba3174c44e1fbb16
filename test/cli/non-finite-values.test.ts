/**
 * NaN, infinities and far-off timestamps in a source: the run completes, quality flags the
 * non-finite numbers instead of failing on them, and `dataraum query` prints every value the way
 * DuckDB shows it (microseconds, `infinity`, `nan`, no invented `Z`).
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cli, json, type CliRun } from './helpers.ts';

let dir: string;
let home: string;
let run: CliRun;

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'dataraum-nonfinite-'));
  home = path.join(dir, 'home');
  const parquet = path.join(dir, 'readings.parquet');
  const inst = await DuckDBInstance.create(':memory:');
  const c = await inst.connect();
  // 60 rows: score i/3 but NaN at id 2, inf at 3, -inf at 4; a validity period open-ended from id 3 on.
  await c.run(`COPY (
    SELECT i AS id,
           CASE i WHEN 2 THEN 'NaN'::DOUBLE WHEN 3 THEN 'inf'::DOUBLE WHEN 4 THEN '-inf'::DOUBLE ELSE i / 3 END AS score,
           TIMESTAMP '2024-01-01 10:00:00.123456' + to_days(i::INTEGER) AS valid_from,
           CASE WHEN i < 3 THEN TIMESTAMP '2024-06-01' ELSE 'infinity'::TIMESTAMP END AS valid_to
    FROM range(1, 61) r(i)) TO '${parquet.replaceAll("'", "''")}' (FORMAT parquet)`);
  c.closeSync();
  inst.closeSync();
  run = await cli({ home }, ['run', parquet, '--no-progress']);
}, 120_000);

afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('a Parquet source with NaN and infinities', () => {
  it('runs to the end', () => {
    expect([0, 3], `${run.stdout}\n${run.stderr}`).toContain(run.code);
    expect(run.stdout).toMatch(/readings: 60 rows -> typed_readings 60 rows/);
  });

  it('fits the range rule to the finite values and fails the three non-finite rows, with an anomaly that says why', () => {
    const doc = JSON.parse(readFileSync(path.join(home, 'context', 'readings.json'), 'utf8')) as {
      quality_summary: { failed_rules: { rule: string; failed_records: number }[]; anomalies: { kind: string; column: string | null; message: string }[] };
    };
    expect(doc.quality_summary.failed_rules).toEqual([expect.objectContaining({ rule: 'readings.score.range', failed_records: 3 })]);
    const nonFinite = doc.quality_summary.anomalies.filter((a) => a.kind === 'non_finite');
    expect(nonFinite).toEqual([expect.objectContaining({ column: 'score', message: expect.stringMatching(/^3 of 60 values of score are not finite numbers \(1 NaN, 2 infinite\)/) })]);
  });
});

describe('dataraum query on those values', () => {
  it('prints timestamps with microseconds and no zone, infinity and nan as DuckDB does', async () => {
    const r = await cli({ home }, ['query', 'SELECT id, score, valid_from, valid_to FROM typed_readings WHERE id BETWEEN 2 AND 4 ORDER BY id']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout.trimEnd().split('\n').map((l) => l.trim().split(/\s{2,}/))).toEqual([
      ['id', 'score', 'valid_from', 'valid_to'],
      ['2', 'nan', '2024-01-03 10:00:00.123456', '2024-06-01 00:00:00'],
      ['3', 'inf', '2024-01-04 10:00:00.123456', 'infinity'],
      ['4', '-inf', '2024-01-05 10:00:00.123456', 'infinity'],
    ]);
  });

  it('keeps them in --json, numbers as numbers where exact', async () => {
    const r = await cli({ home }, ['query', "SELECT id, score, valid_to, '10101'::BIT AS bits, 1.10::DECIMAL(5,2) AS price, 123456789012345678901::HUGEINT AS big FROM typed_readings WHERE id IN (1, 3) ORDER BY id", '--json']);
    expect(r.code, r.stderr).toBe(0);
    expect(json(r).rows).toEqual([
      { id: 1, score: 1 / 3, valid_to: '2024-06-01 00:00:00', bits: '10101', price: 1.1, big: '123456789012345678901' },
      { id: 3, score: 'inf', valid_to: 'infinity', bits: '10101', price: 1.1, big: '123456789012345678901' },
    ]);
  });
});
