/**
 * The one HTTP call all providers share: POST JSON with a timeout, retrying 429 (honouring
 * `retry-after`, in seconds or as an HTTP date) and 5xx a bounded number of times with
 * exponential backoff. Any other non-2xx is an LlmError naming the provider, the status and the
 * provider's own error message; request headers (the API key) never appear in a message.
 */
import { LlmError } from './errors.ts';

export interface PostJsonOptions {
  readonly provider: string;
  readonly url: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: unknown;
  readonly timeoutMs: number;
  /** Retries after a 429/5xx (not counting the first attempt). */
  readonly maxRetries: number;
  /** First backoff in ms (doubled per retry); the retry-after header wins when present. */
  readonly backoffMs?: number;
  /** Longest wait honoured from retry-after, in ms. */
  readonly maxWaitMs?: number;
  readonly signal?: AbortSignal;
}

export async function postJson(opts: PostJsonOptions): Promise<unknown> {
  const backoff = opts.backoffMs ?? 500;
  const maxWait = opts.maxWaitMs ?? 60_000;
  for (let attempt = 0; ; attempt++) {
    const signals = [AbortSignal.timeout(opts.timeoutMs), ...(opts.signal ? [opts.signal] : [])];
    let res: Response;
    try {
      res = await fetch(opts.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...opts.headers },
        body: JSON.stringify(opts.body),
        signal: AbortSignal.any(signals),
      });
    } catch (e) {
      const err = e as Error;
      if (err.name === 'TimeoutError' || (err.name === 'AbortError' && !opts.signal?.aborted)) {
        throw new LlmError('timeout', `${opts.provider}: no answer from ${opts.url} within ${opts.timeoutMs} ms; raise limits.timeout_ms in llm.yaml or check the server`, { provider: opts.provider }, { cause: e });
      }
      if (opts.signal?.aborted) throw e;
      throw new LlmError('network', `${opts.provider}: cannot reach ${opts.url}: ${(err.cause as Error | undefined)?.message ?? err.message}; check base_url in llm.yaml`, { provider: opts.provider }, { cause: e });
    }
    const text = await res.text();
    if (res.ok) {
      try {
        return JSON.parse(text) as unknown;
      } catch {
        throw new LlmError('bad_response', `${opts.provider}: HTTP ${res.status} answer is not JSON: ${text.slice(0, 200)}`, { provider: opts.provider, status: res.status });
      }
    }
    const retryable = res.status === 429 || res.status >= 500;
    if (retryable && attempt < opts.maxRetries) {
      const after = res.status === 429 ? parseRetryAfter(res.headers.get('retry-after')) : undefined;
      await sleep(Math.min(after ?? backoff * 2 ** attempt, maxWait), opts.signal);
      continue;
    }
    const detail = providerMessage(text);
    const hint = res.status === 401 || res.status === 403 ? ' (check the API key in the environment variable named by api_key_env)'
      : retryable ? ` (gave up after ${attempt + 1} attempts)` : '';
    throw new LlmError('http', `${opts.provider}: HTTP ${res.status} from ${opts.url}: ${detail}${hint}`, { provider: opts.provider, status: res.status });
  }
}

/** `retry-after` in ms: delta seconds or an HTTP date; undefined when absent or unreadable. */
export function parseRetryAfter(value: string | null, nowMs: number = Date.now()): number | undefined {
  if (!value) return undefined;
  const trimmed = value.trim();
  if (/^\d+(\.\d+)?$/.test(trimmed)) return Math.round(Number(trimmed) * 1000);
  const at = Date.parse(trimmed);
  return Number.isNaN(at) ? undefined : Math.max(0, at - nowMs);
}

/** The provider's own error message: Anthropic and OpenAI both nest it as `error.message`. */
function providerMessage(text: string): string {
  try {
    const body = JSON.parse(text) as { error?: { message?: string } | string; message?: string };
    if (typeof body.error === 'string') return body.error;
    if (body.error?.message) return body.error.message;
    if (body.message) return body.message;
  } catch { /* not JSON: show the text */ }
  return text.slice(0, 300) || '(empty body)';
}

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    const t = setTimeout(resolve, ms);
    signal?.addEventListener('abort', () => { clearTimeout(t); reject(signal.reason as Error); }, { once: true });
  });
}
