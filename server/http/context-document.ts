/**
 * Reading the context document the ingest wrote to `<home>/context/<source>.json`
 * (`contextDocumentFile`), for `POST /context`, `dataraum context` and the MCP server: all three
 * read it through `currentContextDocument`, so they show the same document.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { withManualAnnotations, type ManualAnnotations } from '../../nodes/context/column-annotations.ts';
import { ContextDocumentSchema, type ContextDocument } from '../../nodes/context/schema.ts';
import type { ManualColumnAnnotation } from '../../nodes/enrichment/semantic/stored-semantic-annotations.ts';
import type { Store } from '../../store/index.ts';

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

/**
 * The context document of `source` (or of the only source that has one) as people should read it
 * now: the file the last run wrote, with the manual annotations the store holds laid over its
 * columns, so an annotation made since that run shows at once. Without a store (a home holding
 * only its files) it is the file as written.
 *
 * @example
 * ```ts
 * const doc = await currentContextDocument(rt.home, 'shop', rt.store);
 * renderContext(selectContext(doc, { tables: ['orders'] }), 'markdown');
 * ```
 */
export async function currentContextDocument(home: string, source: string | undefined, store: Store | undefined): Promise<ContextDocument> {
  const doc = readContextDocument(home, source);
  return store ? withManualAnnotations(doc, await storedManualAnnotations(store, doc.source)) : doc;
}

/** People's annotations of the typed columns of source `source`, by table and column. */
async function storedManualAnnotations(store: Store, source: string): Promise<ManualAnnotations> {
  const rows = await store.db.selectFrom('semanticAnnotations')
    .innerJoin('columns', 'columns.columnId', 'semanticAnnotations.columnId')
    .innerJoin('tables', 'tables.tableId', 'columns.tableId')
    .innerJoin('sources', 'sources.sourceId', 'tables.sourceId')
    .select(['tables.tableName', 'columns.columnName', 'semanticAnnotations.semanticRole', 'semanticAnnotations.businessName',
      'semanticAnnotations.businessDescription', 'semanticAnnotations.ontologyTerm'])
    .where('sources.name', '=', source).where('tables.layer', '=', 'typed').where('semanticAnnotations.annotationSource', '=', 'manual')
    .execute();
  const out: Record<string, Record<string, ManualColumnAnnotation>> = {};
  for (const r of rows) {
    (out[r.tableName] ??= {})[r.columnName] = { role: r.semanticRole, businessName: r.businessName, description: r.businessDescription, ontologyTerm: r.ontologyTerm };
  }
  return out;
}
