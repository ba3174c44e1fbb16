/** `dataraum run` usage errors exit 2 with a sentence saying what is wrong, and change nothing. */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const BIN = join(import.meta.dirname, '../../bin/dataraum.mjs');
const CSV = 'node_modules/vega-datasets/data/seattle-weather.csv';

function run(...args: string[]) {
  const home = join(mkdtempSync(join(tmpdir(), 'dataraum-usage-')), 'home');
  const res = spawnSync(process.execPath, [BIN, 'run', ...args, '--home', home, '--no-progress'], { encoding: 'utf8', timeout: 120_000 });
  return { code: res.status, err: res.stderr, home };
}

describe('dataraum run usage errors', () => {
  it('exits 2 without a source to ingest, before creating anything', () => {
    const r = run();
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/give a file or folder to ingest, or --source config\.yaml/);
    expect(existsSync(r.home)).toBe(false);
  });

  it('exits 2 on a malformed --config pair and on an --only tag no node has', () => {
    expect(run(CSV, '-c', 'badpair')).toMatchObject({ code: 2, err: expect.stringMatching(/--config expects key=value, got 'badpair'/) });
    expect(run(CSV, '--only', 'module=nope')).toMatchObject({ code: 2, err: expect.stringMatching(/--only: no node is tagged module=nope/) });
    expect(run(CSV, '-c', 'profilingOptions={buckets:5}')).toMatchObject({ code: 2, err: expect.stringMatching(/--config profilingOptions: the value starts like JSON but does not parse/) });
  });

  it('exits 1 naming the problem for a file that does not exist', () => {
    const r = run('no/such/file.csv');
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/no\/such\/file\.csv/);
    expect(r.err).not.toMatch(/\n\s+at /); // no stack trace without --verbose
  });
});
