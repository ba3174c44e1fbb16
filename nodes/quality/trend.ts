/** Direction of a rule's pass rate between two runs. */
import type { Trend } from './types.ts';

/** Pass-rate change below which the trend is `stable`. */
export const TREND_EPSILON = 0.001;

/**
 * `up` when the pass rate rose by more than TREND_EPSILON, `down` when it fell, else `stable`.
 *
 * @example
 * ```ts
 * trendOf(0.95, 0.99); // 'up'
 * ```
 */
export function trendOf(previous: number, current: number): Trend {
  if (current - previous > TREND_EPSILON) return 'up';
  if (previous - current > TREND_EPSILON) return 'down';
  return 'stable';
}
