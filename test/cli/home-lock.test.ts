/**
 * One writer per home, through the real bin: `run`, `resume` and `reset` refuse a home whose
 * writer.lock names a live process, and say who holds it; commands that only read go on; a lock
 * left by a process that died is taken over, and a finished run leaves none behind.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cli } from './helpers.ts';

const TIMEOUT = 180_000;
let dir: string;
let csv: string;
let sleeper: ChildProcess;

beforeAll(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'dataraum-home-lock-'));
  csv = path.join(dir, 'orders.csv');
  writeFileSync(csv, 'id,amount\n1,10.50\n2,7.25\n3,3.00\n');
  // A live process of this host to stand in for a writer that is still going.
  sleeper = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)'], { stdio: 'ignore' });
});
afterAll(() => {
  sleeper.kill();
  rmSync(dir, { recursive: true, force: true });
});

function holdHome(home: string, holder: { pid: number; host: string }): string {
  mkdirSync(home, { recursive: true });
  const file = path.join(home, 'writer.lock');
  writeFileSync(file, JSON.stringify({ ...holder, command: 'dataraum run big.csv', startedAt: '2026-11-22T10:00:00.000Z' }));
  return file;
}

describe('the writer lock of a home', () => {
  it('refuses run, resume and reset while a live process holds it; readers go on', async () => {
    const home = path.join(dir, 'held');
    expect((await cli({ home }, ['run', csv, '--no-progress'])).code).toBe(0);
    const file = holdHome(home, { pid: sleeper.pid!, host: hostname() });
    const said = `error: ${home} is in use: process ${sleeper.pid} on ${hostname()} (\`dataraum run big.csv\`, since 2026-11-22T10:00:00.000Z) is writing to it; wait for it to finish\n`;
    expect(await cli({ home }, ['run', csv, '--no-progress'])).toMatchObject({ code: 1, stdout: '', stderr: said });
    expect(await cli({ home }, ['resume', '00000000-0000-4000-8000-000000000000', '--from-reviews'])).toMatchObject({ code: 1, stderr: said });
    expect(await cli({ home }, ['reset', '--source', 'orders', '--yes'])).toMatchObject({ code: 1, stderr: said });
    // Reading needs no lock.
    const query = await cli({ home }, ['query', 'SELECT count(*) AS n FROM typed_orders', '--json']);
    expect(query.code, query.stderr).toBe(0);
    expect((await cli({ home }, ['runs', '--json'])).code).toBe(0);
    // The refused run left the holder's lock as it was.
    expect(existsSync(file)).toBe(true);
  }, TIMEOUT);

  it('names the lock file when the holder is on another host', async () => {
    const home = path.join(dir, 'remote');
    const file = holdHome(home, { pid: 4242, host: 'build-7.example' });
    const run = await cli({ home }, ['run', csv, '--no-progress']);
    expect(run).toMatchObject({ code: 1, stderr: `error: ${home} is in use: process 4242 on build-7.example (\`dataraum run big.csv\`, since 2026-11-22T10:00:00.000Z) is writing to it; wait for it to finish, or remove ${file} if that process is gone\n` });
  }, TIMEOUT);

  it('takes over a lock whose process has died, and a finished run leaves no lock', async () => {
    const home = path.join(dir, 'stale');
    const dead = spawn(process.execPath, ['-e', '0'], { stdio: 'ignore' });
    await new Promise((resolve) => dead.once('exit', resolve));
    const file = holdHome(home, { pid: dead.pid!, host: hostname() });
    const run = await cli({ home }, ['run', csv, '--no-progress']);
    expect(run.code, run.stderr).toBe(0);
    expect(existsSync(file)).toBe(false);
  }, TIMEOUT);
});
