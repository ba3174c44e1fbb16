/**
 * The type_review gate: passes when every column is confident (or was decided by a person
 * before, in a way that still fits the data), otherwise pauses the run with one review item per
 * uncertain column. Pure: no I/O.
 */
import { z } from 'zod';
import { gate, type GateOutcome, type ReviewItem } from '../../engine/index.ts';
import { decisionProblem, defaultAnswerFormat, TYPE_REVIEW, ValueFormatSchema } from './review-answers.ts';
import type { AutoTypeDecisions, UncertainColumn, ValueFormat } from './types.ts';

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
  /** A person's decision from an earlier run that no longer fits: what it was, how it reads now, why the column is asked again. */
  readonly earlierDecision?: UncertainColumn['earlierDecision'];
}

/** What approving an item applies (ReviewItem.suggestedAction). */
export interface TypeReviewSuggestion {
  readonly decidedType: string;
  readonly format: UncertainColumn['suggestion']['format'];
  readonly confidence: number;
  readonly reason: string;
}

/**
 * One reviewer's own answer for one column: at least a `decidedType`, with the format to read the
 * values (without one, the type's default format), why, and who. Unknown keys are refused, so a
 * misspelt `format` never falls back to the default silently. The suggested action (which also
 * carries its `confidence`) is a valid answer.
 *
 * @example
 * ```ts
 * TypeReviewResponse.parse({ decidedType: 'DATE', format: { kind: 'date', strptime: '%d/%m/%Y' }, reason: 'EU supplier' });
 * TypeReviewResponse.safeParse({ type: 'DOUBLE' }).success; // false: decidedType is missing, 'type' is unknown
 * ```
 */
export const TypeReviewResponse = z.strictObject({
  decidedType: z.string().min(1),
  format: ValueFormatSchema.optional(),
  reason: z.string().optional(),
  decidedBy: z.string().min(1).optional(),
  confidence: z.number().min(0).max(1).optional(),
}).superRefine((r, ctx) => {
  const problem = decisionProblem(r.decidedType, r.format as ValueFormat | undefined);
  // An unknown type is the type's fault, whatever format comes with it.
  if (problem) ctx.addIssue({ code: 'custom', path: [r.format && defaultAnswerFormat(r.decidedType) ? 'format' : 'decidedType'], message: problem });
});

/**
 * One reviewer's response per uncertain column, keyed by item id (`table.column`): the suggested
 * action when approved, the modified value (a `TypeReviewResponse`) when changed, or `null` when
 * rejected (the column stays text). This is what `dataraum resume --from-reviews` hands over.
 */
export const TypeReviewResponses = z.record(z.string(), TypeReviewResponse.nullable());

export type TypeReviewResponses = z.infer<typeof TypeReviewResponses>;

/**
 * Asks a person to confirm uncertain column types, and to decide again where an earlier decision
 * no longer fits the data (the item's context says why). Columns whose earlier decision still
 * fits are decided already (see `autoTypeDecisions`). The gate's value is the reviewers'
 * responses (`{}` when nothing needed review); `typeDecisions` turns them into decisions.
 *
 * @gate type_review TypeReviewResponses
 * @example
 * ```ts
 * const outcome = typeReview(autoTypeDecisions(candidates, staging));
 * // all confident: gate.pass({}) ; otherwise gate.review([{ itemId: 'orders.shipped_on', ... }])
 * ```
 */
export function typeReview(autoTypeDecisions: AutoTypeDecisions): GateOutcome<TypeReviewResponses> {
  const open = autoTypeDecisions.uncertain;
  if (open.length === 0) return gate.pass({});
  const items: ReviewItem[] = open.map((u) => {
    const context: TypeReviewContext = {
      table: u.table, column: u.column, rawType: u.suggestion.rawType, candidates: u.candidates,
      failedExamples: u.candidates[0]?.failedExamples ?? [], hints: u.hints, threshold: autoTypeDecisions.threshold,
      ...(u.earlierDecision ? { earlierDecision: u.earlierDecision } : {}),
    };
    const suggestedAction: TypeReviewSuggestion = { decidedType: u.suggestion.decidedType, format: u.suggestion.format, confidence: u.suggestion.confidence, reason: u.suggestion.reason };
    return { itemId: u.itemId, reviewType: TYPE_REVIEW, context, suggestedAction };
  });
  return gate.review(items);
}

