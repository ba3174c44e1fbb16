/**
 * Checks a reviewer's own value for a review item before it is stored, by review type, so that a
 * value `dataraum review modify` or `POST /reviews/:id/modify` accepts is one resume accepts too.
 * Review types without a check here take any JSON value; their gate checks it on resume. Also:
 * whether a whole answers file can resume a checkpoint (`answersProblems`), and what a type_review
 * answer is expected to read of its column (`readingCheck`).
 *
 * @example
 * ```ts
 * reviewValueProblem({ reviewType: 'type_review', itemId: 'orders.pct', suggestedAction }, { type: 'DOUBLE' });
 * // "not a type_review answer for 'orders.pct': decidedType: ...; e.g. {...}"
 * ```
 */
import { describeFormat, percent, sameReading } from '../nodes/typing/formats.ts';
import { defaultAnswerFormat } from '../nodes/typing/review-answers.ts';
import { TypeReviewResponse, TypeReviewResponses, type TypeReviewContext } from '../nodes/typing/review.ts';
import type { ValueFormat } from '../nodes/typing/types.ts';

type ValueCheck = (itemId: string, value: unknown, suggestedAction: unknown) => string | undefined;

/**
 * A type_review value, checked with the gate's own schema (the one resume checks the answers
 * with); the example is the item's suggested action when it has one.
 */
function typeReviewValueProblem(itemId: string, value: unknown, suggestedAction: unknown): string | undefined {
  const res = TypeReviewResponses.safeParse({ [itemId]: value });
  if (res.success) return undefined;
  const issues = res.error.issues.map((i) => {
    const path = i.path.slice(1).map(String).join('.');
    return path ? `${path}: ${i.message}` : i.message;
  });
  const suggested = TypeReviewResponse.safeParse(suggestedAction);
  const example = suggested.success
    ? { decidedType: suggested.data.decidedType, ...(suggested.data.format ? { format: suggested.data.format } : {}) }
    : { decidedType: 'DATE', format: { kind: 'date', strptime: '%d/%m/%Y' } };
  return `not a type_review answer for '${itemId}': ${issues.join('; ')}. ` +
    `An answer is {"decidedType": <DuckDB type>, "format"?: <how values read>, "reason"?: <text>}, e.g. ${JSON.stringify(example)}` +
    `${suggested.success ? ' (the suggested action)' : ''}, or {"decidedType":"VARCHAR"} to keep the text (reject does the same).`;
}

const CHECKS: Readonly<Record<string, ValueCheck>> = {
  type_review: typeReviewValueProblem,
};

/** Why `value` cannot answer `item`, with a valid example; undefined when it can. */
export function reviewValueProblem(item: { readonly reviewType: string; readonly itemId: string; readonly suggestedAction: unknown }, value: unknown): string | undefined {
  return Object.hasOwn(CHECKS, item.reviewType) ? CHECKS[item.reviewType](item.itemId, value, item.suggestedAction) : undefined;
}

/** A review item as the answer checks need it. */
export interface AnswerableItem {
  readonly reviewType: string;
  readonly itemId: string;
  readonly suggestedAction: unknown;
}

/**
 * Why `answers` cannot resume a checkpoint with these items, one problem per entry; empty when
 * they can. Answers follow the review queue's convention for every gate (`{ [itemId]: value }`,
 * what `resume --from-reviews` builds): every item needs an entry (null rejects it), no entry may
 * name an item the checkpoint lacks, and each value must fit its item (`reviewValueProblem`).
 * Checked before the checkpoint is claimed, so refused answers leave it waiting for review.
 *
 * @example
 * ```ts
 * answersProblems(cp.items, { 'orders.amount': { decidedType: 'DOUBLE' } });
 * // ["no answer for 1 item(s): 'orders.dt' ..."]
 * ```
 */
