/** One month of Seattle weather, aggregated. */
export interface MonthlyWeather {
  readonly month: string;
  readonly days: number;
  readonly precipitationMm: number;
  readonly meanTempMax: number;
  readonly meanTempMin: number;
}

export interface WeatherTypeShare {
  readonly weather: string;
  readonly days: number;
  readonly share: number;
}
