/**
 * Answers to the type_review gate. `TypeReviewAnswers` validates the gate's value on resume (the
 * full `TypeDecisions`); `applyReviewAnswers` builds it from the automatic decisions and a
 * reviewer's per-column answers.
 *
 * @example
 * ```ts
 * const decisions = applyReviewAnswers(auto, [
 *   { itemId: 'orders.shipped_on', action: 'accept', decidedBy: 'ana' },
 *   { itemId: 'orders.code', action: 'override', decidedType: 'VARCHAR', reason: 'product codes', decidedBy: 'ana' },
 * ]);
 * TypeReviewAnswers.parse(decisions); // what driver.resume(checkpointId, decisions) receives
 * ```
 */
import { z } from 'zod';
import { currencyTokens, defaultFormatFor, formatFits, safeType } from './formats.ts';
import type { AutoTypeDecisions, CandidateType, ColumnTypeDecision, TypeDecisions, ValueFormat } from './types.ts';

const strptime = z.string().min(1).max(200);

export const ValueFormatSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('native') }),
  z.object({ kind: z.literal('text') }),
  z.object({
    kind: z.literal('number'),
    decimal: z.enum(['.', ',']),
    thousands: z.enum(['', ',', '.', ' ', "'"]),
    currency: z.string().optional(),
    percent: z.boolean().optional(),
    unit: z.string().min(1).max(20).optional(),
  }),
  z.object({ kind: z.literal('boolean'), trueValues: z.array(z.string().min(1)).min(1), falseValues: z.array(z.string().min(1)).min(1) }),
  z.object({ kind: z.literal('date'), strptime }),
  z.object({ kind: z.literal('time'), strptime }),
  z.object({ kind: z.literal('timestamp'), strptime: strptime.nullable() }),
  z.object({ kind: z.literal('timestamptz'), strptime: strptime.nullable() }),
  z.object({ kind: z.literal('interval') }),
  z.object({ kind: z.literal('json') }),
]);

export const ColumnTypeDecisionSchema = z.object({
  table: z.string().min(1),
  column: z.string().min(1),
  rawType: z.string().min(1),
  decidedType: z.string().min(1),
  format: ValueFormatSchema,
  nullTokens: z.array(z.string()),
  confidence: z.number().min(0).max(1),
  decisionSource: z.enum(['auto', 'manual']),
  reason: z.string(),
  decidedBy: z.string().min(1),
  decidedAt: z.string().min(1),
}).superRefine((d, ctx) => {
  if (!formatFits(d.decidedType, d.format as ValueFormat)) {
    ctx.addIssue({ code: 'custom', path: ['format'], message: `format '${d.format.kind}' cannot produce ${d.decidedType} (${d.table}.${d.column})` });
  }
});

/** The type_review gate's value on resume: every column's decision. */
export const TypeReviewAnswers = z.object({ decisions: z.array(ColumnTypeDecisionSchema) });

/** One reviewer answer: accept the suggestion, or override with a type (and optionally a format). */
export const ColumnReviewAnswer = z.object({
  /** `table.column`, as in the review item. */
  itemId: z.string().min(1),
  action: z.enum(['accept', 'override']),
  decidedType: z.string().min(1).optional(),
  format: ValueFormatSchema.optional(),
  reason: z.string().optional(),
  decidedBy: z.string().min(1),
});
export type ColumnReviewAnswer = z.infer<typeof ColumnReviewAnswer>;

const CANDIDATE_TYPES: readonly CandidateType[] = ['INTEGER', 'BIGINT', 'DOUBLE', 'DECIMAL', 'BOOLEAN', 'DATE', 'TIMESTAMP', 'TIMESTAMPTZ', 'TIME', 'INTERVAL', 'JSON', 'VARCHAR'];

