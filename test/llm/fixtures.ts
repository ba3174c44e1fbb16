/** A small typed table with private columns, and a heuristic draft of its annotations. */
import type { DuckDBConnection } from '../../nodes/duckdb.ts';
import type { ColumnAnnotation, SemanticAnnotations, SemanticRole } from '../../nodes/enrichment/semantic/types.ts';
import type { TypedSource } from '../../nodes/enrichment/types.ts';

/** Real-looking private values: none of them may reach a request body. */
export const EMAILS = ['ann.lee@example.com', 'bob.ray@mailhost.org', 'cy.sun@corp.example.net'];
export const PHONES = ['+1 415-555-0134', '+49 30 1234567', '+44 20 7946 0958'];
export const CARDS = ['4111 1111 1111 1111', '5500-0000-0000-0004', '340000000000009'];
export const NAMES = ['Annabel Leeworth', 'Bobby Raymondson', 'Cyrus Sunderland'];

export async function createCustomers(conn: DuckDBConnection): Promise<TypedSource> {
  await conn.run(`CREATE OR REPLACE TABLE typed_customers AS
    SELECT i::INTEGER AS customer_id,
           ['${EMAILS.join("','")}'][1 + i % 3] AS email,
           ['${PHONES.join("','")}'][1 + i % 3] AS phone,
           ['${CARDS.join("','")}'][1 + i % 3] AS card_number,
           ['${NAMES.join("','")}'][1 + i % 3] AS full_name,
           ['gold', 'silver', 'bronze'][1 + i % 3] AS tier,
           (i * 12.5)::DOUBLE AS balance,
           DATE '2024-01-01' + i::INTEGER AS signup_date
    FROM range(0, 30) t(i)`);
  await conn.run(`CREATE OR REPLACE TABLE typed_orders AS
    SELECT i::INTEGER AS order_id, (i % 30)::INTEGER AS customer_id, (i * 3.0)::DOUBLE AS amount FROM range(0, 60) t(i)`);
  const cols = (names: [string, string][]) => names.map(([name, type], position) => ({ name, originalName: name, position, type }));
  return {
    sourceName: 'shop',
    tables: [
      { name: 'customers', typedTable: 'typed_customers', rowCount: 30, columns: cols([['customer_id', 'INTEGER'], ['email', 'VARCHAR'], ['phone', 'VARCHAR'], ['card_number', 'VARCHAR'], ['full_name', 'VARCHAR'], ['tier', 'VARCHAR'], ['balance', 'DOUBLE'], ['signup_date', 'DATE']]) },
      { name: 'orders', typedTable: 'typed_orders', rowCount: 60, columns: cols([['order_id', 'INTEGER'], ['customer_id', 'INTEGER'], ['amount', 'DOUBLE']]) },
    ],
  };
}

const ROLES: Record<string, SemanticRole> = { customer_id: 'key', order_id: 'key', balance: 'measure', amount: 'measure', signup_date: 'timestamp', tier: 'dimension' };

/** What the heuristics would say, roughly; `email` is marked manual to prove the LLM leaves it. */
export function draftAnnotations(source: TypedSource): SemanticAnnotations {
  const columns: Record<string, Record<string, ColumnAnnotation>> = {};
  for (const t of source.tables) {
    columns[t.name] = {};
    for (const c of t.columns) {
      const minmax = c.name === 'email' ? [EMAILS[0]!, EMAILS[2]!] : c.name === 'card_number' ? [CARDS[2]!, CARDS[0]!] : [null, null];
      columns[t.name]![c.name] = {
        table: t.name, column: c.name, type: c.type, role: ROLES[c.name] ?? 'attribute', entityType: 'unknown', businessName: c.name,
        businessDescription: '', ontologyTerm: null, confidence: 0.5, evidence: [{ signal: 'type', detail: c.type }],
        stats: { rowCount: t.rowCount, nullCount: 0, distinctCount: 3, minValue: minmax[0]!, maxValue: minmax[1]!, maxLength: null, from: 'query' },
        source: t.name === 'customers' && c.name === 'email' ? 'manual' : 'heuristic',
      };
    }
  }
  const table = (name: string, typedTable: string, rowCount: number, isFact: boolean) => ({
    table: name, typedTable, rowCount, entityType: name, description: '', grainColumns: [], isFact, isDimension: !isFact,
    primaryTimeColumn: null, confidence: 0.5, evidence: [], source: 'heuristic' as const,
  });
  return {
    sourceName: source.sourceName, ontology: 'base',
    tables: { customers: table('customers', 'typed_customers', 30, false), orders: table('orders', 'typed_orders', 60, true) },
    columns, relationships: [], annotatedAt: new Date(0).toISOString(),
  };
}
