/**
 * `dataraum serve [--port 8787] [--host 127.0.0.1] [--home dir]`: the HTTP API (OpenAPI document
 * at /openapi.json). DATARAUM_API_TOKEN turns on bearer auth; DATARAUM_DATA_ROOTS (colon-separated)
 * says where source paths may point (default: the working directory).
 *
 * @example
 * ```sh
 * DATARAUM_API_TOKEN=s3cret DATARAUM_DATA_ROOTS=./data dataraum serve --port 8787
 * curl -H 'Authorization: Bearer s3cret' -d '{"path":"orders.csv"}' -H 'content-type: application/json' localhost:8787/sources
 * ```
 */
import { InvalidArgumentError, type Command } from 'commander';
import { buildServer } from '../../server/http/build-server.ts';
import { positiveInt, runtimeOptions } from './_shared.ts';

interface ServeOptions {
  port: number;
  host: string;
  home?: string;
  root?: string;
}

export function register(program: Command): void {
  const cmd = program
    .command('serve')
    .description('Serve the HTTP API: ingest sources, review types, read context documents')
    .option('-p, --port <port>', 'port to listen on (0: any free port)', portNumber, 8787)
    .option('--host <host>', 'interface to bind (0.0.0.0 for every interface: set DATARAUM_API_TOKEN then)', '127.0.0.1');
  runtimeOptions(cmd, { root: true }).addHelpText('after', `
Environment:
  DATARAUM_API_TOKEN    every route but /health requires Authorization: Bearer <token>
  DATARAUM_DATA_ROOTS   colon-separated folders source paths must stay inside (default: the working directory)
  DATARAUM_LOG_LEVEL    fastify log level on stderr (default: warn; info logs every request)

Examples:
  $ dataraum serve
  $ DATARAUM_API_TOKEN=s3cret dataraum serve --port 9000 --home /var/lib/dataraum`);
  cmd.action(async (opts: ServeOptions) => {
    const app = await buildServer({
      // Failures of requests and background runs go to stderr; requests themselves are not logged.
      logger: { level: process.env.DATARAUM_LOG_LEVEL ?? 'warn' },
      ...(opts.home !== undefined ? { home: opts.home } : {}),
      ...(opts.root !== undefined ? { root: opts.root } : {}),
    });
    const address = await app.listen({ port: opts.port, host: opts.host });
    process.stdout.write(`dataraum API listening on ${address} (OpenAPI: ${address}/openapi.json)${process.env.DATARAUM_API_TOKEN ? '' : '; no DATARAUM_API_TOKEN: no auth'}\n`);
    let closing = false;
    const stop = (signal: string) => {
      if (closing) return;
      closing = true;
      process.stderr.write(`${signal}: waiting for running jobs, then stopping\n`);
      app.close().then(() => process.exit(0), (err: unknown) => {
        process.stderr.write(`error while stopping: ${err instanceof Error ? err.message : String(err)}\n`);
        process.exit(1);
      });
    };
    process.once('SIGINT', () => stop('SIGINT'));
    process.once('SIGTERM', () => stop('SIGTERM'));
  });
}

function portNumber(value: string): number {
  if (value === '0') return 0;
  const n = positiveInt('--port')(value);
  if (n > 65535) throw new InvalidArgumentError(`--port expects 0..65535, got '${value}'`);
  return n;
}
