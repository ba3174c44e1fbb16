/**
 * The four features: what the model's answer changes, what DuckDB refuses (invalid rules and
 * queries dropped with a warning), and the heuristic fallback when off, disabled or failing.
 */
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { ContextDocument, SuggestedQuery } from '../../nodes/context/schema.ts';
import { openDuckDB, type DuckDBConnection } from '../../nodes/duckdb.ts';
import type { SemanticAnnotations } from '../../nodes/enrichment/semantic/types.ts';
import type { TypedSource } from '../../nodes/enrichment/types.ts';
import { Builder } from '../../engine/index.ts';
import * as summaryNodes from '../../nodes/llm/context-summary-node.ts';
import { contextSummary } from '../../nodes/llm/context-summary-node.ts';
import * as runtimeNodes from '../../nodes/llm/llm-runtime.ts';
import { heuristicContextSummary, llmContextSummary } from '../../nodes/llm/context-summary.ts';
import { llmRuntime } from '../../nodes/llm/llm-runtime.ts';
import { llmQualityRules } from '../../nodes/llm/quality-rules.ts';
import { llmSemanticRefiner, refineSemanticAnnotations } from '../../nodes/llm/semantic-refiner.ts';
import { llmSuggestedQueries } from '../../nodes/llm/suggested-queries.ts';
import type { QualityRules, QualityRuleSpec } from '../../nodes/quality/types.ts';
import { startFakeLlm, type FakeLlm } from './fake-llm-server.ts';
import { createCustomers, draftAnnotations } from './fixtures.ts';
import { testConfig, testRuntime } from './helpers.ts';

let conn: DuckDBConnection;
let source: TypedSource;
let draft: SemanticAnnotations;
let srv: FakeLlm;
beforeAll(async () => {
  conn = await openDuckDB(':memory:');
  source = await createCustomers(conn);
  draft = draftAnnotations(source);
});
afterAll(() => conn.closeSync());
beforeEach(async () => { srv = await startFakeLlm(); });
afterEach(async () => { await srv.close(); });

const on = () => testRuntime(testConfig('openai', srv.url));
const disabled = (feature: string) => testRuntime(testConfig('openai', srv.url, { features: { [feature]: { enabled: false } } }));
const off = () => llmRuntime(); // no settings: provider none

const heuristicRule: QualityRuleSpec = {
  name: 'orders.amount.non_negative', type: 'non_negative', table: 'orders', typedTable: 'typed_orders', columns: ['amount'],
  predicate: '"amount" IS NULL OR "amount" >= 0', parameters: {}, severity: 'error', source: 'profile', dimension: 'validity', tolerance: 0, description: 'amount is never negative',
};
const ontologyRule: QualityRuleSpec = { ...heuristicRule, name: 'orders.order_id.not_null', type: 'not_null', columns: ['order_id'], predicate: '"order_id" IS NOT NULL', source: 'ontology' };
const rules: QualityRules = { sourceName: 'shop', rules: [heuristicRule, ontologyRule], queryCounts: {}, generatedAt: new Date(0).toISOString() };

const SUMMARY = 'The shop source records customers and their orders: customers describe who buys, orders record each purchase with its amount.';

