/**
 * Typed tables for semantic tests, built directly in DuckDB from real data (vega-datasets) or
 * generated with SQL, and described as a `TypedSource` by hand (what type resolution would hand over).
 */
import { queryRows, quoteIdent, type DuckDBConnection } from '../../nodes/duckdb.ts';
import type { TypedSource, TypedTable } from '../../nodes/enrichment/types.ts';

export const VEGA_DIR = new URL('../../node_modules/vega-datasets/data/', import.meta.url).pathname;

/** Creates `typed_<name>` from a SELECT and describes it from DuckDB's catalog. */
export async function typedTable(conn: DuckDBConnection, name: string, select: string): Promise<TypedTable> {
  const typed = `typed_${name}`;
  await conn.run(`CREATE OR REPLACE TABLE ${quoteIdent(typed)} AS ${select}`);
  return describeTable(conn, name, typed);
}

export async function describeTable(conn: DuckDBConnection, name: string, typed: string): Promise<TypedTable> {
  const cols = await queryRows<{ column_name: string; data_type: string; ordinal_position: number }>(conn,
    'SELECT column_name, data_type, ordinal_position FROM information_schema.columns WHERE table_name = $1 ORDER BY ordinal_position', [typed]);
  const [count] = await queryRows<{ n: string }>(conn, `SELECT count(*) AS n FROM ${quoteIdent(typed)}`);
  return {
    name,
    typedTable: typed,
    rowCount: Number(count!.n),
    columns: cols.map((c) => ({ name: c.column_name, originalName: c.column_name, position: Number(c.ordinal_position) - 1, type: c.data_type })),
  };
}

export function sourceOf(sourceName: string, ...tables: TypedTable[]): TypedSource {
  return { sourceName, tables };
}

/** A small retail star schema: customers and products (dimensions), sales lines (fact), orders (one row per order). */
export async function retailStar(conn: DuckDBConnection): Promise<{ customers: TypedTable; products: TypedTable; sales: TypedTable; orders: TypedTable }> {
  const customers = await typedTable(conn, 'customers', `
    SELECT i::INTEGER AS customer_id, 'Customer ' || i AS cust_nm, 'c' || i || '@example.com' AS email,
           ['north', 'south', 'east', 'west'][1 + i % 4] AS region, DATE '2020-01-01' + (i * 3)::INTEGER AS signup_date
    FROM range(1, 201) t(i)`);
  const products = await typedTable(conn, 'products', `
    SELECT i::INTEGER AS product_id, 'Product ' || i AS product_name, ['toys', 'books', 'garden', 'food', 'tools'][1 + i % 5] AS category,
           (5 + (i * 37) % 100 + 0.99)::DECIMAL(10, 2) AS unit_price
    FROM range(1, 51) t(i)`);
  // 3 lines per order; product and customer spread deterministically.
  const sales = await typedTable(conn, 'sales', `
    SELECT (1 + i // 3)::INTEGER AS order_id, (1 + i % 3)::INTEGER AS line_no, (1 + ((i // 3) * 7919) % 200)::INTEGER AS customer_id,
           (1 + (i * 31) % 50)::INTEGER AS product_id, DATE '2024-01-01' + ((i // 3) % 366)::INTEGER AS order_date,
           (1 + i % 4)::INTEGER AS qty, ((1 + i % 4) * (5 + (i * 13) % 90 + 0.5))::DECIMAL(12, 2) AS amount,
           ['online', 'store', 'marketplace'][1 + (i // 3) % 3] AS channel
    FROM range(0, 1500) t(i)`);
  const orders = await typedTable(conn, 'orders', `
    SELECT order_id, any_value(customer_id) AS customer_id, any_value(order_date) AS order_date, sum(qty)::INTEGER AS items,
           sum(amount)::DECIMAL(14, 2) AS order_total, any_value(channel) AS channel,
           CASE WHEN order_id % 10 = 0 THEN 'returned' WHEN order_id % 7 = 0 THEN 'cancelled' ELSE 'delivered' END AS order_status
    FROM typed_sales GROUP BY order_id ORDER BY order_id`);
  return { customers, products, sales, orders };
}
