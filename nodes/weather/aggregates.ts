/**
 * Aggregates of the daily Seattle weather, computed in DuckDB.
 */
import { z } from 'zod';
import { queryRows, type DuckDBConnection } from '../duckdb.ts';
import type { MonthlyWeather, WeatherTypeShare } from './types.ts';

export const MonthlyWeatherSchema = z.array(z.object({
  month: z.string().regex(/^\d{4}-\d{2}$/),
  days: z.number().int().min(28).max(31),
  precipitationMm: z.number().nonnegative(),
  meanTempMax: z.number(),
  meanTempMin: z.number(),
})).min(1);

/**
 * Precipitation and mean temperatures per calendar month.
 * @tag stage=aggregate
 * @check MonthlyWeatherSchema fail
 */
export async function monthlyWeather(weatherDb: DuckDBConnection, weatherSource: string): Promise<MonthlyWeather[]> {
  const rows = await queryRows<{ month: string; days: string; precipitation_mm: number; mean_temp_max: number; mean_temp_min: number }>(weatherDb, `
    SELECT strftime(date, '%Y-%m') AS month, count(*) AS days, round(sum(precipitation), 1) AS precipitation_mm,
           round(avg(temp_max), 2) AS mean_temp_max, round(avg(temp_min), 2) AS mean_temp_min
    FROM ${weatherSource} GROUP BY ALL ORDER BY month`);
  return rows.map((r) => ({ month: r.month, days: Number(r.days), precipitationMm: r.precipitation_mm, meanTempMax: r.mean_temp_max, meanTempMin: r.mean_temp_min }));
}

/**
 * How many days had each kind of weather, and their share of all days.
 * @tag stage=aggregate
 */
export async function weatherTypes(weatherDb: DuckDBConnection, weatherSource: string): Promise<WeatherTypeShare[]> {
  const rows = await queryRows<{ weather: string; days: string; share: number }>(weatherDb, `
    SELECT weather, count(*) AS days, round(count(*) / sum(count(*)) OVER (), 4) AS share
    FROM ${weatherSource} GROUP BY weather ORDER BY days DESC, weather`);
  return rows.map((r) => ({ weather: r.weather, days: Number(r.days), share: r.share }));
}

/**
 * Mean of the daily maximum temperature over a trailing window of days, for the last day.
 * @parameterize lastWeekTempMax windowDays=7
 * @parameterize lastMonthTempMax windowDays=30
 * @tag stage=aggregate
 */
export async function trailingTempMax(weatherDb: DuckDBConnection, weatherSource: string, windowDays: number): Promise<number> {
  const [row] = await queryRows<{ v: number }>(weatherDb, `
    SELECT round(avg(temp_max), 2) AS v FROM (SELECT temp_max FROM ${weatherSource} ORDER BY date DESC LIMIT $n)`, { n: windowDays });
  return row.v;
}

/**
 * Temperatures reported in degrees Celsius (the data's unit).
 * @when units=metric
 */
export function temperatureUnit__metric(): string {
  return '°C';
}

/**
 * Temperatures reported in degrees Fahrenheit.
 * @whenNot units=metric
 */
export function temperatureUnit__imperial(): string {
  return '°F';
}

/**
 * The headline figures of the dataset.
 * @extract_fields
 */
export function summary(monthlyWeather: MonthlyWeather[], weatherTypes: WeatherTypeShare[], temperatureUnit: string): {
  wettestMonth: string;
  warmestMonth: string;
  commonestWeather: string;
  unit: string;
} {
  const by = <T>(xs: T[], f: (x: T) => number) => xs.reduce((a, b) => (f(b) > f(a) ? b : a));
  return {
    wettestMonth: by(monthlyWeather, (m) => m.precipitationMm).month,
    warmestMonth: by(monthlyWeather, (m) => m.meanTempMax).month,
    commonestWeather: weatherTypes[0].weather,
    unit: temperatureUnit,
  };
}

/**
 * A one-paragraph report of the headline figures.
 * @tag stage=report
 */
export function report(wettestMonth: string, warmestMonth: string, commonestWeather: string, lastWeekTempMax: number, unit: string, toFahrenheit = unit === '°F'): string {
  const t = toFahrenheit ? Math.round((lastWeekTempMax * 9) / 5 + 32) : lastWeekTempMax;
  return `Seattle 2012-2015: wettest month ${wettestMonth}, warmest ${warmestMonth}, most days were '${commonestWeather}'; the last week averaged a high of ${t}${unit}.`;
}
