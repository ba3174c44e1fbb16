/**
 * callLlm against the fake server with a real SQLite store: validation with one retry, fences,
 * cache hits, TTL expiry, invalidation, cost limit, no key in logs.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { callLlm, checkAnswer } from '../../nodes/llm/call-llm.ts';
import { CostTracker } from '../../nodes/llm/cost.ts';
import { createProvider } from '../../nodes/llm/create-provider.ts';
import { LlmError } from '../../nodes/llm/errors.ts';
import { invalidateLlmCache } from '../../nodes/llm/llm-cache.ts';
import { ContextSummaryAnswerSchema } from '../../nodes/llm/schemas.ts';
import { openStore, upsertSource, type Store } from '../../store/index.ts';
import { startFakeLlm, type FakeLlm } from './fake-llm-server.ts';
import { env, TEST_KEY, testConfig } from './helpers.ts';

const SUMMARY = { summary: 'Airports and the flights between them, one row per flight with its delay and distance.' };
let dir: string;
let store: Store;
let srv: FakeLlm;
beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'dataraum-llm-'));
  store = await openStore({ sqlitePath: join(dir, 'metadata.sqlite') });
});
afterAll(async () => { await store.close(); rmSync(dir, { recursive: true, force: true }); });
beforeEach(async () => { srv = await startFakeLlm(); await store.db.deleteFrom('llmCache').execute(); });
afterEach(async () => { await srv.close(); });

function ctx(overrides: Partial<Parameters<typeof callLlm>[2]> = {}, provider: 'anthropic' | 'openai' = 'anthropic') {
  const config = testConfig(provider, srv.url, { prices: { 'm-balanced': { input: 1, output: 2 } } });
  return { config, provider: createProvider(config, env, 5)!, store, sourceId: null, ...overrides };
}

describe('callLlm', () => {
  it('renders the prompt with the JSON Schema and returns the validated answer with tokens and cost', async () => {
    srv.reply(SUMMARY, { input: 1000, output: 500 });
    const logs: string[] = [];
    const res = await callLlm('context_summary', { context: { source: 'flights', tables: ['airports'] } }, ctx({ log: (l) => logs.push(l) }));
    expect(res).toMatchObject({ value: SUMMARY, cached: false, requests: 1, inputTokens: 1000, outputTokens: 500, model: 'm-balanced' });
    expect(res.costUsd).toBeCloseTo((1000 * 1 + 500 * 2) / 1e6, 12);
    const body = srv.requests[0]!.json;
    expect(body.model).toBe('m-balanced'); // features default to the balanced tier
    expect(body.system).toContain('"summary"'); // the JSON Schema is in the prompt
    expect(body.system).toContain('"type": "object"');
    expect(body.messages[0].content).toContain('"source": "flights"');
    expect(logs.join('\n')).toMatch(/context_summary: anthropic m-balanced, 1000 in \/ 500 out tokens/);
    expect(logs.join('\n') + srv.allBodies()).not.toContain(TEST_KEY);
  });

  it('retries a non-JSON answer once with the error appended', async () => {
    srv.reply('Sure! Here is your summary: it is about flights.').reply(SUMMARY);
    const res = await callLlm('context_summary', { context: 'x' }, ctx({}, 'openai'));
    expect(res.requests).toBe(2);
    expect(res.value).toEqual(SUMMARY);
    const retry = srv.requests[1]!.json.messages;
    expect(retry).toHaveLength(4); // system, user, assistant (the bad answer), user (the errors)
    expect(retry[2]).toEqual({ role: 'assistant', content: 'Sure! Here is your summary: it is about flights.' });
    expect(retry[3].content).toMatch(/not valid: not JSON/);
  });

  it('retries a wrong-schema answer once with the validation errors, and accepts ```json fences', async () => {
    srv.reply({ summary: 'too short', extra: 1 }).reply('```json\n' + JSON.stringify(SUMMARY) + '\n```');
    const res = await callLlm('context_summary', { context: 'y' }, ctx());
    expect(res).toMatchObject({ requests: 2, value: SUMMARY });
    expect(srv.requests[1]!.json.messages.at(-1).content).toMatch(/summary: Too small/);
  });

  it('fails after one retry when the model keeps answering badly', async () => {
    srv.reply('nope').reply({ wrong: true });
    const err = (await callLlm('context_summary', { context: 'z' }, ctx()).catch((e: unknown) => e)) as LlmError;
    expect(err.code).toBe('invalid_answer');
    expect(err.message).toMatch(/context_summary: anthropic m-balanced answered twice without valid JSON.*summary/);
    expect(srv.requests).toHaveLength(2);
  });

  it('answers a repeated call from the cache without a request, until the entry expires', async () => {
    srv.reply(SUMMARY);
    const first = await callLlm('context_summary', { context: 'same' }, ctx());
    const second = await callLlm('context_summary', { context: 'same' }, ctx());
    expect(first.cached).toBe(false);
    expect(second).toMatchObject({ cached: true, requests: 0, value: SUMMARY, costUsd: 0, inputTokens: 100 });
    expect(srv.requests).toHaveLength(1);
    const row = await store.db.selectFrom('llmCache').selectAll().executeTakeFirstOrThrow();
    expect(row).toMatchObject({ feature: 'context_summary', provider: 'anthropic', model: 'm-balanced', isValid: true, responseJson: SUMMARY, inputTokens: 100, outputTokens: 50 });
    expect(new Date(row.expiresAt!).getTime() - new Date(row.createdAt).getTime()).toBe(168 * 3_600_000);

    // Other inputs are another key.
    srv.reply(SUMMARY);
    await callLlm('context_summary', { context: 'different' }, ctx());
    expect(srv.requests).toHaveLength(2);

    // TTL: an expired entry is asked again, and replaced.
    await store.db.updateTable('llmCache').set({ expiresAt: new Date(Date.now() - 1000).toISOString() }).where('cacheKey', '=', row.cacheKey).execute();
    srv.reply(SUMMARY);
    expect((await callLlm('context_summary', { context: 'same' }, ctx())).cached).toBe(false);
    expect(srv.requests).toHaveLength(3);
    expect((await callLlm('context_summary', { context: 'same' }, ctx())).cached).toBe(true);
  });

  it('invalidates by feature and by source', async () => {
    const source = await upsertSource(store, 'flights', 'csv', { path: 'flights.csv' });
    srv.reply(SUMMARY).reply(SUMMARY);
    await callLlm('context_summary', { context: 'a' }, ctx({ sourceId: source.sourceId }));
    await callLlm('context_summary', { context: 'b' }, ctx());
    expect(await invalidateLlmCache(store, { feature: 'semantic_analysis' })).toBe(0);
    expect(await invalidateLlmCache(store, { sourceId: source.sourceId })).toBe(1);
    srv.reply(SUMMARY);
    expect((await callLlm('context_summary', { context: 'a' }, ctx({ sourceId: source.sourceId }))).cached).toBe(false);
    expect((await callLlm('context_summary', { context: 'b' }, ctx())).cached).toBe(true);
    expect(await invalidateLlmCache(store, { feature: 'context_summary' })).toBe(2);
    srv.reply(SUMMARY);
    expect((await callLlm('context_summary', { context: 'b' }, ctx())).cached).toBe(false);
    expect(srv.requests).toHaveLength(4);
  });

  it('refuses a call that would pass the cost limit, before any request', async () => {
    const config = testConfig('anthropic', srv.url, { prices: { 'm-balanced': { input: 1000, output: 1000 } }, limits: { max_cost_per_run_usd: 0.5, max_tokens: 1000 } });
    const budget = new CostTracker(config);
    const err = (await callLlm('context_summary', { context: 'c' }, { config, provider: createProvider(config, env, 5)!, budget }).catch((e: unknown) => e)) as LlmError;
    expect(err.code).toBe('cost_limit');
    expect(err.message).toMatch(/context_summary: .* over limits.max_cost_per_run_usd \(\$0.5\)/);
    expect(srv.requests).toHaveLength(0);

    // Spending is recorded across calls of one run.
    const cheap = testConfig('anthropic', srv.url, { prices: { 'm-balanced': { input: 1, output: 100 } }, limits: { max_cost_per_run_usd: 0.015, max_tokens: 100 } });
    const runBudget = new CostTracker(cheap);
    srv.reply(SUMMARY, { input: 100, output: 100 });
    await callLlm('context_summary', { context: 'd' }, { config: cheap, provider: createProvider(cheap, env, 5)!, budget: runBudget });
    expect(runBudget.spentUsd).toBeCloseTo((100 * 1 + 100 * 100) / 1e6, 10);
    expect(runBudget.inputTokens).toBe(100);
    await expect(callLlm('context_summary', { context: 'e' }, { config: cheap, provider: createProvider(cheap, env, 5)!, budget: runBudget })).rejects.toThrow(/already spent/);
    expect(srv.requests).toHaveLength(1);
  });
});

describe('checkAnswer', () => {
  it('reads bare JSON and fenced JSON, and lists issues by path', () => {
    expect(checkAnswer(JSON.stringify(SUMMARY), ContextSummaryAnswerSchema)).toEqual({ ok: true, value: SUMMARY });
    expect(checkAnswer('Here:\n```\n' + JSON.stringify(SUMMARY) + '\n```\nDone.', ContextSummaryAnswerSchema)).toEqual({ ok: true, value: SUMMARY });
    const bad = checkAnswer('{"summary": 3}', ContextSummaryAnswerSchema);
    expect(bad.ok).toBe(false);
    expect(!bad.ok && bad.errors).toMatch(/^summary: /);
  });
});
