/**
 * Every column's type, decided: the decisions made without asking (automatic, or a person's from
 * an earlier run) and the reviewers' responses to the type_review gate, merged by
 * `applyReviewAnswers`.
 */
import { applyReviewAnswers, type ColumnReviewAnswer } from './review-answers.ts';
import type { TypeReviewResponses } from './review.ts';
import type { AutoTypeDecisions, TypeDecisions } from './types.ts';

/**
 * The decided type of every column: decided without asking where possible, a person's answer otherwise.
 * @tag module=typing
 * @example
 * ```ts
 * typeDecisions(auto, { 'orders.ordered_on': { decidedType: 'DATE', format: { kind: 'date', strptime: '%d/%m/%Y' } } });
 * ```
 */
export function typeDecisions(autoTypeDecisions: AutoTypeDecisions, typeReview: TypeReviewResponses): TypeDecisions {
  const answers: ColumnReviewAnswer[] = [];
  for (const u of autoTypeDecisions.uncertain) {
    if (!Object.hasOwn(typeReview, u.itemId)) continue; // applyReviewAnswers names every column left without an answer
    const r = typeReview[u.itemId];
    answers.push(r === null
      ? { itemId: u.itemId, action: 'override', decidedType: 'VARCHAR', format: { kind: 'text' }, reason: 'the reviewer rejected the suggested type: kept as text', decidedBy: 'reviewer' }
      : { itemId: u.itemId, action: 'override', decidedType: r.decidedType, ...(r.format ? { format: r.format } : {}), reason: r.reason ?? 'confirmed by a reviewer', decidedBy: r.decidedBy ?? 'reviewer' });
  }
  return applyReviewAnswers(autoTypeDecisions, answers);
}
