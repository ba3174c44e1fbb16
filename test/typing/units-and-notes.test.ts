/**
 * Generated CSV files staged through `staging`, then profiled, inferred and decided: prefixed
 * units are detected as themselves (kW is not W), unit letters that DuckDB would also read as an
 * interval (`21 C`: 21 centuries) stay numbers with their unit, ISO dates carry no day/month note,
 * and a review item's distinct count never exceeds its non-null count.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { queryRows, quoteIdent, type DuckDBConnection } from '../../nodes/duckdb.ts';
import { profiling } from '../../nodes/profiling/profiling.ts';
import type { ProfilingResult } from '../../nodes/profiling/types.ts';
import { sourceConfig, staging } from '../../nodes/staging/staging.ts';
import type { StagingResult } from '../../nodes/staging/types.ts';
import { autoTypeDecisions } from '../../nodes/typing/decisions.ts';
import { typeCandidates } from '../../nodes/typing/inference.ts';
import { typeResolution } from '../../nodes/typing/resolution.ts';
import { typeReview, type TypeReviewContext } from '../../nodes/typing/review.ts';
import { typeDecisions } from '../../nodes/typing/type-decisions.ts';
import type { AutoTypeDecisions, TableTypeInference } from '../../nodes/typing/types.ts';
import { stagingFixture } from '../staging/helpers.ts';

let duckdb: DuckDBConnection;
const tmp = stagingFixture((c) => (duckdb = c));

interface Inferred {
  readonly staged: StagingResult;
  readonly profiled: ProfilingResult;
  readonly auto: AutoTypeDecisions;
  readonly inferred: TableTypeInference;
}

/** Writes a CSV with one column per entry of `columns` and runs staging -> profiling -> typeCandidates -> autoTypeDecisions. */
async function infer(name: string, columns: Readonly<Record<string, readonly string[]>>): Promise<Inferred> {
  const headers = Object.keys(columns);
  const rows = Math.max(...headers.map((h) => columns[h].length));
  const lines = Array.from({ length: rows }, (_, r) => headers.map((h) => columns[h][r] ?? '').join(','));
  const path = join(tmp.dir, `${name}.csv`);
  writeFileSync(path, `${headers.join(',')}\n${lines.join('\n')}\n`);
  const staged = await staging(sourceConfig(path), duckdb);
  expect(staged.tables).toHaveLength(1);
  const profiled = await profiling(staged, duckdb);
  const candidates = await typeCandidates(staged, duckdb);
  return { staged, profiled, auto: autoTypeDecisions(candidates, staged), inferred: candidates.tables[staged.tables[0].name] };
}

/** `count` values `<i><sep><token>` with i = 1..count. */
const withUnit = (token: string, count = 30, sep = ' '): string[] => Array.from({ length: count }, (_, i) => `${i + 1}${sep}${token}`);