function formatForType(decidedType: string): ValueFormat {
  const base = decidedType.toUpperCase().replace(/\(.*$/, '').trim() as CandidateType;
  if (!CANDIDATE_TYPES.includes(base)) throw new Error(`No default format for type '${decidedType}': give a format with the answer`);
  return defaultFormatFor(base);
}

/**
 * Why a decided type with this format (or, without one, the type's default format) cannot type a
 * column; undefined when it can. The review boundaries check answers with it before storing them,
 * and resume before applying them, so an answer accepted once is never refused later.
 *
 * @example
 * ```ts
 * decisionProblem('DATE', { kind: 'number', decimal: '.', thousands: '' }); // "format 'number' cannot produce DATE; ..."
 * decisionProblem('DOUBLE');                                               // undefined
 * ```
 */
export function decisionProblem(decidedType: string, format?: ValueFormat): string | undefined {
  const type = decidedType.trim().toUpperCase();
  try {
    safeType(type);
  } catch {
    return `'${decidedType}' is not a DuckDB type name: use one of ${CANDIDATE_TYPES.join(', ')} or DECIMAL(p,s)`;
  }
  if (format === undefined) {
    const base = type.replace(/\(.*$/, '').trim() as CandidateType;
    return CANDIDATE_TYPES.includes(base) ? undefined : `type ${type} has no default format: give a format with it`;
  }
  if (!formatFits(type, format)) return `format '${format.kind}' cannot produce ${type}; give a ${type} format, or a type that format produces`;
  if (format.kind === 'number' && format.currency !== undefined) {
    try {
      currencyTokens(format.currency);
    } catch (err) {
      return (err as Error).message;
    }
  }
  return undefined;
}

/**
 * Merges reviewer answers into the automatic decisions. Every uncertain column needs an answer;
 * answers may also override already-decided columns. Returns decisions in staging order.
 */
export function applyReviewAnswers(auto: AutoTypeDecisions, answers: readonly ColumnReviewAnswer[]): TypeDecisions {
  const byId = new Map<string, ColumnTypeDecision>();
  for (const d of auto.decided) byId.set(`${d.table}.${d.column}`, d);
  const suggestions = new Map(auto.uncertain.map((u) => [u.itemId, u.suggestion]));
  const answered = new Set<string>();
  const decidedAt = new Date().toISOString();
  for (const raw of answers) {
    const a = ColumnReviewAnswer.parse(raw);
    const base = suggestions.get(a.itemId) ?? byId.get(a.itemId);
    if (!base) throw new Error(`applyReviewAnswers: answer for unknown column '${a.itemId}'; known items: ${[...suggestions.keys()].join(', ') || '(none)'}`);
    answered.add(a.itemId);
    if (a.action === 'accept') {
      byId.set(a.itemId, { ...base, decisionSource: 'manual', decidedBy: a.decidedBy, decidedAt, reason: a.reason ?? `accepted suggestion: ${base.reason}` });
      continue;
    }
    if (!a.decidedType) throw new Error(`applyReviewAnswers: override of '${a.itemId}' needs a decidedType`);
    const problem = decisionProblem(a.decidedType, a.format as ValueFormat | undefined);
    if (problem) throw new Error(`applyReviewAnswers: answer for '${a.itemId}': ${problem}`);
    const decidedType = a.decidedType.trim().toUpperCase();
    const format = (a.format as ValueFormat | undefined) ?? formatForType(decidedType);
    byId.set(a.itemId, {
      ...base, decidedType, format, confidence: 1, decisionSource: 'manual', decidedBy: a.decidedBy, decidedAt,
      reason: a.reason ?? `set to ${decidedType} by ${a.decidedBy}`,
    });
  }
  const missing = [...suggestions.keys()].filter((id) => !answered.has(id));
  if (missing.length > 0) throw new Error(`applyReviewAnswers: no answer for ${missing.length} uncertain column(s): ${missing.join(', ')}. Accept or override each.`);
  return { decisions: auto.order.map((id) => byId.get(id)).filter((d): d is ColumnTypeDecision => d !== undefined) };
}

/** The review type of the type_review gate's items. (Not in review.ts: every export of a node module is a node.) */
export const TYPE_REVIEW = 'type_review';

/**
 * A type_review answer from the review queue with the reviewer's name and notes in it, so the
 * decision records who made it and why: an approved or modified value gains `decidedBy` (unless it
 * has one) and, when the reviewer wrote notes, `reason` (an approved suggestion's own reason stays
 * after them); a rejection (null, keep the column as text) becomes that decision, by them.
 */
export function typeReviewAnswer(value: unknown, reviewedBy: string | null, notes: string | null = null, approved = false): unknown {
  const note = notes?.trim() || undefined;
  if (value === null) {
    if (!reviewedBy && !note) return value;
    return { decidedType: 'VARCHAR', format: { kind: 'text' }, reason: note ?? 'the reviewer rejected the suggested type: kept as text', decidedBy: reviewedBy ?? 'reviewer' };
  }
  if (typeof value !== 'object' || Array.isArray(value)) return value;
  const v = value as Record<string, unknown>;
  const reason = note === undefined ? v.reason : approved && typeof v.reason === 'string' ? `${note} (suggested: ${v.reason})` : v.reason === undefined ? note : v.reason;
  return { ...v, ...(reason !== undefined ? { reason } : {}), ...(reviewedBy && v.decidedBy === undefined ? { decidedBy: reviewedBy } : {}) };
}
