/** The background job runner: one job at a time, failures recorded (never thrown), old jobs forgotten. */
import { describe, expect, it } from 'vitest';
import { JobRunner } from '../../server/http/job-runner.ts';

describe('JobRunner', () => {
  it('runs jobs one after another and records outcomes; a throwing job fails alone', async () => {
    const errors: string[] = [];
    const runner = new JobRunner((err, job) => errors.push(`${job.runId}: ${(err as Error).message}`));
    const order: string[] = [];
    const slow = runner.submit({ runId: 'a', kind: 'ingest', source: 's' }, async () => {
      order.push('a start');
      await new Promise((r) => setTimeout(r, 30));
      order.push('a end');
      return { status: 'pending_review', checkpointId: 'cp1' };
    });
    const bad = runner.submit({ runId: 'b', kind: 'ingest', source: 's' }, async () => {
      order.push('b start');
      throw new Error('disk full');
    });
    const good = runner.submit({ runId: 'c', kind: 'resume', source: null }, async () => ({ status: 'completed' }));
    expect([slow.status, bad.status, good.status]).toEqual(['queued', 'queued', 'queued']);
    expect(runner.isActive('b')).toBe(true);
    await runner.drain();
    expect(order).toEqual(['a start', 'a end', 'b start']);
    expect(slow).toMatchObject({ status: 'pending_review', checkpointId: 'cp1', finishedAt: expect.any(String) });
    expect(bad).toMatchObject({ status: 'failed', error: 'disk full' });
    expect(good.status).toBe('completed');
    expect(errors).toEqual(['b: disk full']);
    expect(runner.isActive('b')).toBe(false);
  });

  it(`keeps at most ${JobRunner.KEEP_FINISHED} finished jobs, forgetting the oldest`, async () => {
    const runner = new JobRunner();
    const n = JobRunner.KEEP_FINISHED + 5;
    for (let i = 0; i < n; i++) runner.submit({ runId: `r${i}`, kind: 'ingest', source: null }, async () => ({ status: 'completed' }));
    await runner.drain();
    runner.submit({ runId: 'last', kind: 'ingest', source: null }, async () => ({ status: 'completed' }));
    await runner.drain();
    expect(runner.get('r0')).toBeUndefined();
    expect(runner.get('r4')).toBeUndefined();
    expect(runner.get('r5')?.status).toBe('completed');
    expect(runner.get('last')?.status).toBe('completed');
  });
});
