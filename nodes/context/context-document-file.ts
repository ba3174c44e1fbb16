/**
 * Writes the context document where people and tools find it: `<home>/context/<source>.json`
 * (exact) and `<source>.md` (readable).
 */
import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { renderContext } from './render-context.ts';
import type { ContextDocument } from './schema.ts';

export const DEFAULT_DATARAUM_HOME = '.dataraum';

export interface ContextDocumentFiles {
  readonly json: string;
  readonly markdown: string;
}

/**
 * The context document (as `refinedContextDocument` completes it) written as JSON and Markdown;
 * returns the absolute paths (the CLI prints them).
 * @tag module=context
 * @cache disable
 *
 * @example
 * ```ts
 * const files = contextDocumentFile(await refinedContextDocument(doc, typedSource, conn));  // { json: '/.../.dataraum/context/flights.json', markdown: '.../flights.md' }
 * ```
 */
export function contextDocumentFile(refinedContextDocument: ContextDocument, dataraumHome: string = DEFAULT_DATARAUM_HOME): ContextDocumentFiles {
  // The refined document (LLM queries and summary) is the one people read.
  const contextDocument = refinedContextDocument;
  const dir = resolve(dataraumHome, 'context');
  mkdirSync(dir, { recursive: true });
  // Source names come from users: keep the file name to safe characters.
  const base = contextDocument.source.replace(/[^A-Za-z0-9_.-]/g, '_').replace(/^\.+/, '_') || 'source';
  const files = { json: join(dir, `${base}.json`), markdown: join(dir, `${base}.md`) };
  writeAtomically(files.json, renderContext(contextDocument, 'json'));
  writeAtomically(files.markdown, renderContext(contextDocument, 'markdown'));
  return files;
}

/** A reader never sees a half-written file: write beside, then rename. */
function writeAtomically(path: string, text: string): void {
  const tmp = `${path}.${process.pid}.tmp`;
  writeFileSync(tmp, text);
  renameSync(tmp, path);
}
