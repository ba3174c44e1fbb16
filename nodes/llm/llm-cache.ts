/**
 * LLM answers in the metadata store (`llm_cache`): one row per cache key (feature + model +
 * prompt hash + inputs hash), valid until `expires_at` or until invalidated (`is_valid = false`).
 *
 * @example
 * ```ts
 * await invalidateLlmCache(store, { feature: 'suggested_queries', sourceId });
 * ```
 */
import type { StoreContext } from '../../store/repositories/context.ts';

export interface LlmCacheHit {
  readonly response: unknown;
  readonly inputTokens: number;
  readonly outputTokens: number;
  readonly model: string | null;
}

export interface LlmCacheEntry {
  readonly cacheKey: string;
  readonly feature: string;
  readonly sourceId: string | null;
  readonly tableIds: readonly string[] | null;
  readonly ontology: string | null;
  readonly provider: string;
  readonly model: string;
  readonly promptHash: string;
  readonly response: unknown;
  readonly inputTokens: number;
  readonly outputTokens: number;
  readonly ttlHours: number;
}

/** The valid, unexpired answer stored under `cacheKey`, if any. */
export async function readLlmCache(store: StoreContext, cacheKey: string, nowMs: number = Date.now()): Promise<LlmCacheHit | undefined> {
  const row = await store.db.selectFrom('llmCache').selectAll().where('cacheKey', '=', cacheKey).where('isValid', '=', true).executeTakeFirst();
  if (!row) return undefined;
  if (row.expiresAt !== null && new Date(row.expiresAt).getTime() <= nowMs) return undefined;
  return { response: row.responseJson, inputTokens: row.inputTokens ?? 0, outputTokens: row.outputTokens ?? 0, model: row.model };
}

/** Stores an answer; an expired or invalidated row under the same key is replaced. */
export async function writeLlmCache(store: StoreContext, e: LlmCacheEntry, nowMs: number = Date.now()): Promise<void> {
  const fields = {
    feature: e.feature,
    sourceId: e.sourceId,
    tableIds: e.tableIds ? [...e.tableIds] : null,
    ontology: e.ontology,
    provider: e.provider,
    model: e.model,
    promptHash: e.promptHash,
    responseJson: e.response,
    inputTokens: e.inputTokens,
    outputTokens: e.outputTokens,
    createdAt: new Date(nowMs).toISOString(),
    expiresAt: new Date(nowMs + e.ttlHours * 3_600_000).toISOString(),
    isValid: true,
  };
  await store.db
    .insertInto('llmCache')
    .values({ cacheId: crypto.randomUUID(), cacheKey: e.cacheKey, ...fields })
    .onConflict((oc) => oc.column('cacheKey').doUpdateSet(fields))
    .execute();
}

export interface LlmCacheFilter {
  readonly feature?: string;
  readonly sourceId?: string;
}

/**
 * Marks cached answers invalid (all of them without a filter); returns how many. The next call
 * asks the model again.
 */
export async function invalidateLlmCache(store: StoreContext, filter: LlmCacheFilter = {}): Promise<number> {
  let q = store.db.updateTable('llmCache').set({ isValid: false }).where('isValid', '=', true);
  if (filter.feature !== undefined) q = q.where('feature', '=', filter.feature);
  if (filter.sourceId !== undefined) q = q.where('sourceId', '=', filter.sourceId);
  const res = await q.executeTakeFirst();
  return Number(res.numUpdatedRows);
}
