/**
 * Negative numbers as accounting and ERP exports write them: `(1,234.50)`, `($5.00)`, `(5,00 €)`,
 * a trailing minus `1234,50-`, and the typographic minus U+2212. CSV files staged through
 * `staging`, then profiled, inferred, decided and resolved; the typed values must carry the sign.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { queryRows, type DuckDBConnection } from '../../nodes/duckdb.ts';
import { profiling } from '../../nodes/profiling/profiling.ts';
import { sourceConfig, staging } from '../../nodes/staging/staging.ts';
import { autoTypeDecisions } from '../../nodes/typing/decisions.ts';
import { describeFormat } from '../../nodes/typing/formats.ts';
import { typeCandidates } from '../../nodes/typing/inference.ts';
import { typeResolution } from '../../nodes/typing/resolution.ts';
import { typeReview } from '../../nodes/typing/review.ts';
import { typeDecisions } from '../../nodes/typing/type-decisions.ts';
import { stagingFixture } from '../staging/helpers.ts';

let duckdb: DuckDBConnection;
const tmp = stagingFixture((c) => (duckdb = c));

/** Writes `name.csv` and runs the ingest typing steps on it; returns candidates and resolution. */
async function ingest(name: string, lines: readonly string[]) {
  const path = join(tmp.dir, `${name}.csv`);
  writeFileSync(path, `${lines.join('\n')}\n`);
  const staged = await staging(sourceConfig(path), duckdb);
  await profiling(staged, duckdb);
  const cands = await typeCandidates(staged, duckdb);
  const auto = autoTypeDecisions(cands, staged);
  const outcome = typeReview(auto);
  expect(outcome.items, 'no column should need a review').toBeUndefined();
  const resolved = await typeResolution(staged, typeDecisions(auto, outcome.value!), duckdb);
  return { columns: cands.tables[name].columns, resolved: resolved.tables[name] };
}

/** Amount `i` (cents) as the five styles write it; every third one negative. */
function amounts(i: number): { cents: number; cells: string[] } {
  const cents = 100 + i * 1379;
  const neg = i % 3 === 1;
  const units = Math.floor(cents / 100).toLocaleString('en-US');
  const frac = String(cents % 100).padStart(2, '0');
  const plainComma = `${Math.floor(cents / 100)},${frac}`;
  const us = `${units}.${frac}`;
  return {
    cents: neg ? -cents : cents,
    cells: [
      `"${neg ? `(${us})` : us}"`,
      `"${neg ? `($${us})` : `$${us}`}"`,
      `"${neg ? `(${plainComma} €)` : `${plainComma} €`}"`,
      `"${plainComma}${neg ? '-' : ''}"`,
      `${neg ? '\u2212' : ''}${Math.floor(cents / 100)}.${frac}`,
    ],
  };
}

describe('negative numbers in accounting notation', () => {
  it('reads parentheses, trailing minus and U+2212 as negatives, with the style in the format', async () => {
    const lines = ['id,balance,amount_usd,amount_eur,sap_amount,typeset,phone'];
    let total = 0;
    for (let i = 0; i < 300; i++) {
      const { cents, cells } = amounts(i);
      total += cents;
      lines.push([String(i), ...cells, `"(555) ${1000000 + i}"`].join(','));
    }
    const { columns, resolved } = await ingest('ledger', lines);

    expect(columns.balance.best).toMatchObject({ type: 'DECIMAL', parseSuccessRate: 1, format: { decimal: '.', thousands: ',', negative: 'parentheses' } });
    expect(columns.balance.best.notes.join(' ')).toContain('negatives in parentheses: (1,234.50) reads as -1234.50 (100 value(s))');
    expect(columns.amount_usd.best).toMatchObject({ type: 'DECIMAL', parseSuccessRate: 1, format: { currency: 'USD', negative: 'parentheses' } });
    expect(columns.amount_eur.best).toMatchObject({ type: 'DECIMAL', parseSuccessRate: 1, format: { decimal: ',', currency: 'EUR', negative: 'parentheses' } });
    expect(columns.sap_amount.best).toMatchObject({ parseSuccessRate: 1, format: { decimal: ',', negative: 'trailing' } });
    // U+2212 is always a minus sign: no style to record.
    expect(columns.typeset.best).toMatchObject({ type: 'DOUBLE', parseSuccessRate: 1 });
    expect(columns.typeset.best.format).not.toHaveProperty('negative');
    // Digits outside the parentheses are no accounting negative: `(555) 1000042` is a phone number.
    expect(columns.phone.best.type).toBe('VARCHAR');
    expect(describeFormat(columns.sap_amount.best.format)).toMatch(/^number \(decimal ',', .*trailing minus\)$/);

    expect(resolved).toMatchObject({ typedRowCount: 300, quarantinedRowCount: 0 });
    const [sums] = await queryRows<Record<string, number>>(duckdb, `SELECT
        round(sum(balance) * 100)::INTEGER AS balance, round(sum(amount_usd) * 100)::INTEGER AS usd,
        round(sum(amount_eur) * 100)::INTEGER AS eur, round(sum(sap_amount) * 100)::INTEGER AS sap,
        round(sum(typeset) * 100)::INTEGER AS typeset, count(*) FILTER (WHERE balance < 0)::INTEGER AS negatives
      FROM typed_ledger`);
    expect(sums).toEqual({ balance: total, usd: total, eur: total, sap: total, typeset: total, negatives: 100 });
  });

  it('finds a single accounting negative far beyond the survey sample (100,000 rows)', async () => {
    const lines = ['entry,amount'];
    for (let i = 0; i < 100_000; i++) lines.push(`${i},"${i === 99_991 ? '(1,250.00)' : `${(i % 5000).toLocaleString('en-US')}.${String(i % 100).padStart(2, '0')}`}"`);
    const { columns, resolved } = await ingest('journal', lines);
    expect(columns.amount.best).toMatchObject({ type: 'DECIMAL', parseSuccessRate: 1, failedCount: 0, format: { thousands: ',', negative: 'parentheses' } });
    expect(resolved).toMatchObject({ typedRowCount: 100_000, quarantinedRowCount: 0 });
    const rows = await queryRows(duckdb, 'SELECT entry, amount::VARCHAR AS amount FROM typed_journal WHERE amount < 0');
    expect(rows).toEqual([{ entry: 99_991, amount: '-1250.00' }]);
  });

  it('a value that is not a number in any style still fails, with its row', async () => {
    const lines = ['k,v'];
    for (let i = 0; i < 200; i++) lines.push(`${i},"${i === 150 ? '(12) (13)' : i === 160 ? '(-5)' : i % 4 === 0 ? `(${i}.5)` : `${i}.5`}"`);
    const path = join(tmp.dir, 'odd.csv');
    writeFileSync(path, `${lines.join('\n')}\n`);
    const staged = await staging(sourceConfig(path), duckdb);
    const cands = await typeCandidates(staged, duckdb);
    expect(cands.tables.odd.columns.v.best).toMatchObject({
      type: 'DOUBLE', parsedCount: 198, failedCount: 2, format: { negative: 'parentheses' },
      failedExamples: [{ row: 151, value: '(12) (13)' }, { row: 161, value: '(-5)' }],
    });
  });
});