describe('fallbacks', () => {
  it('each feature returns the heuristic result with a warning when the LLM is off', async () => {
    const sem = await refineSemanticAnnotations(draft, off(), conn);
    expect(sem).toMatchObject({ value: draft, source: 'heuristic', warnings: [expect.stringMatching(/semantic_analysis: LLM off/)] });
    const q = await llmQualityRules(rules, source, conn, undefined);
    expect(q).toMatchObject({ value: rules, source: 'heuristic', warnings: [expect.stringMatching(/quality_rules: LLM off/)] });
    const sq = await llmSuggestedQueries([], source, draft, conn, off());
    expect(sq).toMatchObject({ value: [], source: 'heuristic' });
    const doc = contextDoc();
    const sum = await llmContextSummary(doc, off());
    expect(sum).toMatchObject({ value: heuristicContextSummary(doc), source: 'heuristic' });
    expect(srv.requests).toHaveLength(0);
  });

  it('each feature returns the heuristic result when disabled in the settings', async () => {
    expect((await refineSemanticAnnotations(draft, disabled('semantic_analysis'), conn)).warnings[0]).toMatch(/disabled in llm.yaml \(features.semantic_analysis.enabled\)/);
    expect((await llmQualityRules(rules, source, conn, disabled('quality_rules'))).value).toBe(rules);
    expect((await llmSuggestedQueries([], source, draft, conn, disabled('suggested_queries'))).source).toBe('heuristic');
    expect((await llmContextSummary(contextDoc(), disabled('context_summary'))).source).toBe('heuristic');
    expect(srv.requests).toHaveLength(0);
  });

  it('each feature returns the heuristic result when the provider fails', async () => {
    for (let i = 0; i < 4; i++) srv.raw(400, { error: { message: 'model not found' } });
    const warnings: string[] = [];
    expect(await llmSemanticRefiner(on(), { duckdb: conn, onWarning: (w) => warnings.push(w) })(draft)).toBe(draft);
    expect(warnings[0]).toMatch(/semantic_analysis: LLM failed .*openai: HTTP 400 .*model not found/);
    const q = await llmQualityRules(rules, source, conn, on());
    expect(q.value).toBe(rules);
    expect(q.warnings.at(-1)).toMatch(/quality_rules: LLM failed; heuristic rules kept/);
    expect((await llmSuggestedQueries([], source, draft, conn, on())).warnings[0]).toMatch(/suggested_queries: LLM failed/);
    const doc = contextDoc();
    expect(await llmContextSummary(doc, on())).toMatchObject({ value: heuristicContextSummary(doc), source: 'heuristic' });
    expect(srv.requests).toHaveLength(4);
  });
});

describe('semantic refiner', () => {
  it('applies the model changes as source llm, never touches manual ones, refuses type-contradicting roles', async () => {
    srv.reply({
      columns: [
        { table: 'customers', column: 'tier', role: 'dimension', entityType: 'loyalty', businessName: 'Loyalty tier', businessDescription: 'Customer loyalty level', ontologyTerm: null, confidence: 0.9, reason: 'three stable values' },
        { table: 'customers', column: 'email', role: 'attribute', entityType: 'contact', businessName: 'E-mail', businessDescription: 'x', ontologyTerm: null, confidence: 0.9, reason: 'looks like email' },
        { table: 'customers', column: 'full_name', role: 'measure', entityType: 'person', businessName: 'Name', businessDescription: '', ontologyTerm: null, confidence: 0.7, reason: 'bad' },
        { table: 'orders', column: 'amount', role: 'measure', entityType: 'money', businessName: 'Order amount', businessDescription: 'What the order cost', ontologyTerm: 'revenue', confidence: 0.95, reason: 'numeric money' },
        { table: 'ghosts', column: 'boo', role: 'attribute', entityType: 'x', businessName: 'x', businessDescription: '', ontologyTerm: null, confidence: 0.1, reason: 'invented' },
      ],
      tables: [{ table: 'orders', entityType: 'order', description: 'One row per order', isFact: true, isDimension: false, confidence: 0.9, reason: 'amounts per order' }],
    });
    const r = await refineSemanticAnnotations(draft, on(), conn);
    expect(r.source).toBe('llm');
    const c = r.value.columns;
    expect(c.customers!.tier).toMatchObject({ role: 'dimension', businessName: 'Loyalty tier', source: 'llm', confidence: 0.9 });
    expect(c.orders!.amount).toMatchObject({ businessName: 'Order amount', ontologyTerm: 'revenue', source: 'llm' });
    expect(c.customers!.email).toBe(draft.columns.customers!.email); // manual
    expect(c.customers!.full_name).toBe(draft.columns.customers!.full_name);
    expect(c.customers!.balance).toBe(draft.columns.customers!.balance); // not mentioned
    expect(r.value.tables.orders).toMatchObject({ entityType: 'order', description: 'One row per order', source: 'llm' });
    expect(r.warnings).toEqual([
      expect.stringMatching(/refused role measure for customers.full_name of type VARCHAR/),
      expect.stringMatching(/unknown column ghosts.boo/),
    ]);
    // The prompt carried the draft, types and samples.
    const user: string = srv.requests[0]!.json.messages.at(-1).content;
    expect(user).toContain('"signup_date"');
    expect(user).toContain('"bronze"');
  });
});

