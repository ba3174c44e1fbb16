/**
 * A temporal profile as a temporal_profiles row. The table has columns for the headline figures;
 * everything else (the gap list, slope and R², autocorrelations, alignment, the series used)
 * goes into gap_details as JSON.
 */
import type { Insertable } from 'kysely';
import type { TemporalProfilesTable } from '../../../store/index.ts';
import type { TemporalColumnProfile } from './types.ts';
import { intervalText } from './units.ts';

/**
 * A profile's ISO text as a UTC instant for a timestamp column: a year or a date is its first
 * moment, a zone-less date-time is read as UTC. Null when JavaScript cannot represent it.
 *
 * @example
 * ```ts
 * instantText('1958-03-01');          // '1958-03-01T00:00:00.000Z'
 * instantText('2015-01-01T01:00:00'); // '2015-01-01T01:00:00.000Z'
 * instantText('1880');                // '1880-01-01T00:00:00.000Z'
 * ```
 */
export function instantText(iso: string | null): string | null {
  if (iso === null) return null;
  let text = iso;
  if (/^\d{4}$/.test(text)) text = `${text}-01-01T00:00:00Z`;
  else if (/^\d{4}-\d{2}-\d{2}$/.test(text)) text = `${text}T00:00:00Z`;
  else if (/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?$/.test(text)) text = `${text}Z`;
  else if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/.test(text)) return null;
  const ms = Date.parse(text);
  return Number.isNaN(ms) ? null : new Date(ms).toISOString();
}

/** The temporal_profiles row of one column's profile. */
export function storedRow(p: TemporalColumnProfile, columnId: string, profiledAt: string): Insertable<TemporalProfilesTable> {
  const g = p.granularity;
  return {
    temporalId: crypto.randomUUID(),
    columnId,
    minTimestamp: instantText(p.min),
    maxTimestamp: instantText(p.max),
    detectedGranularity: g?.granularity ?? null,
    granularityConfidence: g?.confidence ?? null,
    dominantGap: g?.dominantGap ?? null,
    expectedPeriods: p.expectedPeriods,
    actualPeriods: p.actualPeriods,
    completenessRatio: p.completenessRatio,
    gapCount: p.gapCount,
    largestGap: p.largestGap && p.periodUnit && p.periodStep ? intervalText(p.largestGap.missingPeriods * p.periodStep, p.periodUnit) : null,
    gapDetails: {
      kind: p.kind,
      column_type: p.columnType,
      time_zone: p.timeZone,
      min: p.min,
      max: p.max,
      period_unit: p.periodUnit,
      period_step: p.periodStep,
      dominant_gap_share: g?.dominantGapShare ?? null,
      alignment: g?.alignment ?? null,
      missing_periods: p.missingPeriods,
      gaps: p.gaps.map((x) => ({ start: x.start, end: x.end, missing_periods: x.missingPeriods })),
      gaps_listed: p.gaps.length,
      largest_gap: p.largestGap ? { start: p.largestGap.start, end: p.largestGap.end, missing_periods: p.largestGap.missingPeriods } : null,
      series: { aggregate: p.series.aggregate, measure: p.series.measure },
      seasonality: p.seasonality ? {
        strength: p.seasonality.strength,
        autocorrelations: p.seasonality.autocorrelations.map((a) => ({ lag: a.lag, acf: a.acf, pairs: a.pairs, ...(a.block ? { block: { periods: a.block.periods, lag: a.block.lag } } : {}) })),
        reason: p.seasonality.reason ?? null,
      } : null,
      trend: p.trend ? { slope: p.trend.slope, r2: p.trend.r2, periods: p.trend.periods } : null,
      note: p.note ?? null,
    },
    hasSeasonality: p.seasonality?.hasSeasonality ?? false,
    seasonalityPeriod: p.seasonality?.period ?? null,
    trendDirection: p.trend?.direction ?? null,
    profiledAt,
  };
}
