/**
 * Automatic type decisions: a column is decided when its best candidate's confidence reaches the
 * threshold; strong sources (and non-text raw columns) keep their types; the rest is left for
 * the type_review gate.
 */
import type { StagingResult } from '../staging/types.ts';
import { describeFormat } from './formats.ts';
import type { AutoTypeDecisions, ColumnTypeDecision, ColumnTypeInference, TypeCandidatesResult, UncertainColumn } from './types.ts';

/** Who automatic decisions are attributed to. */
export const AUTO_DECIDER = 'dataraum';

/**
 * Splits columns into decided and uncertain.
 *
 * @example
 * ```ts
 * const auto = autoTypeDecisions(await typeCandidates(staging, conn), staging, 0.95);
 * auto.decided.find((d) => d.column === 'price')?.decidedType; // 'DOUBLE'
 * auto.uncertain.map((u) => u.itemId);                          // ['orders.shipped_on']
 * ```
 */
export function autoTypeDecisions(typeCandidates: TypeCandidatesResult, staging: StagingResult, decisionThreshold = 0.95): AutoTypeDecisions {
  if (!(decisionThreshold >= 0 && decisionThreshold <= 1)) {
    throw new Error(`autoTypeDecisions: decisionThreshold must be between 0 and 1, got ${decisionThreshold}`);
  }
  const decidedAt = new Date().toISOString();
  const decided: ColumnTypeDecision[] = [];
  const uncertain: UncertainColumn[] = [];
  const order: string[] = [];
  for (const table of staging.tables) {
    const inferred = typeCandidates.tables[table.name];
    for (const col of [...table.columns].sort((a, b) => a.position - b.position)) {
      order.push(`${table.name}.${col.name}`);
      const inf = inferred?.columns[col.name];
      if (!inf) {
        decided.push({
          table: table.name, column: col.name, rawType: col.rawType, decidedType: col.rawType, format: { kind: 'native' }, nullTokens: [],
          confidence: 1, decisionSource: 'auto', decidedBy: AUTO_DECIDER, decidedAt,
          reason: table.strength === 'strong' ? `strong source (${staging.sourceType}): ${col.rawType} kept` : `raw column is already ${col.rawType}: kept`,
        });
        continue;
      }
      const decision = suggestion(inf, decidedAt);
      if (inf.best.confidence >= decisionThreshold) decided.push(decision);
      else uncertain.push(uncertainColumn(inf, decision));
    }
  }
  return { threshold: decisionThreshold, order, decided, uncertain };
}

function suggestion(inf: ColumnTypeInference, decidedAt: string): ColumnTypeDecision {
  const b = inf.best;
  const rate = `${(b.parseSuccessRate * 100).toFixed(3).replace(/\.?0+$/, '')}% of ${inf.nonNullCount} non-null values parse`;
  const reason = [`${b.type} as ${describeFormat(b.format)}: ${rate}`, ...b.notes].join('; ');
  return {
    table: inf.table, column: inf.column, rawType: inf.rawType, decidedType: b.duckdbType, format: b.format, nullTokens: inf.nullTokens,
    confidence: b.confidence, decisionSource: 'auto', decidedBy: AUTO_DECIDER, decidedAt, reason,
  };
}

function uncertainColumn(inf: ColumnTypeInference, decision: ColumnTypeDecision): UncertainColumn {
  return {
    itemId: `${inf.table}.${inf.column}`,
    table: inf.table,
    column: inf.column,
    suggestion: decision,
    candidates: inf.candidates,
    hints: {
      nonNullCount: inf.nonNullCount, distinctCount: inf.distinctCount, minLength: inf.minLength, maxLength: inf.maxLength,
      ...(inf.pattern ? { pattern: inf.pattern } : {}), ...(inf.unit ? { unit: inf.unit } : {}), ...(inf.identifier ? { identifier: inf.identifier } : {}),
    },
  };
}
