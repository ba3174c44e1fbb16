/**
 * Ingest benchmark: `npm run bench:ingest`. Prints figures; asserts nothing.
 *
 * Writes vega-datasets' flights-3m.parquet out as CSV and generates a 1M-row, 12-column mixed CSV,
 * then times staging + profiling + type inference + type resolution on each. The anchor, in the
 * same run on the same file: DuckDB's bare `read_csv` + `SUMMARIZE`. Target: <= 2.0x the anchor,
 * with memory bounded (peak RSS is printed).
 */
import { mkdirSync, rmSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { openDuckDB, quoteLiteral, type DuckDBConnection } from '../nodes/duckdb.ts';
import { profiling } from '../nodes/profiling/profiling.ts';
import { sourceConfigFromPath } from '../nodes/staging/source-config.ts';
import { staging } from '../nodes/staging/staging.ts';
import { autoTypeDecisions } from '../nodes/typing/decisions.ts';
import { typeCandidates } from '../nodes/typing/inference.ts';
import { typeResolution } from '../nodes/typing/resolution.ts';

const DIR = join(process.cwd(), 'bench', '.generated', 'ingest');
const require = createRequire(import.meta.url);
const DATA = join(dirname(require.resolve('vega-datasets')), '..', 'data');
const fmt = (x: number, d = 2) => x.toFixed(d);
let peakRss = 0;
const sampler = setInterval(() => { peakRss = Math.max(peakRss, process.memoryUsage().rss); }, 50);

async function time<T>(fn: () => Promise<T>): Promise<[T, number]> {
  const t0 = performance.now();
  const v = await fn();
  return [v, (performance.now() - t0) / 1000];
}

async function prepare(db: DuckDBConnection) {
  mkdirSync(DIR, { recursive: true });
  const flights = join(DIR, 'flights_3m.csv');
  const mixed = join(DIR, 'mixed_1m.csv');
  await db.run(`COPY (SELECT * FROM read_parquet(${quoteLiteral(join(DATA, 'flights-3m.parquet'))})) TO ${quoteLiteral(flights)} (HEADER)`);
  // Twelve columns of the kinds type inference must handle: ids, codes with leading zeros,
  // decimal commas, currency, percentages, day-first dates, ISO timestamps, booleans, text.
  await db.run(`COPY (SELECT
      i AS id,
      lpad((i % 99999)::VARCHAR, 5, '0') AS zip,
      'C-' || (i % 20000) AS customer,
      replace(printf('%.2f', (i % 10007) * 1.37), '.', ',') AS amount_eur,
      '$' || printf('%,.2f', (i % 50021) * 3.1) AS price,
      (i % 101) || '%' AS discount,
      strftime(DATE '2019-01-01' + (i % 1500)::INTEGER, '%d/%m/%Y') AS order_date,
      strftime(TIMESTAMP '2019-01-01 00:00:00' + INTERVAL (i) SECOND, '%Y-%m-%dT%H:%M:%SZ') AS created_at,
      CASE WHEN i % 4 = 0 THEN 'yes' ELSE 'no' END AS shipped,
      (i % 5) + 1 AS rating,
      ['north', 'south', 'east', 'west'][(i % 4) + 1] AS region,
      'note ' || (i % 313) AS note
    FROM range(1000000) t(i)) TO ${quoteLiteral(mixed)} (HEADER)`);
  return { flights, mixed };
}

/** The anchor: DuckDB's bare `read_csv` into an in-memory table, then one `SUMMARIZE`. */
async function anchor(file: string): Promise<number> {
  const db = await openDuckDB(':memory:');
  const [, secs] = await time(async () => {
    await db.run(`CREATE TABLE t AS SELECT * FROM read_csv(${quoteLiteral(file)})`);
    await db.runAndReadAll('SUMMARIZE t');
  });
  db.closeSync();
  return secs;
}

/**
 * Context, not the target: the anchor with its table stored in a database file, as ours stores
 * raw_, typed_ and quarantine_ (DuckDB's compression analysis makes a file-backed table cost
 * more than an in-memory one).
 */
async function fileAnchor(file: string): Promise<number> {
  const dbPath = join(DIR, 'anchor.duckdb');
  rmSync(dbPath, { force: true });
  const db = await openDuckDB(dbPath);
  const [, secs] = await time(async () => {
    await db.run(`CREATE TABLE t AS SELECT * FROM read_csv(${quoteLiteral(file)})`);
    await db.runAndReadAll('SUMMARIZE t');
  });
  db.closeSync();
  rmSync(dbPath, { force: true });
  rmSync(`${dbPath}.wal`, { force: true });
  return secs;
}

/**
 * Context, not the target: staging's floor, a bare all-VARCHAR read_csv written to a zstd Parquet
 * file as staging writes raw rows (storing the same text in a DuckDB table costs two to three
 * times as much: string compression analysis, single-threaded while insertion order is kept).
 */
async function textToParquet(file: string): Promise<number> {
  const out = join(DIR, 'floor.parquet');
  const db = await openDuckDB(':memory:');
  const [, secs] = await time(() => db.run(`COPY (SELECT * FROM read_csv(${quoteLiteral(file)}, all_varchar = true)) TO ${quoteLiteral(out)} (FORMAT parquet, COMPRESSION zstd)`));
  db.closeSync();
  rmSync(out, { force: true });
  return secs;
}

async function ours(file: string) {
  const dbPath = join(DIR, 'bench.duckdb');
  rmSync(dbPath, { force: true });
  rmSync(`${dbPath}.wal`, { force: true });
  rmSync(join(DIR, 'bench.raw'), { recursive: true, force: true }); // raw Parquet files of the last run
  const db = await openDuckDB(dbPath);
  const cfg = sourceConfigFromPath(file);
  const [staged, tStage] = await time(() => staging(cfg as never, db));
  const [, tProfile] = await time(() => profiling(staged, db));
  const [cands, tInfer] = await time(() => typeCandidates(staged, db));
  const auto = autoTypeDecisions(cands, staged);
  const decisions = { decisions: [...auto.decided, ...auto.uncertain.map((u) => u.suggestion)] };
  const [, tResolve] = await time(() => typeResolution(staged, decisions, db));
  db.closeSync();
  return { tStage, tProfile, tInfer, tResolve, rows: staged.tables[0].rowCount, uncertain: auto.uncertain.length };
}

const boot = await openDuckDB(':memory:');
const files = await prepare(boot);
boot.closeSync();
/** Runs per measurement; the median is reported (both sides vary by 10-20% run to run on 2 cores). */
const RUNS = Math.max(1, Number(process.env.BENCH_RUNS ?? 3));
const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

console.log(`dataraum ingest benchmark — Node ${process.version}, median of ${RUNS} run(s) (BENCH_RUNS)`);
for (const [label, file] of Object.entries(files)) {
  const mb = statSync(file).size / 2 ** 20;
  const anchors: number[] = [];
  const floors: number[] = [];
  const fileAnchors: number[] = [];
  const runs: Awaited<ReturnType<typeof ours>>[] = [];
  for (let i = 0; i < RUNS; i++) {
    anchors.push(await anchor(file));
    floors.push(await textToParquet(file));
    fileAnchors.push(await fileAnchor(file));
    runs.push(await ours(file));
  }
  const totalOf = (r: (typeof runs)[number]) => r.tStage + r.tProfile + r.tInfer + r.tResolve;
  const r = runs.find((x) => totalOf(x) === median(runs.map(totalOf)))!;
  const total = totalOf(r);
  const bare = median(anchors);
  console.log(`\n${label}: ${r.rows.toLocaleString()} rows, ${fmt(mb, 0)} MiB CSV`);
  console.log(`  DuckDB read_csv + SUMMARIZE (anchor)   ${fmt(bare)} s`);
  console.log(`  (the anchor into a database file:     ${fmt(median(fileAnchors))} s; context only)`);
  console.log(`  (bare all-VARCHAR read_csv to Parquet: ${fmt(median(floors))} s; staging's floor, context only)`);
  console.log(`  staging (all-VARCHAR + rejects)        ${fmt(r.tStage)} s`);
  console.log(`  profiling                              ${fmt(r.tProfile)} s`);
  console.log(`  type inference                         ${fmt(r.tInfer)} s   (${r.uncertain} column(s) would go to review)`);
  console.log(`  type resolution (typed_ + quarantine_) ${fmt(r.tResolve)} s`);
  console.log(`  total (the median run)                 ${fmt(total)} s  = ${fmt(total / bare)}x the anchor (target <= 2.0x)`);
}
clearInterval(sampler);
console.log(`\npeak RSS ${fmt(peakRss / 2 ** 20, 0)} MiB`);
