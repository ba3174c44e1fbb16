import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDuckDB, queryRows, type DuckDBConnection } from '../../nodes/duckdb.ts';
import type { StagingResult } from '../../nodes/staging/types.ts';
import { autoTypeDecisions } from '../../nodes/typing/decisions.ts';
import { typeCandidates } from '../../nodes/typing/inference.ts';
import { typeResolution } from '../../nodes/typing/resolution.ts';
import { applyReviewAnswers } from '../../nodes/typing/review-answers.ts';
import type { TypeDecisions, TypeResolutionResult } from '../../nodes/typing/types.ts';
import { describeStaged, stagingOf } from '../profiling/helpers/stage-csv.ts';
import { BAD_ROW, BIG_ROWS, stageBig, stageMessy } from './helpers/messy.ts';

let conn: DuckDBConnection;
let staging: StagingResult;
let decisions: TypeDecisions;
let result: TypeResolutionResult;

const one = async <T = Record<string, unknown>>(sql: string): Promise<T> => (await queryRows<T>(conn, sql))[0];
const count = async (table: string): Promise<number> => Number((await one<{ n: string }>(`SELECT count(*) AS n FROM ${table}`)).n);

beforeAll(async () => {
  conn = await openDuckDB(':memory:');
  await conn.run(`CREATE TABLE raw_strong AS SELECT CAST(i AS BIGINT) AS id, 'x' || CAST(i AS VARCHAR) AS s FROM range(10) t(i)`);
  staging = stagingOf(await stageBig(conn), await stageMessy(conn), await describeStaged(conn, 'strong', 'raw_strong', 'strong'));
  const auto = autoTypeDecisions(await typeCandidates(staging, conn), staging);
  // A reviewer: accepts the ambiguous date, forces the half-numeric column to INTEGER (half its rows fail).
  decisions = applyReviewAnswers(auto, auto.uncertain.map((u) => u.itemId === 'messy.half_numbers'
    ? { itemId: u.itemId, action: 'override' as const, decidedType: 'INTEGER', reason: 'numbers expected', decidedBy: 'test' }
    : { itemId: u.itemId, action: 'accept' as const, decidedBy: 'test' }));
  result = await typeResolution(staging, decisions, conn);
});
afterAll(() => conn?.closeSync());

