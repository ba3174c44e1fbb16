/** What every route reads: the runtime (store, home), the background job runner and the data roots. */
import type { FastifyInstance, FastifyBaseLogger, RawReplyDefaultExpression, RawRequestDefaultExpression, RawServerDefault } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { Runtime } from '../../cli/runtime.ts';
import type { JobRunner } from './job-runner.ts';

export interface ServerContext {
  readonly rt: Runtime;
  readonly runner: JobRunner;
  /** Real paths of the folders source paths must stay inside. */
  readonly dataRoots: readonly string[];
}

/** The fastify instance with zod schemas as its type provider. */
export type App = FastifyInstance<RawServerDefault, RawRequestDefaultExpression, RawReplyDefaultExpression, FastifyBaseLogger, ZodTypeProvider>;
