/**
 * Chooses a column's granularity from the shape of its distinct values at every unit. A unit
 * qualifies when the values fall in distinct periods of it (a coarser unit would merge them) and
 * its modal step is really that long in time (two values a day apart are in consecutive ISO
 * weeks, but their gap is not a week). Among qualifying units the one whose modal step explains
 * most gaps wins, the coarser on a tie: monthly data is 'month' although its gaps run 28..31
 * days, daily data is 'day' although every gap is also 24 hours, and a trading-day series is
 * 'business_day' because Friday -> Monday is one step there.
 */
import type { ShapeResult, UnitShape } from './temporal-queries.ts';
import type { GranularityDetection, TemporalUnit } from './types.ts';
import { intervalText, NOMINAL_SECONDS } from './units.ts';

/** Share of consecutive pairs allowed to fall in one period (stray values at a finer time). */
const COLLISION_TOLERANCE = 0.02;
/** The modal step's mean gap in seconds must be within this factor of its nominal length. */
const GAP_RATIO = { min: 0.9, max: 1.1 } as const;
/** Shares closer than this count as a tie (the coarser unit wins). */
const TIE = 0.01;
/** Below this share of regular steps the values are irregular (event timestamps). */
const MIN_SHARE = 0.25;

export interface ChosenGranularity extends GranularityDetection {
  /** The unit's shape (index range, ...) when a unit was chosen. */
  readonly shape: UnitShape | null;
}

interface Scored {
  readonly shape: UnitShape & { step: number };
  readonly share: number;
}

/** Null with fewer than two distinct values: a single point has no spacing. */
export function chooseGranularity(shape: ShapeResult): ChosenGranularity | null {
  if (shape.values < 2) return null;
  const allowedCollisions = Math.floor(shape.pairs * COLLISION_TOLERANCE);
  const scored: Scored[] = [];
  for (const u of shape.units) {
    if (u.step === null || u.step < 1 || u.steps === 0 || u.meanGapSeconds === null) continue;
    if (u.collisions > allowedCollisions) continue;
    const ratio = u.meanGapSeconds / (u.step * NOMINAL_SECONDS[u.unit]);
    if (ratio < GAP_RATIO.min || ratio > GAP_RATIO.max) continue;
    scored.push({ shape: u as UnitShape & { step: number }, share: u.hits / u.steps });
  }
  if (scored.length === 0) {
    return { granularity: 'irregular', step: 1, confidence: 1, dominantGap: null, dominantGapShare: 0, alignment: 0, shape: null };
  }
  const best = Math.max(...scored.map((s) => s.share));
  // `scored` keeps UNITS order, coarse to fine: the first near-best is the coarsest.
  const pick = scored.find((s) => s.share >= best - TIE)!;
  const unit: TemporalUnit = pick.shape.unit;
  const alignment = shape.values > 0 ? pick.shape.aligned / shape.values : 0;
  const dominantGap = intervalText(pick.shape.step, unit);
  if (pick.share < MIN_SHARE) {
    return { granularity: 'irregular', step: pick.shape.step, confidence: round(1 - pick.share), dominantGap, dominantGapShare: round(pick.share), alignment: round(alignment), shape: null };
  }
  return {
    granularity: unit,
    step: pick.shape.step,
    confidence: round(pick.share * (0.75 + 0.25 * alignment)),
    dominantGap,
    dominantGapShare: round(pick.share),
    alignment: round(alignment),
    shape: pick.shape,
  };
}

function round(x: number): number {
  return Math.round(x * 1e6) / 1e6;
}

/**
 * The bucket irregular timestamps are counted per: days, or hours / minutes when the values span
 * less than two weeks / two days (so the series has enough periods to say something).
 */
export function bucketFor(shape: ShapeResult): (UnitShape & { minIndex: number; maxIndex: number }) | null {
  const by = (unit: TemporalUnit) => shape.units.find((u) => u.unit === unit);
  const span = (u: UnitShape | undefined) => (u && u.minIndex !== null && u.maxIndex !== null ? u.maxIndex - u.minIndex + 1 : 0);
  const day = by('day');
  const hour = by('hour');
  const pick = span(day) >= 14 ? day : span(hour) >= 48 ? hour : by('minute');
  if (!pick || pick.minIndex === null || pick.maxIndex === null) return null;
  return pick as UnitShape & { minIndex: number; maxIndex: number };
}
