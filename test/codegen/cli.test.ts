/** The real CLI: `node bin/dataraum.mjs build [--check] --root <tmp>`. */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { copyFixture, editFile, makeTempRoot, REPO, removeTempRoot } from './temp-project.ts';

let root: string;

function cli(...args: string[]) {
  const r = spawnSync(process.execPath, [path.join(REPO, 'bin', 'dataraum.mjs'), 'build', ...args, '--root', root], { encoding: 'utf8', cwd: REPO });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

beforeAll(() => {
  root = makeTempRoot();
  copyFixture(root, 'versioned');
});
afterAll(() => removeTempRoot(root));

describe('dataraum build', () => {
  it('writes manifests; --check passes, then fails naming stale manifests and printing diagnostics as file:line: message', () => {
    const write = cli();
    expect(write.stderr).toBe('');
    expect(write.code).toBe(0);
    expect(write.stdout).toContain('versioned: wrote dataflows/versioned/manifest.generated.ts (7 nodes)');
    const manifest = path.join(root, 'dataflows', 'versioned', 'manifest.generated.ts');
    const written = fs.readFileSync(manifest, 'utf8');

    const ok = cli('--check');
    expect(ok.code).toBe(0);
    expect(ok.stdout).toContain('versioned: dataflows/versioned/manifest.generated.ts is up to date (7 nodes)');

    // One more run covers both failure kinds: a stale manifest and a dataflow with errors.
    editFile(path.join(root, 'dataflows', 'versioned', 'lib.ts'), 'return x * 2;', 'return x * 4;');
    copyFixture(root, 'broken-cycle');
    const failing = cli('--check');
    expect(failing.code).toBe(1);
    expect(failing.stderr).toContain('versioned: dataflows/versioned/manifest.generated.ts is stale; run `dataraum build versioned` and commit it');
    expect(failing.stderr).toContain('broken-cycle: 3 errors');
    expect(failing.stderr).toContain('  dataflows/broken-cycle/nodes.ts:1: dependency cycle: a -> b -> a');
    expect(fs.readFileSync(manifest, 'utf8')).toBe(written); // --check writes nothing
    expect(fs.existsSync(path.join(root, 'dataflows', 'broken-cycle', 'manifest.generated.ts'))).toBe(false);
  });
});
