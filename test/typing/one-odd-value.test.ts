/**
 * Generated CSV files staged through `staging`, then profiled, inferred and decided: a column's
 * reading must come from the whole column, and a single odd value must neither swap day and month,
 * nor drop the leading zeros of codes, nor hide that a column is boolean. Files above the survey
 * sample (10,000 rows) go through the sampled survey and the shape pass.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { queryRows, quoteIdent, type DuckDBConnection } from '../../nodes/duckdb.ts';
import { profiling } from '../../nodes/profiling/profiling.ts';
import { sourceConfig, staging } from '../../nodes/staging/staging.ts';
import type { StagingResult } from '../../nodes/staging/types.ts';
import { autoTypeDecisions } from '../../nodes/typing/decisions.ts';
import { typeCandidates } from '../../nodes/typing/inference.ts';
import { typeResolution } from '../../nodes/typing/resolution.ts';
import { typeReview } from '../../nodes/typing/review.ts';
import { typeDecisions } from '../../nodes/typing/type-decisions.ts';
import type { AutoTypeDecisions, ColumnTypeInference } from '../../nodes/typing/types.ts';
import { stagingFixture } from '../staging/helpers.ts';

let duckdb: DuckDBConnection;
const tmp = stagingFixture((c) => (duckdb = c));

/** 1-based data row (= file line 99,993 after the header) of the odd value in the 100,000-row files. */
const ODD_ROW = 99_992;

interface Inferred {
  readonly staged: StagingResult;
  readonly auto: AutoTypeDecisions;
  readonly column: ColumnTypeInference;
}

/** Writes a one-column CSV of `values` and runs staging -> profiling -> typeCandidates -> autoTypeDecisions. */
async function infer(name: string, header: string, values: readonly string[]): Promise<Inferred> {
  const path = join(tmp.dir, `${name}.csv`);
  writeFileSync(path, `${header}\n${values.join('\n')}\n`);
  const staged = await staging(sourceConfig(path), duckdb);
  expect(staged.tables).toHaveLength(1);
  await profiling(staged, duckdb);
  const candidates = await typeCandidates(staged, duckdb);
  const table = staged.tables[0].name;
  return { staged, auto: autoTypeDecisions(candidates, staged), column: candidates.tables[table].columns[header] };
}

function decided(auto: AutoTypeDecisions, column: string) {
  const d = auto.decided.find((x) => x.column === column);
  expect(d, `${column} decided automatically (uncertain: ${auto.uncertain.map((u) => u.itemId).join(', ')})`).toBeDefined();
  return d!;
}

/** Applies the automatic decisions and returns `typed_<table>`'s rows in file order, with the resolution. */
async function resolve({ staged, auto }: Inferred) {
  const outcome = typeReview(auto);
  expect(outcome.items).toBeUndefined();
  const res = await typeResolution(staged, typeDecisions(auto, outcome.value!), duckdb);
  const table = res.tables[staged.tables[0].name];
  return { table, typed: await queryRows(duckdb, `SELECT * FROM ${quoteIdent(table.typedTable)}`) };
}

const two = (x: number): string => String(x).padStart(2, '0');
/** Day-first dates whose day and month are both <= 12, except `25/03/2024` at data row `oddRow`. */
function dayFirstDates(rows: number, oddRow: number | undefined): string[] {
  return Array.from({ length: rows }, (_, i) => (i === (oddRow ?? 0) - 1 ? '25/03/2024' : `${two((i % 12) + 1)}/${two((Math.floor(i / 12) % 12) + 1)}/${2000 + (i % 25)}`));
}

