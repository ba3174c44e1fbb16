/**
 * The in-process runner of background runs: a map of run id -> job. Jobs run one after another
 * (they share one DuckDB file and one metadata store); a failing job is recorded, never thrown
 * into the server.
 */
import type { RunOutcome } from '../../cli/runs.ts';

export type JobStatus = 'queued' | 'running' | RunOutcome['status'];

export interface Job {
  readonly runId: string;
  readonly kind: 'ingest' | 'resume';
  readonly source: string | null;
  status: JobStatus;
  checkpointId?: string;
  error?: string;
  /** While a queued job waits for the home: who holds it (another process writing to it). */
  waitingFor?: string;
  readonly submittedAt: string;
  finishedAt?: string;
  /** Settles when the job has finished (never rejects). */
  readonly done: Promise<void>;
}

/**
 * @example
 * ```ts
 * const runner = new JobRunner((err, job) => log.error(err));
 * const job = runner.submit({ runId, kind: 'ingest', source: 'orders' }, async () => outcomeOf(await runIngest(rt, source, { runId, sourceId })));
 * await job.done; job.status; // 'completed' | 'failed' | 'pending_review'
 * ```
 */
export class JobRunner {
  /** Finished jobs kept in memory beyond this many are forgotten, oldest first (the store keeps their runs). */
  static readonly KEEP_FINISHED = 1000;
  readonly #jobs = new Map<string, Job>();
  #tail: Promise<void> = Promise.resolve();
  readonly #onError: (err: unknown, job: Job) => void;
  readonly #around: (job: Job, work: () => Promise<RunOutcome>) => Promise<RunOutcome>;

  /** `around` wraps every job's work (the server takes the home's writer lock there). */
  constructor(onError: (err: unknown, job: Job) => void = () => {}, around: (job: Job, work: () => Promise<RunOutcome>) => Promise<RunOutcome> = (_, work) => work()) {
    this.#onError = onError;
    this.#around = around;
  }

  /** Queues `work`; the job is visible (status `queued`) at once. */
  submit(meta: { runId: string; kind: Job['kind']; source: string | null }, work: () => Promise<RunOutcome>): Job {
    let settle!: () => void;
    const done = new Promise<void>((r) => { settle = r; });
    const job: Job = { ...meta, status: 'queued', submittedAt: new Date().toISOString(), done };
    // A resume reuses its run's id: the new job replaces the finished one (and moves to the end).
    this.#jobs.delete(meta.runId);
    this.#jobs.set(meta.runId, job);
    this.#forgetOld();
    this.#tail = this.#tail.then(async () => {
      job.status = 'running';
      try {
        const outcome = await this.#around(job, work);
        job.status = outcome.status;
        if (outcome.checkpointId) job.checkpointId = outcome.checkpointId;
        if (outcome.error) job.error = outcome.error;
      } catch (err) {
        job.status = 'failed';
        job.error = err instanceof Error ? err.message : String(err);
        this.#onError(err, job);
      } finally {
        job.finishedAt = new Date().toISOString();
        settle();
      }
    });
    return job;
  }

  #forgetOld(): void {
    const finished = [...this.#jobs.values()].filter((j) => j.finishedAt !== undefined);
    // Map order is insertion order: the first finished ones are the oldest.
    for (const j of finished.slice(0, Math.max(0, finished.length - JobRunner.KEEP_FINISHED))) this.#jobs.delete(j.runId);
  }

  get(runId: string): Job | undefined {
    return this.#jobs.get(runId);
  }

  /** True while a job of `runId` is queued or running. */
  isActive(runId: string): boolean {
    const s = this.#jobs.get(runId)?.status;
    return s === 'queued' || s === 'running';
  }

  /** Waits until every job submitted so far has finished. */
  async drain(): Promise<void> {
    await this.#tail;
  }
}