describe('prefixed units are detected as themselves', () => {
  // value token -> [canonical unit, quantity]
  const table: Readonly<Record<string, readonly [string, string]>> = {
    W: ['W', 'power'], kW: ['kW', 'power'], MW: ['MW', 'power'],
    Wh: ['Wh', 'energy'], kWh: ['kWh', 'energy'], MWh: ['MWh', 'energy'],
    B: ['B', 'data'], KB: ['KB', 'data'], MB: ['MB', 'data'], GB: ['GB', 'data'], TB: ['TB', 'data'],
    ms: ['ms', 'time'], s: ['s', 'time'], min: ['min', 'time'],
    km: ['km', 'length'], m: ['m', 'length'], cm: ['cm', 'length'], mm: ['mm', 'length'],
    kg: ['kg', 'mass'], g: ['g', 'mass'], mg: ['mg', 'mass'],
    ml: ['ml', 'volume'], hPa: ['hPa', 'pressure'], 'km/h': ['km/h', 'speed'],
  };

  it('from value affixes: profiling and typing agree, and the typed values are not rescaled', async () => {
    const columns = Object.fromEntries(Object.keys(table).map((token, j) => [`c${j}`, withUnit(token, 30, j % 2 === 0 ? ' ' : '')]));
    const inf = await infer('unit_values', columns);
    const profiles = inf.profiled.tables[inf.staged.tables[0].name].columns;
    Object.entries(table).forEach(([token, [unit, quantity]], j) => {
      const col = `c${j}`;
      expect(profiles[col].unit, `profiling of '${columns[col][0]}'`).toMatchObject({ unit, quantity, source: 'values' });
      expect(inf.inferred.columns[col].unit, `typing of '${columns[col][0]}'`).toMatchObject({ unit, quantity });
      expect(inf.inferred.columns[col].best, `best reading of '${columns[col][0]}'`).toMatchObject({ type: 'INTEGER', format: { unit: token }, parseSuccessRate: 1 });
    });

    const outcome = typeReview(inf.auto);
    expect(outcome.items).toBeUndefined();
    const res = await typeResolution(inf.staged, typeDecisions(inf.auto, outcome.value!), duckdb);
    const typed = await queryRows<Record<string, number>>(duckdb, `SELECT * FROM ${quoteIdent(res.tables[inf.staged.tables[0].name].typedTable)}`);
    expect(typed).toHaveLength(30);
    expect(Object.values(typed[4])).toEqual(Object.keys(table).map(() => 5));
  });

  it('from column names, including a unit written in its own case (`Power (kW)`)', async () => {
    const names: Readonly<Record<string, string>> = {
      power_kw: 'kW', 'Power (kW)': 'kW', load_mw: 'MW', output_watts: 'W', energy_kWh: 'kWh',
      size_mb: 'MB', disk_gb: 'GB', mem_kb: 'KB', file_bytes: 'B', latency_ms: 'ms', distance_km: 'km', weight_kg: 'kg',
      dose_mg: 'mg', pressure_hPa: 'hPa',
    };
    const header = Object.keys(names);
    const path = join(tmp.dir, 'unit_names.csv');
    // Quoted headers: `Power (kW)` keeps its spaces and parentheses.
    writeFileSync(path, `${header.map((h) => `"${h}"`).join(',')}\n${Array.from({ length: 20 }, (_, i) => header.map(() => String(i + 1)).join(',')).join('\n')}\n`);
    const staged = await staging(sourceConfig(path), duckdb);
    const profiled = await profiling(staged, duckdb);
    const candidates = await typeCandidates(staged, duckdb);
    const table = staged.tables[0].name;
    for (const [name, unit] of Object.entries(names)) {
      const col = staged.tables[0].columns.find((c) => c.originalName === name)!.name;
      expect(profiled.tables[table].columns[col].unit, `profiling of column '${name}'`).toMatchObject({ unit, source: 'name' });
      expect(candidates.tables[table].columns[col].unit, `typing of column '${name}'`).toMatchObject({ unit, source: 'name' });
    }
  });
});

