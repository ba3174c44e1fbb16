/**
 * Privacy: sensitive values leave only as synthetic look-alikes (same shape, consistent per
 * value) or not at all; no real email, phone, card number or name appears in any request body.
 */
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { openDuckDB, type DuckDBConnection } from '../../nodes/duckdb.ts';
import { privacyGuard, syntheticLookalike } from '../../nodes/llm/privacy.ts';
import { llmQualityRules } from '../../nodes/llm/quality-rules.ts';
import { refineSemanticAnnotations } from '../../nodes/llm/semantic-refiner.ts';
import type { QualityRules } from '../../nodes/quality/types.ts';
import { startFakeLlm, type FakeLlm } from './fake-llm-server.ts';
import { CARDS, createCustomers, draftAnnotations, EMAILS, NAMES, PHONES } from './fixtures.ts';
import { testConfig, testRuntime } from './helpers.ts';

let conn: DuckDBConnection;
let srv: FakeLlm;
beforeAll(async () => { conn = await openDuckDB(':memory:'); });
afterAll(() => conn.closeSync());
beforeEach(async () => { srv = await startFakeLlm(); });
afterEach(async () => { await srv.close(); });

const shape = (s: string) => s.replace(/[a-z]/g, 'a').replace(/[A-Z]/g, 'A').replace(/\d/g, '9');

describe('synthetic look-alikes', () => {
  it('keep shape, length and separators, are deterministic per value and never the value', () => {
    const key = Buffer.from('test-key');
    for (const v of [...EMAILS, ...PHONES, ...CARDS, ...NAMES, '123-45-6789', 'DE89370400440532013000']) {
      const fake = syntheticLookalike(v, key);
      expect(fake).not.toBe(v);
      expect(fake).toHaveLength(v.length);
      expect(shape(fake)).toBe(shape(v));
      expect(syntheticLookalike(v, key)).toBe(fake);
    }
    expect(syntheticLookalike('ann.lee@example.com', key)).toMatch(/^[a-z]{3}\.[a-z]{3}@[a-z]{7}\.[a-z]{3}$/);
    expect(syntheticLookalike('a@b.io', key)).not.toBe(syntheticLookalike('a@b.iq', key));
  });

  it('apply by column name and by value pattern; omit mode drops them', () => {
    const config = testConfig('local', 'http://127.0.0.1:1');
    const guard = privacyGuard(config.privacy);
    expect(guard.isSensitiveColumn('Customer_Email')).toBe(true);
    expect(guard.isSensitiveColumn('tier')).toBe(false);
    expect(guard.sample('t', 'tier', ['gold', 7])).toEqual(['gold', 7]);
    const [fakeEmail] = guard.sample('t', 'contact', ['ann.lee@example.com']) as string[]; // by value pattern
    expect(fakeEmail).not.toBe('ann.lee@example.com');
    expect(fakeEmail).toMatch(/^[a-z]+\.[a-z]+@[a-z]+\.[a-z]+$/);
    const omit = privacyGuard({ ...config.privacy, mode: 'omit' });
    expect(omit.sample('t', 'email', EMAILS)).toEqual([]);
    expect(omit.sample('t', 'notes', ['4111 1111 1111 1111', 'fine'])).toEqual(['fine']);
  });
});

describe('request bodies', () => {
  it('hold no real email, phone, card number or name, in samples or statistics', async () => {
    const source = await createCustomers(conn);
    const runtime = testRuntime(testConfig('anthropic', srv.url));
    srv.reply({ columns: [], tables: [] }).reply({ rules: [], drop: [] });
    const sem = await refineSemanticAnnotations(draftAnnotations(source), runtime, conn);
    expect(sem.warnings).toEqual([]);
    // A heuristic allowed_values rule holds real values in its predicate; so may any literal.
    const inList = (values: readonly string[]) => values.map((v) => `'${v.replaceAll("'", "''")}'`).join(', ');
    const rule = (column: string, predicate: string) => ({
      name: `customers.${column}.allowed_values`, type: 'allowed_values' as const, table: 'customers', typedTable: 'typed_customers', columns: [column],
      predicate, parameters: {}, severity: 'warning' as const, source: 'profile' as const, dimension: 'validity' as const, tolerance: 0, description: 'known values',
    });
    const rules: QualityRules = {
      sourceName: 'shop', queryCounts: {}, generatedAt: new Date(0).toISOString(),
      rules: [rule('email', `"email" IN (${inList(EMAILS)})`), rule('full_name', `"full_name" IN (${inList(NAMES)})`), rule('tier', `"tier" IN ('gold', 'silver', 'bronze', '${CARDS[0]}')`)],
    };
    const q = await llmQualityRules(rules, source, conn, runtime);
    expect(q.warnings).toEqual([]);
    expect(srv.requests).toHaveLength(2);
    const bodies = srv.allBodies();
    for (const real of [...EMAILS, ...PHONES, ...CARDS, ...NAMES]) {
      expect(bodies).not.toContain(JSON.stringify(real).slice(1, -1));
    }
    // The values are there, as stand-ins: the model still sees their shape.
    const user: string = srv.requests[0]!.json.messages[0].content;
    expect(user).toContain('"gold"');
    expect(srv.requests[1]!.json.messages.at(-1).content).toContain(`'gold', 'silver', 'bronze'`); // harmless literals stay
    const emails = [...user.matchAll(/"([a-z]+\.[a-z]+@[a-z]+\.[a-z]+(?:\.[a-z]+)?)"/g)].map((m) => m[1]);
    expect(emails.length).toBeGreaterThanOrEqual(3);
  });
});
