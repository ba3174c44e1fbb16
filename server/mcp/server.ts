/**
 * The dataraum MCP server: an AI client lists the typed tables, reads the context document,
 * queries the data read-only, reads ontology metrics and records what it learned as manual
 * semantic annotations. The context document of each source is also a resource,
 * `dataraum://context/<source>` (Markdown and JSON).
 */
import { McpServer, ResourceTemplate } from '@modelcontextprotocol/sdk/server/mcp.js';
import { ErrorCode, McpError, type CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { z } from 'zod';
import { annotationDescription, annotationName } from '../annotation-fields.ts';
import { loadOntology, SEMANTIC_ROLES } from '../../config/ontology.ts';
import { renderContext } from '../../nodes/context/render-context.ts';
import { CONTEXT_MODULES, type ContextDocument } from '../../nodes/context/schema.ts';
import { ContextSelectionError, selectContext } from '../../nodes/context/select-context.ts';
import type { Store } from '../../store/index.ts';
import { QueryFailedError, QueryRefusedError, QueryTimeoutError, runReadOnlyQuery } from '../query/read-only-query.ts';
import {
  annotateColumn, CatalogError, listTypedTables, readContextDocument, resolveSources, sourceMetrics, sourcesWithContext,
} from './source-catalog.ts';

export interface McpServerOptions {
  /** The metadata store (the caller owns it and closes it). */
  readonly store: Store;
  /** The dataraum home: context documents are under `<home>/context/`. */
  readonly home: string;
  /** DuckDB file with the typed_* / quarantine_* tables. */
  readonly duckdbPath: string;
  /** Row cap of the `query` tool (default 1000). */
  readonly maxRows?: number;
  /** Time cap of the `query` tool in ms (default 10 000). */
  readonly timeoutMs?: number;
}

export const CONTEXT_URI_PREFIX = 'dataraum://context/';

const text = (value: string): CallToolResult => ({ content: [{ type: 'text', text: value }] });
const json = (value: unknown): CallToolResult => ({
  content: [{ type: 'text', text: JSON.stringify(value, null, 2) }],
  structuredContent: (typeof value === 'object' && value !== null && !Array.isArray(value) ? value : { result: value }) as Record<string, unknown>,
});
const failure = (message: string): CallToolResult => ({ content: [{ type: 'text', text: message }], isError: true });

/** Known failures become tool errors a model can read and act on; anything else propagates. */
async function guarded(fn: () => Promise<CallToolResult>): Promise<CallToolResult> {
  try {
    return await fn();
  } catch (err) {
    if (err instanceof QueryRefusedError || err instanceof QueryTimeoutError || err instanceof QueryFailedError || err instanceof CatalogError || err instanceof ContextSelectionError) return failure(err.message);
    throw err;
  }
}

/**
 * An McpServer with the dataraum tools and the context resource; connect it to a transport.
 *
 * @example
 * ```ts
 * const rt = await openRuntime({ home: '.dataraum' });
 * const server = createMcpServer({ store: rt.store, home: rt.home, duckdbPath: rt.duckdbPath });
 * await server.connect(new StdioServerTransport());
 * ```
 */
export function createMcpServer(opts: McpServerOptions): McpServer {
  const { store, home, duckdbPath } = opts;
  const server = new McpServer(
    { name: 'dataraum', version: '0.1.0' },
    { instructions: 'Start with list_tables and get_context, then query the typed_* tables with read-only SQL (DuckDB dialect). Record what you learn about a column with annotate.' },
  );

  server.registerTool('list_tables', {
    title: 'List typed tables',
    description: 'The typed tables of each source (query them as typed_<name>), with row counts, quarantined rows, and each column\'s type, semantic role and business name.',
    inputSchema: { source: z.string().optional().describe('only this source') },
    annotations: { readOnlyHint: true },
  }, async ({ source }) => guarded(async () => {
    const tables = await listTypedTables(store, source);
    return json({ tables });
  }));

  server.registerTool('get_context', {
    title: 'Get the context document',
    description: 'The context document of a source: tables, columns (roles, profiles, quality), relationships and join paths, metrics, quality summary, warnings and suggested queries. Trim it with tables and include_modules.',
    inputSchema: {
      source: z.string().optional().describe('the source (required when there are several)'),
      tables: z.array(z.string()).optional().describe('logical table names to keep (default: all)'),
      include_modules: z.array(z.enum(CONTEXT_MODULES)).optional().describe('parts to keep (default: all)'),
      ontology: z.string().optional().describe('bind metrics with this ontology instead of the one the ingest used'),
      format: z.enum(['markdown', 'json', 'yaml']).optional().describe('default markdown'),
    },
    annotations: { readOnlyHint: true },
  }, async ({ source, tables, include_modules, ontology, format }) => guarded(async () => {
    const name = await singleContextSource(store, home, source);
    let doc = await readContextDocument(store, home, name);
    if (ontology !== undefined && ontology !== doc.ontology?.name) doc = await withOntology(store, home, doc, ontology);
    const trimmed = selectContext(doc, { ...(tables ? { tables } : {}), ...(include_modules ? { include_modules } : {}) });
    return text(renderContext(trimmed, format ?? 'markdown'));
  }));

  server.registerTool('query', {
    title: 'Run a read-only SQL query',
    description: `One SELECT / WITH / VALUES statement (DuckDB SQL) over the typed_* and quarantine_* tables. Files, URLs, raw_* and metadata tables are refused. At most ${opts.maxRows ?? 1000} rows and ${(opts.timeoutMs ?? 10_000) / 1000} s.`,
    inputSchema: { sql: z.string().min(1).describe('one SELECT statement'), max_rows: z.number().int().min(1).max(opts.maxRows ?? 1000).optional() },
    annotations: { readOnlyHint: true },
  }, async ({ sql, max_rows }) => guarded(async () => {
    const result = await runReadOnlyQuery(duckdbPath, sql, { maxRows: max_rows ?? opts.maxRows ?? 1000, timeoutMs: opts.timeoutMs ?? 10_000 });
    return json(result);
  }));

  server.registerTool('get_metrics', {
    title: 'Ontology metrics',
    description: 'The metrics of an ontology that the typed tables can compute, each bound to real columns with a runnable DuckDB query.',
    inputSchema: { ontology: z.string().describe('ontology name, e.g. base, retail, financial_reporting'), source: z.string().optional() },
    annotations: { readOnlyHint: true },
  }, async ({ ontology, source }) => guarded(async () => json({ sources: await sourceMetrics(store, home, ontology, source) })));

  server.registerTool('annotate', {
    title: 'Annotate a column',
    description: `Record a manual semantic annotation of a typed column (business name, description, role). Roles: ${SEMANTIC_ROLES.join(', ')}. Later ingests keep it.`,
    inputSchema: {
      table: z.string().describe('logical table name (or typed_<name>)'),
      column: z.string(),
      source: z.string().optional().describe('needed only when the table name exists in several sources'),
      business_name: annotationName().optional(),
      description: annotationDescription().optional(),
      semantic_role: z.string().optional().describe(`one of ${SEMANTIC_ROLES.join(', ')}`),
    },
    annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: true },
  }, async (args) => guarded(async () => json({ annotation: await annotateColumn(store, { ...args, annotatedBy: 'mcp' }) })));

  server.registerResource('context', new ResourceTemplate(`${CONTEXT_URI_PREFIX}{source}`, {
    list: async () => ({
      resources: (await sourcesWithContext(store, home)).map((s) => ({
        uri: `${CONTEXT_URI_PREFIX}${encodeURIComponent(s)}`, name: `context of ${s}`, mimeType: 'text/markdown',
        description: `The context document of source ${s} (Markdown, then JSON)`,
      })),
    }),
    complete: { source: async () => sourcesWithContext(store, home) },
  }), {
    title: 'Context document',
    description: 'The context document of a source, as Markdown and as JSON',
    mimeType: 'text/markdown',
  }, async (uri, variables) => {
    const source = decodeURIComponent(String(Array.isArray(variables.source) ? variables.source[0] : variables.source));
    let doc: ContextDocument;
    try {
      doc = await readContextDocument(store, home, source);
    } catch (err) {
      // An unknown source is the client's mistake, not the server's (as the SDK answers an unknown URI).
      if (err instanceof CatalogError) throw new McpError(ErrorCode.InvalidParams, err.message);
      throw err;
    }
    return {
      contents: [
        { uri: uri.href, mimeType: 'text/markdown', text: renderContext(doc, 'markdown') },
        { uri: uri.href, mimeType: 'application/json', text: renderContext(doc, 'json') },
      ],
    };
  });

  return server;
}

