/**
 * The HTTP API of dataraum: ingest sources in the background, read what was learned about them,
 * annotate columns, answer review queues, resume paused runs and fetch the context document.
 * Every route validates with zod; the OpenAPI 3 document is at `GET /openapi.json`; errors are
 * RFC 9457 problem details.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import fastifySwagger from '@fastify/swagger';
import Fastify, { type FastifyError, type FastifyReply, type FastifyRequest } from 'fastify';
import {
  hasZodFastifySchemaValidationErrors, isResponseSerializationError, jsonSchemaTransform, serializerCompiler, validatorCompiler,
  type ZodTypeProvider,
} from 'fastify-type-provider-zod';
import { DataraumError } from '../../engine/index.ts';
import { StoreError } from '../../store/index.ts';
import { openRuntime, type Runtime } from '../../cli/runtime.ts';
import { dataRootsFromEnv, normalizeRoots } from './data-roots.ts';
import { waitForHome } from '../../cli/home-lock.ts';
import { JobRunner } from './job-runner.ts';
import { HttpProblem, problem, PROBLEM_CONTENT_TYPE, type Problem } from './problem.ts';
import type { App, ServerContext } from './server-context.ts';
import { healthRoutes } from './routes/health.ts';
import { sourceRoutes } from './routes/sources.ts';
import { columnRoutes } from './routes/columns.ts';
import { contextRoutes } from './routes/context.ts';
import { runRoutes } from './routes/runs.ts';
import { reviewRoutes } from './routes/reviews.ts';

export interface ServerOptions {
  /** Folder of the embedded store, DuckDB file, cache and context documents (default: $DATARAUM_HOME or .dataraum). */
  readonly home?: string;
  /** Project root holding dataflows/ (default: the dataraum package). */
  readonly root?: string;
  /** Metadata database URL (default: DATARAUM_DATABASE_URL, else SQLite under home). */
  readonly databaseUrl?: string;
  /** Folders source paths must stay inside (default: DATARAUM_DATA_ROOTS, else the working directory). */
  readonly dataRoots?: readonly string[];
  /** Bearer token every route but /health requires (default: DATARAUM_API_TOKEN; '' or unset: no auth). */
  readonly token?: string;
  /** Fastify's logger option (default: off). */
  readonly logger?: boolean | Record<string, unknown>;
}

/**
 * The fastify instance, ready for `inject` or `listen`. Closing it waits for background runs and
 * closes the runtime.
 *
 * @example
 * ```ts
 * const app = await buildServer({ home: '.dataraum', dataRoots: ['./data'] });
 * const res = await app.inject({ method: 'POST', url: '/sources', payload: { path: 'orders.csv' } });
 * res.statusCode; // 202, res.headers.location === '/runs/<id>'
 * await app.listen({ port: 8787, host: '127.0.0.1' });
 * ```
 */
export async function buildServer(opts: ServerOptions = {}): Promise<App> {
  const dataRoots = opts.dataRoots ? normalizeRoots(opts.dataRoots) : dataRootsFromEnv();
  const token = opts.token ?? (process.env.DATARAUM_API_TOKEN || undefined);
  const rt: Runtime = await openRuntime({
    ...(opts.home !== undefined ? { home: opts.home } : {}),
    ...(opts.root !== undefined ? { root: opts.root } : {}),
    ...(opts.databaseUrl !== undefined ? { databaseUrl: opts.databaseUrl } : {}),
  });
  const app = Fastify({ logger: opts.logger ?? false }).withTypeProvider<ZodTypeProvider>() as App;
  const closing = new AbortController();
  const runner = new JobRunner(
    (err, job) => app.log.error({ err, runId: job.runId }, `background ${job.kind} run ${job.runId} failed`),
    // A job writes to the home like `dataraum run`: it holds the writer lock while it works. While
    // another process (a CLI run) holds it, the job stays queued and says who it waits for.
    async (job, work) => {
      const lock = await waitForHome(rt.home, `dataraum serve: ${job.kind} run ${job.runId}`, {
        signal: closing.signal,
        onWait: (holder) => {
          job.status = 'queued';
          job.waitingFor = holder;
        },
      });
      job.status = 'running';
      delete job.waitingFor;
      try {
        return await work();
      } finally {
        lock.release();
      }
    },
  );
  const ctx: ServerContext = { rt, runner, dataRoots };

  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  app.setErrorHandler((err, req, reply) => sendError(app, err as FastifyError, req, reply));
  app.setNotFoundHandler((req, reply) => sendProblem(reply, problem(404, `no route ${req.method} ${req.url.split('?')[0]}; GET /openapi.json lists the routes`, req.url)));
  app.addHook('onClose', async () => {
    closing.abort();
    await runner.drain();
    await rt.close();
  });
  if (token) app.addHook('onRequest', bearerAuth(token));

  await app.register(fastifySwagger, {
    openapi: {
      openapi: '3.0.3',
      info: { title: 'dataraum', description: 'Ingest tabular sources, review their types, read their context document', version: '1' },
      ...(token ? { components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } } }, security: [{ bearer: [] }] } : {}),
    },
    transform: jsonSchemaTransform,
  });
  app.get('/openapi.json', { schema: { hide: true } }, async () => app.swagger());

  for (const routes of [healthRoutes, sourceRoutes, columnRoutes, contextRoutes, runRoutes, reviewRoutes]) routes(app, ctx);
  await app.ready();
  return app;
}

