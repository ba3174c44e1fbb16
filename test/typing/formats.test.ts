import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDuckDB, queryRows, type DuckDBConnection } from '../../nodes/duckdb.ts';
import { SqlParams } from '../../nodes/profiling/sql-params.ts';
import { nameTokens, unitFromName } from '../../nodes/profiling/units.ts';
import { cleanedValue, parseExpression } from '../../nodes/typing/formats.ts';
import type { ValueFormat } from '../../nodes/typing/types.ts';

let conn: DuckDBConnection;
beforeAll(async () => { conn = await openDuckDB(':memory:'); });
afterAll(() => conn?.closeSync());

/** Reads `value` through exactly the SQL inference counts and resolution casts with. */
async function read(value: string, type: string, format: ValueFormat): Promise<unknown> {
  const p = new SqlParams();
  const v = cleanedValue(`CAST(${p.bind(value)} AS VARCHAR)`, ['', 'NA'], p);
  const [row] = await queryRows<{ x: unknown }>(conn, `SELECT CAST(${parseExpression(v, type, format, p)} AS VARCHAR) AS x`, p.values);
  return row.x;
}

const usd: ValueFormat = { kind: 'number', decimal: '.', thousands: ',', currency: 'USD' };
const eur: ValueFormat = { kind: 'number', decimal: ',', thousands: '.', currency: 'EUR' };
const plain: ValueFormat = { kind: 'number', decimal: '.', thousands: '' };

