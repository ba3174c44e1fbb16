/**
 * The one quality figure of a set of tables. `contextDocument` states it for the source and
 * `selectContext` again for the tables it keeps, so both weigh tables the same way.
 */

/**
 * Row-weighted mean of the tables' overall scores (an empty table weighs as one row); null when no
 * table is scored.
 *
 * @example
 * ```ts
 * overallScore([{ overall: 1, rows: 60 }, { overall: 0.9, rows: 3000 }, { overall: null, rows: 5 }]); // 0.90196...
 * ```
 */
export function overallScore(tables: readonly { readonly overall: number | null; readonly rows: number }[]): number | null {
  const scored = tables.filter((t) => t.overall !== null);
  if (!scored.length) return null;
  const weight = (rows: number) => Math.max(1, rows);
  return scored.reduce((s, t) => s + (t.overall as number) * weight(t.rows), 0) / scored.reduce((s, t) => s + weight(t.rows), 0);
}
