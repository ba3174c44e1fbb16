/**
 * The `dataraum` bin with the inputs and outputs people actually give it: a source config whose
 * relative paths point next to it, config files with typos, a reader that stops early
 * (`| head`), `--verbose` on a failed run, and NDJSON with a broken line.
 */
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPO, cli, json } from './helpers.ts';

let dir: string;
let home: string;

beforeAll(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'dataraum-cli-files-'));
  home = path.join(dir, 'home');
  mkdirSync(path.join(dir, 'data'));
  mkdirSync(path.join(dir, 'sources'));
  writeFileSync(path.join(dir, 'data', 'sales-1.csv'), 'id,amount\n1,10\n2,20\n');
  writeFileSync(path.join(dir, 'data', 'sales-2.csv'), 'id,amount\n3,30\n');
});

afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

/** A stack trace line, as Node prints them. */
const STACK_LINE = /\n\s+at /;

describe('a source config file', () => {
  it('resolves a relative file_pattern against its own folder, not the working directory', async () => {
    const config = path.join(dir, 'sources', 'sales.yaml');
    writeFileSync(config, 'name: sales\nsource_type: csv\nfile_pattern: ../data/sales-*.csv\n');
    const r = await cli({ home }, ['run', '--source', config, '--no-progress']); // cli() runs in the repository folder
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/sales: 3 rows -> typed_sales 3 rows/);
  });

  it('resolves a relative path the same way (JSON config)', async () => {
    const config = path.join(dir, 'sources', 'one.json');
    writeFileSync(config, JSON.stringify({ name: 'one', source_type: 'csv', path: '../data/sales-2.csv' }));
    const r = await cli({ home }, ['run', '--source', config, '--only', 'staging', '--json']);
    expect(r.code, r.stderr).toBe(0);
    expect(json(r).status).toBe('completed');
  });

  it('with a YAML or JSON syntax error: the file and line are named, in one line', async () => {
    const yaml = path.join(dir, 'sources', 'typo.yaml');
    writeFileSync(yaml, 'source_type: csv\npath: [../data/sales-1.csv\nname: typo\n');
    const y = await cli({ home }, ['run', '--source', yaml]);
    expect(y.code).toBe(1);
    expect(y.stderr).toMatch(new RegExp(`^error: Source config '${yaml}' is not valid YAML at line \\d+, column \\d+: .+\\.\\n$`));

    const jsonFile = path.join(dir, 'sources', 'typo.json');
    writeFileSync(jsonFile, '{\n  "source_type": "csv",\n  "path": "x.csv",\n}\n');
    const j = await cli({ home }, ['run', '--source', jsonFile]);
    expect(j.code).toBe(1);
    expect(j.stderr).toBe(`error: Source config '${jsonFile}' is not valid JSON at line 4, column 1: Expected double-quoted property name.\n`);
  });

  it('that does not exist: one clear line, no ENOENT stack', async () => {
    const r = await cli({ home }, ['run', '--source', 'no/such/source.yaml']);
    expect(r.code).toBe(1);
    expect(r.stderr).toBe(`error: Source config 'no/such/source.yaml' does not exist. Check the path (relative paths start at ${REPO}).\n`);
  });
});

describe('output', () => {
  it('a reader that closes early (| head) ends the command quietly', async () => {
    const child = spawn(process.execPath, [path.join(REPO, 'bin', 'dataraum.mjs'), 'run', path.join(dir, 'data', 'sales-1.csv'), '--home', path.join(dir, 'pipe-home'), '--no-progress'], {
      cwd: REPO,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    // Closed before the command writes anything, so its first write finds no reader.
    child.stdout.destroy();
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    expect(stderr).toBe('');
    expect(code).toBe(0);
  });

  it('--verbose prints the stack and causes of a failed run; without it, one line', async () => {
    const broken = path.join(dir, 'data', 'broken.json');
    writeFileSync(broken, '[{"a": 1},\n {"a": }\n]');
    const plain = await cli({ home }, ['run', broken, '--no-progress']);
    expect(plain.code).toBe(1);
    expect(plain.stderr).toMatch(/^error: Node 'staging' failed .*: Cannot read '.*broken\.json' as JSON: malformed JSON at line 2, column 8 \(unexpected character\)\. .*\n$/);
    expect(plain.stderr).not.toMatch(STACK_LINE);

    const verbose = await cli({ home }, ['run', broken, '--no-progress', '--verbose']);
    expect(verbose.code).toBe(1);
    expect(verbose.stderr).toMatch(/^error: NodeExecutionError: Node 'staging' failed/);
    expect(verbose.stderr).toMatch(STACK_LINE);
    expect(verbose.stderr).toMatch(/\ncaused by: StagingError: Cannot read .*\n\s+at .*json-loader\.ts/);
    expect(verbose.stderr).toMatch(/\ncaused by: Error: .*Malformed JSON/); // DuckDB's own error, last in the chain
  });
});

describe('NDJSON with a broken line', () => {
  it('stages the rest; the line is counted in the output and can be queried', async () => {
    const events = path.join(dir, 'data', 'events.ndjson');
    writeFileSync(events, '{"id":1,"kind":"a"}\n{"id":2,"kind":"b"}\n{"id":3,"kind":"c"}\n{"id": 4, "kind":\n{"id":5,"kind":"e"}\n');
    const r = await cli({ home }, ['run', events, '--no-progress']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/events: 4 rows, 1 rejected \(see raw_events__rejects\)/);
    const rejects = json(await cli({ home }, ['query', 'SELECT line, error_type, raw_line FROM raw_events__rejects', '--json']));
    expect(rejects.rows).toEqual([{ line: 4, error_type: 'MALFORMED JSON', raw_line: '{"id": 4, "kind":' }]);
  });
});