describe('value formats read in DuckDB', () => {
  it.each([
    ['$1,234.50', 'DOUBLE', usd, '1234.5'],
    ['-$1,234.50', 'DOUBLE', usd, '-1234.5'],
    ['$-5', 'DOUBLE', usd, '-5.0'],
    ['USD 12', 'INTEGER', usd, '12'],
    ['1,234.50 USD', 'DECIMAL(8,2)', usd, '1234.50'],
    ['€5', 'DOUBLE', usd, null],
    ['1,23,4', 'DOUBLE', usd, null],
    ['1.234,56 €', 'DOUBLE', eur, '1234.56'],
    ['€ 12,5', 'DOUBLE', eur, '12.5'],
    ['1 234,56', 'DOUBLE', { kind: 'number', decimal: ',', thousands: ' ' }, '1234.56'],
    ['1\u00a0234,56', 'DOUBLE', { kind: 'number', decimal: ',', thousands: ' ' }, '1234.56'],
    ['1\u202f234', 'INTEGER', { kind: 'number', decimal: ',', thousands: ' ' }, '1234'],
    ["1'234.5", 'DOUBLE', { kind: 'number', decimal: '.', thousands: "'" }, '1234.5'],
  ] as const)('number %s as %s', async (value, type, format, expected) => {
    expect(await read(value, type, format)).toBe(expected);
  });

  it('is strict where DuckDB casts are lenient', async () => {
    // DuckDB's own TRY_CAST('1.5' AS INTEGER) rounds to 2 and reads hex and underscores.
    expect(await read('1.5', 'INTEGER', plain)).toBeNull();
    expect(await read('0x1F', 'INTEGER', plain)).toBeNull();
    expect(await read('1_000', 'INTEGER', plain)).toBeNull();
    expect(await read('+7', 'INTEGER', plain)).toBe('7');
    expect(await read('1e3', 'INTEGER', plain)).toBeNull();
    expect(await read('1e3', 'DOUBLE', plain)).toBe('1000.0');
    expect(await read('nan', 'DOUBLE', plain)).toBeNull();
    // Infinity written as such is a float's value (a SQLite REAL, pandas' CSV); an overflow is not.
    expect(await read('inf', 'DOUBLE', plain)).toBe('inf');
    expect(await read('-Infinity', 'DOUBLE', plain)).toBe('-inf');
    expect(await read('1e999', 'DOUBLE', plain)).toBeNull();
    expect(await read('inf', 'INTEGER', plain)).toBeNull();
    expect(await read('3000000000', 'INTEGER', plain)).toBeNull();
    expect(await read('3000000000', 'BIGINT', plain)).toBe('3000000000');
    // A zone is never dropped silently: an offset makes a value fail as TIMESTAMP.
    expect(await read('2020-01-01T10:00:00+02:00', 'TIMESTAMP', { kind: 'timestamp', strptime: null })).toBeNull();
    expect(await read('2020-01-01', 'TIMESTAMP', { kind: 'timestamp', strptime: null })).toBe('2020-01-01 00:00:00');
  });

  it('reads percentages as fractions, requiring the % sign', async () => {
    const pct: ValueFormat = { kind: 'number', decimal: '.', thousands: '', percent: true };
    expect(await read('45%', 'DOUBLE', pct)).toBe('0.45');
    expect(await read('45 %', 'DOUBLE', pct)).toBe('0.45');
    expect(await read('45', 'DOUBLE', pct)).toBeNull();
    expect(await read('12,5%', 'DOUBLE', { kind: 'number', decimal: ',', thousands: '', percent: true })).toBe('0.125');
  });

  it('strips a unit suffix', async () => {
    const kg: ValueFormat = { kind: 'number', decimal: '.', thousands: '', unit: 'kg' };
    expect(await read('12.5 kg', 'DOUBLE', kg)).toBe('12.5');
    expect(await read('12.5kg', 'DOUBLE', kg)).toBe('12.5');
    expect(await read('12.5', 'DOUBLE', kg)).toBe('12.5');
    expect(await read('12.5 lb', 'DOUBLE', kg)).toBeNull();
  });

  it('reads booleans, dates, zoned timestamps, times, JSON and intervals', async () => {
    const yn: ValueFormat = { kind: 'boolean', trueValues: ['y'], falseValues: ['n'] };
    expect(await read('Y', 'BOOLEAN', yn)).toBe('true');
    expect(await read('n', 'BOOLEAN', yn)).toBe('false');
    expect(await read('maybe', 'BOOLEAN', yn)).toBeNull();
    expect(await read('31/12/2020', 'DATE', { kind: 'date', strptime: '%d/%m/%Y' })).toBe('2020-12-31');
    expect(await read('12/31/2020', 'DATE', { kind: 'date', strptime: '%d/%m/%Y' })).toBeNull();
    expect(await read('2020-01-01T10:00:00+02:00', 'TIMESTAMPTZ', { kind: 'timestamptz', strptime: null })).toBe('2020-01-01 08:00:00+00');
    expect(await read('2020-01-01T10:00:00Z', 'TIMESTAMPTZ', { kind: 'timestamptz', strptime: null })).toBe('2020-01-01 10:00:00+00');
    expect(await read('2020-01-01 10:00:00', 'TIMESTAMPTZ', { kind: 'timestamptz', strptime: null })).toBeNull();
    expect(await read('09:30', 'TIME', { kind: 'time', strptime: '%H:%M' })).toBe('09:30:00');
    expect(await read('25:00', 'TIME', { kind: 'time', strptime: '%H:%M' })).toBeNull();
    expect(await read('{"a":1}', 'JSON', { kind: 'json' })).toBe('{"a":1}');
    expect(await read('12', 'JSON', { kind: 'json' })).toBeNull();
    expect(await read('3 days', 'INTERVAL', { kind: 'interval' })).toBe('3 days');
    expect(await read('5', 'INTERVAL', { kind: 'interval' })).toBeNull();
  });

  it('trims values and reads empties and null tokens as NULL', async () => {
    expect(await read('  NA ', 'INTEGER', plain)).toBeNull();
    expect(await read(' 5 ', 'INTEGER', plain)).toBe('5');
    expect(await read('', 'DATE', { kind: 'date', strptime: '%Y-%m-%d' })).toBeNull();
  });
});

describe('units from column names', () => {
  it('reads unit tokens, single letters only next to their quantity', () => {
    expect(nameTokens('weightKg')).toEqual(['weight', 'kg']);
    expect(nameTokens('Cost Total $')).toEqual(['cost', 'total', '$']);
    expect(nameTokens('ünïcode_Größe')).toEqual(['ünïcode', 'größe']);
    expect(unitFromName('weight_kg')).toMatchObject({ unit: 'kg', quantity: 'mass', source: 'name' });
    expect(unitFromName('temp_f')).toMatchObject({ unit: '°F' });
    expect(unitFromName('temperature_c')).toMatchObject({ unit: '°C' });
    expect(unitFromName('grade_f')).toBeUndefined();
    expect(unitFromName('f')).toBeUndefined();
    expect(unitFromName('distance_km')).toMatchObject({ unit: 'km' });
    expect(unitFromName('speed_mph')).toMatchObject({ unit: 'mph', quantity: 'speed' });
    expect(unitFromName('habitat_pct')).toMatchObject({ unit: '%' });
    expect(unitFromName('temp_min')).toBeUndefined();
    expect(unitFromName('Speed IAS in knots')).toMatchObject({ unit: 'kn' });
  });
});
