import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { gateNeedsReview, isGateOutcome } from '../../engine/index.ts';
import { openDuckDB, type DuckDBConnection } from '../../nodes/duckdb.ts';
import type { StagingResult } from '../../nodes/staging/types.ts';
import { autoTypeDecisions } from '../../nodes/typing/decisions.ts';
import { typeCandidates } from '../../nodes/typing/inference.ts';
import { priorTypeFit } from '../../nodes/typing/prior-fit.ts';
import { applyReviewAnswers, TypeReviewAnswers } from '../../nodes/typing/review-answers.ts';
import { typeReview, type TypeReviewContext, type TypeReviewSuggestion } from '../../nodes/typing/review.ts';
import { typeDecisions } from '../../nodes/typing/type-decisions.ts';
import type { ColumnTypeDecision, TypeCandidatesResult } from '../../nodes/typing/types.ts';
import { describeStaged, stagingOf } from '../profiling/helpers/stage-csv.ts';

let conn: DuckDBConnection;
let staging: StagingResult;
let candidates: TypeCandidatesResult;

beforeAll(async () => {
  conn = await openDuckDB(':memory:');
  await conn.run(`CREATE TABLE raw_orders AS SELECT
      CAST(i AS VARCHAR) AS qty,
      strftime(DATE '2020-01-01' + CAST(i % 28 AS INTEGER), '%d/%m/%Y') AS shipped_on,
      strftime(DATE '2020-01-01' + CAST((i % 12) * 31 AS INTEGER), '%m/%d/%Y') AS ordered_on,
      CASE WHEN i % 2 = 0 THEN CAST(i AS VARCHAR) ELSE 'box ' || CAST(i AS VARCHAR) END AS code
    FROM range(500) t(i)`);
  await conn.run(`CREATE TABLE raw_typed AS SELECT CAST(i AS BIGINT) AS id, DATE '2020-01-01' AS d FROM range(3) t(i)`);
  staging = stagingOf(await describeStaged(conn, 'orders', 'raw_orders'), await describeStaged(conn, 'typed', 'raw_typed', 'strong'));
  candidates = await typeCandidates(staging, conn);
});
afterAll(() => conn?.closeSync());

describe('autoTypeDecisions', () => {
  it('decides confident columns, keeps strong types, leaves the rest uncertain', () => {
    const auto = autoTypeDecisions(candidates, staging);
    expect(auto.threshold).toBe(0.95);
    expect(auto.order).toEqual(['orders.qty', 'orders.shipped_on', 'orders.ordered_on', 'orders.code', 'typed.id', 'typed.d']);
    const byId = Object.fromEntries(auto.decided.map((d) => [`${d.table}.${d.column}`, d]));
    expect(byId['orders.qty']).toMatchObject({ decidedType: 'INTEGER', decisionSource: 'auto', decidedBy: 'dataraum', format: { kind: 'number' } });
    expect(byId['orders.shipped_on']).toMatchObject({ decidedType: 'DATE', format: { kind: 'date', strptime: '%d/%m/%Y' } });
    expect(byId['orders.shipped_on'].reason).toMatch(/100% of 500 non-null values parse/);
    expect(byId['typed.id']).toMatchObject({ decidedType: 'BIGINT', format: { kind: 'native' }, confidence: 1 });
    expect(byId['typed.d'].reason).toMatch(/strong source/);
    expect(auto.uncertain.map((u) => u.itemId)).toEqual(['orders.ordered_on', 'orders.code']);
    expect(auto.uncertain[0].suggestion).toMatchObject({ decidedType: 'DATE', format: { strptime: '%m/%d/%Y' } });
  });

  it('follows the threshold', () => {
    expect(autoTypeDecisions(candidates, staging, 0.4).uncertain).toEqual([]);
    expect(autoTypeDecisions(candidates, staging, 0.9).uncertain.map((u) => u.itemId)).toEqual(['orders.code']);
    expect(() => autoTypeDecisions(candidates, staging, 1.5)).toThrow(/between 0 and 1/);
  });
});

