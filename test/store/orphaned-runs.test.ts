/**
 * Runs whose process died are marked failed: a run records `host:pid`, and reapOrphanedRuns
 * fails the `running` ones of this host whose process no longer exists (and only those).
 */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { hostname } from 'node:os';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { getRun, reapOrphanedRuns, RUN_OWNER, startRun } from '../../store/index.ts';
import { DIALECTS, storeLifecycle } from './helpers.ts';

/** A pid that existed a moment ago and is gone now. */
async function deadPid(): Promise<number> {
  const child = spawn(process.execPath, ['-e', '']);
  await once(child, 'exit');
  return child.pid!;
}

describe.each(DIALECTS)('orphaned runs on %s', (dialect) => {
  const { ctx, setUp, tearDown } = storeLifecycle(dialect);
  beforeEach(setUp);
  afterEach(tearDown);

  it('fails the running runs whose process on this host is gone, and leaves every other run alone', async () => {
    const sleeper = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 60_000)']);
    try {
      const mine = await startRun(ctx.store, { dataflowName: 'ingest' });
      expect(mine.owner).toBe(RUN_OWNER);
      const owned = async (owner: string | null) => {
        const run = await startRun(ctx.store, { dataflowName: 'ingest' });
        await ctx.store.db.updateTable('runs').set({ owner }).where('runId', '=', run.runId).execute();
        return run.runId;
      };
      const pid = await deadPid();
      const dead = await owned(`${hostname()}:${pid}`);
      const alive = await owned(`${hostname()}:${sleeper.pid}`);
      const elsewhere = await owned('some-other-host:1');
      const legacy = await owned(null);

      expect(await reapOrphanedRuns(ctx.store)).toEqual([dead]);
      const reaped = await getRun(ctx.store, dead);
      expect(reaped).toMatchObject({ status: 'failed', errorMessage: `interrupted: the process that ran it (pid ${pid}) exited before it finished` });
      expect(reaped!.finishedAt).not.toBeNull();
      expect(reaped!.durationMs).toBeGreaterThanOrEqual(0);
      for (const id of [mine.runId, alive, elsewhere, legacy]) expect((await getRun(ctx.store, id))!.status).toBe('running');
      // Idempotent: nothing left to reap.
      expect(await reapOrphanedRuns(ctx.store)).toEqual([]);
    } finally {
      sleeper.kill();
    }
  });
});
