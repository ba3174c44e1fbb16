/**
 * Review gates. A gate node returns `gate.pass(value)` when nothing needs review (the run goes on
 * and `value` is the gate's value), or `gate.review(items)` to pause the run durably. On
 * `driver.resume(checkpointId, answers)` the answers become the gate's value.
 *
 * @example
 * ```ts
 * /** Asks a person to confirm uncertain column types. @gate type_review *\/
 * export function typeReview(autoTypeDecisions: Decision[]): GateOutcome<Decision[]> {
 *   const uncertain = autoTypeDecisions.filter((d) => d.confidence < 0.95);
 *   return uncertain.length ? gate.review(uncertain.map(toItem)) : gate.pass(autoTypeDecisions);
 * }
 * ```
 */
import type { ReviewItem } from './result.ts';

const GATE = Symbol.for('dataraum.gate');

export interface GateOutcome<A> {
  readonly [GATE]: 'pass' | 'review';
  readonly value?: A;
  readonly items?: readonly ReviewItem[];
}

/** The value consumers of a gate receive: `A` for `GateOutcome<A>`. */
export type GateValue<T> = T extends GateOutcome<infer A> ? A : T;

export const gate = {
  pass<A>(value: A): GateOutcome<A> {
    return { [GATE]: 'pass', value };
  },
  review<A>(items: readonly ReviewItem[]): GateOutcome<A> {
    return { [GATE]: 'review', items };
  },
};

export function isGateOutcome(v: unknown): v is GateOutcome<unknown> {
  return typeof v === 'object' && v !== null && GATE in v;
}

export function gateNeedsReview(v: GateOutcome<unknown>): boolean {
  return v[GATE] === 'review' && (v.items?.length ?? 0) > 0;
}