describe('day-first vs month-first is decided over the whole column', () => {
  it('one day above 12 at row 99,992 of 100,000 decides %d/%m/%Y, as it does in 5,000 rows', async () => {
    const big = await infer('dates_big', 'd', dayFirstDates(100_000, ODD_ROW));
    expect(big.column.rowCount).toBe(100_000);
    expect(decided(big.auto, 'd')).toMatchObject({ decidedType: 'DATE', format: { kind: 'date', strptime: '%d/%m/%Y' }, confidence: 1 });
    expect(big.column.best.notes.join(' ')).toMatch(/day-first order decided by the data/);
    expect(big.column.best.notes.join(' ')).not.toMatch(/ambiguous/);
    const monthFirst = big.column.candidates.find((c) => c.format.kind === 'date' && c.format.strptime === '%m/%d/%Y');
    expect(monthFirst).toMatchObject({ parsedCount: 99_999, failedCount: 1, failedExamples: [{ row: ODD_ROW, value: '25/03/2024' }] });
    expect(monthFirst!.notes.join(' ')).toMatch(/%d\/%m\/%Y reads 1 more value/);

    const small = await infer('dates_small', 'd', dayFirstDates(5_000, 4_992));
    expect(decided(small.auto, 'd')).toMatchObject({ decidedType: 'DATE', format: { strptime: '%d/%m/%Y' }, confidence: 1 });
  });

  it('a large column with no field above 12 anywhere stays ambiguous and goes to review', async () => {
    const amb = await infer('dates_ambiguous', 'd', dayFirstDates(20_000, undefined));
    expect(amb.auto.uncertain.map((u) => u.column)).toEqual(['d']);
    expect(amb.column.best).toMatchObject({ format: { strptime: '%m/%d/%Y' }, parseSuccessRate: 1 });
    expect(amb.column.best.confidence).toBeLessThan(0.95);
    expect(amb.column.best.notes.join(' ')).toMatch(/ambiguous day\/month order: no first or second field above 12/);
    expect(amb.column.candidates[1]).toMatchObject({ format: { strptime: '%d/%m/%Y' }, parseSuccessRate: 1 });
  });
});

describe('a two-digit year never reads as a four-digit-year date', () => {
  it("one '25/03/24' at row 99,992 of 100,000 four-digit-year dates fails %d/%m/%Y instead of becoming year 0024", async () => {
    const big = await infer('years_big', 'd', dayFirstDates(100_000, 17).map((d, i) => (i === ODD_ROW - 1 ? '25/03/24' : d)));
    expect(big.column.best).toMatchObject({ format: { strptime: '%d/%m/%Y' }, failedCount: 1, failedExamples: [{ row: ODD_ROW, value: '25/03/24' }] });
    const { table, typed } = await resolve(big);
    expect(table).toMatchObject({ quarantinedRowCount: 1, typedRowCount: 99_999 });
    expect(typed).toHaveLength(99_999);
    const [years] = await queryRows(duckdb, `SELECT min(year(d))::INTEGER AS first, max(year(d))::INTEGER AS last FROM ${quoteIdent(table.typedTable)}`);
    expect(years).toEqual({ first: 2000, last: 2024 });
  });

  it('two-digit years read with %y, as 19xx/20xx', async () => {
    const inf = await infer('years_short', 'd', Array.from({ length: 300 }, (_, i) => `${two((i % 28) + 1)}/${two((i % 12) + 1)}/${two(i % 100)}`));
    expect(decided(inf.auto, 'd')).toMatchObject({ decidedType: 'DATE', format: { strptime: '%d/%m/%y' } });
    const { typed } = await resolve(inf);
    expect(String(typed[99].d)).toMatch(/^1999-04-16/);
  });
});

describe('the decimal separator is decided over the whole column', () => {
  // '1.234' reads as 1.234 (decimal '.') and as 1234 (thousands '.', decimal ','); the sample cannot tell.
  const grouped = (i: number): string => `${(i % 9) + 1}.${String((i * 37) % 1000).padStart(3, '0')}`;

  it("one '1.234,5' at row 99,992 of 100,000 decides decimal ','", async () => {
    const big = await infer('amounts_big', 'amount', Array.from({ length: 100_000 }, (_, i) => (i === ODD_ROW - 1 ? '"7.654,5"' : grouped(i))));
    const d = decided(big.auto, 'amount');
    expect(d).toMatchObject({ decidedType: 'DOUBLE', format: { kind: 'number', decimal: ',', thousands: '.' } });
    expect(big.column.best.notes.join(' ')).toMatch(/decimal ',' decided by the data: reads 1 more value\(s\) than decimal '\.'/);
    expect(big.column.best.notes.join(' ')).not.toMatch(/ambiguous|alternative/);
    const { typed } = await resolve(big);
    expect(typed[ODD_ROW - 1]).toEqual({ amount: 7654.5 });
    expect(typed[0]).toEqual({ amount: 1000 });
  });

  it('without such a value the column stays ambiguous and goes to review', async () => {
    const big = await infer('amounts_tied', 'amount', Array.from({ length: 20_000 }, (_, i) => grouped(i)));
    expect(big.auto.uncertain.map((u) => u.itemId)).toEqual([`${big.staged.tables[0].name}.amount`]);
    expect(big.column.best.notes.join(' ')).toMatch(/ambiguous separators/);
  });
});