describe('unit letters DuckDB also reads as intervals stay numbers with their unit', () => {
  it('`21 C`, `70 F`, `5 W` and `3 m` columns: numbers with °C, °F, W and m, never an INTERVAL candidate', async () => {
    const inf = await infer('temps', { celsius: withUnit('C'), fahrenheit: withUnit('F'), watts: withUnit('W'), meters: withUnit('m') });
    const expected: Readonly<Record<string, string>> = { celsius: '°C', fahrenheit: '°F', watts: 'W', meters: 'm' };
    for (const [col, unit] of Object.entries(expected)) {
      const c = inf.inferred.columns[col];
      expect(c.candidates.map((x) => x.type), col).not.toContain('INTERVAL');
      expect(c.unit, col).toMatchObject({ unit });
      expect(inf.auto.decided.find((d) => d.column === col), col).toMatchObject({ decidedType: 'INTEGER' });
    }
  });

  it('a reviewer answering INTERVAL for `21 C` gets no centuries: the values fail and are quarantined', async () => {
    // Half the values are text, so the column goes to review.
    const inf = await infer('temps_interval', { t: Array.from({ length: 20 }, (_, i) => (i % 2 === 0 ? `${i} C` : 'unknown')) });
    const itemId = `${inf.staged.tables[0].name}.t`;
    expect(inf.auto.uncertain.map((u) => u.itemId)).toEqual([itemId]);
    const res = await typeResolution(inf.staged, typeDecisions(inf.auto, { [itemId]: { decidedType: 'INTERVAL', format: { kind: 'interval' } } }), duckdb);
    expect(res.tables[inf.staged.tables[0].name]).toMatchObject({ typedRowCount: 0, quarantinedRowCount: 20 });
    expect(res.tables[inf.staged.tables[0].name].columns.t.sampleFailures[0]).toEqual({ row: 1, value: '0 C' });
  });

  it('real intervals still read as INTERVAL: `3 days`, `2 hours 5 minutes`, `2h 5m`, `1 day 02:00:00`, `30:15:00`', async () => {
    const n = 40;
    const inf = await infer('intervals', {
      days: Array.from({ length: n }, (_, i) => `${i + 1} days`),
      words: Array.from({ length: n }, (_, i) => `${(i % 5) + 1} hours ${i} minutes`),
      short: Array.from({ length: n }, (_, i) => `${(i % 5) + 1}h ${i}m`),
      mixed: Array.from({ length: n }, (_, i) => `${i} day ${String(i % 24).padStart(2, '0')}:00:00`),
      // Durations past 24 hours are no time of day.
      clock: Array.from({ length: n }, (_, i) => `${20 + i}:15:00`),
      // A time of day stays TIME: the duration reading is not worth verifying where it reads no more.
      times: Array.from({ length: n }, (_, i) => `${String(i % 24).padStart(2, '0')}:30:00`),
    });
    for (const col of ['days', 'words', 'short', 'mixed', 'clock']) {
      expect(inf.inferred.columns[col].best, col).toMatchObject({ type: 'INTERVAL', parseSuccessRate: 1 });
    }
    expect(inf.inferred.columns.times.best).toMatchObject({ type: 'TIME', parseSuccessRate: 1 });
    expect(inf.inferred.columns.times.candidates.map((c) => c.type)).not.toContain('INTERVAL');

    const outcome = typeReview(inf.auto);
    const res = await typeResolution(inf.staged, typeDecisions(inf.auto, outcome.value ?? {}), duckdb);
    const typed = await queryRows<Record<string, unknown>>(
      duckdb,
      `SELECT days::VARCHAR AS days, words::VARCHAR AS words, short::VARCHAR AS short, mixed::VARCHAR AS mixed, clock::VARCHAR AS clock FROM ${quoteIdent(res.tables[inf.staged.tables[0].name].typedTable)}`,
    );
    expect(typed[2]).toEqual({ days: '3 days', words: '03:02:00', short: '03:02:00', mixed: '2 days 02:00:00', clock: '22:15:00' });
  });
});

describe('date notes', () => {
  it('ISO %Y-%m-%d says nothing about day/month order; %d/%m/%Y still does', async () => {
    const inf = await infer('iso_dates', {
      iso: Array.from({ length: 40 }, (_, i) => `2024-${String((i % 12) + 1).padStart(2, '0')}-${String((i % 28) + 1).padStart(2, '0')}`),
      eu: Array.from({ length: 40 }, (_, i) => `${String((i % 28) + 1).padStart(2, '0')}/${String((i % 12) + 1).padStart(2, '0')}/2024`),
    });
    const iso = inf.auto.decided.find((d) => d.column === 'iso');
    expect(iso).toMatchObject({ decidedType: 'DATE', format: { strptime: '%Y-%m-%d' } });
    expect(iso!.reason).not.toMatch(/order|month-first|day-first/);
    expect(inf.inferred.columns.iso.best.notes).toEqual([]);
    expect(inf.auto.decided.find((d) => d.column === 'eu')!.reason).toMatch(/day-first order decided by the data/);
  });
});

describe('distinct counts in review hints', () => {
  /** Half integers, half text: below the decision threshold, so the column goes to review. */
  const halfNumbers = (n: number): string[] => Array.from({ length: n }, (_, i) => (i % 2 === 0 ? String(i) : `item ${i}`));

  it('a small table gives the exact count (40 distinct of 40, where HyperLogLog says 44)', async () => {
    const inf = await infer('small_distinct', { v: halfNumbers(40) });
    const [item] = typeReview(inf.auto).items!;
    const hints = (item.context as TypeReviewContext).hints;
    expect(hints).toMatchObject({ nonNullCount: 40, distinctCount: 40, distinctCountApproximate: false });
  });

  it('a large table gives an estimate, labelled, and never more than the non-null values (HyperLogLog says 39,594 of 36,000)', async () => {
    const inf = await infer('large_distinct', { v: halfNumbers(36_000) });
    const [item] = typeReview(inf.auto).items!;
    const hints = (item.context as TypeReviewContext).hints;
    expect(hints).toMatchObject({ nonNullCount: 36_000, distinctCountApproximate: true });
    expect(hints.distinctCount).toBeLessThanOrEqual(36_000);
    expect(hints.distinctCount).toBeGreaterThan(30_000);
  });
});