describe('typeReview gate', () => {
  it('passes every decision on when all columns are confident', () => {
    const auto = autoTypeDecisions(candidates, staging, 0.4);
    const outcome = typeReview(auto);
    expect(isGateOutcome(outcome)).toBe(true);
    expect(gateNeedsReview(outcome)).toBe(false);
    expect(outcome.value).toEqual({});
    const decided = typeDecisions(auto, outcome.value!);
    expect(decided.decisions.map((d) => `${d.table}.${d.column}`)).toEqual(auto.order);
    expect(TypeReviewAnswers.safeParse(decided).success).toBe(true);
  });

  it('asks for review with one item per uncertain column, carrying candidates, failures and hints', () => {
    const outcome = typeReview(autoTypeDecisions(candidates, staging));
    expect(gateNeedsReview(outcome)).toBe(true);
    expect(outcome.value).toBeUndefined();
    expect(outcome.items?.map((i) => i.itemId)).toEqual(['orders.ordered_on', 'orders.code']);
    const code = outcome.items![1];
    const ctx = code.context as TypeReviewContext;
    expect(code.reviewType).toBe('type_review');
    expect(ctx.candidates.map((c) => c.type)).toEqual(expect.arrayContaining(['INTEGER', 'VARCHAR']));
    expect(ctx.failedExamples[0]).toEqual({ row: 2, value: 'box 1' });
    expect(ctx.hints.nonNullCount).toBe(500);
    expect(ctx.threshold).toBe(0.95);
    const suggested = code.suggestedAction as TypeReviewSuggestion;
    expect(suggested.decidedType).toBe(ctx.candidates[0].duckdbType);
    expect(suggested.format).toEqual(ctx.candidates[0].format);
    const dates = (outcome.items![0].context as TypeReviewContext).candidates.filter((c) => c.type === 'DATE');
    expect(dates.map((c) => (c.format as { strptime: string }).strptime)).toEqual(['%m/%d/%Y', '%d/%m/%Y']);
  });

  it('is pure: the same input gives the same items', () => {
    const auto = autoTypeDecisions(candidates, staging);
    expect(typeReview(auto).items).toEqual(typeReview(auto).items);
  });

  it('does not ask again about a column a person decided on an earlier run', () => {
    const auto = autoTypeDecisions(candidates, staging);
    const prior = { 'orders.code': { ...auto.uncertain[1].suggestion, decidedType: 'VARCHAR', format: { kind: 'text' as const }, decisionSource: 'manual' as const, decidedBy: 'ana' } };
    expect(typeReview(autoTypeDecisions(candidates, staging, 0.95, prior)).items?.map((i) => i.itemId)).toEqual(['orders.ordered_on']);
  });
});

describe('typeDecisions', () => {
  it('turns approved, modified and rejected responses into manual decisions', () => {
    const auto = autoTypeDecisions(candidates, staging);
    const [dates, code] = auto.uncertain;
    const decided = typeDecisions(auto, {
      // approved: the suggested action as `resume --from-reviews` passes it
      [dates.itemId]: { decidedType: 'DATE', format: { kind: 'date', strptime: '%d/%m/%Y' }, reason: 'day-first, per the supplier', decidedBy: 'ana' },
      [code.itemId]: null, // rejected: stays text
    });
    const byId = new Map(decided.decisions.map((d) => [`${d.table}.${d.column}`, d]));
    expect(byId.get(dates.itemId)).toMatchObject({ decidedType: 'DATE', decisionSource: 'manual', decidedBy: 'ana', reason: 'day-first, per the supplier' });
    expect(byId.get(code.itemId)).toMatchObject({ decidedType: 'VARCHAR', decisionSource: 'manual', format: { kind: 'text' } });
    expect(decided.decisions).toHaveLength(auto.order.length);
  });

  it('applies earlier manual decisions and names columns left without an answer', () => {
    const auto = autoTypeDecisions(candidates, staging);
    const [dates, code] = auto.uncertain;
    const prior = { [code.itemId]: { ...code.suggestion, decidedType: 'VARCHAR', format: { kind: 'text' as const }, decisionSource: 'manual' as const, decidedBy: 'bo', reason: 'codes are labels' } };
    const withPrior = autoTypeDecisions(candidates, staging, 0.95, prior);
    expect(() => typeDecisions(withPrior, {})).toThrow(new RegExp(`no answer for 1 uncertain column\\(s\\): ${dates.itemId.replace('.', '\\.')}`));
    const decided = typeDecisions(withPrior, { [dates.itemId]: { decidedType: 'DATE', format: { kind: 'date', strptime: '%m/%d/%Y' } } });
    expect(decided.decisions.find((d) => d.column === 'code')).toMatchObject({ decidedType: 'VARCHAR', decidedBy: 'bo', reason: 'codes are labels' });
  });
});

