import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listOntologies, loadOntology, type Concept, type ResolvedOntology } from '../../config/ontology.ts';
import { openDuckDB, queryRows, quoteIdent, type DuckDBConnection } from '../../nodes/duckdb.ts';
import { matchConcept } from '../../nodes/enrichment/semantic/concept-matching.ts';
import { getMetrics } from '../../nodes/enrichment/semantic/metrics.ts';
import { ontologyMetrics } from '../../nodes/enrichment/semantic/ontology-metrics.ts';
import { semanticAnnotations } from '../../nodes/enrichment/semantic/semantic-annotations.ts';
import type { BoundMetric } from '../../nodes/enrichment/semantic/types.ts';
import type { TypedTable } from '../../nodes/enrichment/types.ts';
import { retailStar, sourceOf, typedTable } from './helpers.ts';

let conn: DuckDBConnection;
beforeAll(async () => {
  conn = await openDuckDB(':memory:');
});
afterAll(() => conn?.closeSync());

async function run(m: BoundMetric): Promise<unknown> {
  const rows = await queryRows<Record<string, unknown>>(conn, m.sql);
  expect(rows, m.sql).toHaveLength(1);
  expect(Object.keys(rows[0]!)).toEqual([m.metric]);
  return rows[0]![m.metric];
}

describe('retail metrics on an orders table', () => {
  let orders: TypedTable;
  beforeAll(async () => {
    ({ orders } = await retailStar(conn));
  });

  it('binds revenue and AOV to the real columns, and they execute with the right values', async () => {
    const { metrics, matchedConcepts } = getMetrics(loadOntology('retail'), sourceOf('shop', orders));
    expect(matchedConcepts.orders).toMatchObject({ order_id: 'order_id', revenue: 'order_total', customer_id: 'customer_id', order_date: 'order_date', quantity: 'items', order_status: 'order_status', channel: 'channel' });
    const byName = new Map(metrics.map((m) => [m.metric, m]));
    const aov = byName.get('average_order_value')!;
    expect(aov.sql).toBe('SELECT SUM("order_total") / NULLIF(COUNT(DISTINCT "order_id"), 0) AS "average_order_value" FROM "typed_orders"');
    expect(aov.bindings).toEqual([
      { concept: 'revenue', table: 'orders', column: 'order_total', via: 'indicator' },
      { concept: 'order_id', table: 'orders', column: 'order_id', via: 'indicator' },
    ]);
    expect(aov).toMatchObject({ tables: ['orders'], outputType: 'decimal', unit: 'currency' });
    const [ref] = await queryRows<{ total: number; aov: number; n: string }>(conn, 'SELECT sum(order_total)::DOUBLE AS total, (sum(order_total) / count(*))::DOUBLE AS aov, count(*) AS n FROM typed_orders');
    expect(Number(await run(aov))).toBeCloseTo(ref!.aov, 6);
    expect(Number(await run(byName.get('total_revenue')!))).toBeCloseTo(ref!.total, 6);
    expect(String(await run(byName.get('order_count')!))).toBe(ref!.n);
    for (const m of ['items_per_order', 'customer_count', 'revenue_per_customer', 'orders_per_customer', 'units_sold', 'average_selling_price']) expect(byName.has(m), m).toBe(true);
    // No cost or discount column: those metrics do not apply.
    expect(byName.has('gross_margin_pct')).toBe(false);
    expect(byName.has('discount_rate_pct')).toBe(false);
    for (const m of metrics) await run(m);
  });

  it('the node uses the annotations: a column a person mapped to a concept is bound through it', async () => {
    const o = loadOntology('retail');
    const source = sourceOf('shop', orders);
    const ann = await semanticAnnotations(source, conn, o);
    const plain = ontologyMetrics(o, source, ann);
    expect(plain.metrics.find((m) => m.metric === 'average_order_value')!.bindings[0]).toMatchObject({ column: 'order_total', via: 'annotation' });
    // Say a person decides `items` is no quantity but the revenue: the binding follows.
    const edited = {
      ...ann,
      columns: { orders: { ...ann.columns.orders!, items: { ...ann.columns.orders!.items!, ontologyTerm: 'revenue', source: 'manual' as const, confidence: 1 }, order_total: { ...ann.columns.orders!.order_total!, ontologyTerm: null } } },
    };
    const m = ontologyMetrics(o, source, edited);
    expect(m.matchedConcepts.orders!.revenue).toBe('items');
    expect(m.matchedConcepts.orders!.quantity).toBeUndefined();
    expect(m.metrics.find((x) => x.metric === 'total_revenue')!.sql).toBe('SELECT SUM("items") AS "total_revenue" FROM "typed_orders"');
  });
});

