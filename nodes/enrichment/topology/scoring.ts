/**
 * Turns the evidence for one child -> parent candidate into a confidence, and says why a
 * coincidental inclusion is not a foreign key.
 *
 * Two independent sources of belief are combined as a noisy-or: the names (up to 0.9) and the
 * values (containment x how many distinct values were matched x how key-like the parent is).
 * Value evidence is discounted to 0.3 when the parent is a dense integer or date range, where any
 * small-number column is "contained" by accident (months, ratings, years, generic ids), so those
 * need name evidence. Without name evidence, tiny distinct counts, small integer ranges, year-like
 * values and tiny parent tables are rejected outright.
 */
import type { ColumnStat } from './column-stats.ts';
import type { NameEvidence } from './names.ts';

export interface ScoreInput {
  readonly child: ColumnStat;
  readonly parent: ColumnStat;
  readonly name: NameEvidence;
  readonly parentKeyness: number;
  /** Distinct child values (tuples) and how many of them the parent has. */
  readonly childDistinct: number;
  readonly matched: number;
  readonly parentDistinct: number;
}

export interface Score {
  readonly confidence: number;
  readonly containment: number | null;
  readonly nameConfidence: number;
  readonly valueConfidence: number;
  readonly parentDense: boolean;
  readonly penalties: readonly string[];
  /** Set when the candidate cannot be a foreign key whatever its confidence. */
  readonly reject: string | null;
}

export interface ScoreOptions {
  readonly minContainment: number;
  readonly minChildDistinct: number;
}

const clamp01 = (x: number) => Math.max(0, Math.min(1, x));
const round = (x: number) => Math.round(x * 10_000) / 10_000;

/** A parent whose values fill most of their range: every small subset of that range is contained. */
export function _isDense(parent: ColumnStat): boolean {
  if (parent.family === 'date' || parent.dateText) return true;
  if (!parent.numeric || parent.minNum === null || parent.maxNum === null) return false;
  return parent.distinct >= 0.5 * (parent.maxNum - parent.minNum + 1);
}

/** Name evidence that counts on its own (a stem, abbreviation or role match). */
const NAME_EVIDENCE = 0.5;
/** An all-null child (`original_language_id`) is kept on its name alone from here (confidence 0.65 x name). */
const NAME_ONLY = 0.75;

export function _score(input: ScoreInput, opts: ScoreOptions): Score {
  const { child, parent, name, parentKeyness, childDistinct, matched } = input;
  const penalties: string[] = [];
  const nameConfidence = 0.9 * name.score;
  const parentDense = _isDense(parent);
  const named = name.score >= NAME_EVIDENCE;
  const result = (confidence: number, containment: number | null, valueConfidence: number, reject: string | null): Score =>
    ({ confidence: round(clamp01(confidence)), containment: containment === null ? null : round(containment), nameConfidence: round(nameConfidence), valueConfidence: round(valueConfidence), parentDense, penalties, reject });

  if (childDistinct === 0) {
    // Nothing to measure: only a name that clearly points at the parent's key can stand alone.
    penalties.push('no non-null child values: judged by name only');
    return result(0.65 * name.score, null, 0, name.score >= NAME_ONLY ? null : 'no child values and no strong name evidence');
  }
  const containment = matched / childDistinct;
  if (containment < opts.minContainment) {
    return result(0, containment, 0, `containment ${round(containment)} below ${opts.minContainment}`);
  }

  // Coincidence guards: value evidence alone can't tell these from a key.
  let reject: string | null = null;
  // One or two values (flags, a constant) fit into almost any key: only a name can vouch for them
  // (`store_id` over two stores, `ReportsTo` over two managers).
  if (childDistinct < opts.minChildDistinct && !named) reject = `only ${childDistinct} distinct child values without name evidence`;
  else if (!named) {
    if (child.numeric && child.minNum !== null && child.maxNum !== null && child.minNum >= 0 && child.maxNum <= 31) reject = `small integer range ${child.minNum}..${child.maxNum} (months, days, ratings) without name evidence`;
    else if (child.numeric && child.minNum !== null && child.maxNum !== null && child.minNum >= 1800 && child.maxNum <= 2100) reject = `year-like values ${child.minNum}..${child.maxNum} without name evidence`;
    else if (parent.rowCount < 3) reject = `parent table has ${parent.rowCount} rows: too small to trust inclusion without name evidence`;
    else if (parentDense) penalties.push('parent is a dense range: inclusion is likely by accident without name evidence');
  }

  const strength = Math.min(1, Math.log10(childDistinct + 1) / 2);
  const valueContainment = clamp01((containment - 0.95) / 0.05);
  // Values with spaces are names or formatted text: they match by shared vocabulary, not as codes.
  const spaced = !named && parent.spaced;
  if (spaced) penalties.push('referenced values contain spaces (names, formatted text), not codes');
  let valueConfidence = valueContainment * strength * parentKeyness * (parentDense ? 0.3 : 1) * (spaced ? 0.5 : 1);
  if (strength < 0.5) penalties.push(`few distinct child values (${childDistinct})`);
  if (parentKeyness < 0.85) penalties.push(`referenced column looks little like its table's key (keyness ${parentKeyness})`);
  valueConfidence = clamp01(valueConfidence);

  let confidence = 1 - (1 - nameConfidence) * (1 - valueConfidence);
  if (containment < 1) {
    // Orphans: tolerated with name evidence, but they lower the belief.
    const orphans = 0.7 + 0.3 * clamp01((containment - opts.minContainment) / (1 - opts.minContainment));
    confidence *= orphans;
    penalties.push(`${childDistinct - matched} of ${childDistinct} distinct child values not in the parent`);
  }
  return result(confidence, containment, valueConfidence, reject);
}