describe('earlier manual decisions', () => {
  const byPerson = (d: ColumnTypeDecision, change: Partial<ColumnTypeDecision>): ColumnTypeDecision =>
    ({ ...d, decisionSource: 'manual', decidedBy: 'ana', decidedAt: '2024-01-02T03:04:05.000Z', reason: 'as the supplier writes it', ...change });

  it('are measured on this run\'s data: from the candidates when one reads the same way, verified over the column otherwise', async () => {
    const auto = autoTypeDecisions(candidates, staging);
    const decided = (column: string) => auto.decided.find((d) => d.column === column)!;
    const prior = {
      'orders.ordered_on': byPerson(auto.uncertain[0].suggestion, { format: { kind: 'date', strptime: '%d/%m/%Y' } }), // a candidate
      'orders.shipped_on': byPerson(decided('shipped_on'), { format: { kind: 'date', strptime: '%Y-%m-%d' } }), // not one: verified
      'orders.qty': byPerson(decided('qty'), { decidedType: 'DECIMAL(10,2)' }), // not one: verified
      'orders.code': byPerson(auto.uncertain[1].suggestion, { decidedType: 'VARCHAR', format: { kind: 'text' } }), // text always fits
    };
    const fit = await priorTypeFit(prior, candidates, staging, conn);
    expect(Object.keys(fit).sort()).toEqual(['orders.ordered_on', 'orders.qty', 'orders.shipped_on']);
    expect(fit['orders.ordered_on']).toMatchObject({ parseSuccessRate: 1, parsedCount: 500, failedCount: 0 });
    expect(fit['orders.qty']).toMatchObject({ parseSuccessRate: 1, parsedCount: 500, failedCount: 0 });
    expect(fit['orders.shipped_on']).toMatchObject({ parseSuccessRate: 0, parsedCount: 0, failedCount: 500 });
    expect(fit['orders.shipped_on'].failedExamples[0]).toEqual({ row: 1, value: '01/01/2020' });
  });

  it('apply again while they fit; one that no longer fits puts its column back to review, saying why', async () => {
    const base = autoTypeDecisions(candidates, staging);
    const shipped = base.decided.find((d) => d.column === 'shipped_on')!;
    const prior = {
      'orders.ordered_on': byPerson(base.uncertain[0].suggestion, { format: { kind: 'date', strptime: '%d/%m/%Y' } }),
      'orders.shipped_on': byPerson(shipped, { format: { kind: 'date', strptime: '%Y-%m-%d' } }),
    };
    const auto = autoTypeDecisions(candidates, staging, 0.95, prior, await priorTypeFit(prior, candidates, staging, conn));

    const ordered = auto.decided.find((d) => d.column === 'ordered_on');
    expect(ordered).toMatchObject({ decidedType: 'DATE', format: { strptime: '%d/%m/%Y' }, decisionSource: 'manual', decidedBy: 'ana', reason: 'as the supplier writes it', decidedAt: '2024-01-02T03:04:05.000Z' });
    // shipped_on reads day-first with full confidence; the person's ISO reading parses nothing now
    expect(auto.decided.find((d) => d.column === 'shipped_on')).toBeUndefined();
    expect(auto.uncertain.map((u) => u.itemId)).toEqual(['orders.shipped_on', 'orders.code']);
    const again = auto.uncertain[0];
    expect(again.suggestion).toMatchObject({ decidedType: 'DATE', format: { strptime: '%d/%m/%Y' }, decisionSource: 'auto' });
    expect(again.earlierDecision).toMatchObject({ decision: { format: { strptime: '%Y-%m-%d' }, decidedBy: 'ana' }, parseSuccessRate: 0, failedCount: 500 });
    expect(again.earlierDecision!.note).toMatch(/^the earlier decision no longer fits: DATE as date %Y-%m-%d \(decided by ana\) reads 0% of 500 non-null values now, below the threshold of 95%; failing: row 1 '01\/01\/2020', row 2 /);

    const outcome = typeReview(auto);
    expect(outcome.items?.map((i) => i.itemId)).toEqual(['orders.shipped_on', 'orders.code']);
    const ctx = outcome.items![0].context as TypeReviewContext;
    expect(ctx.earlierDecision?.failedExamples[0]).toEqual({ row: 1, value: '01/01/2020' });
    expect((outcome.items![0].suggestedAction as TypeReviewSuggestion).reason).toContain('the earlier decision no longer fits');
    expect(() => typeDecisions(auto, { 'orders.code': null })).toThrow(/no answer for 1 uncertain column\(s\): orders\.shipped_on/);
  });
});

