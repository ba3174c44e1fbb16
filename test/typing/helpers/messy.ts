/**
 * Generated messy text columns, one per case type inference must handle, staged as all-VARCHAR
 * raw tables like a CSV would be.
 */
import type { DuckDBConnection } from '../../../nodes/duckdb.ts';
import type { StagedTable } from '../../../nodes/staging/types.ts';
import { describeStaged } from '../../profiling/helpers/stage-csv.ts';

/** 1-based row of the single bad value in `raw_big`. */
export const BAD_ROW = 99_992;
export const BIG_ROWS = 100_000;

/**
 * `raw_big` (100,000 rows): `qty` integers with ONE bad value ('twelve') at row 99,992, `amount_eu`
 * with decimal commas and dot grouping, `zip` codes with leading zeros, `note` with gaps.
 */
export async function stageBig(conn: DuckDBConnection): Promise<StagedTable> {
  await conn.run(`CREATE OR REPLACE TABLE raw_big AS
    SELECT
      CASE WHEN i = ${BAD_ROW - 1} THEN 'twelve' WHEN i % 1000 = 7 THEN '' WHEN i % 1000 = 8 THEN 'NA' ELSE CAST(i % 5000 AS VARCHAR) END AS qty,
      replace(replace(replace(format('{:,.2f}', CAST(i * 13.37 AS DOUBLE)), ',', '#'), '.', ','), '#', '.') AS amount_eu,
      lpad(CAST((i * 7) % 100000 AS VARCHAR), 5, '0') AS zip,
      CASE WHEN i % 3 = 0 THEN NULL ELSE 'note ' || CAST(i AS VARCHAR) END AS note
    FROM range(${BIG_ROWS}) t(i) ORDER BY i`);
  return describeStaged(conn, 'big', 'raw_big');
}

/** `raw_messy` (2,000 rows): one column per remaining case. */
export async function stageMessy(conn: DuckDBConnection): Promise<StagedTable> {
  await conn.run(`CREATE OR REPLACE TABLE raw_messy AS
    WITH base AS (SELECT i, DATE '2021-01-01' + CAST(i % 700 AS INTEGER) AS d, TIMESTAMP '2022-03-04 05:06:07' + to_minutes(CAST(i * 37 AS BIGINT)) AS ts FROM range(2000) t(i))
    SELECT
      format('{:,.2f}', CAST(i * 1.5 + 1000 AS DOUBLE)) AS us_number,
      replace(replace(format('{:,.2f}', CAST(i * 1.5 + 1000 AS DOUBLE)), ',', ' '), '.', ',') AS fr_number,
      CASE WHEN i % 2 = 0 THEN '12,5' ELSE CAST(i AS VARCHAR) || ',25' END AS comma_decimal,
      '$' || format('{:,.2f}', CAST(i * 10.5 + 999 AS DOUBLE)) AS price_usd,
      CAST(i % 90 + 10 AS VARCHAR) || ' EUR' AS price_eur,
      '€' || CAST(i % 50 AS VARCHAR) AS price_eur_symbol,
      '£' || format('{:.2f}', CAST(i / 8.0 AS DOUBLE)) AS price_gbp,
      CAST(i % 101 AS VARCHAR) || '%' AS discount,
      strftime(d, '%d/%m/%Y') AS day_first,
      strftime(d, '%m/%d/%Y') AS month_first,
      strftime(DATE '2020-01-01' + CAST((i % 12) * 31 AS INTEGER), '%m/%d/%Y') AS ambiguous_date,
      strftime(d, '%d.%m.%Y') AS dotted_date,
      strftime(d, '%Y/%m/%d') AS slashed_iso,
      strftime(d, '%b %d %Y') AS month_name_date,
      strftime(ts, '%Y-%m-%dT%H:%M:%S') || CASE WHEN i % 2 = 0 THEN 'Z' ELSE '+02:00' END AS zoned,
      strftime(ts, '%Y-%m-%d %H:%M:%S') AS naive_ts,
      strftime(ts, '%H:%M') AS clock,
      CASE WHEN i % 3 = 0 THEN 'Y' ELSE 'N' END AS flag_yn,
      CASE WHEN i % 4 = 0 THEN 'yes' ELSE 'no' END AS answer,
      CASE WHEN i % 5 = 0 THEN 'true' ELSE 'false' END AS tf,
      CASE WHEN i % 2 = 0 THEN 't' ELSE 'f' END AS t_f,
      CASE WHEN i % 2 = 0 THEN '1' ELSE '0' END AS is_active,
      CASE WHEN i % 2 = 0 THEN '1' ELSE '0' END AS quantity,
      lpad(CAST(i * 3 AS VARCHAR), 5, '0') AS postal_code,
      CAST(500000 + i * 7 AS VARCHAR) AS customer_id,
      CAST(i + 1 AS VARCHAR) AS order_id,
      format('{:.1f}', CAST(i / 10.0 AS DOUBLE)) || ' kg' AS weight,
      format('{:.1f}', CAST(50 + i % 40 AS DOUBLE)) AS temp_f,
      format('{:.1f}', CAST(i % 300 AS DOUBLE) / 10) || '°C' AS reading,
      CAST(i % 120 AS VARCHAR) || ' km/h' AS speed,
      CASE WHEN i % 2 = 0 THEN '{"a": ' || CAST(i AS VARCHAR) || '}' ELSE '[1, 2]' END AS payload,
      CAST(i % 9 + 1 AS VARCHAR) || ' days' AS wait,
      'user' || CAST(i AS VARCHAR) || '@example.com' AS email,
      CASE WHEN i % 10 = 0 THEN 'n/a' WHEN i % 10 = 1 THEN '' ELSE CAST(i AS VARCHAR) || '.5' END AS sparse_number,
      CASE WHEN i % 2 = 0 THEN CAST(i AS VARCHAR) ELSE 'item ' || CAST(i AS VARCHAR) END AS half_numbers,
      CAST(CAST(i AS BIGINT) * 10000000 AS VARCHAR) AS big_counts
    FROM base ORDER BY i`);
  return describeStaged(conn, 'messy', 'raw_messy');
}
