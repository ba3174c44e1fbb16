/**
 * The three providers against a local server speaking their wire formats: request shape, answer
 * parsing, retries (429 with retry-after, 5xx), clear 4xx errors without the key, timeouts.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { LlmConfigError, parseLlmConfig, validateLlmConfig } from '../../config/llm.ts';
import { anthropicProvider } from '../../nodes/llm/anthropic-provider.ts';
import { createProvider } from '../../nodes/llm/create-provider.ts';
import { LlmError } from '../../nodes/llm/errors.ts';
import { parseRetryAfter } from '../../nodes/llm/http.ts';
import { localProvider } from '../../nodes/llm/local-provider.ts';
import { openaiProvider } from '../../nodes/llm/openai-provider.ts';
import { startFakeLlm, type FakeLlm } from './fake-llm-server.ts';
import { env, KEY_ENV, TEST_KEY, testConfig } from './helpers.ts';

let srv: FakeLlm;
beforeEach(async () => { srv = await startFakeLlm(); });
afterEach(async () => { await srv.close(); });

const req = { model: 'm-1', system: 'You answer in JSON.', messages: [{ role: 'user' as const, content: 'hello' }], maxTokens: 64 };

describe('anthropic provider', () => {
  it('posts the Messages API shape and reads text and usage', async () => {
    srv.reply('{"ok":true}', { input: 12, output: 3 });
    const p = anthropicProvider({ baseUrl: `${srv.url}/`, apiKey: TEST_KEY });
    const res = await p.complete(req);
    expect(res).toEqual({ text: '{"ok":true}', inputTokens: 12, outputTokens: 3, model: 'm-1' });
    const [r] = srv.requests;
    expect(r!.method).toBe('POST');
    expect(r!.path).toBe('/v1/messages');
    expect(r!.headers['x-api-key']).toBe(TEST_KEY);
    expect(r!.headers['anthropic-version']).toBe('2023-06-01');
    expect(r!.headers['content-type']).toBe('application/json');
    expect(r!.headers.authorization).toBeUndefined();
    expect(r!.json).toEqual({ model: 'm-1', max_tokens: 64, system: 'You answer in JSON.', messages: [{ role: 'user', content: 'hello' }] });
  });

  it('retries a 429 after its retry-after (seconds, then an HTTP date) and succeeds', async () => {
    srv.raw(429, { error: { message: 'rate limited' } }, { 'retry-after': '0' })
      .raw(429, { error: { message: 'rate limited' } }, { 'retry-after': new Date(Date.now() - 1000).toUTCString() })
      .reply('{"ok":1}');
    const p = anthropicProvider({ baseUrl: srv.url, apiKey: TEST_KEY, maxRetries: 2, backoffMs: 5_000 });
    const t0 = Date.now();
    expect((await p.complete(req)).text).toBe('{"ok":1}');
    expect(srv.requests).toHaveLength(3);
    // retry-after (0 s, a past date) wins over the 5 s backoff.
    expect(Date.now() - t0).toBeLessThan(2000);
  });

  it('retries a 500 and gives up after max retries with the status', async () => {
    srv.raw(500, { error: { message: 'overloaded' } }).reply('{"ok":2}');
    const p = anthropicProvider({ baseUrl: srv.url, apiKey: TEST_KEY, maxRetries: 1, backoffMs: 5 });
    expect((await p.complete(req)).text).toBe('{"ok":2}');
    srv.raw(503, { error: { message: 'down' } }).raw(502, 'bad gateway');
    const err = await p.complete(req).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(LlmError);
    expect((err as LlmError).message).toMatch(/anthropic: HTTP 502 .*bad gateway.*gave up after 2 attempts/);
    expect(srv.requests).toHaveLength(4);
  });

  it('makes a 400 a clear error with the provider message and never the key', async () => {
    srv.raw(400, { type: 'error', error: { type: 'invalid_request_error', message: 'max_tokens: must be positive' } });
    const p = anthropicProvider({ baseUrl: srv.url, apiKey: TEST_KEY, backoffMs: 5 });
    const err = (await p.complete(req).catch((e: unknown) => e)) as LlmError;
    expect(err.code).toBe('http');
    expect(err.details).toMatchObject({ provider: 'anthropic', status: 400 });
    expect(err.message).toContain('anthropic: HTTP 400');
    expect(err.message).toContain('max_tokens: must be positive');
    expect(err.message + String(err.stack)).not.toContain(TEST_KEY);
    expect(srv.requests).toHaveLength(1); // 4xx is not retried
  });

  it('times out with AbortSignal', async () => {
    srv.hang(3000);
    const p = anthropicProvider({ baseUrl: srv.url, apiKey: TEST_KEY, timeoutMs: 150, maxRetries: 0 });
    const t0 = Date.now();
    const err = (await p.complete(req).catch((e: unknown) => e)) as LlmError;
    expect(err.code).toBe('timeout');
    expect(err.message).toMatch(/anthropic: no answer .* within 150 ms/);
    expect(Date.now() - t0).toBeLessThan(1500);
  });
});

describe('openai and local providers', () => {
  it('posts Chat Completions with a Bearer key and JSON response format', async () => {
    srv.reply('{"a":1}', { input: 7, output: 2 });
    const res = await openaiProvider({ baseUrl: srv.url, apiKey: TEST_KEY }).complete(req);
    expect(res).toEqual({ text: '{"a":1}', inputTokens: 7, outputTokens: 2, model: 'm-1' });
    const [r] = srv.requests;
    expect(r!.path).toBe('/v1/chat/completions');
    expect(r!.headers.authorization).toBe(`Bearer ${TEST_KEY}`);
    expect(r!.json).toEqual({
      model: 'm-1', max_tokens: 64, response_format: { type: 'json_object' },
      messages: [{ role: 'system', content: 'You answer in JSON.' }, { role: 'user', content: 'hello' }],
    });
  });

  it('local needs no key and sends no authorization header', async () => {
    srv.reply('{"b":2}');
    const p = createProvider(testConfig('local', srv.url), {})!;
    expect(p.name).toBe('local');
    expect((await p.complete(req)).text).toBe('{"b":2}');
    expect(srv.requests[0]!.headers.authorization).toBeUndefined();
    // A server started with a key (vLLM --api-key) gets it as a Bearer token.
    srv.reply('{"c":3}');
    await localProvider({ baseUrl: srv.url, apiKey: 'local-key' }).complete(req);
    expect(srv.requests[1]!.headers.authorization).toBe('Bearer local-key');
    expect(srv.requests[1]!.path).toBe('/v1/chat/completions');
  });

  it('names the provider in 401 errors and hints at the key variable', async () => {
    srv.raw(401, { error: { message: 'Incorrect API key provided', type: 'invalid_request_error' } });
    const err = (await openaiProvider({ baseUrl: srv.url, apiKey: TEST_KEY }).complete(req).catch((e: unknown) => e)) as LlmError;
    expect(err.message).toMatch(/openai: HTTP 401 .*Incorrect API key provided.*api_key_env/);
    expect(err.message).not.toContain(TEST_KEY);
  });

  it('reports a non-JSON 200 body and an unreachable server clearly', async () => {
    srv.raw(200, '<html>proxy</html>');
    const p = openaiProvider({ baseUrl: srv.url, apiKey: TEST_KEY });
    await expect(p.complete(req)).rejects.toThrow(/openai: HTTP 200 answer is not JSON/);
    await expect(openaiProvider({ baseUrl: 'http://127.0.0.1:9', apiKey: TEST_KEY, maxRetries: 0 }).complete(req)).rejects.toThrow(/openai: cannot reach http:\/\/127.0.0.1:9/);
  });
});

describe('settings', () => {
  it('is off by default, and the shipped llm.yaml is valid and off', async () => {
    expect(validateLlmConfig({}).provider).toBe('none');
    expect(createProvider(validateLlmConfig({}))).toBeNull();
    const { loadLlmConfig } = await import('../../config/llm.ts');
    const shipped = loadLlmConfig(new URL('../../config/llm.yaml', import.meta.url).pathname);
    expect(shipped.provider).toBe('none');
    expect(Object.isFrozen(shipped.limits)).toBe(true);
  });

  it('names the missing environment variable of an active provider', () => {
    const config = testConfig('anthropic', srv.url);
    expect(() => createProvider(config, {})).toThrow(new RegExp(`environment variable ${KEY_ENV} is not set`));
    expect(createProvider(config, env)!.name).toBe('anthropic');
  });

  it('lists every issue of a bad file', () => {
    const err = (() => { try { parseLlmConfig('provider: openai\nlimits: { max_tokens: -1 }\nprivacy: { sensitive_columns: ["("] }', 'llm.yaml'); } catch (e) { return e; } })() as LlmConfigError;
    expect(err).toBeInstanceOf(LlmConfigError);
    expect(err.message).toContain('in llm.yaml');
    expect(err.message).toContain('providers.openai');
    expect(err.message).toContain('limits.max_tokens');
    expect(err.message).toContain('privacy.sensitive_columns.0');
  });

  it('parses retry-after as seconds or an HTTP date', () => {
    expect(parseRetryAfter('2')).toBe(2000);
    expect(parseRetryAfter('0.5')).toBe(500);
    expect(parseRetryAfter('Wed, 21 Oct 2015 07:28:05 GMT', Date.parse('Wed, 21 Oct 2015 07:28:00 GMT'))).toBe(5000);
    expect(parseRetryAfter('soon')).toBeUndefined();
    expect(parseRetryAfter(null)).toBeUndefined();
  });
});