/** Requires `Authorization: Bearer <token>` on every route but /health, compared in constant time. */
function bearerAuth(token: string) {
  const want = createHash('sha256').update(token).digest();
  return async (req: FastifyRequest, reply: FastifyReply) => {
    if (req.url === '/health' || req.url.startsWith('/health?')) return;
    const header = req.headers.authorization;
    if (!header) {
      reply.header('www-authenticate', 'Bearer');
      return sendProblem(reply, problem(401, 'this API needs a token: send Authorization: Bearer <DATARAUM_API_TOKEN>', req.url));
    }
    const m = /^Bearer\s+(.+)$/i.exec(header);
    // Hashing both sides gives equal lengths, so timingSafeEqual never leaks the token's length.
    const got = createHash('sha256').update(m?.[1]?.trim() ?? '').digest();
    if (!m || !timingSafeEqual(want, got)) {
      return sendProblem(reply, problem(403, 'the bearer token is not the one this server was started with (DATARAUM_API_TOKEN)', req.url));
    }
  };
}

function sendProblem(reply: FastifyReply, body: Problem) {
  // A string payload skips the route's serializer: problem documents keep their own content type.
  return reply.code(body.status).type(PROBLEM_CONTENT_TYPE).send(JSON.stringify(body));
}

function sendError(app: App, err: FastifyError, req: FastifyRequest, reply: FastifyReply) {
  const at = req.url;
  if (hasZodFastifySchemaValidationErrors(err)) {
    const where = err.validationContext ?? 'request';
    const issues = err.validation.map((v) => ({ path: [where, ...v.instancePath.split('/').filter(Boolean)], message: v.message ?? 'invalid' }));
    return sendProblem(reply, problem(400, `invalid ${where}: ${issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`, at, issues));
  }
  if (err instanceof HttpProblem) return sendProblem(reply, problem(err.status, err.message, at, err.issues));
  if (err instanceof StoreError) {
    const status = err.code === 'NOT_FOUND' ? 404 : err.code === 'INVALID_STATE' || err.code === 'CONFLICT' ? 409 : err.code === 'INVALID_VALUE' ? 400 : 500;
    if (status !== 500) return sendProblem(reply, problem(status, err.message, at));
  }
  if (err instanceof DataraumError && err.code === 'UNKNOWN_NODE') return sendProblem(reply, problem(400, err.message, at));
  if (err.statusCode && err.statusCode >= 400 && err.statusCode < 500) {
    // Fastify's own client errors: bad JSON, unsupported media type, body too large.
    return sendProblem(reply, problem(err.statusCode, err.message, at));
  }
  app.log.error({ err, url: at }, 'request failed');
  const what = isResponseSerializationError(err) ? 'the response did not match its schema' : 'the server failed while handling the request';
  return sendProblem(reply, problem(500, `${what}; see the server log (request ${req.id})`, at));
}
