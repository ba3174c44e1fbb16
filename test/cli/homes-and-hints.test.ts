/**
 * What `dataraum` says around a home, through the real bin: the hints a paused run prints name
 * its home and work as printed from another folder, with the staging warnings beside them;
 * commands that read a home that is not there say so in one line and create nothing; a reviewer's
 * unknown type is called unknown; a DuckDB file another process holds is said in one line.
 */
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cli, json, REPO, type CliRun } from './helpers.ts';

const BIN = path.join(REPO, 'bin', 'dataraum.mjs');
const TIMEOUT = 180_000;

let dir: string;
let csv: string;

/** `dataraum <args>` exactly as given (no --home added), in `cwd`, with `env` added to a clean environment. */
function bin(args: readonly string[], cwd: string, env: Record<string, string> = {}): Promise<CliRun> {
  const childEnv: NodeJS.ProcessEnv = { ...process.env, NO_COLOR: '1', ...env };
  delete childEnv.DATARAUM_DATABASE_URL;
  if (!env.DATARAUM_HOME) delete childEnv.DATARAUM_HOME;
  return new Promise((resolve) => {
    execFile(process.execPath, [BIN, ...args], { cwd, env: childEnv, maxBuffer: 16 << 20 }, (err, stdout, stderr) => {
      resolve({ code: err ? Number((err as { code?: unknown }).code ?? -1) : 0, stdout, stderr });
    });
  });
}

/** The two commands a paused `dataraum run` tells to run next. */
function hints(stdout: string): { review: string[]; resume: string[] } {
  const m = /Review with `(dataraum review list [^`]+)`, then `(dataraum resume [^`]+)`\./.exec(stdout);
  if (!m) throw new Error(`no review/resume hint in:\n${stdout}`);
  return { review: m[1].split(' ').slice(1), resume: m[2].split(' ').slice(1) };
}

/** An empty folder to run commands from. */
function folder(name: string): string {
  const d = path.join(dir, name);
  mkdirSync(d, { recursive: true });
  return d;
}

beforeAll(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'dataraum-homes-'));
  // Day and month both in 1..12: typing asks a person (exit 3). Line 32 has a field too many: a staging warning.
  const rows = ['id,day', ...Array.from({ length: 30 }, (_, i) => `${i},${String((i % 12) + 1).padStart(2, '0')}/${String((i % 11) + 1).padStart(2, '0')}/2024`)];
  rows.push('30,01/02/2024,extra');
  csv = path.join(dir, 'orders.csv');
  writeFileSync(csv, `${rows.join('\n')}\n`);
});

afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('a run paused for review, on a home given with --home', () => {
  let home: string;
  let paused: CliRun;

  beforeAll(async () => {
    home = path.join(dir, 'home');
    paused = await cli({ home }, ['run', csv, '--no-progress']);
  }, TIMEOUT);

  it('prints the staging warnings and hints that name the home', async () => {
    expect(paused.code, paused.stderr).toBe(3);
    expect(paused.stdout).toContain("warning: 1 row(s) of 'orders.csv' could not be read (wrong number of fields, bad quoting or invalid text); they are kept with their raw text in raw_orders__rejects.");
    const { review, resume } = hints(paused.stdout);
    const checkpoint = review[review.indexOf('--checkpoint') + 1];
    expect(review).toEqual(['review', 'list', '--checkpoint', checkpoint, '--home', home]);
    expect(resume).toEqual(['resume', checkpoint, '--from-reviews', '--home', home]);
    // The lines before the hint: what paused, the item, the warning.
    expect(paused.stdout.split('\n').slice(0, 3)).toEqual([
      expect.stringMatching(/^Paused for review at 'typeReview': 1 item\(s\) need a decision/), '  - orders.day', expect.stringMatching(/^warning: 1 row\(s\)/),
    ]);
    const status = await cli({ home }, ['status']);
    expect(status.stdout).toContain(`  resume: dataraum resume ${checkpoint} --from-reviews --home ${home}\n`);
    // As printed, from another folder (without the home it would look in ./.dataraum, and make one).
    const away = folder('away');
    const listed = await bin(review, away);
    expect(listed.code, listed.stderr).toBe(0);
    expect(listed.stdout).toMatch(new RegExp(`orders\\.day\\s+type_review\\s+pending\\s+.*${checkpoint}`));
    expect(readdirSync(away)).toEqual([]);
  }, TIMEOUT);

  it('review modify calls an unknown type unknown, and takes SMALLINT without a format', async () => {
    const [item] = json(await cli({ home }, ['review', 'list', '--json']));
    const [datum, datumWithFormat, smallint] = await Promise.all([
      cli({ home }, ['review', 'modify', item.reviewId, '--value', '{"decidedType":"DATUM"}']),
      cli({ home }, ['review', 'modify', item.reviewId, '--value', '{"decidedType":"DATUM","format":{"kind":"number","decimal":".","thousands":""}}']),
      cli({ home }, ['review', 'modify', item.reviewId, '--value', '{"decidedType":"SMALLINT","format":{"kind":"date","strptime":"%d/%m/%Y"}}']),
    ]);
    for (const r of [datum, datumWithFormat]) {
      expect(r.code).toBe(1);
      expect(r.stderr).toContain("decidedType: unknown type 'DATUM': use one of TINYINT, SMALLINT, INTEGER, BIGINT, HUGEINT, UTINYINT, USMALLINT, UINTEGER, UBIGINT, FLOAT, REAL, DOUBLE, DECIMAL, DECIMAL(p,s), BOOLEAN, DATE, TIME, TIMESTAMP, TIMESTAMPTZ, INTERVAL, JSON, VARCHAR.");
      expect(r.stderr).not.toContain('default format');
    }
    // A known type with a format that cannot produce it says which kind of format can.
    expect(smallint.code).toBe(1);
    expect(smallint.stderr).toContain("format: format 'date' cannot produce SMALLINT; give a 'number' format (or none, for the default)");
    const accepted = await cli({ home }, ['review', 'modify', item.reviewId, '--value', '{"decidedType":"SMALLINT"}', '--json']);
    expect(accepted.code, accepted.stderr).toBe(0);
    expect(json(accepted)).toEqual([expect.objectContaining({ status: 'modified', modifiedAction: { decidedType: 'SMALLINT' } })]);
  }, TIMEOUT);

  it('resumes by the printed hint from another folder, creating nothing there', async () => {
    const away = folder('away');
    const { resume } = hints(paused.stdout);
    const resumed = await bin([...resume, '--no-progress'], away);
    expect(resumed.code, resumed.stderr).toBe(0);
    expect(resumed.stdout).toMatch(/^resumed checkpoint .*: completed/);
    expect(readdirSync(away)).toEqual([]);
    // SMALLINT without a format read the values as numbers (these dates are not: quarantined).
    const doc = json(await cli({ home }, ['context', '--format', 'json', '--modules', 'tables']));
    expect(doc.tables[0].columns.find((c: { name: string }) => c.name === 'day')).toMatchObject({ type: 'SMALLINT' });
  }, TIMEOUT);
});

describe('hints on the default home', () => {
  it('leave --home out where the next command finds the home without it', async () => {
    const here = folder('default-home');
    const local = await bin(['run', csv, '--no-progress'], here);
    expect(local.code, local.stderr).toBe(3);
    expect(hints(local.stdout).resume).toEqual(['resume', expect.any(String), '--from-reviews']);
    // DATARAUM_HOME is the default while it is set: the hints work as printed in that shell.
    const envHome = path.join(dir, 'env-home');
    const viaEnv = await bin(['run', csv, '--no-progress'], folder('elsewhere'), { DATARAUM_HOME: envHome });
    expect(viaEnv.code, viaEnv.stderr).toBe(3);
    const { review } = hints(viaEnv.stdout);
    expect(review).not.toContain('--home');
    expect((await bin(review, folder('elsewhere-2'), { DATARAUM_HOME: envHome })).stdout).toContain('orders.day');
  }, TIMEOUT);
});

