/**
 * vitest globalSetup: a throwaway PostgreSQL 15 cluster for the whole test run.
 *
 * Tests read its admin URL with `inject('pgUrl')` and create their own database in it (see
 * test/store/helpers.ts), so test files running in parallel never share tables. When
 * DATARAUM_TEST_DATABASE_URL is set, that server is used instead and nothing is started.
 *
 * The server refuses to run as root, so as root every binary runs as the `postgres` user
 * (`runuser -u postgres --`). A missing installation fails the run: PostgreSQL tests are never
 * skipped.
 */
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { chmod, chown, mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type {} from 'vitest';
import type { TestProject } from 'vitest/node';

declare module 'vitest' {
  export interface ProvidedContext {
    /** Admin URL of the test PostgreSQL server (database `postgres`). */
    pgUrl: string;
  }
}

const run = promisify(execFile);
const PG_BIN = process.env.DATARAUM_PG_BIN ?? '/usr/lib/postgresql/15/bin';

export default async function setup(project: TestProject): Promise<(() => Promise<void>) | void> {
  const external = process.env.DATARAUM_TEST_DATABASE_URL;
  if (external) {
    project.provide('pgUrl', external);
    return;
  }
  for (const bin of ['initdb', 'pg_ctl']) {
    if (!existsSync(join(PG_BIN, bin))) {
      throw new Error(
        `PostgreSQL test server: ${join(PG_BIN, bin)} not found. Install it with ` +
          '`apt-get install postgresql-15` (CI does), or point DATARAUM_TEST_DATABASE_URL at a server ' +
          'whose user may CREATE DATABASE.',
      );
    }
  }

  const asRoot = process.getuid?.() === 0;
  const user = asRoot ? 'postgres' : userInfo().username;
  const pg = (bin: string, args: string[]) =>
    asRoot ? run('runuser', ['-u', 'postgres', '--', join(PG_BIN, bin), ...args]) : run(join(PG_BIN, bin), args);

  const dir = await mkdtemp(join(tmpdir(), 'dataraum-pg-'));
  if (asRoot) {
    const { stdout } = await run('id', ['-u', 'postgres']);
    const { stdout: gid } = await run('id', ['-g', 'postgres']);
    await chown(dir, Number(stdout.trim()), Number(gid.trim()));
  }
  await chmod(dir, 0o700);
  const data = join(dir, 'data');

  try {
    await pg('initdb', ['-D', data, '-U', user, '-A', 'trust', '-E', 'UTF8', '--locale=C', '--no-sync']);
    let port = 0;
    // A free port can be taken between probing and binding; retry a few times on a fresh one.
    for (let attempt = 1; ; attempt++) {
      port = await freePort();
      try {
        await pg('pg_ctl', [
          '-D', data, '-l', join(dir, 'server.log'), '-w', '-t', '30', 'start',
          '-o', `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200`,
        ]);
        break;
      } catch (error) {
        if (attempt >= 3) throw error;
      }
    }
    project.provide('pgUrl', `postgres://${encodeURIComponent(user)}@127.0.0.1:${port}/postgres`);
  } catch (error) {
    await rm(dir, { recursive: true, force: true });
    throw new Error(`PostgreSQL test server failed to start in ${dir}: ${(error as Error).message}`, { cause: error });
  }

  return async () => {
    try {
      await pg('pg_ctl', ['-D', data, '-m', 'immediate', '-w', 'stop']);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  };
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}