describe('leading zeros keep a code column as text despite a stray value', () => {
  it('100,000 zero-padded zip codes and one "unknown": VARCHAR, and typed_ keeps every zero', async () => {
    const zips = Array.from({ length: 99_999 }, (_, i) => String(i + 1).padStart(5, '0'));
    zips.splice(ODD_ROW - 1, 0, 'unknown');
    const inf = await infer('zips', 'zip', zips);
    const d = decided(inf.auto, 'zip');
    expect(d).toMatchObject({ decidedType: 'VARCHAR', format: { kind: 'text' } });
    expect(d.confidence).toBeGreaterThanOrEqual(0.95);
    expect(inf.column.identifier?.reason).toMatch(/9999 of the 99999 integer values \(10%\) have leading zeros/);
    expect(inf.column.candidates.find((c) => c.type === 'INTEGER')!.confidence).toBeLessThan(0.95);

    const { typed } = await resolve(inf);
    expect(typed).toHaveLength(100_000);
    expect(typed.slice(0, 2)).toEqual([{ zip: '00001' }, { zip: '00002' }]);
    expect(typed[ODD_ROW - 1]).toEqual({ zip: 'unknown' });
  });

  it('101 codes 000..099 and one "xx": VARCHAR', async () => {
    const inf = await infer('codes', 'code', [...Array.from({ length: 100 }, (_, i) => String(i).padStart(3, '0')), 'xx']);
    expect(decided(inf.auto, 'code')).toMatchObject({ decidedType: 'VARCHAR', format: { kind: 'text' } });
    expect(inf.column.identifier?.reason).toMatch(/leading zeros/);
  });

  it('a quantity column with one stray value and no leading zeros stays INTEGER', async () => {
    const inf = await infer('qty', 'qty', [...Array.from({ length: 500 }, (_, i) => String(i + 1)), 'unknown']);
    expect(inf.column.identifier).toBeUndefined();
    expect(decided(inf.auto, 'qty')).toMatchObject({ decidedType: 'INTEGER' });
  });
});

describe('a boolean column with an odd value is still boolean', () => {
  it('Y/N with one "maybe": BOOLEAN over y/n only, and the odd row is quarantined', async () => {
    const inf = await infer('yn', 'answer', Array.from({ length: 1_000 }, (_, i) => (i === 499 ? 'maybe' : i % 3 === 0 ? 'N' : 'Y')));
    expect(decided(inf.auto, 'answer')).toMatchObject({ decidedType: 'BOOLEAN', format: { kind: 'boolean', trueValues: ['y'], falseValues: ['n'] } });
    expect(inf.column.best).toMatchObject({ type: 'BOOLEAN', parsedCount: 999, failedCount: 1, failedExamples: [{ row: 500, value: 'maybe' }] });
    expect(inf.column.best.parseSuccessRate).toBeLessThan(1);

    const { table } = await resolve(inf);
    expect(table).toMatchObject({ typedRowCount: 999, quarantinedRowCount: 1 });
    expect(table.columns.answer).toMatchObject({ failureCount: 1, sampleFailures: [{ row: 500, value: 'maybe' }] });
  });

  it('yes/no with many odd values in 50,000 rows: a BOOLEAN candidate for review, not silent VARCHAR', async () => {
    const inf = await infer('yes_no', 'answer', Array.from({ length: 50_000 }, (_, i) => (i % 10 === 3 ? 'unsure' : i % 2 === 0 ? 'yes' : 'no')));
    const review = inf.auto.uncertain.find((u) => u.column === 'answer');
    expect(review?.candidates[0]).toMatchObject({ type: 'BOOLEAN', parsedCount: 45_000, failedCount: 5_000, format: { trueValues: ['yes'], falseValues: ['no'] } });
    expect(review!.candidates[0].failedExamples[0]).toEqual({ row: 4, value: 'unsure' });
  });

  it('keeps M/F and 1/0-with-other-numbers out of BOOLEAN', async () => {
    const sex = await infer('sex', 'sex', Array.from({ length: 400 }, (_, i) => (i % 2 === 0 ? 'M' : 'F')));
    expect(sex.column.candidates.map((c) => c.type)).not.toContain('BOOLEAN');
    expect(decided(sex.auto, 'sex')).toMatchObject({ decidedType: 'VARCHAR' });
    const counts = await infer('counts', 'is_active', Array.from({ length: 400 }, (_, i) => (i === 7 ? '2' : String(i % 2))));
    expect(counts.column.candidates.map((c) => c.type)).not.toContain('BOOLEAN');
    expect(decided(counts.auto, 'is_active')).toMatchObject({ decidedType: 'INTEGER' });
  });
});
