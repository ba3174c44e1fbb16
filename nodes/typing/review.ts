/**
 * The type_review gate: passes the automatic decisions on when every column is confident,
 * otherwise pauses the run with one review item per uncertain column. Pure: no I/O.
 */
import { gate, type GateOutcome, type ReviewItem } from '../../engine/index.ts';
// The gate's answer schema: the build step records it as a fail-level check on resumed answers.
import { TypeReviewAnswers } from './review-answers.ts';
import type { AutoTypeDecisions, TypeDecisions, UncertainColumn } from './types.ts';

export { TypeReviewAnswers };

/** What a reviewer sees per uncertain column (ReviewItem.context). */
export interface TypeReviewContext {
  readonly table: string;
  readonly column: string;
  readonly rawType: string;
  /** Ranked candidates, best first, each with parse rate, failed examples and notes. */
  readonly candidates: UncertainColumn['candidates'];
  /** The suggested candidate's failing values. */
  readonly failedExamples: UncertainColumn['candidates'][number]['failedExamples'];
  readonly hints: UncertainColumn['hints'];
  readonly threshold: number;
}

/** What approving an item applies (ReviewItem.suggestedAction). */
export interface TypeReviewSuggestion {
  readonly decidedType: string;
  readonly format: UncertainColumn['suggestion']['format'];
  readonly confidence: number;
  readonly reason: string;
}

/**
 * Asks a person to confirm uncertain column types. On resume, the answers (full TypeDecisions,
 * see `TypeReviewAnswers` and `applyReviewAnswers`) become this gate's value.
 *
 * @gate type_review TypeReviewAnswers
 * @example
 * ```ts
 * const outcome = typeReview(autoTypeDecisions(candidates, staging));
 * // all confident: gate.pass({ decisions }) ; otherwise gate.review([{ itemId: 'orders.shipped_on', ... }])
 * ```
 */
export function typeReview(autoTypeDecisions: AutoTypeDecisions): GateOutcome<TypeDecisions> {
  if (autoTypeDecisions.uncertain.length === 0) return gate.pass({ decisions: autoTypeDecisions.decided });
  const items: ReviewItem[] = autoTypeDecisions.uncertain.map((u) => {
    const context: TypeReviewContext = {
      table: u.table, column: u.column, rawType: u.suggestion.rawType, candidates: u.candidates,
      failedExamples: u.candidates[0]?.failedExamples ?? [], hints: u.hints, threshold: autoTypeDecisions.threshold,
    };
    const suggestedAction: TypeReviewSuggestion = { decidedType: u.suggestion.decidedType, format: u.suggestion.format, confidence: u.suggestion.confidence, reason: u.suggestion.reason };
    return { itemId: u.itemId, reviewType: 'type_review', context, suggestedAction };
  });
  return gate.review(items);
}
