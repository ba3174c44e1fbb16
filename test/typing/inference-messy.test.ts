import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDuckDB, type DuckDBConnection } from '../../nodes/duckdb.ts';
import { typeCandidates } from '../../nodes/typing/inference.ts';
import type { ColumnTypeInference, TypeCandidatesResult } from '../../nodes/typing/types.ts';
import { describeStaged, stagingOf } from '../profiling/helpers/stage-csv.ts';
import { BAD_ROW, BIG_ROWS, stageBig, stageMessy } from './helpers/messy.ts';

let conn: DuckDBConnection;
let result: TypeCandidatesResult;
const col = (name: string): ColumnTypeInference => result.tables.messy.columns[name] ?? result.tables.big.columns[name];

beforeAll(async () => {
  conn = await openDuckDB(':memory:');
  const big = await stageBig(conn);
  const messy = await stageMessy(conn);
  await conn.run(`CREATE TABLE raw_strong AS SELECT 1 AS n, 'x' AS s`);
  const strong = await describeStaged(conn, 'strong', 'raw_strong', 'strong');
  result = await typeCandidates(stagingOf(big, messy, strong), conn);
});
afterAll(() => conn?.closeSync());

describe('type inference on generated messy columns', () => {
  it('counts a single bad value at row 99,992 of 100,000 over the whole column', () => {
    const qty = col('qty');
    expect(qty.rowCount).toBe(BIG_ROWS);
    expect(qty.best.type).toBe('INTEGER');
    // '' and 'NA' are nulls, not failures: 200 of them.
    expect(qty.nonNullCount).toBe(BIG_ROWS - 200);
    expect(qty.best.failedCount).toBe(1);
    expect(qty.best.parseSuccessRate).toBeLessThan(1);
    expect(qty.best.parseSuccessRate).toBeCloseTo((BIG_ROWS - 201) / (BIG_ROWS - 200), 6);
    expect(qty.best.failedExamples).toEqual([{ row: BAD_ROW, value: 'twelve' }]);
    expect(qty.best.confidence).toBeLessThan(1);
  });

  it('reads thousands separators and decimal commas', () => {
    expect(col('us_number').best).toMatchObject({ type: 'DOUBLE', parseSuccessRate: 1, format: { kind: 'number', decimal: '.', thousands: ',' } });
    // 'amount' names money: the exact DECIMAL reading goes first.
    expect(col('amount_eu').best).toMatchObject({ type: 'DECIMAL', parseSuccessRate: 1, format: { kind: 'number', decimal: ',', thousands: '.' } });
    expect(col('amount_eu').best.notes.join(' ')).toContain("money word 'amount' in the column name: exact DECIMAL preferred");
    expect(col('fr_number').best).toMatchObject({ type: 'DOUBLE', parseSuccessRate: 1, format: { kind: 'number', decimal: ',', thousands: ' ' } });
    expect(col('comma_decimal').best).toMatchObject({ type: 'DOUBLE', parseSuccessRate: 1, format: { decimal: ',' } });
    expect(col('sparse_number').best).toMatchObject({ type: 'DOUBLE', parseSuccessRate: 1 });
    expect(col('sparse_number').nullTokenCount).toBe(200);
    expect(col('big_counts').best.type).toBe('BIGINT');
  });

  it('reads currencies ($1,234.50, 12 EUR, €12, £3.50) as exact numbers with the currency recorded', () => {
    expect(col('price_usd').best).toMatchObject({ type: 'DECIMAL', duckdbType: 'DECIMAL(9,2)', format: { currency: 'USD', thousands: ',' }, parseSuccessRate: 1 });
    expect(col('price_eur').best).toMatchObject({ type: 'INTEGER', format: { currency: 'EUR' }, parseSuccessRate: 1 });
    expect(col('price_eur_symbol').best).toMatchObject({ type: 'INTEGER', format: { currency: 'EUR' }, parseSuccessRate: 1 });
    expect(col('price_gbp').best).toMatchObject({ type: 'DECIMAL', format: { currency: 'GBP' }, parseSuccessRate: 1 });
    expect(col('price_usd').unit).toMatchObject({ unit: 'USD', quantity: 'currency' });
  });

  it('reads percentages as DOUBLE fractions', () => {
    expect(col('discount').best).toMatchObject({ type: 'DOUBLE', format: { kind: 'number', percent: true }, parseSuccessRate: 1 });
    expect(col('discount').unit?.unit).toBe('%');
  });

  it('decides day-first vs month-first from the data, and lowers confidence when ambiguous', () => {
    expect(col('day_first').best).toMatchObject({ type: 'DATE', format: { strptime: '%d/%m/%Y' }, confidence: 1 });
    expect(col('month_first').best).toMatchObject({ type: 'DATE', format: { strptime: '%m/%d/%Y' }, confidence: 1 });
    const amb = col('ambiguous_date');
    expect(amb.best).toMatchObject({ type: 'DATE', format: { strptime: '%m/%d/%Y' }, parseSuccessRate: 1 });
    expect(amb.best.confidence).toBeLessThan(0.95);
    expect(amb.candidates[1]).toMatchObject({ type: 'DATE', format: { strptime: '%d/%m/%Y' } });
    expect(col('dotted_date').best.format).toEqual({ kind: 'date', strptime: '%d.%m.%Y' });
    expect(col('slashed_iso').best.format).toEqual({ kind: 'date', strptime: '%Y/%m/%d' });
    expect(col('month_name_date').best.format).toEqual({ kind: 'date', strptime: '%b %d %Y' });
  });

  it('reads ISO timestamps with zones as TIMESTAMPTZ, without as TIMESTAMP, clock times as TIME', () => {
    expect(col('zoned').best).toMatchObject({ type: 'TIMESTAMPTZ', parseSuccessRate: 1, format: { kind: 'timestamptz', strptime: null } });
    expect(col('naive_ts').best).toMatchObject({ type: 'TIMESTAMP', parseSuccessRate: 1 });
    expect(col('clock').best).toMatchObject({ type: 'TIME', format: { strptime: '%H:%M' } });
  });

  it('reads boolean vocabularies; 1/0 only with a boolean name', () => {
    expect(col('flag_yn').best).toMatchObject({ type: 'BOOLEAN', format: { trueValues: ['y'], falseValues: ['n'] } });
    expect(col('answer').best).toMatchObject({ type: 'BOOLEAN', format: { trueValues: ['yes'], falseValues: ['no'] } });
    expect(col('tf').best.type).toBe('BOOLEAN');
    expect(col('t_f').best.type).toBe('BOOLEAN');
    expect(col('is_active').best.type).toBe('BOOLEAN');
    expect(col('quantity').best.type).toBe('INTEGER');
    expect(col('quantity').candidates.map((c) => c.type)).toContain('BOOLEAN');
  });

  it('keeps codes and identifiers as text, with the reason', () => {
    expect(col('zip').best.type).toBe('VARCHAR');
    expect(col('zip').identifier?.reason).toMatch(/leading zeros/);
    expect(col('postal_code').best.type).toBe('VARCHAR');
    expect(col('customer_id').best.type).toBe('VARCHAR');
    expect(col('customer_id').identifier?.reason).toMatch(/fixed width 6/);
    // A variable-width key stays numeric, with a note.
    expect(col('order_id').best.type).toBe('INTEGER');
    expect(col('order_id').best.notes.join(' ')).toMatch(/identifier-like/);
  });

  it('detects units from values and names, JSON, intervals and patterns', () => {
    expect(col('weight').best).toMatchObject({ type: 'DOUBLE', format: { unit: 'kg' }, parseSuccessRate: 1 });
    expect(col('weight').unit).toMatchObject({ unit: 'kg', source: 'values' });
    expect(col('temp_f').unit).toMatchObject({ unit: '°F', source: 'name' });
    expect(col('reading').best).toMatchObject({ type: 'DOUBLE', format: { unit: '°C' }, parseSuccessRate: 1 });
    expect(col('reading').unit).toMatchObject({ unit: '°C', quantity: 'temperature' });
    expect(col('speed').best).toMatchObject({ type: 'INTEGER', format: { unit: 'km/h' }, parseSuccessRate: 1 });
    expect(col('speed').unit).toMatchObject({ unit: 'km/h', quantity: 'speed' });
    expect(col('payload').best.type).toBe('JSON');
    expect(col('wait').best.type).toBe('INTERVAL');
    expect(col('email').pattern).toMatchObject({ pattern: 'email', matchRate: 1 });
    expect(col('zoned').pattern?.pattern).toBe('iso_timestamp');
    expect(col('note').best.type).toBe('VARCHAR');
  });

  it('leaves half-numeric columns uncertain and skips strong sources', () => {
    const half = col('half_numbers');
    expect(half.best.confidence).toBeLessThanOrEqual(0.5);
    expect(half.best.failedExamples.slice(0, 2)).toEqual([{ row: 2, value: 'item 1' }, { row: 4, value: 'item 3' }]);
    expect(result.tables.strong).toBeUndefined();
  });

  it('rejects invalid options with the field name', async () => {
    await expect(typeCandidates(stagingOf(), conn, { minCandidateRate: 2 })).rejects.toThrow(/minCandidateRate/);
  });
});
