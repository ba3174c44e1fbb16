/**
 * vitest globalSetup: a throwaway PostgreSQL 15 cluster for the whole test run.
 *
 * Tests read its admin URL with `inject('pgUrl')` and create their own database in it (see
 * test/store/helpers.ts), so test files running in parallel never share tables. When
 * DATARAUM_TEST_DATABASE_URL is set, that server is used instead and nothing is started.
 *
 * The server refuses to run as root, so as root initdb and the server run as the `postgres` user.
 * The server is started as a direct child (not daemonized by pg_ctl, which detaches it into its
 * own session) so that interrupting or killing the test run's process group stops it too.
 * A missing installation fails the run: PostgreSQL tests are never skipped.
 */
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, openSync, closeSync, readFileSync } from 'node:fs';
import { chmod, chown, mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import pg from 'pg';
import type {} from 'vitest';
import type { TestProject } from 'vitest/node';

declare module 'vitest' {
  export interface ProvidedContext {
    /** Admin URL of the test PostgreSQL server (database `postgres`, may CREATE DATABASE). */
    pgUrl: string;
  }
}

const run = promisify(execFile);
const PG_BIN = process.env.DATARAUM_PG_BIN ?? '/usr/lib/postgresql/15/bin';
const READY_TIMEOUT_MS = 30_000;

export default async function setup(project: TestProject): Promise<(() => Promise<void>) | void> {
  const external = process.env.DATARAUM_TEST_DATABASE_URL;
  if (external) {
    project.provide('pgUrl', external);
    return;
  }
  for (const bin of ['initdb', 'postgres']) {
    if (!existsSync(join(PG_BIN, bin))) {
      throw new Error(
        `PostgreSQL test server: ${join(PG_BIN, bin)} not found. Install it with ` +
          '`apt-get install postgresql-15` (CI does), or point DATARAUM_TEST_DATABASE_URL at a server ' +
          'whose user may CREATE DATABASE.',
      );
    }
  }

  const asRoot = process.getuid?.() === 0;
  const owner = asRoot ? await postgresUser() : undefined;
  const user = asRoot ? 'postgres' : userInfo().username;
  const dir = await mkdtemp(join(tmpdir(), 'dataraum-pg-'));
  if (owner) await chown(dir, owner.uid, owner.gid);
  await chmod(dir, 0o700);
  const data = join(dir, 'data');
  const log = join(dir, 'server.log');

  let server: ChildProcess | undefined;
  try {
    if (asRoot) {
      await run('runuser', ['-u', 'postgres', '--', join(PG_BIN, 'initdb'), '-D', data, '-U', user, '-A', 'trust', '-E', 'UTF8', '--locale=C', '--no-sync']);
    } else {
      await run(join(PG_BIN, 'initdb'), ['-D', data, '-U', user, '-A', 'trust', '-E', 'UTF8', '--locale=C', '--no-sync']);
    }
    // A free port can be taken between probing and binding: retry on a fresh one.
    for (let attempt = 1; ; attempt++) {
      const port = await freePort();
      const url = `postgres://${encodeURIComponent(user)}@127.0.0.1:${port}/postgres`;
      server = startServer(data, dir, port, log, owner);
      if (await ready(server, url)) {
        project.provide('pgUrl', url);
        break;
      }
      if (attempt >= 3) throw new Error(`did not accept connections on port ${port}`);
    }
  } catch (error) {
    await stop(server);
    const tail = existsSync(log) ? readFileSync(log, 'utf8').split('\n').slice(-15).join('\n') : '(no server log)';
    await rm(dir, { recursive: true, force: true });
    throw new Error(`PostgreSQL test server failed to start: ${(error as Error).message}\n${tail}`, { cause: error });
  }

  return async () => {
    await stop(server);
    await rm(dir, { recursive: true, force: true });
  };
}

function startServer(data: string, socketDir: string, port: number, log: string, owner?: { uid: number; gid: number }): ChildProcess {
  const fd = openSync(log, 'a');
  try {
    return spawn(
      join(PG_BIN, 'postgres'),
      [
        '-D', data, '-p', String(port), '-k', socketDir,
        '-c', 'listen_addresses=127.0.0.1',
        // Throwaway data: durability buys nothing here.
        '-c', 'fsync=off', '-c', 'synchronous_commit=off', '-c', 'full_page_writes=off',
        '-c', 'max_connections=300',
      ],
      { stdio: ['ignore', fd, fd], ...(owner ?? {}) },
    );
  } finally {
    closeSync(fd);
  }
}

/** Resolves true once the server accepts connections, false if it exits first. */
async function ready(server: ChildProcess, url: string): Promise<boolean> {
  let exited = false;
  server.once('exit', () => (exited = true));
  const deadline = Date.now() + READY_TIMEOUT_MS;
  while (!exited && Date.now() < deadline) {
    const client = new pg.Client({ connectionString: url });
    try {
      await client.connect();
      await client.end();
      return true;
    } catch {
      await client.end().catch(() => {});
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }
  if (!exited) throw new Error(`not ready after ${READY_TIMEOUT_MS / 1000} s`);
  return false;
}

/** Fast shutdown (SIGINT), then immediate (SIGQUIT) if it takes too long. */
async function stop(server: ChildProcess | undefined): Promise<void> {
  if (!server || server.exitCode !== null || server.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => server.once('exit', () => resolve()));
  server.kill('SIGINT');
  const timer = setTimeout(() => server.kill('SIGQUIT'), 10_000);
  await exited;
  clearTimeout(timer);
}

async function postgresUser(): Promise<{ uid: number; gid: number }> {
  try {
    const [{ stdout: uid }, { stdout: gid }] = await Promise.all([run('id', ['-u', 'postgres']), run('id', ['-g', 'postgres'])]);
    return { uid: Number(uid.trim()), gid: Number(gid.trim()) };
  } catch (error) {
    throw new Error('Running as root, the PostgreSQL test server needs a `postgres` user: `apt-get install postgresql-15` creates it.', { cause: error });
  }
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.unref();
    probe.on('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      probe.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no free port'))));
    });
  });
}