describe('commands that read a home', () => {
  it('say in one line that the home is not there, and create nothing', async () => {
    const missing = path.join(dir, 'no-such-home');
    const empty = folder('empty-home'); // a folder, but no store in it
    const uuid = '3f0e6a52-8f3c-4f0e-b1de-1c6f3c2b9a10';
    const commands = [
      ['review', 'list'], ['review', 'show', uuid], ['review', 'approve', uuid], ['runs'], ['status'], ['cache', 'logs'],
      ['resume', uuid, '--from-reviews'], ['reset', '--source', 'orders'], ['query', 'SELECT 1'], ['context'],
    ];
    const runs = await Promise.all(commands.map((c) => cli({ home: missing }, c)));
    runs.forEach((r, i) => {
      expect({ command: commands[i].join(' '), code: r.code, stderr: r.stderr }).toEqual({
        command: commands[i].join(' '), code: 1, stderr: `error: no dataraum home at ${missing}: run \`dataraum run <file>\` first, or pass --home\n`,
      });
    });
    expect(existsSync(missing)).toBe(false);
    const inEmpty = await Promise.all([cli({ home: empty }, ['runs']), cli({ home: empty }, ['review', 'list'])]);
    for (const r of inEmpty) expect(r).toMatchObject({ code: 1, stderr: `error: no dataraum home at ${empty}: run \`dataraum run <file>\` first, or pass --home\n` });
    expect(readdirSync(empty)).toEqual([]);
    // Without --home: the default home in the working folder, which is not created either.
    const cwd = folder('no-home-here');
    const here = await Promise.all([bin(['review', 'list'], cwd), bin(['runs'], cwd), bin(['query', 'SELECT 1'], cwd)]);
    for (const r of here) expect(r).toMatchObject({ code: 1, stderr: `error: no dataraum home at ${path.join(cwd, '.dataraum')}: run \`dataraum run <file>\` first, or pass --home\n` });
    expect(readdirSync(cwd)).toEqual([]);
  }, TIMEOUT);
});

describe('a DuckDB file another process has open', () => {
  let holder: ChildProcess | undefined;

  afterAll(() => {
    holder?.stdin?.end();
  });

  it('fails a run (and a query) with one line naming the file and the process, leaving a paused run resumable', async (ctx) => {
    const home = folder('locked-home');
    const file = path.join(home, 'data.duckdb');
    const first = await cli({ home }, ['run', csv, '--no-progress', '--json']);
    expect(first.code, first.stderr).toBe(3);
    const checkpointId = JSON.parse(first.stdout).checkpoint.checkpointId as string;
    // Stands in for a first run still going: a process that keeps the home's DuckDB file open.
    const script = `import { DuckDBInstance } from '@duckdb/node-api';
      const db = await (await DuckDBInstance.create(process.argv[1])).connect();
      await db.run('CREATE TABLE held AS SELECT 1 AS x');
      process.stdout.write('ready\\n');
      process.stdin.resume().on('end', () => process.exit(0));`;
    holder = spawn(process.execPath, ['--input-type=module', '-e', script, file], { cwd: REPO, stdio: ['pipe', 'pipe', 'inherit'] });
    await new Promise<void>((resolve, reject) => {
      holder!.stdout!.on('data', (d: Buffer) => { if (d.toString().includes('ready')) resolve(); });
      holder!.once('exit', (code) => reject(new Error(`the DuckDB holder exited (${code}) before it opened ${file}`)));
    });
    // Some sandboxes do not enforce POSIX record locks between processes; DuckDB then opens the
    // file twice and there is no conflict for dataraum to report. A bare DuckDB open tells which.
    const probe = await new Promise<string>((resolve) => {
      const open = `import { DuckDBInstance } from '@duckdb/node-api';
        try { await DuckDBInstance.create(process.argv[1]); process.stdout.write('opened'); }
        catch (e) { process.stdout.write(String(e.message)); }`;
      execFile(process.execPath, ['--input-type=module', '-e', open, file], { cwd: REPO }, (_err, stdout) => resolve(stdout));
    });
    if (probe === 'opened') {
      ctx.skip(`this machine does not enforce DuckDB's file lock between processes (a second bare DuckDB opened ${file})`);
    }
    expect(probe).toContain('Conflicting lock');
    const line = `error: another dataraum process (pid ${holder.pid}) is using ${file}: wait for it to finish, or use another --home\n`;
    const run = await cli({ home }, ['run', csv, '--no-progress']);
    expect(run).toMatchObject({ code: 1, stdout: '', stderr: line });
    const query = await cli({ home }, ['query', 'SELECT 1']);
    expect(query).toMatchObject({ code: 1, stderr: line });
    // The run that failed before any node ran superseded nothing: the paused run still resumes.
    const exited = new Promise((resolve) => holder!.once('exit', resolve));
    holder.stdin!.end();
    await exited;
    const [item] = JSON.parse((await cli({ home }, ['review', 'list', '--checkpoint', checkpointId, '--json'])).stdout) as { reviewId: string }[];
    expect((await cli({ home }, ['review', 'approve', item.reviewId, '--by', 'ana'])).code).toBe(0);
    const resumed = await cli({ home }, ['resume', checkpointId, '--from-reviews', '--no-progress']);
    expect(resumed.code, resumed.stderr).toBe(0);
  }, TIMEOUT);
});
