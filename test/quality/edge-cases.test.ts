/**
 * Edge cases: empty tables, all-null columns, identifiers and values with quotes, nested types,
 * NaN and infinities. Every rule must be valid DuckDB and every score stay in range.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDuckDB, type DuckDBConnection } from '../../nodes/duckdb.ts';
import { qualityResults } from '../../nodes/quality/quality-results.ts';
import { qualityRules } from '../../nodes/quality/quality-rules.ts';
import { qualityScores } from '../../nodes/quality/quality-scores.ts';
import { sourceOf, typedTable } from './helpers.ts';

let conn: DuckDBConnection;
beforeAll(async () => { conn = await openDuckDB(':memory:'); });
afterAll(() => conn.closeSync());

describe('quality edge cases', () => {
  it('derives the same rules for a 250-column table, measured in batches of columns', async () => {
    // Mixed kinds so every batch holds numeric bounds, text domains and pattern counts.
    const col = (k: number) => (k % 2 ? `(i * ${k})::INTEGER AS "n${k}"` : `['a', 'b', 'c'][1 + (i + ${k}) % 3] AS "t${k}"`);
    const picked = [0, 1, 99, 100, 101, 199, 200, 248, 249];
    const wide = await typedTable(conn, 'wide', `SELECT ${Array.from({ length: 250 }, (_, k) => col(k)).join(', ')} FROM range(0, 40) t(i)`);
    const narrow = await typedTable(conn, 'narrow', `SELECT ${picked.map(col).join(', ')} FROM range(0, 40) t(i)`);
    const params = async (table: string, t: Awaited<ReturnType<typeof typedTable>>) =>
      new Map((await qualityRules(sourceOf(table, t), conn)).rules.map((r) => [r.name.slice(table.length + 1), r.parameters]));
    const [w, n] = [await params('wide', wide), await params('narrow', narrow)];
    expect(w.size).toBeGreaterThan(250);
    for (const [name, p] of n) expect(w.get(name), name).toEqual(p);
    expect(n.get('n249.range')).toMatchObject({ min: 0 });
    expect(n.get('t248.allowed_values')).toMatchObject({ values: ['a', 'b', 'c'] });
  });

  it('handles quotes in names and values, all-null and nested columns, and empty tables', async () => {
    const odd = await typedTable(conn, 'odd "table"', `
      SELECT i::INTEGER AS "the ""id""", ['O''Brien', 'd''Arc', 'plain'][1 + i % 3] AS "it's a name",
             NULL::DOUBLE AS "empty col", [i, i + 1] AS "a list", {'k': i} AS "a struct", (i * 1.5)::DOUBLE AS "x; DROP TABLE y"
      FROM range(0, 60) t(i)`);
    const empty = await typedTable(conn, 'empty', `SELECT 1::INTEGER AS id, 'a' AS label WHERE false`);
    const source = sourceOf('odd', odd, empty);
    const rules = await qualityRules(source, conn);
    const names = rules.rules.map((r) => r.name);
    expect(names).toEqual(expect.arrayContaining([`odd "table".the "id".unique`, `odd "table".it's a name.allowed_values`, `odd "table".x; DROP TABLE y.range`]));
    expect(names.some((n) => n.includes('empty col.not_null'))).toBe(false);
    expect(rules.rules.filter((r) => r.table === 'empty')).toEqual([]); // no evidence in an empty table
    const allowed = rules.rules.find((r) => r.type === 'allowed_values')!;
    expect(allowed.parameters.values).toEqual(["O'Brien", "d'Arc", 'plain']);
    expect(allowed.predicate).toBe(`"it's a name" IS NULL OR "it's a name" IN ('O''Brien', 'd''Arc', 'plain')`);

    const results = await qualityResults(rules, source, conn);
    for (const r of results.results) expect(r, r.rule).toMatchObject({ failedRecords: 0, passed: true });
    expect(results.queryCounts.empty).toEqual({ aggregate: 0, referential: 0, samples: 0 });

    const scores = await qualityScores(results, source, conn);
    const t = scores.tables['odd "table"']!;
    expect(t.columns['empty col']).toMatchObject({ completeness: 0, nullCount: 60 });
    expect(t.columns['a list']!.completeness).toBe(1);
    expect(scores.tables.empty).toMatchObject({ rowCount: 0, completeness: 1, duplicateRows: 0 });
    expect(scores.anomalies.filter((a) => a.table === 'empty')).toEqual([]);
    expect(scores.anomalies.some((a) => a.kind === 'constant_column' && a.column === 'empty col')).toBe(false);
  });

  it('counts raw values lost in typing against validity when the raw profile is given', async () => {
    // 100 raw values, 10 did not parse as numbers and became null in the typed table.
    const t = await typedTable(conn, 'typed_loss', `SELECT i::INTEGER AS row_no, CASE WHEN i % 10 = 0 THEN NULL ELSE i * 2.5 END AS reading FROM range(0, 100) t(i)`);
    const source = sourceOf('loss', t);
    const results = await qualityResults(await qualityRules(source, conn), source, conn);
    const profile = (column: string, position: number) => ({
      column, position, rawType: 'VARCHAR', totalCount: 100, nullCount: 0, nonNullCount: 100, distinctCount: 100, nullRatio: 0, cardinalityRatio: 1, minValue: null, maxValue: null, topValues: [],
    });
    const profiling = { profiledAt: new Date().toISOString(), tables: { typed_loss: { table: 'typed_loss', rawTable: 'raw_typed_loss', rowCount: 100, queryCount: 1, durationMs: 1, columns: { row_no: profile('row_no', 0), reading: profile('reading', 1) } } } };
    const without = await qualityScores(results, source, conn);
    const withProfile = await qualityScores(results, source, conn, profiling);
    expect(without.tables.typed_loss!.columns.reading!.validity).toBe(1); // its fitted range holds
    expect(withProfile.tables.typed_loss!.columns.reading!.validity).toBeCloseTo((1 + 0.9) / 2, 9);
    expect(withProfile.tables.typed_loss!.columns.row_no!.validity).toBe(1);
    expect(withProfile.tables.typed_loss!.validity).toBeLessThan(without.tables.typed_loss!.validity!);
  });

  it('fits bounds and statistics to the finite values and flags NaN and infinities', async () => {
    // 60 rows of i / 3 with NaN, inf and -inf planted; a FLOAT with one inf; a column of NaN only;
    // a span wider than the largest double (widening it would overflow).
    const t = await typedTable(conn, 'nonfinite', `
      SELECT i::INTEGER AS row_no,
             CASE i WHEN 2 THEN 'NaN'::DOUBLE WHEN 3 THEN 'inf'::DOUBLE WHEN 4 THEN '-inf'::DOUBLE ELSE i / 3 END AS reading,
             (CASE WHEN i = 5 THEN 'inf' ELSE i::VARCHAR END)::FLOAT AS level,
             'NaN'::DOUBLE AS nothing,
             CASE WHEN i % 2 = 0 THEN -1.5e308 ELSE 1.5e308 END AS extreme
      FROM range(0, 60) t(i)`);
    const source = sourceOf('nonfinite', t);
    const rules = await qualityRules(source, conn);
    for (const r of rules.rules) expect(r.predicate, r.name).not.toMatch(/NaN|Infinity|inf/);
    const reading = rules.rules.find((r) => r.name === 'nonfinite.reading.range')!;
    expect(reading.parameters).toMatchObject({ observed_min: 0, observed_max: 59 / 3 });
    expect(rules.rules.find((r) => r.name === 'nonfinite.extreme.range')?.parameters).toMatchObject({ min: -1.5e308, max: 1.5e308 });
    expect(rules.rules.some((r) => r.name === 'nonfinite.nothing.range')).toBe(false); // no finite value to fit

    const results = await qualityResults(rules, source, conn);
    const range = results.results.find((r) => r.rule === 'nonfinite.reading.range')!;
    expect(range).toMatchObject({ failedRecords: 3, passed: false });
    // to_json writes NaN bare; the samples carry DuckDB's spelling instead.
    expect(range.failureSamples.map((row) => row.reading).sort()).toEqual(['-inf', 'inf', 'nan']);

    const scores = await qualityScores(results, source, conn);
    const nonFinite = scores.anomalies.filter((a) => a.kind === 'non_finite');
    expect(nonFinite.map((a) => [a.column, a.evidence.nan, a.evidence.infinite])).toEqual([['reading', 1, 2], ['level', 0, 1], ['nothing', 60, 0]]);
    expect(scores.anomalies.some((a) => a.kind === 'outliers' && a.column === 'reading')).toBe(false); // NaN sorts above every number, yet is no outlier
    const cols = scores.tables.nonfinite!.columns;
    expect(cols.reading!.validity).toBeCloseTo(57 / 60, 9);
    for (const c of Object.values(cols)) for (const v of [c.completeness, c.validity, c.overall]) if (v !== null) expect(v).toBeGreaterThanOrEqual(0);
  });

  it('an amount rule fails NaN (which DuckDB sorts above every number) and lets +inf pass', async () => {
    const t = await typedTable(conn, 'payments', `
      SELECT i::INTEGER AS row_no, CASE i WHEN 7 THEN 'NaN'::DOUBLE WHEN 8 THEN 'inf'::DOUBLE ELSE i * 2.5 END AS amount,
             (i * 3)::DECIMAL(10,2) AS fee_amount
      FROM range(0, 40) t(i)`);
    const source = sourceOf('payments', t);
    const rules = await qualityRules(source, conn);
    expect(rules.rules.find((r) => r.name === 'payments.amount.non_negative')?.predicate).toContain('isnan');
    expect(rules.rules.find((r) => r.name === 'payments.fee_amount.non_negative')?.predicate).not.toContain('isnan');
    const results = await qualityResults(rules, source, conn);
    expect(results.results.find((r) => r.rule === 'payments.amount.non_negative')).toMatchObject({ failedRecords: 1, passed: false });
    expect(results.results.find((r) => r.rule === 'payments.fee_amount.non_negative')).toMatchObject({ failedRecords: 0, passed: true });
  });
});
