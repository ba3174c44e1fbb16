/**
 * LLM settings (`config/llm.yaml`), validated by zod. The default is off (`provider: none`):
 * dataraum then runs on heuristics alone. API keys are never read from the file, only from the
 * environment variable each provider names (`api_key_env`).
 *
 * @example
 * ```ts
 * import { loadLlmConfig, resolveApiKey } from './config/llm.ts';
 * const config = loadLlmConfig('config/llm.yaml');
 * if (config.provider !== 'none') console.log(config.provider, resolveApiKey(config));
 * ```
 */
import { readFileSync } from 'node:fs';
import { parseDocument } from 'yaml';
import { z } from 'zod';

export const LLM_FEATURES = ['semantic_analysis', 'quality_rules', 'suggested_queries', 'context_summary'] as const;
export type LlmFeature = (typeof LLM_FEATURES)[number];

export const MODEL_TIERS = ['fast', 'balanced', 'best'] as const;
export type ModelTier = (typeof MODEL_TIERS)[number];

export const PROVIDER_NAMES = ['anthropic', 'openai', 'local'] as const;
export type ProviderName = (typeof PROVIDER_NAMES)[number];

const ProviderSettingsSchema = z.strictObject({
  base_url: z.url(),
  /** Environment variable holding the API key; optional for `local`. */
  api_key_env: z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'an environment variable name').optional(),
  models: z.strictObject({ fast: z.string().min(1), balanced: z.string().min(1), best: z.string().min(1) }),
});

const FeatureSettingsSchema = z.strictObject({
  enabled: z.boolean().default(true),
  tier: z.enum(MODEL_TIERS).default('balanced'),
});

const featureDefault = { enabled: true, tier: 'balanced' as const };

export const LlmConfigSchema = z.strictObject({
  provider: z.enum(['none', ...PROVIDER_NAMES]).default('none'),
  providers: z.strictObject({
    anthropic: ProviderSettingsSchema.optional(),
    openai: ProviderSettingsSchema.optional(),
    local: ProviderSettingsSchema.optional(),
  }).default({}),
  features: z.strictObject({
    semantic_analysis: FeatureSettingsSchema.default(featureDefault),
    quality_rules: FeatureSettingsSchema.default(featureDefault),
    suggested_queries: FeatureSettingsSchema.default(featureDefault),
    context_summary: FeatureSettingsSchema.default(featureDefault),
  }).default({ semantic_analysis: featureDefault, quality_rules: featureDefault, suggested_queries: featureDefault, context_summary: featureDefault }),
  limits: z.strictObject({
    max_tokens: z.number().int().positive().default(4096),
    max_sample_values: z.number().int().nonnegative().default(10),
    max_tables_per_request: z.number().int().positive().default(20),
    max_cost_per_run_usd: z.number().nonnegative().default(1),
    timeout_ms: z.number().int().positive().default(60_000),
    /** Retries after a 429 or 5xx answer (the first attempt not counted). */
    max_retries: z.number().int().nonnegative().default(3),
  }).default({ max_tokens: 4096, max_sample_values: 10, max_tables_per_request: 20, max_cost_per_run_usd: 1, timeout_ms: 60_000, max_retries: 3 }),
  /** USD per million tokens, by model id. Models not listed cost 0. */
  prices: z.record(z.string(), z.strictObject({ input: z.number().nonnegative(), output: z.number().nonnegative() })).default({}),
  privacy: z.strictObject({
    mode: z.enum(['synthetic', 'omit']).default('synthetic'),
    sensitive_columns: z.array(z.string()).default([]),
    sensitive_values: z.array(z.string()).default([]),
  }).default({ mode: 'synthetic', sensitive_columns: [], sensitive_values: [] }),
  cache: z.strictObject({ ttl_hours: z.number().positive().default(168) }).default({ ttl_hours: 168 }),
}).superRefine((c, ctx) => {
  if (c.provider !== 'none' && !c.providers[c.provider]) {
    ctx.addIssue({ code: 'custom', path: ['providers', c.provider], message: `provider '${c.provider}' is active but has no settings under providers.${c.provider}` });
  }
  if (c.provider !== 'none' && c.provider !== 'local' && !c.providers[c.provider]?.api_key_env) {
    ctx.addIssue({ code: 'custom', path: ['providers', c.provider, 'api_key_env'], message: `provider '${c.provider}' needs api_key_env (the environment variable holding its key)` });
  }
  for (const [field, list] of [['sensitive_columns', c.privacy.sensitive_columns], ['sensitive_values', c.privacy.sensitive_values]] as const) {
    list.forEach((p, i) => {
      try { new RegExp(p); } catch (e) { ctx.addIssue({ code: 'custom', path: ['privacy', field, i], message: `not a regular expression: ${(e as Error).message}` }); }
    });
  }
});

export type LlmConfig = z.output<typeof LlmConfigSchema>;
export type ProviderSettings = z.output<typeof ProviderSettingsSchema>;

/** A bad llm.yaml: where, and each issue with its path. */
export class LlmConfigError extends Error {
  constructor(message: string, readonly file: string | undefined, readonly issues: readonly string[] = []) {
    super([`${message}${file ? ` in ${file}` : ''}`, ...issues.map((i) => `  - ${i}`)].join('\n'));
    this.name = 'LlmConfigError';
  }
}

/** Parses llm.yaml text; throws LlmConfigError listing every issue. The result is frozen. */
export function parseLlmConfig(text: string, file?: string): LlmConfig {
  const doc = parseDocument(text, { prettyErrors: true });
  if (doc.errors.length) throw new LlmConfigError('Invalid YAML', file, doc.errors.map((e) => e.message));
  return validateLlmConfig(doc.toJS() ?? {}, file);
}

/** Validates an already parsed settings object (e.g. built in code or a test). */
export function validateLlmConfig(value: unknown, file?: string): LlmConfig {
  const parsed = LlmConfigSchema.safeParse(value);
  if (!parsed.success) {
    throw new LlmConfigError('Invalid LLM settings', file, parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`));
  }
  return deepFreeze(parsed.data);
}

/** Reads and validates an llm.yaml file. */
export function loadLlmConfig(file: string): LlmConfig {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    throw new LlmConfigError(`Cannot read LLM settings: ${(e as Error).message}`, file);
  }
  return parseLlmConfig(text, file);
}

/**
 * The API key of the active provider, from its environment variable. Undefined for `local`
 * without api_key_env. Throws naming the variable when it is unset.
 */
export function resolveApiKey(config: LlmConfig, env: NodeJS.ProcessEnv = process.env): string | undefined {
  if (config.provider === 'none') return undefined;
  const name = config.providers[config.provider]?.api_key_env;
  if (!name) return undefined;
  const key = env[name];
  if (!key) {
    throw new LlmConfigError(`LLM provider '${config.provider}' is active but environment variable ${name} is not set: export ${name}=<your key>, or set provider: none in llm.yaml`, undefined);
  }
  return key;
}

/** The model id for a feature: the active provider's model of the feature's tier. */
export function modelFor(config: LlmConfig, feature: LlmFeature): string | undefined {
  if (config.provider === 'none') return undefined;
  return config.providers[config.provider]?.models[config.features[feature].tier];
}

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const v of Object.values(value)) deepFreeze(v);
  }
  return value;
}