describe('time types: TIMESTAMP_NS and friends are time axes, a time of day never', () => {
  it('gives TIMESTAMP_NS/_MS/_S the timestamp role and a time axis; a TIME column neither', async () => {
    const events = await typedTable(conn, 'events', `
      SELECT i AS id, (TIMESTAMP '2021-01-01' + to_minutes(i * 17))::TIMESTAMP_NS AS event_time, (TIMESTAMP '2021-01-01' + to_hours(i))::TIMESTAMP_MS AS ms_at,
             (TIMESTAMP '2021-01-01' + to_hours(i))::TIMESTAMP_S AS s_at, (i % 97)::DOUBLE AS amount FROM range(1, 500) t(i)`);
    const shifts = await typedTable(conn, 'shifts', `
      SELECT i AS id, TIME '00:00:00' + to_seconds(i * 37 % 86400) AS start_time, (TIME '06:00:00' + to_minutes(i % 60))::TIMETZ AS end_time,
             TIMESTAMP '2020-01-01' + to_hours(i) AS created_at, (i * 7 % 100)::DOUBLE AS amount FROM range(1, 500) t(i)`);
    expect(events.columns.map((c) => c.type)).toEqual(['BIGINT', 'TIMESTAMP_NS', 'TIMESTAMP_MS', 'TIMESTAMP_S', 'DOUBLE']);
    expect(shifts.columns.map((c) => c.type)).toEqual(['BIGINT', 'TIME', 'TIME WITH TIME ZONE', 'TIMESTAMP', 'DOUBLE']);
    const o = loadOntology('base');
    const source = sourceOf('times', events, shifts);
    const ann = await semanticAnnotations(source, conn, o);
    for (const c of ['event_time', 'ms_at', 's_at']) expect(ann.columns.events![c]!.role, c).toBe('timestamp');
    expect(ann.tables.events!.primaryTimeColumn).toBe('event_time');
    for (const c of ['start_time', 'end_time']) expect(ann.columns.shifts![c], c).toMatchObject({ role: 'attribute', ontologyTerm: null });
    // The record's audit time is still a time axis: a time of day is none at all.
    expect(ann.tables.shifts!.primaryTimeColumn).toBe('created_at');

    const metrics = ontologyMetrics(o, source, ann);
    const spans = metrics.metrics.filter((m) => m.ontologyMetric === 'time_span_days');
    expect(spans.map((m) => m.bindings[0]!.column).sort()).toEqual(['event_time', 'ms_at', 's_at']);
    for (const m of spans) await run(m);
    // A person (or a model) calling the time of day the event time does not bind a date metric to it.
    const edited = { ...ann, columns: { ...ann.columns, shifts: { ...ann.columns.shifts!, start_time: { ...ann.columns.shifts!.start_time!, ontologyTerm: 'event_time', source: 'manual' as const } } } };
    expect(ontologyMetrics(o, source, edited).metrics.filter((m) => m.tables.includes('shifts')).map((m) => m.ontologyMetric)).not.toContain('time_span_days');
  });

  it('prefers a timestamp named created_at over a year stored as a number', async () => {
    const t = await typedTable(conn, 'filings', `
      SELECT i AS id, 2000 + i % 20 AS fiscal_year, TIMESTAMP '2020-01-01' + to_hours(i) AS created_at, (i % 13)::DOUBLE AS amount FROM range(1, 300) t(i)`);
    const ann = await semanticAnnotations(sourceOf('f', t), conn, loadOntology('base'));
    expect(ann.columns.filings!.fiscal_year!.role).toBe('timestamp');
    expect(ann.tables.filings!.primaryTimeColumn).toBe('created_at');
  });
});

