/**
 * The type_review gate: passes when every column is confident (or was decided by a person
 * before), otherwise pauses the run with one review item per uncertain column. Pure: no I/O.
 */
import { z } from 'zod';
import { gate, type GateOutcome, type ReviewItem } from '../../engine/index.ts';
import { ValueFormatSchema } from './review-answers.ts';
import type { AutoTypeDecisions, ColumnTypeDecision, UncertainColumn } from './types.ts';

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
 * One reviewer's response per uncertain column, keyed by item id (`table.column`): the suggested
 * action when approved, the modified value (at least a `decidedType`) when changed, or `null` when
 * rejected (the column stays text). This is what `dataraum resume --from-reviews` hands over.
 */
export const TypeReviewResponses = z.record(
  z.string(),
  z.object({
    decidedType: z.string().min(1),
    format: ValueFormatSchema.optional(),
    reason: z.string().optional(),
    decidedBy: z.string().min(1).optional(),
  }).nullable(),
);
export type TypeReviewResponses = z.infer<typeof TypeReviewResponses>;

/**
 * Asks a person to confirm uncertain column types; columns a person already decided on an earlier
 * run are not asked again. The gate's value is the reviewers' responses (`{}` when nothing needed
 * review); `typeDecisions` turns them into decisions.
 *
 * @gate type_review TypeReviewResponses
 * @example
 * ```ts
 * const outcome = typeReview(autoTypeDecisions(candidates, staging));
 * // all confident: gate.pass({}) ; otherwise gate.review([{ itemId: 'orders.shipped_on', ... }])
 * ```
 */
export function typeReview(autoTypeDecisions: AutoTypeDecisions, priorTypeDecisions?: Readonly<Record<string, ColumnTypeDecision>>): GateOutcome<TypeReviewResponses> {
  const open = autoTypeDecisions.uncertain.filter((u) => !priorTypeDecisions?.[u.itemId]);
  if (open.length === 0) return gate.pass({});
  const items: ReviewItem[] = open.map((u) => {
    const context: TypeReviewContext = {
      table: u.table, column: u.column, rawType: u.suggestion.rawType, candidates: u.candidates,
      failedExamples: u.candidates[0]?.failedExamples ?? [], hints: u.hints, threshold: autoTypeDecisions.threshold,
    };
    const suggestedAction: TypeReviewSuggestion = { decidedType: u.suggestion.decidedType, format: u.suggestion.format, confidence: u.suggestion.confidence, reason: u.suggestion.reason };
    return { itemId: u.itemId, reviewType: 'type_review', context, suggestedAction };
  });
  return gate.review(items);
}
