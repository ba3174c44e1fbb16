/**
 * The LLM features inside the real ingest, through the runtime API the CLI and the HTTP API use
 * (`openRuntime` + `runDataflow`), on vega airports.csv + flights-airport.csv:
 * (a) off: the written context document has the heuristic summary and no request is made;
 * (b) on, `openai` pointed at a local server answering each feature's prompt with canned JSON:
 *     model annotations, a DuckDB-checked model rule, a model query and the model's summary;
 * (c) on, the server answering 500: heuristics everywhere, with warnings.
 * The settings reach the run as a real llm.yaml named by DATARAUM_LLM_CONFIG.
 */
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { llmInputs, registerSource, runDataflow } from '../../cli/runs.ts';
import { openRuntime, PACKAGE_ROOT } from '../../cli/runtime.ts';
import type { ContextDocument } from '../../nodes/context/schema.ts';
import type { SemanticAnnotations } from '../../nodes/enrichment/semantic/types.ts';
import { heuristicContextSummary } from '../../nodes/llm/context-summary.ts';
import type { QualityResults, QualityRules } from '../../nodes/quality/types.ts';
import { parseSourceConfig, sourceConfigFromPath } from '../../nodes/staging/source-config.ts';

const DATA = join(dirname(createRequire(import.meta.url).resolve('vega-datasets')), '..', 'data');
const KEY_ENV = 'DATARAUM_TEST_WIRING_LLM_KEY';
const SUMMARY = 'Vega flights: a dimension of US airports and a fact table counting flights between origin and destination airports.';
const QUERY_TITLE = 'Airports per state, busiest first';

type Feature = 'semantic_analysis' | 'quality_rules' | 'suggested_queries' | 'context_summary';

/** Which feature a request is for, from the first line of its system prompt (config/prompts/*.md). */
function featureOf(system: string): Feature | null {
  if (system.includes('documenting the tables')) return 'semantic_analysis';
  if (system.includes('data quality engineer')) return 'quality_rules';
  if (system.includes('first queries a newcomer')) return 'suggested_queries';
  if (system.includes('opening paragraph')) return 'context_summary';
  return null;
}

/** The canned answers: valid for each feature's schema, with one part DuckDB or the type check must refuse. */
const ANSWERS: Record<Feature, object> = {
  semantic_analysis: {
    columns: [
      { table: 'airports', column: 'name', role: 'attribute', entityType: 'airport', businessName: 'Airport name', businessDescription: 'The official name of the airport.', ontologyTerm: null, confidence: 0.9, reason: 'names of airports' },
      // A text column cannot be a measure: refused, the heuristic annotation stays.
      { table: 'airports', column: 'city', role: 'measure', entityType: 'city', businessName: 'City', businessDescription: 'City served.', ontologyTerm: null, confidence: 0.9, reason: 'wrong on purpose' },
    ],
    tables: [{ table: 'airports', entityType: 'airport', description: 'US airports with their location.', isFact: false, isDimension: true, confidence: 0.9, reason: 'one row per airport' }],
  },
  quality_rules: {
    rules: [
      { table: 'flights_airport', columns: ['count'], type: 'positive', predicate: '"count" > 0', severity: 'warning', dimension: 'validity', tolerance: 0, description: 'a route listed has at least one flight' },
      // Plans in no DuckDB: dropped with a warning.
      { table: 'flights_airport', columns: ['count'], type: 'not_null', predicate: 'no_such_function("count")', severity: 'error', dimension: 'completeness', tolerance: 0, description: 'refused on purpose' },
    ],
    drop: [],
  },
  suggested_queries: {
    queries: [{ category: 'segments', title: QUERY_TITLE, description: 'How many airports each state has.', sql: 'SELECT "state", count(*) AS airports FROM "typed_airports" GROUP BY "state" ORDER BY airports DESC', tables: ['airports'] }],
  },
  context_summary: { summary: SUMMARY },
};

interface FakeServer { url: string; requests: Feature[]; close(): Promise<void> }

