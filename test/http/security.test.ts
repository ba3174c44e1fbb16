/**
 * Who may call the API and which files it may read: bearer auth when a token is set (never on
 * /health), and source paths confined to the data roots (traversal, absolute paths, symlinks and
 * globs that escape are refused with 403 problem+json).
 */
import { mkdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dataRootsFromEnv } from '../../server/http/data-roots.ts';
import type { App } from '../../server/http/server-context.ts';
import { expectProblem, server, workspace, type Workspace } from './helpers.ts';

let ws: Workspace;
let open: App;
let guarded: App;
const TOKEN = 'test-token-5f1c';

beforeAll(async () => {
  ws = workspace('security');
  // Outside the data root: a secret file, and links inside the root that point at it.
  const outside = join(ws.dir, 'outside');
  mkdirSync(outside);
  writeFileSync(join(outside, 'secret.csv'), 'a,b\n1,2\n');
  symlinkSync(join(outside, 'secret.csv'), join(ws.data, 'escape.csv'));
  symlinkSync(outside, join(ws.data, 'escape-dir'));
  open = await server(ws);
  guarded = await server(ws, { home: join(ws.dir, 'home2'), token: TOKEN });
});

afterAll(async () => {
  await open?.close();
  await guarded?.close();
  if (ws) rmSync(ws.dir, { recursive: true, force: true });
});

describe('auth', () => {
  it('without a token configured, every route answers without Authorization', async () => {
    expect((await open.inject({ method: 'GET', url: '/sources' })).statusCode).toBe(200);
    expect((await open.inject({ method: 'GET', url: '/health' })).statusCode).toBe(200);
  });

  it('with a token: /health is open, other routes need the exact bearer token', async () => {
    expect((await guarded.inject({ method: 'GET', url: '/health' })).json()).toEqual({ status: 'ok', store: 'sqlite' });
    const none = await guarded.inject({ method: 'GET', url: '/sources' });
    expect(expectProblem(none, 401).detail).toContain('Authorization: Bearer');
    expect(none.headers['www-authenticate']).toBe('Bearer');
    expectProblem(await guarded.inject({ method: 'GET', url: '/sources', headers: { authorization: `Bearer ${TOKEN}x` } }), 403);
    expectProblem(await guarded.inject({ method: 'GET', url: '/sources', headers: { authorization: `Basic ${TOKEN}` } }), 403);
    expectProblem(await guarded.inject({ method: 'GET', url: '/openapi.json' }), 401);
    const ok = await guarded.inject({ method: 'GET', url: '/sources', headers: { authorization: `Bearer ${TOKEN}` } });
    expect(ok.statusCode).toBe(200);
    expect(ok.json()).toEqual({ sources: [] });
    // Checked before the body: an unauthenticated ingest starts nothing.
    expectProblem(await guarded.inject({ method: 'POST', url: '/sources', payload: { path: 'orders.csv' } }), 401);
  });

  it('the OpenAPI document declares the bearer scheme when a token is set', async () => {
    const doc = (await guarded.inject({ method: 'GET', url: '/openapi.json', headers: { authorization: `Bearer ${TOKEN}` } })).json();
    expect(doc.components.securitySchemes.bearer).toEqual({ type: 'http', scheme: 'bearer' });
    expect(doc.security).toEqual([{ bearer: [] }]);
    expect(doc.paths['/health'].get.security).toEqual([]);
  });
});

describe('data roots', () => {
  const refused = async (payload: Record<string, unknown>) => expectProblem(await open.inject({ method: 'POST', url: '/sources', payload }), 403);

  it('refuses ../ traversal, absolute paths outside the roots and symlinks that escape', async () => {
    expect((await refused({ path: '../../etc/passwd' })).detail).toContain('outside the data roots');
    await refused({ path: '/etc/passwd' });
    await refused({ path: join(ws.dir, 'outside', 'secret.csv') });
    expect((await refused({ path: 'escape.csv' })).detail).toContain('symbolic link');
    await refused({ path: 'escape-dir' });
    await refused({ path: 'vega/../../outside/secret.csv' });
    await refused({ source_type: 'csv', path: 'vega', file_pattern: '../outside/*.csv' });
    await refused({ source_type: 'csv', file_pattern: `${join(ws.dir, 'outside')}/*.csv` });
    await refused({ source_type: 'csv', file_pattern: 'escape-dir/*.csv' });
    // Nothing was registered by the refused requests.
    expect((await open.inject({ method: 'GET', url: '/sources' })).json().sources).toEqual([]);
  });

  it('DATARAUM_DATA_ROOTS is colon-separated; the default is the working directory', () => {
    expect(dataRootsFromEnv({ DATARAUM_DATA_ROOTS: `${ws.data}:${ws.dir}` }, '/')).toEqual([ws.data, ws.dir]);
    expect(dataRootsFromEnv({}, ws.data)).toEqual([ws.data]);
    expect(() => dataRootsFromEnv({ DATARAUM_DATA_ROOTS: join(ws.dir, 'typo') })).toThrow(/does not exist/);
  });
});