describe('typeResolution', () => {
  it('loses and duplicates no row: typed + quarantined = raw, per table', async () => {
    for (const t of Object.values(result.tables)) {
      const raw = await count(t.rawTable);
      const typed = await count(t.typedTable);
      const quarantined = await count(t.quarantineTable);
      expect(typed + quarantined).toBe(raw);
      expect(t.rawRowCount).toBe(raw);
      expect(t.typedRowCount).toBe(typed);
      expect(t.quarantinedRowCount).toBe(quarantined);
      const dup = await one<{ n: string }>(`SELECT count(*) - count(DISTINCT _row_number) AS n FROM ${t.quarantineTable}`);
      expect(Number(dup.n)).toBe(0);
    }
    expect(result.tables.big.rawRowCount).toBe(BIG_ROWS);
  });

  it('quarantines exactly the failing rows, with their raw values and failing columns', async () => {
    expect(result.tables.big.quarantinedRowCount).toBe(1);
    const q = await queryRows<{ _row_number: string; qty: string; zip: string; amount_eu: string; _failed_columns: string[] }>(conn, `SELECT * FROM quarantine_big`);
    const raw = await one<{ qty: string; zip: string; amount_eu: string }>(`SELECT * FROM raw_big WHERE rowid = ${BAD_ROW - 1}`);
    expect(q).toEqual([{ _row_number: String(BAD_ROW), qty: 'twelve', zip: raw.zip, amount_eu: raw.amount_eu, note: expect.anything(), _failed_columns: ['qty'] }]);
    expect(result.tables.big.columns.qty).toMatchObject({ failureCount: 1, sampleFailures: [{ row: BAD_ROW, value: 'twelve' }], resolvedType: 'INTEGER' });

    // Independent check on the manual INTEGER override: the odd rows ('item N') fail.
    const expected = await queryRows<{ rn: string }>(conn, `SELECT CAST(rowid + 1 AS VARCHAR) AS rn FROM raw_messy WHERE NOT regexp_full_match(half_numbers, '[0-9]+') ORDER BY rowid`);
    const got = await queryRows<{ rn: string; f: string[]; v: string }>(conn, `SELECT CAST(_row_number AS VARCHAR) AS rn, _failed_columns AS f, half_numbers AS v FROM quarantine_messy ORDER BY _row_number`);
    expect(got.map((r) => r.rn)).toEqual(expected.map((r) => r.rn));
    expect(got[0]).toEqual({ rn: '2', f: ['half_numbers'], v: 'item 1' });
    expect(result.tables.messy.columns.half_numbers).toMatchObject({ successCount: 1000, failureCount: 1000, successRate: 0.5 });
  });

  it('reads NULL, empty and null-token values as NULL, not failures', async () => {
    const nulls = await one<{ n: string }>(`SELECT count(*) AS n FROM typed_big WHERE qty IS NULL`);
    expect(Number(nulls.n)).toBe(200);
    expect(result.tables.big.columns.qty).toMatchObject({ nullCount: 200, successCount: BIG_ROWS - 201, failureCount: 1 });
    expect(result.tables.messy.columns.sparse_number).toMatchObject({ nullCount: 400, failureCount: 0 });
  });

  it('casts with the decided formats', async () => {
    const types = Object.fromEntries((await queryRows<{ column_name: string; column_type: string }>(conn, 'DESCRIBE typed_messy')).map((r) => [r.column_name, r.column_type]));
    expect(types).toMatchObject({
      us_number: 'DOUBLE', price_usd: 'DECIMAL(9,2)', price_eur: 'INTEGER', discount: 'DOUBLE', day_first: 'DATE', ambiguous_date: 'DATE',
      zoned: 'TIMESTAMP WITH TIME ZONE', naive_ts: 'TIMESTAMP', clock: 'TIME', flag_yn: 'BOOLEAN', is_active: 'BOOLEAN', quantity: 'INTEGER',
      postal_code: 'VARCHAR', customer_id: 'VARCHAR', weight: 'DOUBLE', payload: 'JSON', wait: 'INTERVAL', big_counts: 'BIGINT', half_numbers: 'INTEGER',
    });
    const row = await one<Record<string, unknown>>(`SELECT us_number, fr_number, price_usd, price_eur_symbol, price_gbp, discount, CAST(day_first AS VARCHAR) AS day_first,
      CAST(month_first AS VARCHAR) AS month_first, CAST(zoned AS VARCHAR) AS zoned, flag_yn, answer, is_active, weight, comma_decimal FROM typed_messy LIMIT 1 OFFSET 7`);
    // Odd rows are quarantined (half_numbers), so typed row 8 is i = 14: 14 * 1.5 + 1000 = 1021; 14 * 10.5 + 999 = 1146;
    // 14% -> 0.14; 2021-01-01 + 14 days; 05:06:07 + 14 * 37 min, written with 'Z'.
    expect(row).toEqual({
      us_number: 1021, fr_number: 1021, price_usd: '1146.00', price_eur_symbol: 14, price_gbp: '1.75', discount: 0.14,
      day_first: '2021-01-15', month_first: '2021-01-15', zoned: '2022-03-04 13:44:07+00', flag_yn: false, answer: false, is_active: true, weight: 1.4, comma_decimal: 12.5,
    });
    const eu = await one<{ a: string; r: string }>(`SELECT (SELECT amount_eu::VARCHAR FROM typed_big LIMIT 1 OFFSET 1000) AS a, (SELECT amount_eu FROM raw_big WHERE rowid = 1000) AS r`);
    expect(eu.r).toBe('13.370,00');
    expect(eu.a).toBe('13370.00');
    const types2 = Object.fromEntries((await queryRows<{ column_name: string; column_type: string }>(conn, 'DESCRIBE typed_big')).map((r) => [r.column_name, r.column_type]));
    expect(types2).toEqual({ qty: 'INTEGER', amount_eu: 'DECIMAL(11,2)', zip: 'VARCHAR', note: 'VARCHAR' });
    // Codes keep their leading zeros.
    expect((await one<{ z: string }>(`SELECT zip AS z FROM typed_big LIMIT 1`)).z).toBe('00000');
  });

  it('keeps strong sources as they are and reports resolved types', async () => {
    expect(result.tables.strong).toMatchObject({ typedRowCount: 10, quarantinedRowCount: 0 });
    expect(result.tables.strong.columns.id).toMatchObject({ resolvedType: 'BIGINT', successCount: 10, failureCount: 0 });
    const q = Object.fromEntries((await queryRows<{ column_name: string; column_type: string }>(conn, 'DESCRIBE quarantine_strong')).map((r) => [r.column_name, r.column_type]));
    expect(q).toEqual({ _row_number: 'BIGINT', id: 'BIGINT', s: 'VARCHAR', _failed_columns: 'VARCHAR[]' });
  });

  it('re-reads a strong column through a text format when a reviewer overrides it', async () => {
    const strongStaging = stagingOf(staging.tables.find((t) => t.name === 'strong')!);
    const overridden = { decisions: decisions.decisions.filter((d) => d.table === 'strong').map((d) => (d.column === 'id'
      ? { ...d, decidedType: 'DOUBLE', format: { kind: 'number' as const, decimal: '.' as const, thousands: '' as const }, decisionSource: 'manual' as const }
      : d)) };
    const r = await typeResolution(strongStaging, overridden, conn);
    expect(r.tables.strong.columns.id).toMatchObject({ resolvedType: 'DOUBLE', successCount: 10, failureCount: 0 });
  });

  it('is repeatable and refuses incomplete or invalid decisions without touching tables', async () => {
    const again = await typeResolution(staging, decisions, conn);
    expect(again.tables.messy.quarantinedRowCount).toBe(result.tables.messy.quarantinedRowCount);
    const partial = { decisions: decisions.decisions.filter((d) => d.column !== 'qty') };
    await expect(typeResolution(staging, partial, conn)).rejects.toThrow(/no type decision for big\.qty/);
    const invalid = { decisions: decisions.decisions.map((d) => (d.column === 'qty' ? { ...d, decidedType: 'DATE' } : d)) };
    await expect(typeResolution(staging, invalid, conn)).rejects.toThrow(/cannot produce DATE/);
    expect(await count('typed_big')).toBe(BIG_ROWS - 1);
  });
});
