/**
 * Every column's type, decided: the automatic decisions, a person's decisions from earlier runs,
 * and the reviewers' responses to the type_review gate, merged by `applyReviewAnswers`.
 */
import { applyReviewAnswers, type ColumnReviewAnswer } from './review-answers.ts';
import type { TypeReviewResponses } from './review.ts';
import type { AutoTypeDecisions, ColumnTypeDecision, TypeDecisions } from './types.ts';

/**
 * The decided type of every column: automatic where confident, a person's answer otherwise.
 * @tag module=typing
 * @example
 * ```ts
 * typeDecisions(auto, { 'orders.ordered_on': { decidedType: 'DATE', format: { kind: 'date', strptime: '%d/%m/%Y' } } });
 * ```
 */
export function typeDecisions(autoTypeDecisions: AutoTypeDecisions, typeReview: TypeReviewResponses, priorTypeDecisions?: Readonly<Record<string, ColumnTypeDecision>>): TypeDecisions {
  const answers: ColumnReviewAnswer[] = [];
  const known = new Set(autoTypeDecisions.order);
  // A person's earlier decision wins over a new automatic one.
  for (const [itemId, prior] of Object.entries(priorTypeDecisions ?? {})) {
    if (!known.has(itemId)) continue;
    answers.push({ itemId, action: 'override', decidedType: prior.decidedType, format: prior.format as ColumnReviewAnswer['format'], reason: prior.reason || 'decided by a person on an earlier run', decidedBy: prior.decidedBy });
  }
  const answered = new Set(answers.map((a) => a.itemId));
  for (const u of autoTypeDecisions.uncertain) {
    if (answered.has(u.itemId)) continue;
    if (!Object.hasOwn(typeReview, u.itemId)) continue; // applyReviewAnswers names every column left without an answer
    const r = typeReview[u.itemId];
    answers.push(r === null
      ? { itemId: u.itemId, action: 'override', decidedType: 'VARCHAR', format: { kind: 'text' }, reason: 'the reviewer rejected the suggested type: kept as text', decidedBy: 'reviewer' }
      : { itemId: u.itemId, action: 'override', decidedType: r.decidedType, ...(r.format ? { format: r.format } : {}), reason: r.reason ?? 'confirmed by a reviewer', decidedBy: r.decidedBy ?? 'reviewer' });
  }
  return applyReviewAnswers(autoTypeDecisions, answers);
}
