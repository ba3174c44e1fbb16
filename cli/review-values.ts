/**
 * Checks a reviewer's own value for a review item before it is stored, by review type, so that a
 * value `dataraum review modify` or `POST /reviews/:id/modify` accepts is one resume accepts too.
 * Review types without a check here take any JSON value; their gate checks it on resume.
 *
 * @example
 * ```ts
 * reviewValueProblem({ reviewType: 'type_review', itemId: 'orders.pct', suggestedAction }, { type: 'DOUBLE' });
 * // "not a type_review answer for 'orders.pct': decidedType: ...; e.g. {...}"
 * ```
 */
import { TypeReviewResponse, TypeReviewResponses } from '../nodes/typing/review.ts';

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
