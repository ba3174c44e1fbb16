/**
 * Ratios shown to people as percentages. Rounding must not make a figure look better or worse
 * than it is: 0.9995 with one failing rule is not "100%", and 1 null in 20 000 rows is not "0%".
 */

/**
 * `ratio` (0..1) as a percentage with `digits` decimals, cut down to the shown precision: a ratio
 * below 1 never reads 100%, and one above 0 never reads 0% (it reads `<0.1%`).
 *
 * @example
 * ```ts
 * formatPercent(0.9995);    // '99.9%'
 * formatPercent(0.9995, 0); // '99%'
 * formatPercent(0.00005);   // '<0.1%'
 * formatPercent(1);         // '100.0%'
 * ```
 */
export function formatPercent(ratio: number, digits: number = 1): string {
  if (!(ratio > 0)) return `${(0).toFixed(digits)}%`;
  if (ratio >= 1) return `${(100).toFixed(digits)}%`;
  const scale = 10 ** digits;
  const step = 1 / scale;
  // The small tolerance keeps 0.999 at 99.9 (0.999 * 1000 is 998.999... in binary floating point).
  const floored = Math.floor(ratio * 100 * scale + 1e-6) / scale;
  if (floored <= 0) return `<${step.toFixed(digits)}%`;
  return `${Math.min(floored, 100 - step).toFixed(digits)}%`;
}