/** The source to show: the one named, or the only one with a context document. */
async function singleContextSource(store: Store, home: string, source: string | undefined): Promise<string> {
  if (source !== undefined) {
    await resolveSources(store, source);
    return source;
  }
  const withContext = await sourcesWithContext(store, home);
  if (withContext.length === 1) return withContext[0]!;
  if (!withContext.length) throw new CatalogError('no source has a context document yet; ingest one with `dataraum run <path>`');
  throw new CatalogError(`several sources have a context document (${withContext.join(', ')}); pass source`);
}

/** The document with its ontology section and metrics rebound to another ontology. */
async function withOntology(store: Store, home: string, doc: ContextDocument, ontology: string): Promise<ContextDocument> {
  const [bound] = await sourceMetrics(store, home, ontology, doc.source);
  const o = loadOntology(ontology);
  return {
    ...doc,
    ontology: {
      name: o.name, description: o.description, version: o.version, lineage: [...o.lineage],
      concepts: o.concepts.map((c) => ({ name: c.name, description: c.description, semantic_role: c.semantic_role })),
    },
    metrics: (bound?.metrics ?? []).map((m) => ({ name: m.metric, description: m.description, formula: m.formula, sql: m.sql, tables: [...m.tables], unit: m.unit, output_type: m.outputType })),
  };
}
