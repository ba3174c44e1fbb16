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
    negative: z.enum(['parentheses', 'trailing']).optional(),
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
  acceptedFit: z.object({ parseSuccessRate: z.number().min(0).max(1), parsedCount: z.number().int().min(0), failedCount: z.number().int().min(0) }).optional(),
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

/** Type names a reviewer can decide (a format produces each, and each has a default one), as messages list them. */
const DECIDABLE_TYPES = [
  'TINYINT', 'SMALLINT', 'INTEGER', 'BIGINT', 'HUGEINT', 'UTINYINT', 'USMALLINT', 'UINTEGER', 'UBIGINT', 'FLOAT', 'REAL', 'DOUBLE',
  'DECIMAL', 'DECIMAL(p,s)', 'BOOLEAN', 'DATE', 'TIME', 'TIMESTAMP', 'TIMESTAMPTZ', 'INTERVAL', 'JSON', 'VARCHAR',
];

/** One default format per format kind: every number type reads like INTEGER (decimal '.', no grouping). */
const DEFAULT_FORMATS: readonly ValueFormat[] = (['INTEGER', 'BOOLEAN', 'DATE', 'TIME', 'TIMESTAMP', 'TIMESTAMPTZ', 'INTERVAL', 'JSON', 'VARCHAR'] as const satisfies readonly CandidateType[])
  .map(defaultFormatFor);

/**
 * The format a decided type is read with when the answer gives none: the default format that
 * produces it (every number type: decimal '.', no grouping); undefined for a type no format
 * produces, which `decisionProblem` calls unknown.
 *
 * @example
 * ```ts
 * defaultAnswerFormat('smallint'); // { kind: 'number', decimal: '.', thousands: '' }
 * defaultAnswerFormat('DATUM');    // undefined
 * ```
 */
export function defaultAnswerFormat(decidedType: string): ValueFormat | undefined {
  const type = decidedType.trim().toUpperCase();
  return DEFAULT_FORMATS.find((f) => formatFits(type, f));
}

function formatForType(decidedType: string): ValueFormat {
  const format = defaultAnswerFormat(decidedType);
  if (!format) throw new Error(`No default format for type '${decidedType}': give a format with the answer`);
  return format;
}

/**
 * Why a decided type with this format (or, without one, the type's default format) cannot type a
 * column; undefined when it can. The review boundaries check answers with it before storing them,
 * and resume before applying them, so an answer accepted once is never refused later. With the
 * `native` format (the raw column already has its type) any type name goes; otherwise the type
 * must be one a format produces.
 *
 * @example
 * ```ts
 * decisionProblem('DATE', { kind: 'number', decimal: '.', thousands: '' }); // "format 'number' cannot produce DATE; ..."
 * decisionProblem('DATUM');                                                // "unknown type 'DATUM': use one of TINYINT, ..."
 * decisionProblem('SMALLINT');                                             // undefined (read as numbers: decimal '.', no grouping)
 * ```
 */
export function decisionProblem(decidedType: string, format?: ValueFormat): string | undefined {
  const type = decidedType.trim().toUpperCase();
  const unknown = `unknown type '${decidedType}': use one of ${DECIDABLE_TYPES.join(', ')}`;
  try {
    safeType(type);
  } catch {
    return unknown;
  }
  const fits = defaultAnswerFormat(type);
  if (format?.kind !== 'native' && fits === undefined) return unknown;
  if (format === undefined) return undefined;
  if (!formatFits(type, format)) {
    if (format.kind === 'number' && format.percent && fits?.kind === 'number') {
      return `format 'number' cannot produce ${type} with percent: percentages read as fractions (45% -> 0.45); decide DOUBLE or DECIMAL(p,s)`;
    }
    return `format '${format.kind}' cannot produce ${type}; give a '${fits?.kind}' format (or none, for the default), or a type that format '${format.kind}' produces`;
  }
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
    // A new decision: the fit it is accepted with is measured when it is applied (storedTypeResolution).
    const { acceptedFit: _earlier, ...fresh } = base;
    if (a.action === 'accept') {
      byId.set(a.itemId, { ...fresh, decisionSource: 'manual', decidedBy: a.decidedBy, decidedAt, reason: a.reason ?? `accepted suggestion: ${base.reason}` });
      continue;
    }
    if (!a.decidedType) throw new Error(`applyReviewAnswers: override of '${a.itemId}' needs a decidedType`);
    const problem = decisionProblem(a.decidedType, a.format as ValueFormat | undefined);
    if (problem) throw new Error(`applyReviewAnswers: answer for '${a.itemId}': ${problem}`);
    const decidedType = a.decidedType.trim().toUpperCase();
    const format = (a.format as ValueFormat | undefined) ?? formatForType(decidedType);
    byId.set(a.itemId, {
      ...fresh, decidedType, format, confidence: 1, decisionSource: 'manual', decidedBy: a.decidedBy, decidedAt,
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
