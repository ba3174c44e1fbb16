/**
 * One writer per home: `run`, `resume` and `reset` hold `<home>/writer.lock` while they work, so a
 * second writer is told who holds the home instead of racing it. DuckDB's own file lock says as
 * much on file systems that enforce POSIX locks; this one also holds where they do not (network
 * and some container file systems). A lock left by a process of this host that has died (killed,
 * crashed) is taken over; one from another host is named, with the file to remove.
 *
 * @example
 * ```ts
 * const lock = lockHome('.dataraum', 'dataraum run orders.csv');
 * try { ... } finally { lock.release(); }
 * ```
 */
import { closeSync, mkdirSync, openSync, readFileSync, unlinkSync, writeSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { processAlive } from '../store/index.ts';

export const HOME_LOCK_FILE = 'writer.lock';

/** Who holds a home. */
export interface LockHolder {
  readonly pid: number;
  readonly host: string;
  readonly command: string;
  readonly startedAt: string;
}

export class HomeLockedError extends Error {
  constructor(readonly home: string, readonly holder: LockHolder | undefined, readonly lockFile: string) {
    const who = holder ? `process ${holder.pid} on ${holder.host} (\`${holder.command}\`, since ${holder.startedAt})` : 'another process';
    const remedy = holder && holder.host !== hostname()
      ? `wait for it to finish, or remove ${lockFile} if that process is gone`
      : 'wait for it to finish';
    super(`${home} is in use: ${who} is writing to it; ${remedy}`);
    this.name = 'HomeLockedError';
  }
}

export interface HomeLock {
  readonly file: string;
  release(): void;
}

/** This process's command line as a person typed it, for the lock file (`dataraum run orders.csv`). */
export function commandLine(argv: readonly string[] = process.argv): string {
  const text = ['dataraum', ...argv.slice(2)].join(' ');
  return text.length > 200 ? `${text.slice(0, 197)}...` : text;
}

/** Takes the home's writer lock or throws {@link HomeLockedError}. */
export function lockHome(home: string, command: string): HomeLock {
  mkdirSync(home, { recursive: true });
  const file = join(home, HOME_LOCK_FILE);
  const me: LockHolder = { pid: process.pid, host: hostname(), command, startedAt: new Date().toISOString() };
  // Two tries: the second after clearing a lock whose process is gone.
  for (let attempt = 0; attempt < 2; attempt++) {
    let fd: number;
    try {
      fd = openSync(file, 'wx');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      const holder = readHolder(file);
      if (attempt === 0 && holder && holder.host === me.host && !processAlive(holder.pid)) {
        unlinkIfHeldBy(file, holder.pid);
        continue;
      }
      throw new HomeLockedError(home, holder, file);
    }
    try {
      writeSync(fd, JSON.stringify(me));
    } finally {
      closeSync(fd);
    }
    const onExit = () => unlinkIfHeldBy(file, me.pid);
    process.once('exit', onExit);
    return {
      file,
      release() {
        process.removeListener('exit', onExit);
        onExit();
      },
    };
  }
  throw new HomeLockedError(home, readHolder(file), file);
}

/** The holder a lock file names, or undefined while it is being written or unreadable. */
export function readHolder(file: string): LockHolder | undefined {
  try {
    const v = JSON.parse(readFileSync(file, 'utf8')) as Partial<LockHolder>;
    return typeof v.pid === 'number' && typeof v.host === 'string' ? { pid: v.pid, host: v.host, command: String(v.command ?? '?'), startedAt: String(v.startedAt ?? '?') } : undefined;
  } catch {
    return undefined;
  }
}

/** Removes the lock only while it is still `pid`'s: never another writer's fresh one. */
function unlinkIfHeldBy(file: string, pid: number): void {
  if (readHolder(file)?.pid !== pid) return;
  try {
    unlinkSync(file);
  } catch {
    // already gone
  }
}

/**
 * Takes the home's writer lock, waiting while another process holds it: for a server's queued
 * jobs, which should run once the CLI writer is done rather than fail. `onWait` hears who holds the
 * home each time that changes; an abort stops the wait with an error saying so.
 */
export async function waitForHome(home: string, command: string, opts: { signal?: AbortSignal; onWait?: (holder: string) => void; pollMs?: number } = {}): Promise<HomeLock> {
  let told: string | undefined;
  for (;;) {
    try {
      return lockHome(home, command);
    } catch (err) {
      if (!(err instanceof HomeLockedError)) throw err;
      if (err.message !== told) opts.onWait?.((told = err.message));
    }
    if (opts.signal?.aborted) throw new Error(`stopped waiting for ${home}: ${told}`);
    await new Promise<void>((resolve) => {
      const timer = setTimeout(done, opts.pollMs ?? 500);
      function done() {
        clearTimeout(timer);
        opts.signal?.removeEventListener('abort', done);
        resolve();
      }
      opts.signal?.addEventListener('abort', done, { once: true });
    });
    if (opts.signal?.aborted) throw new Error(`stopped waiting for ${home}: ${told}`);
  }
}
