/**
 * Reading the context document the ingest wrote to `<home>/context/<source>.json`
 * (`contextDocumentFile`), for `POST /context`, `dataraum context` and the MCP server.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { ContextDocumentSchema, type ContextDocument } from '../../nodes/context/schema.ts';

export type ContextDocumentErrorKind = 'not_found' | 'ambiguous' | 'invalid';

/** No document for the source, several when none was named, or a file that does not validate. */
export class ContextDocumentError extends Error {
  readonly kind: ContextDocumentErrorKind;
  constructor(kind: ContextDocumentErrorKind, message: string, opts?: { cause?: unknown }) {
    super(message, opts);
    this.name = 'ContextDocumentError';
    this.kind = kind;
  }
}

/** The file name `contextDocumentFile` uses for `source` (user names keep to safe characters). */
export function contextFileBase(source: string): string {
  return source.replace(/[^A-Za-z0-9_.-]/g, '_').replace(/^\.+/, '_') || 'source';
}

/** Sources that have a context document under `home`, sorted. */
export function listContextSources(home: string): string[] {
  const dir = resolve(home, 'context');
  if (!existsSync(dir)) return [];
  return readdirSync(dir).filter((f) => f.endsWith('.json')).map((f) => f.slice(0, -'.json'.length)).sort();
}

/**
 * The latest context document of `source` (or of the only source that has one), validated.
 *
 * @example
 * ```ts
 * const doc = readContextDocument('.dataraum', 'airports');
 * renderContext(selectContext(doc, { tables: ['airports'] }), 'markdown');
 * ```
 */
export function readContextDocument(home: string, source?: string): ContextDocument {
  const dir = resolve(home, 'context');
  const known = listContextSources(home);
  let base: string;
  if (source === undefined) {
    if (known.length !== 1) {
      throw new ContextDocumentError(known.length ? 'ambiguous' : 'not_found', known.length
        ? `several sources have a context document (${known.join(', ')}); name one`
        : `no context document under ${dir}; ingest a source first (dataraum run <path>, or POST /sources)`);
    }
    base = known[0]!;
  } else {
    base = contextFileBase(source);
    if (!known.includes(base)) {
      throw new ContextDocumentError('not_found', `no context document for source '${source}' under ${dir}` +
        `${known.length ? ` (documents exist for: ${known.join(', ')})` : ''}; ingest it first, or wait until its run completes`);
    }
  }
  const file = join(dir, `${base}.json`);
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(file, 'utf8'));
  } catch (err) {
    throw new ContextDocumentError('invalid', `context document ${file} is not readable JSON (${err instanceof Error ? err.message : String(err)}); re-run the ingest of the source`, { cause: err });
  }
  const parsed = ContextDocumentSchema.safeParse(raw);
  if (!parsed.success) {
    throw new ContextDocumentError('invalid', `context document ${file} does not match the context schema (${parsed.error.issues.slice(0, 3).map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ')}); re-run the ingest with this version of dataraum`);
  }
  return parsed.data;
}
