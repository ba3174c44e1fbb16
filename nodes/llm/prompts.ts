/**
 * Prompt templates: `config/prompts/<feature>.md`, with `{{placeholder}}` slots filled by a tiny
 * renderer. A template holds a `## System` and a `## User` section; `{{schema}}` is the JSON Schema
 * (from zod, `z.toJSONSchema`) the answer must match.
 *
 * @example
 * ```ts
 * const t = loadPromptTemplate('context_summary');
 * const { system, user } = renderPrompt(t, { schema: '{}', context: '...' });
 * ```
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { LlmFeature } from '../../config/llm.ts';
import { LlmError } from './errors.ts';

export const DEFAULT_PROMPTS_DIR = fileURLToPath(new URL('../../config/prompts/', import.meta.url));

export interface PromptTemplate {
  readonly feature: string;
  readonly file: string;
  readonly system: string;
  readonly user: string;
}

export function loadPromptTemplate(feature: LlmFeature, dir: string = DEFAULT_PROMPTS_DIR): PromptTemplate {
  const file = `${dir.replace(/\/?$/, '/')}${feature}.md`;
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    throw new LlmError('prompt', `Cannot read the prompt template for ${feature} at ${file}: ${(e as Error).message}`, { feature });
  }
  const system = section(text, 'System');
  const user = section(text, 'User');
  if (system === undefined || user === undefined) {
    throw new LlmError('prompt', `Prompt template ${file} needs a '## System' and a '## User' section`, { feature });
  }
  return { feature, file, system, user };
}

/** Fills `{{name}}` slots; a slot without a value is an error naming it (a silent blank would mislead the model). */
export function renderPrompt(t: PromptTemplate, values: Readonly<Record<string, string>>): { system: string; user: string } {
  const fill = (s: string) => s.replace(/\{\{\s*([a-z_][a-z0-9_]*)\s*\}\}/gi, (_, name: string) => {
    const v = values[name];
    if (v === undefined) throw new LlmError('prompt', `Prompt template ${t.file} uses {{${name}}} but no value was given for it`, { feature: t.feature });
    return v;
  });
  return { system: fill(t.system), user: fill(t.user) };
}

function section(text: string, name: string): string | undefined {
  const m = new RegExp(`^## ${name}\\s*$([\\s\\S]*?)(?=^## |(?![\\s\\S]))`, 'm').exec(text);
  return m ? m[1]!.trim() : undefined;
}
