/**
 * One LLM call for one feature: render the prompt, answer from the cache when a valid entry
 * exists, otherwise ask the provider, parse the JSON (```json fences tolerated), validate it with
 * the feature's zod schema (a bad answer is retried once, with the validation errors appended),
 * cache it and record tokens and cost. The cost limit is enforced before each request.
 *
 * @example
 * ```ts
 * const store = await openStore({ sqlitePath: ':memory:' });
 * const config = loadLlmConfig('config/llm.yaml');
 * const provider = createProvider(config)!;
 * const r = await callLlm('context_summary', { context: '...' }, { config, provider, store, sourceId: null });
 * console.log(r.value.summary, r.cached, r.costUsd);
 * ```
 */
import { createHash } from 'node:crypto';
import { z } from 'zod';
import { modelFor, type LlmConfig, type LlmFeature } from '../../config/llm.ts';
import type { StoreContext } from '../../store/repositories/context.ts';
import { CostTracker } from './cost.ts';
import { LlmError } from './errors.ts';
import { readLlmCache, writeLlmCache } from './llm-cache.ts';
import { loadPromptTemplate, renderPrompt } from './prompts.ts';
import { FEATURE_SCHEMAS, type FeatureAnswer } from './schemas.ts';
import type { LlmMessage, LlmProvider } from './types.ts';

export interface LlmContext {
  readonly config: LlmConfig;
  readonly provider: LlmProvider;
  /** Where answers are cached; without it every call asks the model. */
  readonly store?: StoreContext;
  readonly sourceId?: string | null;
  readonly tableIds?: readonly string[];
  readonly ontology?: string | null;
  /** Shared by the calls of one run, so the cost limit spans the run. */
  readonly budget?: CostTracker;
  /** Prompt templates folder (default config/prompts). */
  readonly promptsDir?: string;
  /** Progress lines (feature, model, tokens, cost); never holds keys or prompt text. */
  readonly log?: (line: string) => void;
  readonly signal?: AbortSignal;
}

export interface LlmCallResult<T> {
  readonly value: T;
  readonly cached: boolean;
  readonly model: string;
  readonly inputTokens: number;
  readonly outputTokens: number;
  readonly costUsd: number;
  /** Requests made (0 on a cache hit, 2 when the first answer was invalid). */
  readonly requests: number;
}

/** Prompt slot values; non-strings are embedded as JSON. `schema` is filled in by callLlm. */
export type LlmInput = Readonly<Record<string, unknown>>;

export async function callLlm<F extends LlmFeature>(feature: F, input: LlmInput, ctx: LlmContext): Promise<LlmCallResult<FeatureAnswer<F>>> {
  const { config, provider } = ctx;
  const model = modelFor(config, feature);
  if (!model) throw new LlmError('config', `${feature}: no model configured (provider '${config.provider}', tier '${config.features[feature].tier}')`, { feature });
  const schema = FEATURE_SCHEMAS[feature] as unknown as z.ZodType<FeatureAnswer<F>>;
  const template = loadPromptTemplate(feature, ctx.promptsDir);
  const slots: Record<string, string> = { schema: JSON.stringify(z.toJSONSchema(FEATURE_SCHEMAS[feature], { io: 'input' }), null, 2) };
  for (const [k, v] of Object.entries(input)) slots[k] = typeof v === 'string' ? v : JSON.stringify(v, null, 1);
  const { system, user } = renderPrompt(template, slots);

  const promptHash = sha256(`${template.system}\u0000${template.user}`);
  const inputsHash = sha256(`${system}\u0000${user}`);
  const cacheKey = sha256([feature, provider.name, model, promptHash, inputsHash].join('\u0000'));

  if (ctx.store) {
    const hit = await readLlmCache(ctx.store, cacheKey);
    if (hit) {
      const parsed = schema.safeParse(hit.response);
      if (parsed.success) {
        ctx.log?.(`llm ${feature}: cache hit (${model})`);
        return { value: parsed.data, cached: true, model: hit.model ?? model, inputTokens: hit.inputTokens, outputTokens: hit.outputTokens, costUsd: 0, requests: 0 };
      }
      // A cached answer the current schema rejects is stale: ask again and overwrite it.
    }
  }

  const budget = ctx.budget ?? new CostTracker(config);
  const maxTokens = config.limits.max_tokens;
  const messages: LlmMessage[] = [{ role: 'user', content: user }];
  let inputTokens = 0;
  let outputTokens = 0;
  let costUsd = 0;
  let answeredBy = model;
  for (let attempt = 1; ; attempt++) {
    budget.ensureRoom(feature, model, system.length + messages.reduce((n, m) => n + m.content.length, 0), maxTokens);
    const res = await provider.complete({ model, system, messages, maxTokens, ...(ctx.signal ? { signal: ctx.signal } : {}) });
    inputTokens += res.inputTokens;
    outputTokens += res.outputTokens;
    answeredBy = res.model;
    costUsd += budget.record(model, res.inputTokens, res.outputTokens);
    ctx.log?.(`llm ${feature}: ${provider.name} ${res.model}, ${res.inputTokens} in / ${res.outputTokens} out tokens, $${costUsd.toFixed(4)}`);
    const checked = checkAnswer(res.text, schema);
    if (checked.ok) {
      if (ctx.store) {
        await writeLlmCache(ctx.store, {
          cacheKey, feature, sourceId: ctx.sourceId ?? null, tableIds: ctx.tableIds ?? null, ontology: ctx.ontology ?? null,
          provider: provider.name, model: answeredBy, promptHash, response: checked.value, inputTokens, outputTokens, ttlHours: config.cache.ttl_hours,
        });
      }
      return { value: checked.value, cached: false, model: answeredBy, inputTokens, outputTokens, costUsd, requests: attempt };
    }
    if (attempt >= 2) {
      throw new LlmError('invalid_answer', `${feature}: ${provider.name} ${answeredBy} answered twice without valid JSON for the schema: ${checked.errors}`, { provider: provider.name, feature });
    }
    messages.push(
      { role: 'assistant', content: res.text },
      { role: 'user', content: `Your answer was not valid: ${checked.errors}\nAnswer again with only a JSON object that matches the schema.` },
    );
  }
}

type Checked<T> = { ok: true; value: T } | { ok: false; errors: string };

/** Parses JSON out of the answer text (bare, or inside a ```json fence) and validates it. */
export function checkAnswer<T>(text: string, schema: z.ZodType<T>): Checked<T> {
  const fenced = /```(?:json)?\s*\n?([\s\S]*?)```/i.exec(text);
  const candidate = (fenced ? fenced[1]! : text).trim();
  let json: unknown;
  try {
    json = JSON.parse(candidate);
  } catch (e) {
    return { ok: false, errors: `not JSON (${(e as Error).message})` };
  }
  const parsed = schema.safeParse(json);
  if (parsed.success) return { ok: true, value: parsed.data };
  return { ok: false, errors: parsed.error.issues.slice(0, 20).map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ') };
}

function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}