describe('semantic refiner batches', () => {
  it('sends at most max_tables_per_request tables per request and keeps a failed batch heuristic', async () => {
    const runtime = testRuntime(testConfig('openai', srv.url, { limits: { max_tables_per_request: 1, max_retries: 0 } }));
    srv.raw(400, { error: { message: 'context too long' } })
      .reply({ columns: [{ table: 'orders', column: 'amount', role: 'measure', entityType: 'money', businessName: 'Order amount', businessDescription: '', ontologyTerm: null, confidence: 0.9, reason: 'money' }], tables: [] });
    const r = await refineSemanticAnnotations(draft, runtime, conn);
    expect(srv.requests).toHaveLength(2);
    const sent = srv.requests.map((q) => [...String(q.json.messages.at(-1).content).matchAll(/"table": "(\w+)"/g)].map((m) => m[1]));
    expect(sent).toEqual([['customers'], ['orders']]);
    expect(r.source).toBe('llm');
    expect(r.value.columns.orders!.amount!.businessName).toBe('Order amount');
    expect(r.value.columns.customers).toEqual(draft.columns.customers);
    expect(r.warnings).toEqual([expect.stringMatching(/LLM failed for tables customers; heuristic annotations kept: openai: HTTP 400/)]);
  });
});

describe('quality rules', () => {
  it('keeps model rules DuckDB accepts, drops the others, adjusts and drops heuristic ones but never ontology ones', async () => {
    srv.reply({
      rules: [
        { table: 'customers', columns: ['balance'], type: 'range', predicate: '"balance" IS NULL OR "balance" BETWEEN 0 AND 1000', severity: 'warning', dimension: 'validity', description: 'balance within 0..1000' },
        { table: 'customers', columns: ['tier'], type: 'allowed_values', predicate: '"tier" IN (\'gold\', \'silver\', \'bronze\')', severity: 'error', dimension: 'validity', tolerance: 0.01, description: 'known tiers' },
        { table: 'customers', columns: ['balance'], type: 'positive', predicate: '"balanse" > 0', severity: 'error', dimension: 'validity', description: 'typo column' },
        { table: 'customers', columns: ['tier'], type: 'pattern', predicate: '"tier" IN (SELECT "email" FROM typed_orders)', severity: 'error', dimension: 'validity', description: 'subquery' },
        { table: 'customers', columns: ['tier'], type: 'not_null', predicate: 'length(read_text(\'/etc/passwd\')) > 0', severity: 'error', dimension: 'completeness', description: 'reads a file' },
        { table: 'customers', columns: ['tier'], type: 'max_null_ratio', predicate: '"tier" IS NOT NULL; DROP TABLE typed_orders', severity: 'error', dimension: 'completeness', description: 'two statements' },
        { table: 'orders', columns: ['order_id'], type: 'not_null', predicate: 'true', severity: 'info', dimension: 'completeness', description: 'tries to override the ontology' },
        { table: 'nowhere', columns: ['x'], type: 'not_null', predicate: '"x" IS NOT NULL', severity: 'info', dimension: 'completeness', description: 'no table' },
      ],
      drop: ['orders.amount.non_negative', 'orders.order_id.not_null', 'orders.nope.unique'],
    });
    const r = await llmQualityRules(rules, source, conn, on(), draft);
    expect(r.source).toBe('llm');
    const byName = Object.fromEntries(r.value.rules.map((x) => [x.name, x]));
    expect(Object.keys(byName).sort()).toEqual(['customers.balance.range', 'customers.tier.allowed_values', 'orders.order_id.not_null']);
    expect(byName['customers.tier.allowed_values']).toMatchObject({ source: 'llm', typedTable: 'typed_customers', tolerance: 0.01, severity: 'error' });
    expect(byName['orders.order_id.not_null']).toBe(ontologyRule);
    const w = r.warnings.join('\n');
    expect(w).toMatch(/dropped orders.amount.non_negative on the model's advice/);
    expect(w).toMatch(/drop ontology rule orders.order_id.not_null; kept/);
    expect(w).toMatch(/unknown rule orders.nope.unique/);
    expect(w).toMatch(/customers.balance.positive: its predicate DuckDB rejects it: .*balanse/);
    expect(w).toMatch(/customers.tier.pattern: its predicate holds a subquery/);
    expect(w).toMatch(/customers.tier.not_null: its predicate calls read_text\(\)/);
    expect(w).toMatch(/customers.tier.max_null_ratio: its predicate holds a semicolon/);
    expect(w).toMatch(/orders.order_id.not_null: the ontology's rule wins/);
    expect(w).toMatch(/nowhere.x.not_null: no table nowhere/);
    // The kept predicates really run.
    const [row] = (await conn.runAndReadAll(`SELECT count(*) FILTER (WHERE NOT (${byName['customers.balance.range']!.predicate})) AS "bad" FROM typed_customers`)).getRowObjectsJson();
    expect(row!.bad).toBe('0');
    expect(await conn.runAndReadAll('SELECT count(*) FROM typed_orders').then((x) => x.getRows()[0]![0])).toBe(60n);
  });
});

describe('suggested queries', () => {
  it('adds the queries DuckDB can plan over the typed tables and drops the others', async () => {
    const heuristic: SuggestedQuery[] = [{ category: 'overview', title: 'Preview orders', description: 'first rows', sql: 'SELECT * FROM "typed_orders" LIMIT 10', tables: ['orders'] }];
    srv.reply({
      queries: [
        { category: 'segments', title: 'Revenue by tier', description: 'Order amounts per loyalty tier', sql: 'SELECT c."tier", sum(o."amount") AS "revenue" FROM "typed_orders" o JOIN "typed_customers" c USING ("customer_id") GROUP BY ALL ORDER BY 2 DESC;', tables: ['orders', 'customers', 'ghost'] },
        { category: 'trends', title: 'Signups per month', description: 'New customers per month', sql: 'WITH m AS (SELECT date_trunc(\'month\', "signup_date") AS "month" FROM "typed_customers") SELECT "month", count(*) FROM m GROUP BY ALL', tables: ['customers'] },
        { category: 'overview', title: 'Upper case', description: 'DuckDB names are case-insensitive', sql: 'SELECT count(*) FROM TYPED_ORDERS', tables: ['orders'] },
        { category: 'overview', title: 'Duplicate', description: 'same as the heuristic one', sql: 'select *  from "typed_orders" limit 10', tables: ['orders'] },
        { category: 'metrics', title: 'Bad column', description: 'misspelt', sql: 'SELECT sum("amont") FROM "typed_orders"', tables: ['orders'] },
        { category: 'overview', title: 'Raw table', description: 'reads outside the typed tables', sql: 'SELECT * FROM "raw_orders"', tables: [] },
        { category: 'overview', title: 'Files', description: 'reads a file', sql: 'SELECT * FROM read_csv(\'/etc/passwd\')', tables: [] },
        { category: 'overview', title: 'DDL', description: 'ddl', sql: 'SELECT 1; DROP TABLE typed_orders', tables: [] },
        { category: 'overview', title: 'Two statements', description: 'two', sql: 'SELECT 1; SELECT 2', tables: [] },
      ],
    });
    const r = await llmSuggestedQueries(heuristic, source, draft, conn, on(), [{ fromTable: 'orders', fromColumns: ['customer_id'], toTable: 'customers', toColumns: ['customer_id'] }]);
    expect(r.source).toBe('llm');
    expect(r.value.map((q) => q.title)).toEqual(['Preview orders', 'Revenue by tier', 'Signups per month', 'Upper case']);
    expect(r.value[1]).toMatchObject({ sql: expect.not.stringMatching(/;$/), tables: ['orders', 'customers'] });
    const w = r.warnings.join('\n');
    expect(w).toMatch(/dropped 'Bad column': DuckDB rejects it: .*amont/);
    expect(w).toMatch(/dropped 'Raw table': reads table "raw_orders", which is not one of the typed tables/);
    expect(w).toMatch(/dropped 'Files': calls a table function/);
    expect(w).toMatch(/dropped 'DDL': not a single SELECT DuckDB can parse/);
    expect(w).toMatch(/dropped 'Two statements': 2 statements; exactly one SELECT is allowed/);
    expect(r.warnings).toHaveLength(5);
    expect(srv.requests[0]!.json.messages.at(-1).content).toContain('orders(customer_id)');
    expect(await conn.runAndReadAll('SELECT count(*) FROM typed_orders').then((x) => x.getRows()[0]![0])).toBe(60n);
  });
});

describe('context summary', () => {
  it('uses the model paragraph, sent without profile values', async () => {
    srv.reply({ summary: SUMMARY });
    const r = await llmContextSummary(contextDoc(), on());
    expect(r).toEqual({ value: SUMMARY, source: 'llm', warnings: [] });
    const body = srv.allBodies();
    expect(body).toContain('customers');
    expect(body).not.toContain('SECRET-MIN-VALUE');
  });

  it('is a node reading the context document and the runtime', async () => {
    srv.reply({ summary: SUMMARY });
    expect(await contextSummary(contextDoc(), on())).toEqual({ text: SUMMARY, source: 'llm', warnings: [] });
    expect(await contextSummary(contextDoc())).toMatchObject({ source: 'heuristic', text: heuristicContextSummary(contextDoc()) });
  });

  it('runs as dataflow nodes: llmConfig -> llmRuntime -> contextSummary', async () => {
    srv.reply({ summary: SUMMARY });
    const dr = await Builder().withModules(runtimeNodes).withModules(summaryNodes).build();
    const off = await dr.execute(['contextSummary'], { inputs: { contextDocument: contextDoc() } });
    expect(off.contextSummary.source).toBe('heuristic');
    process.env.DATARAUM_TEST_LLM_KEY = 'sk-from-env';
    try {
      const on = await dr.execute(['contextSummary'], { inputs: { contextDocument: contextDoc(), llmConfig: testConfig('anthropic', srv.url) } });
      expect(on.contextSummary).toEqual({ text: SUMMARY, source: 'llm', warnings: [] });
      expect(srv.requests[0]!.headers['x-api-key']).toBe('sk-from-env');
    } finally {
      delete process.env.DATARAUM_TEST_LLM_KEY;
    }
  });

  it('writes a heuristic paragraph from the document facts', () => {
    expect(heuristicContextSummary(contextDoc())).toBe(
      'shop holds 2 tables: customers (30 rows), orders (60 rows). Facts are recorded in orders, described by customers. '
      + '1 relationship connects the tables: orders.customer_id -> customers.customer_id. Time axes: customers.signup_date. 1 of 4 quality rules fails; overall quality score 93%.',
    );
  });
});

function contextDoc(): ContextDocument {
  const scores = { completeness: 1, validity: 1, consistency: null, uniqueness: 1, timeliness: null, overall: 1 };
  const column = (name: string, type: string) => ({
    name, type, role: null, business_name: null, description: null, ontology_term: null,
    profile: { null_count: 0, null_ratio: 0, distinct_count: 3, min: 'SECRET-MIN-VALUE', max: null, values: ['SECRET-MIN-VALUE'] }, temporal: null, quality: null,
  });
  return {
    source: 'shop',
    tables: [
      { name: 'customers', typed_table: 'typed_customers', row_count: 30, entity_type: 'customer', description: null, grain: ['customer_id'], kind: 'dimension', primary_time_column: 'signup_date', quality: scores, columns: [column('email', 'VARCHAR')] },
      { name: 'orders', typed_table: 'typed_orders', row_count: 60, entity_type: 'order', description: null, grain: ['order_id'], kind: 'fact', primary_time_column: null, quality: scores, columns: [column('amount', 'DOUBLE')] },
    ],
    relationships: [{ from_table: 'orders', from_columns: ['customer_id'], to_table: 'customers', to_columns: ['customer_id'], cardinality: 'many_to_one', confidence: 1, join_condition: '' }],
    join_paths: [], ontology: null, metrics: [], domain_concepts: [],
    quality_summary: { overall: 0.93, tables: [], rules_total: 4, rules_failed: 1, failed_rules: [], anomalies: [] },
    warnings: [], suggested_queries: [], generated_at: new Date(0).toISOString(),
  };
}