describe('applyReviewAnswers', () => {
  it('overrides with human decisions and returns valid gate answers in staging order', () => {
    const auto = autoTypeDecisions(candidates, staging);
    const decisions = applyReviewAnswers(auto, [
      { itemId: 'orders.ordered_on', action: 'override', decidedType: 'DATE', format: { kind: 'date', strptime: '%d/%m/%Y' }, reason: 'supplier writes day-first', decidedBy: 'ana' },
      { itemId: 'orders.code', action: 'override', decidedType: 'varchar', decidedBy: 'ana' },
      { itemId: 'orders.qty', action: 'override', decidedType: 'BIGINT', decidedBy: 'ben' },
    ]);
    expect(TypeReviewAnswers.parse(decisions)).toEqual(decisions);
    expect(decisions.decisions.map((d) => `${d.table}.${d.column}`)).toEqual(auto.order);
    const byId = Object.fromEntries(decisions.decisions.map((d) => [`${d.table}.${d.column}`, d]));
    expect(byId['orders.ordered_on']).toMatchObject({ decidedType: 'DATE', format: { strptime: '%d/%m/%Y' }, decisionSource: 'manual', decidedBy: 'ana', reason: 'supplier writes day-first', confidence: 1 });
    expect(byId['orders.code']).toMatchObject({ decidedType: 'VARCHAR', format: { kind: 'text' }, decisionSource: 'manual' });
    expect(byId['orders.qty']).toMatchObject({ decidedType: 'BIGINT', decisionSource: 'manual', decidedBy: 'ben' });
    expect(byId['orders.shipped_on'].decisionSource).toBe('auto');
  });

  it('accepts suggestions as manual decisions', () => {
    const auto = autoTypeDecisions(candidates, staging);
    const decisions = applyReviewAnswers(auto, auto.uncertain.map((u) => ({ itemId: u.itemId, action: 'accept' as const, decidedBy: 'ana' })));
    const ordered = decisions.decisions.find((d) => d.column === 'ordered_on')!;
    expect(ordered).toMatchObject({ decidedType: 'DATE', format: { strptime: '%m/%d/%Y' }, decisionSource: 'manual', decidedBy: 'ana' });
    expect(ordered.reason).toMatch(/^accepted suggestion/);
  });

  it('refuses missing answers, unknown columns and formats that cannot produce the type', () => {
    const auto = autoTypeDecisions(candidates, staging);
    expect(() => applyReviewAnswers(auto, [{ itemId: 'orders.code', action: 'accept', decidedBy: 'ana' }])).toThrow(/no answer for 1 uncertain column\(s\): orders.ordered_on/);
    expect(() => applyReviewAnswers(auto, [{ itemId: 'orders.nope', action: 'accept', decidedBy: 'ana' }])).toThrow(/unknown column 'orders.nope'/);
    expect(() => applyReviewAnswers(auto, [
      { itemId: 'orders.ordered_on', action: 'override', decidedType: 'INTEGER', format: { kind: 'date', strptime: '%d/%m/%Y' }, decidedBy: 'ana' },
      { itemId: 'orders.code', action: 'accept', decidedBy: 'ana' },
    ])).toThrow(/cannot produce INTEGER/);
    const bad = { decisions: [{ ...auto.decided[0], decidedType: 'DATE' }] };
    expect(TypeReviewAnswers.safeParse(bad).success).toBe(false);
  });
});
