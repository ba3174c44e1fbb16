/**
 * How the MCP server is reached: stdio (a client spawns `dataraum mcp`) or streamable HTTP on
 * 127.0.0.1 (`dataraum mcp --http --port N`). The HTTP endpoint is stateless: each POST gets a
 * fresh server and transport over the shared store, so no session state can leak between
 * clients and nothing has to be cleaned up when a client goes away.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import { createMcpServer, type McpServerOptions } from './server.ts';

/** Largest request body accepted over HTTP. */
const MAX_BODY_BYTES = 1 << 20;

/**
 * Serves MCP on stdin/stdout until the client closes the stream; resolves then.
 *
 * @example
 * ```ts
 * await serveStdio({ store: rt.store, home: rt.home, duckdbPath: rt.duckdbPath });
 * ```
 */
export async function serveStdio(opts: McpServerOptions): Promise<void> {
  const server = createMcpServer(opts);
  const transport = new StdioServerTransport();
  const closed = new Promise<void>((resolve) => {
    transport.onclose = () => resolve();
    process.stdin.once('end', () => resolve());
  });
  await server.connect(transport);
  await closed;
  await server.close();
}

export interface HttpMcpServer {
  /** e.g. `http://127.0.0.1:8765/mcp`. */
  readonly url: string;
  readonly port: number;
  close(): Promise<void>;
}

/**
 * Serves MCP over streamable HTTP at `http://127.0.0.1:<port>/mcp` (port 0 picks a free one).
 *
 * @example
 * ```ts
 * const http = await serveHttp({ store, home, duckdbPath }, 8765);
 * console.log(http.url); // http://127.0.0.1:8765/mcp
 * ```
 */
export async function serveHttp(opts: McpServerOptions, port: number): Promise<HttpMcpServer> {
  const http: Server = createServer((req, res) => {
    handle(opts, req, res).catch((err: unknown) => {
      if (!res.headersSent) sendJsonRpcError(res, 500, -32603, `internal error: ${err instanceof Error ? err.message : String(err)}`);
      else res.end();
    });
  });
  await new Promise<void>((resolve, reject) => {
    http.once('error', reject);
    http.listen(port, '127.0.0.1', () => resolve());
  });
  const actual = (http.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${actual}/mcp`,
    port: actual,
    close: () => new Promise<void>((resolve, reject) => {
      http.closeAllConnections();
      http.close((err) => (err ? reject(err) : resolve()));
    }),
  };
}

async function handle(opts: McpServerOptions, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const path = new URL(req.url ?? '/', 'http://127.0.0.1').pathname;
  if (path !== '/mcp') {
    res.writeHead(404, { 'content-type': 'text/plain' }).end('not found: the MCP endpoint is POST /mcp\n');
    return;
  }
  if (req.method !== 'POST') {
    // Stateless: no server-initiated stream (GET) and no session to delete (DELETE).
    sendJsonRpcError(res, 405, -32000, `method ${req.method} not allowed: this endpoint is stateless, send JSON-RPC with POST`);
    return;
  }
  let body: unknown;
  try {
    body = JSON.parse(await readBody(req));
  } catch (err) {
    sendJsonRpcError(res, 400, -32700, `parse error: ${(err as Error).message}`);
    return;
  }
  const server = createMcpServer(opts);
  const transport = new StreamableHTTPServerTransport({ sessionIdGenerator: undefined });
  res.on('close', () => {
    void transport.close();
    void server.close();
  });
  await server.connect(transport);
  await transport.handleRequest(req, res, body);
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > MAX_BODY_BYTES) {
        reject(new Error(`request body over ${MAX_BODY_BYTES} bytes`));
        req.destroy();
        return;
      }
      chunks.push(c);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

function sendJsonRpcError(res: ServerResponse, status: number, code: number, message: string): void {
  res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify({ jsonrpc: '2.0', error: { code, message }, id: null }));
}
