/**
 * `dataraum mcp [--http --port N]`: the MCP server over stdio (for a client that spawns it) or
 * over streamable HTTP on 127.0.0.1. Tools: list_tables, get_context, query, get_metrics,
 * annotate; resource: dataraum://context/<source>.
 *
 * @example
 * ```sh
 * dataraum mcp --home .dataraum                 # stdio: configure your MCP client to spawn this
 * dataraum mcp --http --port 8765               # http://127.0.0.1:8765/mcp
 * ```
 */
import type { Command } from 'commander';
import { serveHttp, serveStdio } from '../../server/mcp/transports.ts';
import { positiveInt, runtimeOptions, withRuntime, type RuntimeFlags } from './_shared.ts';

interface McpOptions extends RuntimeFlags {
  http?: boolean;
  port?: number;
  maxRows: number;
  timeout: number;
}

export function register(program: Command): void {
  const cmd = program
    .command('mcp')
    .description('Serve the MCP server (tools: list_tables, get_context, query, get_metrics, annotate) over stdio or HTTP')
    .option('--http', 'serve streamable HTTP on 127.0.0.1 instead of stdio')
    .option('--port <n>', 'HTTP port (with --http; default 8765, 0 picks a free one)', (v: string) => {
      const n = Number(v);
      if (!Number.isInteger(n) || n < 0 || n > 65535) throw new Error(`--port expects 0..65535, got '${v}'`);
      return n;
    })
    .option('--max-rows <n>', 'row cap of the query tool', positiveInt('--max-rows'), 1000)
    .option('--timeout <ms>', 'time cap of the query tool', positiveInt('--timeout'), 10_000);
  runtimeOptions(cmd).addHelpText('after', `
Examples:
  $ dataraum mcp --home .dataraum
  $ dataraum mcp --http --port 8765`);
  cmd.action(async (opts: McpOptions) => {
    await withRuntime(opts, async (rt) => {
      const serverOpts = { store: rt.store, home: rt.home, duckdbPath: rt.duckdbPath, maxRows: opts.maxRows, timeoutMs: opts.timeout };
      if (!opts.http) {
        await serveStdio(serverOpts);
        return;
      }
      const http = await serveHttp(serverOpts, opts.port ?? 8765);
      // stdout carries only this line, so a script can read the URL (port 0 picks a free port).
      process.stdout.write(`MCP server listening on ${http.url}\n`);
      await new Promise<void>((resolve) => {
        const stop = () => resolve();
        process.once('SIGINT', stop);
        process.once('SIGTERM', stop);
      });
      await http.close();
    });
  });
}
