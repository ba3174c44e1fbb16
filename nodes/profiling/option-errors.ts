/**
 * One message for options that fail their zod schema: every problem with its path, and for a
 * misspelt key the known keys (the pipeline YAML spells them snake_case, the config camelCase).
 */
import type { z } from 'zod';

export function optionsProblem(what: string, error: z.ZodError, known: readonly string[]): string {
  const issues = error.issues.map((i) => {
    if (i.code === 'unrecognized_keys') return `unknown option(s) ${i.keys.map((k) => `'${k}'`).join(', ')} (known: ${known.join(', ')})`;
    return `${i.path.length ? `${i.path.join('.')}: ` : ''}${i.message}`;
  });
  return `invalid ${what}: ${issues.join('; ')}`;
}