/** OpenAI Chat Completions on 127.0.0.1:0, answering by feature (the features may overlap in time), or always 500. */
async function startServer(mode: 'answer' | 'fail'): Promise<FakeServer> {
  const requests: Feature[] = [];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { model: string; messages: { role: string; content: string }[] };
      const feature = featureOf(body.messages.find((m) => m.role === 'system')?.content ?? '');
      if (feature) requests.push(feature);
      if (mode === 'fail' || !feature) {
        res.writeHead(500, { 'content-type': 'application/json' }).end(JSON.stringify({ error: { message: mode === 'fail' ? 'fake outage' : 'unknown prompt' } }));
        return;
      }
      const answer = { id: 'chatcmpl-1', object: 'chat.completion', model: body.model, choices: [{ index: 0, message: { role: 'assistant', content: JSON.stringify(ANSWERS[feature]) }, finish_reason: 'stop' }], usage: { prompt_tokens: 100, completion_tokens: 50, total_tokens: 150 } };
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(answer));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}`, requests, close: () => new Promise((resolve) => { server.closeAllConnections(); server.close(() => resolve()); }) };
}

interface IngestOutcome {
  doc: ContextDocument;
  markdown: string;
  heuristicDoc: ContextDocument;
  annotations: SemanticAnnotations;
  rules: QualityRules;
  results: QualityResults;
  cachedForSource: number;
}

let dir: string;
let folder: string;

/** One ingest in a fresh home, with DATARAUM_LLM_CONFIG naming an llm.yaml for `provider` at `baseUrl`. */
async function ingest(name: string, provider: 'none' | 'openai', baseUrl: string): Promise<IngestOutcome> {
  const llmYaml = join(dir, `${name}.llm.yaml`);
  writeFileSync(llmYaml, stringify({
    provider,
    providers: { openai: { base_url: baseUrl, api_key_env: KEY_ENV, models: { fast: 'm-fast', balanced: 'm-balanced', best: 'm-best' } } },
    limits: { timeout_ms: 5000, max_retries: 1, max_sample_values: 5 },
  }));
  process.env.DATARAUM_LLM_CONFIG = llmYaml;
  const rt = await openRuntime({ home: join(dir, name) });
  try {
    const source = parseSourceConfig(sourceConfigFromPath(folder));
    const row = await registerSource(rt, source);
    const result = await runDataflow(rt, {
      source, sourceId: row.sourceId, cache: false,
      outputs: ['contextDocumentFile', 'contextDocument', 'semanticAnnotations', 'qualityRules', 'qualityResults'],
    });
    if (result.status !== 'completed') throw new Error(`ingest ${name} did not complete: ${result.status === 'failed' ? result.error.message : result.status}`);
    const v = result.values as { contextDocumentFile: { json: string; markdown: string }; contextDocument: ContextDocument; semanticAnnotations: SemanticAnnotations; qualityRules: QualityRules; qualityResults: QualityResults };
    const cached = await rt.store.db.selectFrom('llmCache').select('cacheId').where('sourceId', '=', row.sourceId).execute();
    return {
      doc: JSON.parse(readFileSync(v.contextDocumentFile.json, 'utf8')), markdown: readFileSync(v.contextDocumentFile.markdown, 'utf8'),
      heuristicDoc: v.contextDocument, annotations: v.semanticAnnotations, rules: v.qualityRules, results: v.qualityResults, cachedForSource: cached.length,
    };
  } finally {
    delete process.env.DATARAUM_LLM_CONFIG;
    await rt.close();
  }
}

let off: IngestOutcome;
let on: IngestOutcome;
let failing: IngestOutcome;
const requests: Record<'off' | 'on' | 'failing', Feature[]> = { off: [], on: [], failing: [] };

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'dataraum-llm-wiring-'));
  folder = join(dir, 'vega');
  mkdirSync(folder);
  for (const f of ['airports.csv', 'flights-airport.csv']) copyFileSync(join(DATA, f), join(folder, f));
  process.env[KEY_ENV] = 'sk-wiring-test';
  const good = await startServer('answer');
  const bad = await startServer('fail');
  try {
    off = await ingest('off', 'none', good.url);
    requests.off = [...good.requests];
    on = await ingest('on', 'openai', good.url);
    requests.on = good.requests.slice(requests.off.length);
    failing = await ingest('failing', 'openai', bad.url);
    requests.failing = [...bad.requests];
  } finally {
    delete process.env[KEY_ENV];
    await good.close();
    await bad.close();
  }
}, 300_000);

afterAll(() => {
  delete process.env.DATARAUM_LLM_CONFIG;
});

describe('ingest with the LLM off', () => {
  it('makes no request and writes the heuristic summary in JSON and Markdown', () => {
    expect(requests.off).toEqual([]);
    const text = heuristicContextSummary(off.heuristicDoc);
    expect(text).toMatch(/^vega holds 2 tables: /);
    expect(off.doc.summary).toEqual({ text, source: 'heuristic' });
    expect(off.markdown).toContain(`## Summary\n\n${text}\n`);
    expect(off.markdown.indexOf('## Summary')).toBeLessThan(off.markdown.indexOf('## Tables'));
  });

  it('keeps every annotation, rule and query heuristic, with no LLM warnings', () => {
    const sources = Object.values(off.annotations.columns).flatMap((cs) => Object.values(cs).map((c) => c.source));
    expect(new Set(sources)).toEqual(new Set(['heuristic']));
    expect(off.annotations.warnings).toBeUndefined();
    expect(off.rules.rules.some((r) => r.source === 'llm')).toBe(false);
    expect(off.rules.warnings).toBeUndefined();
    expect(off.doc.suggested_queries).toEqual(off.heuristicDoc.suggested_queries);
    expect(off.doc.warnings).toEqual(off.heuristicDoc.warnings);
    expect(off.cachedForSource).toBe(0);
  });

  it('reads the shipped config/llm.yaml by default, which keeps the LLM off', () => {
    const inputs = llmInputs({ root: PACKAGE_ROOT }, null, {}) as { llmConfig?: { provider: string } };
    expect(inputs.llmConfig?.provider).toBe('none');
    expect(() => llmInputs({ root: PACKAGE_ROOT }, null, { DATARAUM_LLM_CONFIG: join(dir, 'missing.yaml') })).toThrow(/DATARAUM_LLM_CONFIG points to .*missing\.yaml, which does not exist/);
  });
});

