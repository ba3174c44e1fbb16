/**
 * A local HTTP server on 127.0.0.1 (port 0) that speaks the Anthropic Messages and OpenAI Chat
 * Completions wire formats. Tests queue answers; every request is recorded (path, headers, body).
 */
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface RecordedRequest {
  readonly method: string;
  readonly path: string;
  readonly headers: IncomingHttpHeaders;
  readonly body: string;
  readonly json: any;
}

type Step =
  | { kind: 'text'; text: string; inputTokens: number; outputTokens: number }
  | { kind: 'raw'; status: number; body: string; headers: Record<string, string> }
  | { kind: 'hang'; ms: number };

export interface FakeLlm {
  readonly url: string;
  readonly requests: RecordedRequest[];
  /** Queue a successful answer with this text, in the wire format of the requested path. */
  reply(text: string | object, tokens?: { input?: number; output?: number }): FakeLlm;
  /** Queue a raw HTTP answer. */
  raw(status: number, body: unknown, headers?: Record<string, string>): FakeLlm;
  /** Queue an answer that only comes after `ms`. */
  hang(ms: number): FakeLlm;
  /** Bodies of all requests, concatenated. */
  allBodies(): string;
  close(): Promise<void>;
}

export async function startFakeLlm(): Promise<FakeLlm> {
  const queue: Step[] = [];
  const requests: RecordedRequest[] = [];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      let json: unknown = null;
      try { json = JSON.parse(body); } catch { /* recorded as text */ }
      requests.push({ method: req.method ?? '', path: req.url ?? '', headers: req.headers, body, json });
      const step = queue.shift();
      if (!step) {
        res.writeHead(500, { 'content-type': 'application/json' }).end(JSON.stringify({ error: { message: 'fake server: no answer queued' } }));
        return;
      }
      if (step.kind === 'hang') {
        const t = setTimeout(() => { if (!res.writableEnded) res.writeHead(200).end('{}'); }, step.ms);
        res.on('close', () => clearTimeout(t));
        return;
      }
      if (step.kind === 'raw') {
        res.writeHead(step.status, { 'content-type': 'application/json', ...step.headers }).end(step.body);
        return;
      }
      const model = (json as { model?: string } | null)?.model ?? 'unknown';
      const answer = req.url === '/v1/messages'
        ? { id: 'msg_1', type: 'message', role: 'assistant', model, content: [{ type: 'text', text: step.text }], stop_reason: 'end_turn', usage: { input_tokens: step.inputTokens, output_tokens: step.outputTokens } }
        : { id: 'chatcmpl-1', object: 'chat.completion', model, choices: [{ index: 0, message: { role: 'assistant', content: step.text }, finish_reason: 'stop' }], usage: { prompt_tokens: step.inputTokens, completion_tokens: step.outputTokens, total_tokens: step.inputTokens + step.outputTokens } };
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(answer));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const fake: FakeLlm = {
    url: `http://127.0.0.1:${port}`,
    requests,
    reply(text, tokens = {}) {
      queue.push({ kind: 'text', text: typeof text === 'string' ? text : JSON.stringify(text), inputTokens: tokens.input ?? 100, outputTokens: tokens.output ?? 50 });
      return fake;
    },
    raw(status, body, headers = {}) {
      queue.push({ kind: 'raw', status, body: typeof body === 'string' ? body : JSON.stringify(body), headers });
      return fake;
    },
    hang(ms) { queue.push({ kind: 'hang', ms }); return fake; },
    allBodies: () => requests.map((r) => r.body).join('\n'),
    close: () => new Promise<void>((resolve) => { server.closeAllConnections(); server.close(() => resolve()); }),
  };
  return fake;
}
