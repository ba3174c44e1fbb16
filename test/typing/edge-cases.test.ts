import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDuckDB, queryRows, type DuckDBConnection } from '../../nodes/duckdb.ts';
import { profiling } from '../../nodes/profiling/profiling.ts';
import { autoTypeDecisions } from '../../nodes/typing/decisions.ts';
import { typeCandidates } from '../../nodes/typing/inference.ts';
import { typeResolution } from '../../nodes/typing/resolution.ts';
import { typeReview } from '../../nodes/typing/review.ts';
import { typeDecisions } from '../../nodes/typing/type-decisions.ts';
import { describeStaged, stagingOf } from '../profiling/helpers/stage-csv.ts';

let conn: DuckDBConnection;
beforeAll(async () => { conn = await openDuckDB(':memory:'); });
afterAll(() => conn?.closeSync());

describe('edge cases through profiling, inference, decisions and resolution', () => {
  it('handles empty tables, all-null columns and names that need quoting', async () => {
    await conn.run(`CREATE TABLE "raw_odd" ("we""ird name" VARCHAR, "Prix (€)" VARCHAR, "empty" VARCHAR, "ünïcode" VARCHAR)`);
    await conn.run(`INSERT INTO "raw_odd" VALUES ('a', '€12', NULL, '1'), ('b', '€13', '', '2'), ('c', '€14', NULL, '3')`);
    await conn.run(`CREATE TABLE "raw_none" (n VARCHAR, d VARCHAR)`);
    const staging = stagingOf(await describeStaged(conn, 'odd', 'raw_odd'), await describeStaged(conn, 'none', 'raw_none'));

    const prof = await profiling(staging, conn);
    expect(prof.tables.odd.columns['we"ird name']).toMatchObject({ distinctCount: 3, nullCount: 0 });
    expect(prof.tables.odd.columns.empty).toMatchObject({ nonNullCount: 1, nullCount: 2 });
    expect(prof.tables.none.columns.n).toMatchObject({ totalCount: 0, nullRatio: 0, cardinalityRatio: 0, topValues: [] });

    const cands = await typeCandidates(staging, conn);
    expect(cands.tables.odd.columns['Prix (€)'].best).toMatchObject({ type: 'INTEGER', format: { currency: 'EUR' } });
    expect(cands.tables.odd.columns.empty.best).toMatchObject({ type: 'VARCHAR', confidence: 1 });
    expect(cands.tables.none.columns.d.best).toMatchObject({ type: 'VARCHAR', confidence: 1 });

    const auto = autoTypeDecisions(cands, staging);
    const outcome = typeReview(auto);
    expect(outcome.items).toBeUndefined();
    const res = await typeResolution(staging, typeDecisions(auto, outcome.value!), conn);
    expect(res.tables.odd).toMatchObject({ typedRowCount: 3, quarantinedRowCount: 0 });
    expect(res.tables.none).toMatchObject({ rawRowCount: 0, typedRowCount: 0, quarantinedRowCount: 0 });
    const rows = await queryRows(conn, `SELECT "Prix (€)" AS p, "ünïcode" AS u FROM typed_odd`);
    expect(rows).toEqual([{ p: 12, u: 1 }, { p: 13, u: 2 }, { p: 14, u: 3 }]);
  });

  it('settles separator ambiguity from the table: 45.125 alone is ambiguous, beside 0.375 it is a decimal', async () => {
    await conn.run(`CREATE TABLE raw_amb AS SELECT CAST(45 + i AS VARCHAR) || '.125' AS lat FROM range(50) t(i)`);
    await conn.run(`CREATE TABLE raw_ctx AS SELECT CAST(45 + i AS VARCHAR) || '.125' AS lat, CAST(i AS VARCHAR) || '.375' AS lon FROM range(50) t(i)`);
    const staging = stagingOf(await describeStaged(conn, 'amb', 'raw_amb'), await describeStaged(conn, 'ctx', 'raw_ctx'));
    const c = await typeCandidates(staging, conn);
    expect(c.tables.amb.columns.lat.best).toMatchObject({ type: 'DOUBLE', format: { decimal: '.' } });
    expect(c.tables.amb.columns.lat.best.confidence).toBeLessThan(0.95);
    expect(c.tables.amb.columns.lat.candidates.some((x) => x.type === 'DOUBLE' && x.format.kind === 'number' && x.format.decimal === ',')).toBe(true);
    expect(c.tables.ctx.columns.lat.best).toMatchObject({ type: 'DOUBLE', format: { decimal: '.' }, confidence: 0.99 });
    expect(c.tables.ctx.columns.lat.best.notes.join(' ')).toMatch(/other numbers use decimal '\.'/);
  });

  it('keeps every digit: integers past BIGINT and long fixed-point values read exactly, a float overflow does not parse', async () => {
    await conn.run(`CREATE TABLE raw_digits AS SELECT
        CAST(12345678901234567800::HUGEINT + i AS VARCHAR) AS txn_ref,
        CAST(1234567890 + i AS VARCHAR) || '.123456789' AS exact,
        CASE WHEN i = 37 THEN '1e309' ELSE CAST(i AS VARCHAR) || '.5e3' END AS measure,
        CASE WHEN i = 41 THEN '05' ELSE CAST(i * 7 AS VARCHAR) END AS quantity
      FROM range(300) t(i)`);
    const staging = stagingOf(await describeStaged(conn, 'digits', 'raw_digits'));
    const c = (await typeCandidates(staging, conn)).tables.digits.columns;
    expect(c.txn_ref.best).toMatchObject({ type: 'DECIMAL', duckdbType: 'DECIMAL(20,0)', parseSuccessRate: 1 });
    expect(c.txn_ref.best.confidence).toBeGreaterThanOrEqual(0.95);
    expect(c.txn_ref.candidates.find((x) => x.type === 'DOUBLE')!.notes.join(' ')).toContain('DOUBLE keeps about 15 significant digits');
    expect(c.exact.best).toMatchObject({ type: 'DECIMAL', parseSuccessRate: 1 });
    expect(c.measure.best).toMatchObject({ type: 'DOUBLE', parsedCount: 299, failedExamples: [{ row: 38, value: '1e309' }] });
    // One zero-padded value among 300 quantities is a stray, not a code column.
    expect(c.quantity.best).toMatchObject({ type: 'INTEGER', parsedCount: 300 });
    expect(c.quantity.best.notes.join(' ')).toContain('1 of the 300 integer values (0.3%) have a leading zero, too few for a code column');

    const auto = autoTypeDecisions(await typeCandidates(staging, conn), staging);
    const res = await typeResolution(staging, typeDecisions(auto, typeReview(auto).value!), conn);
    expect(res.tables.digits).toMatchObject({ typedRowCount: 299, quarantinedRowCount: 1 });
    const [row] = await queryRows<{ refs: string; last: string; exact: string }>(conn,
      `SELECT count(DISTINCT txn_ref) AS refs, max(txn_ref)::VARCHAR AS last, max(exact)::VARCHAR AS exact FROM typed_digits`);
    expect(row).toEqual({ refs: '299', last: '12345678901234568099', exact: '1234568189.123456789' });
  });

  it('reads infinity written as such (a SQLite REAL, pandas\' inf) as a float value, an overflow still not', async () => {
    await conn.run(`CREATE TABLE raw_inf AS SELECT
        CASE i WHEN 3 THEN 'Infinity' WHEN 4 THEN '-Infinity' WHEN 5 THEN 'inf' WHEN 6 THEN '1e999' ELSE CAST(i AS VARCHAR) || '.25' END AS reading
      FROM range(200) t(i)`);
    const staging = stagingOf(await describeStaged(conn, 'inf', 'raw_inf'));
    const candidates = await typeCandidates(staging, conn);
    expect(candidates.tables.inf.columns.reading.best).toMatchObject({ type: 'DOUBLE', parsedCount: 199, failedExamples: [{ row: 7, value: '1e999' }] });
    const auto = autoTypeDecisions(candidates, staging);
    const res = await typeResolution(staging, typeDecisions(auto, typeReview(auto).value!), conn);
    expect(res.tables.inf).toMatchObject({ typedRowCount: 199, quarantinedRowCount: 1 });
    expect(await queryRows(conn, `SELECT reading::VARCHAR AS v FROM typed_inf WHERE NOT isfinite(reading) ORDER BY reading`)).toEqual([{ v: '-inf' }, { v: 'inf' }, { v: 'inf' }]);
  });

  it('refuses raw tables that use the quarantine column names', async () => {
    await conn.run(`CREATE TABLE raw_clash (_row_number VARCHAR)`);
    const staging = stagingOf(await describeStaged(conn, 'clash', 'raw_clash'));
    const auto = autoTypeDecisions(await typeCandidates(staging, conn), staging);
    const decisions = typeDecisions(auto, typeReview(auto).value!);
    await expect(typeResolution(staging, decisions, conn)).rejects.toThrow(/reserve/);
  });

  it('names the table and what to do when a raw table is missing', async () => {
    const staging = stagingOf({ name: 'ghost', originalName: 'ghost', rawTable: 'raw_ghost', rowCount: 0, strength: 'untyped', columns: [{ name: 'a', originalName: 'a', position: 0, rawType: 'VARCHAR' }], rejects: [], files: [] });
    await expect(typeCandidates(staging, conn)).rejects.toThrow(/raw_ghost \(table 'ghost'\) failed: [\s\S]*Check that the raw table exists/);
    await expect(profiling(staging, conn)).rejects.toThrow(/raw_ghost/);
  });
});