describe('ingest with the LLM on', () => {
  it('asks the model once per feature, and caches the answers under the registered source', () => {
    expect([...requests.on].sort()).toEqual(['context_summary', 'quality_rules', 'semantic_analysis', 'suggested_queries']);
    expect(on.cachedForSource).toBe(4);
  });

  it('marks the annotations the model changed as llm and refuses a text measure', () => {
    expect(on.annotations.columns.airports!.name).toMatchObject({ source: 'llm', businessName: 'Airport name', entityType: 'airport' });
    expect(on.annotations.tables.airports).toMatchObject({ source: 'llm', description: 'US airports with their location.' });
    expect(on.annotations.columns.airports!.city).toEqual({ ...off.annotations.columns.airports!.city, stats: on.annotations.columns.airports!.city!.stats });
    expect(on.annotations.columns.airports!.city!.source).toBe('heuristic');
    expect(on.annotations.warnings).toEqual(expect.arrayContaining([expect.stringContaining('refused role measure for airports.city')]));
    const doc = on.doc.tables.find((t) => t.name === 'airports')!;
    expect(doc.description).toBe('US airports with their location.');
    expect(doc.columns.find((c) => c.name === 'name')!.business_name).toBe('Airport name');
  });

  it('adds the model rule checked in DuckDB, runs it, and drops the one DuckDB refuses', () => {
    const llmRules = on.rules.rules.filter((r) => r.source === 'llm');
    expect(llmRules.map((r) => r.name)).toEqual(['flights_airport.count.positive']);
    expect(llmRules[0]).toMatchObject({ predicate: '"count" > 0', typedTable: 'typed_flights_airport' });
    expect(on.results.results.find((r) => r.rule === 'flights_airport.count.positive')).toMatchObject({ passed: true, failedRecords: 0 });
    expect(on.rules.warnings).toEqual(expect.arrayContaining([expect.stringMatching(/dropped model rule flights_airport\.count\.not_null: its predicate/)]));
    // The heuristic rules are all still there.
    expect(on.rules.rules.length).toBe(off.rules.rules.length + 1);
  });

  it('writes the model query beside the heuristic ones, the model summary, and the warnings', () => {
    const q = on.doc.suggested_queries.find((s) => s.title === QUERY_TITLE);
    expect(q).toMatchObject({ category: 'segments', tables: ['airports'] });
    expect(on.doc.suggested_queries.length).toBe(off.doc.suggested_queries.length + 1);
    expect(on.doc.summary).toEqual({ text: SUMMARY, source: 'llm' });
    expect(on.markdown).toContain(`## Summary\n\n${SUMMARY}\n`);
    expect(on.markdown).toContain(QUERY_TITLE);
    expect(on.doc.warnings).toEqual(expect.arrayContaining([expect.stringContaining('refused role measure for airports.city')]));
  });
});

describe('ingest with a failing LLM server', () => {
  it('tried every feature, then kept the heuristics', () => {
    expect(new Set(requests.failing)).toEqual(new Set(['context_summary', 'quality_rules', 'semantic_analysis', 'suggested_queries']));
    const sources = Object.values(failing.annotations.columns).flatMap((cs) => Object.values(cs).map((c) => c.source));
    expect(new Set(sources)).toEqual(new Set(['heuristic']));
    expect(failing.rules.rules.some((r) => r.source === 'llm')).toBe(false);
    expect(failing.doc.suggested_queries).toEqual(failing.heuristicDoc.suggested_queries);
    expect(failing.doc.summary).toEqual({ text: heuristicContextSummary(failing.heuristicDoc), source: 'heuristic' });
    expect(failing.cachedForSource).toBe(0);
  });

  it('says so in the results and the document warnings', () => {
    expect(failing.annotations.warnings).toEqual([expect.stringMatching(/^semantic_analysis: LLM failed for tables .*; heuristic annotations kept: /)]);
    expect(failing.rules.warnings).toEqual([expect.stringMatching(/^quality_rules: LLM failed; heuristic rules kept: /)]);
    const w = failing.doc.warnings.join('\n');
    for (const feature of ['semantic_analysis', 'quality_rules', 'suggested_queries', 'context_summary']) expect(w).toContain(`${feature}: `);
    expect(w).toMatch(/500/);
  });
});