describe('binding across tables and quoting', () => {
  it('binds a metric over two tables only through a relationship, as a join that executes', async () => {
    const lines = await typedTable(conn, 'order_lines', 'SELECT (1 + i % 40)::INTEGER AS order_id, (10 + i % 7)::DECIMAL(8, 2) AS line_total FROM range(0, 200) t(i)');
    const heads = await typedTable(conn, 'order_heads', 'SELECT i::INTEGER AS order_id, (100 + i % 9)::INTEGER AS customer_id FROM range(1, 41) t(i)');
    const o = loadOntology('retail');
    const source = sourceOf('shop', lines, heads);
    const none = getMetrics(o, source);
    expect(none.metrics.some((m) => m.metric === 'revenue_per_customer')).toBe(false);
    const joined = getMetrics(o, source, undefined, [{ fromTable: 'order_lines', fromColumn: 'order_id', toTable: 'order_heads', toColumn: 'order_id', confidence: 0.9 }]);
    const rpc = joined.metrics.find((m) => m.metric === 'revenue_per_customer')!;
    expect(rpc.tables).toEqual(['order_lines', 'order_heads']);
    expect(rpc.sql).toBe('SELECT SUM("t0"."line_total") / NULLIF(COUNT(DISTINCT "t1"."customer_id"), 0) AS "revenue_per_customer" FROM "typed_order_lines" AS "t0" JOIN "typed_order_heads" AS "t1" ON "t0"."order_id" = "t1"."order_id"');
    const [ref] = await queryRows<{ v: number }>(conn, 'SELECT (sum(l.line_total) / count(DISTINCT h.customer_id))::DOUBLE AS v FROM typed_order_lines l JOIN typed_order_heads h USING (order_id)');
    expect(Number(await run(rpc))).toBeCloseTo(ref!.v, 6);
    // Half of a composite key is no join condition.
    const composite = getMetrics(o, source, undefined, { relationships: [{ fromTable: 'order_lines', fromColumns: ['order_id', 'line_total'], toTable: 'order_heads', toColumns: ['order_id', 'customer_id'], confidence: 0.9 }] });
    expect(composite.metrics.some((m) => m.metric === 'revenue_per_customer')).toBe(false);
    // Metrics one table covers stay single-table.
    expect(joined.metrics.find((m) => m.metric === 'average_order_value')!.tables).toEqual(['order_lines']);
  });

  it('quotes table and column names that need it', async () => {
    const t = await typedTable(conn, 'weird "orders"', `SELECT i::INTEGER AS "Order ID", (i * 2.5)::DOUBLE AS "Sales Amount", 'x"y' AS "Customer ""Id""" FROM range(1, 11) t(i)`);
    const { metrics } = getMetrics(loadOntology('retail'), sourceOf('s', t));
    const aov = metrics.find((m) => m.metric === 'average_order_value')!;
    expect(aov.sql).toBe('SELECT SUM("Sales Amount") / NULLIF(COUNT(DISTINCT "Order ID"), 0) AS "average_order_value" FROM "typed_weird ""orders"""');
    expect(Number(await run(aov))).toBeCloseTo(13.75, 9);
    for (const m of metrics) await run(m);
  });
});

/** A column name for the concept that matches it (and no other concept better) at the given type. */
function columnFor(o: ResolvedOntology, c: Concept, type: string): string | undefined {
  const candidates = [...c.indicators.filter((i) => !/[*?/]/.test(i)), c.name];
  return candidates.find((name) => matchConcept(o, name, type)?.concept.name === c.name);
}

function typeFor(c: Concept): { type: string; value: string } {
  if (c.entity_type === 'flag') return { type: 'BOOLEAN', value: 'i % 3 = 0' };
  switch (c.value_kind) {
    case 'numeric': return { type: 'DOUBLE', value: '(i * 1.5)' };
    case 'integer': case 'identifier': return { type: 'INTEGER', value: 'i' };
    case 'temporal': return { type: 'TIMESTAMP', value: `TIMESTAMP '2024-01-01' + to_hours(i * 5)` };
    case 'text': return { type: 'VARCHAR', value: `'v' || (i % 5)` };
    case 'boolean': return { type: 'BOOLEAN', value: 'i % 2 = 0' };
    case 'any': return c.semantic_role === 'key' || c.semantic_role === 'foreign_key' || c.name === 'year' ? { type: 'INTEGER', value: '(i % 17)' } : { type: 'VARCHAR', value: `'v' || (i % 5)` };
  }
}

describe('every metric of every shipped ontology is valid DuckDB SQL', () => {
  for (const name of listOntologies()) {
    it(`${name}: a table with one column per concept binds every metric, and each executes`, async () => {
      const o = loadOntology(name);
      const selects: string[] = [];
      const unnamed: string[] = [];
      for (const c of o.concepts) {
        const { type, value } = typeFor(c);
        const col = columnFor(o, c, type);
        if (!col) {
          unnamed.push(c.name);
          continue;
        }
        selects.push(`CAST(${value} AS ${type}) AS ${quoteIdent(col)}`);
      }
      const t = await typedTable(conn, `all_${name}`, `SELECT ${selects.join(', ')} FROM range(1, 61) t(i)`);
      const { metrics } = getMetrics(o, sourceOf('all', t));
      const unbound = o.metrics.filter((m) => !metrics.some((b) => b.metric === m.name)).map((m) => `${m.name} (${m.required_concepts.join(', ')})`);
      expect(unbound, `concepts without a column name of their own: ${unnamed.join(', ')}`).toEqual([]);
      for (const m of metrics) await run(m);
    });
  }
});
