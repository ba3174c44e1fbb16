/**
 * Where the weather data comes from: a vega-datasets CSV read by DuckDB.
 */
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { openDuckDB, quoteLiteral, type DuckDBConnection } from '../duckdb.ts';

const require = createRequire(import.meta.url);

/** Path of the daily Seattle weather CSV (2012-2015) shipped with vega-datasets. */
export function weatherCsv(dataDir: string = join(dirname(require.resolve('vega-datasets')), '..', 'data')): string {
  return join(dataDir, 'seattle-weather.csv');
}

/**
 * A DuckDB connection for the weather queries (a resource: recreated, never cached).
 * @cache ignore
 */
export async function weatherDb(duckdbPath: string = ':memory:'): Promise<DuckDBConnection> {
  return openDuckDB(duckdbPath);
}

/**
 * The CSV as a DuckDB relation expression with explicit types (one scan per query).
 * @tag stage=load
 */
export function weatherSource(weatherCsv: string): string {
  return `read_csv(${quoteLiteral(weatherCsv)}, header = true, columns = {'date': 'DATE', 'precipitation': 'DOUBLE', 'temp_max': 'DOUBLE', 'temp_min': 'DOUBLE', 'wind': 'DOUBLE', 'weather': 'VARCHAR'})`;
}