export function answersProblems(items: readonly AnswerableItem[], answers: unknown): string[] {
  if (typeof answers !== 'object' || answers === null || Array.isArray(answers)) {
    const example = `{${items.slice(0, 2).map((i) => `${JSON.stringify(i.itemId)}: <answer>`).join(', ')}${items.length > 2 ? ', ...' : ''}}`;
    return [`the answers must be a JSON object with one entry per review item, ${example}, each the item's suggested action, a value of your own, or null to reject it`];
  }
  const given = answers as Record<string, unknown>;
  const problems: string[] = [];
  const missing = items.filter((i) => !Object.hasOwn(given, i.itemId)).map((i) => `'${i.itemId}'`);
  if (missing.length) {
    problems.push(`no answer for ${missing.length} of ${items.length} item(s): ${missing.join(', ')}; give each its suggested action, a value of your own, or null to reject it`);
  }
  const known = new Set(items.map((i) => i.itemId));
  const unknown = Object.keys(given).filter((k) => !known.has(k)).map((k) => `'${k}'`);
  if (unknown.length) problems.push(`no review item ${unknown.join(', ')} in this checkpoint (its items: ${[...known].map((k) => `'${k}'`).join(', ')})`);
  for (const item of items) {
    if (!Object.hasOwn(given, item.itemId) || given[item.itemId] === null) continue;
    const problem = reviewValueProblem(item, given[item.itemId]);
    if (problem) problems.push(problem);
  }
  return problems;
}

/**
 * What a type_review answer is expected to do to its column, from the candidates measured when the
 * run paused (the item's context): `refuse` when the chosen type and format parse fewer values
 * than the item's threshold (unless `force`), else a `note` with the expected parse rate, or
 * saying it was not measured. Nothing for other review types, rejections and invalid values.
 *
 * @example
 * ```ts
 * readingCheck(item, { decidedType: 'DATE', format: { kind: 'date', strptime: '%d/%m/%Y' } }, false);
 * // { refuse: "DATE as date %d/%m/%Y reads 41.2% of the 8000 non-null values of 'orders.dt' ..." }
 * ```
 */
export function readingCheck(
  item: { readonly reviewType: string; readonly itemId: string; readonly context: unknown }, value: unknown, force: boolean,
): { refuse?: string; note?: string } {
  if (item.reviewType !== 'type_review') return {};
  const answer = TypeReviewResponse.safeParse(value);
  const context = item.context as Partial<TypeReviewContext> | null;
  if (!answer.success || !context || !Array.isArray(context.candidates)) return {};
  const decidedType = answer.data.decidedType.trim().toUpperCase();
  const format = (answer.data.format as ValueFormat | undefined) ?? defaultAnswerFormat(decidedType);
  if (!format) return {};
  const reading = `${decidedType} as ${describeFormat(format)}`;
  const measured = context.candidates.find((c) => sameReading(c, { duckdbType: decidedType, format }));
  if (!measured) {
    const known = context.candidates.map((c) => `${c.duckdbType} as ${describeFormat(c.format)} ${percent(c.parseSuccessRate)}`);
    return {
      note: `${reading} was not measured on '${item.itemId}' when the run paused` +
        `${known.length ? ` (measured: ${known.join(', ')})` : ''}; on resume, rows whose values it cannot read go to quarantine.`,
    };
  }
  const n = measured.parsedCount + measured.failedCount;
  const rate = `${reading} reads ${percent(measured.parseSuccessRate)} of the ${n} non-null values of '${item.itemId}' (measured when the run paused)`;
  const threshold = typeof context.threshold === 'number' ? context.threshold : undefined;
  if (threshold !== undefined && measured.parseSuccessRate < threshold) {
    const loss = `below the item's threshold of ${percent(threshold)}: on resume the rows of its ${measured.failedCount} unreadable value(s) go to quarantine`;
    if (!force) {
      return { refuse: `${rate}, ${loss}. Choose a reading that fits (\`dataraum review show\` lists the measured candidates), or pass --force to answer with it anyway.` };
    }
    return { note: `${rate}, ${loss} (answered anyway: --force).` };
  }
  return { note: `${rate}${measured.failedCount ? `; the rows of its ${measured.failedCount} unreadable value(s) go to quarantine on resume` : ''}.` };
}
