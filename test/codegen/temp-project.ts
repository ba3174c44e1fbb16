/**
 * Temporary project roots for tests that edit files or run the CLI: `dataflows/<case>/` copied
 * from a fixture, with `engine/` and `node_modules/` linked to the real ones so generated
 * manifests import and type-check.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
export const FIXTURES = path.join(REPO, 'test', 'codegen', 'fixtures');

export function makeTempRoot(): string {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'dataraum-codegen-'));
  fs.symlinkSync(path.join(REPO, 'engine'), path.join(root, 'engine'), 'dir');
  fs.symlinkSync(path.join(REPO, 'node_modules'), path.join(root, 'node_modules'), 'dir');
  fs.writeFileSync(path.join(root, 'package.json'), JSON.stringify({ name: 'codegen-temp', type: 'module', private: true }));
  return root;
}

/**
 * Copies fixture `name` to `<root>/dataflows/<name>/`. Fixtures import the engine as
 * '../../../../engine/index.ts' (from test/codegen/fixtures/<case>/); in the copy it is two levels up.
 */
export function copyFixture(root: string, name: string): string {
  const dest = path.join(root, 'dataflows', name);
  fs.mkdirSync(dest, { recursive: true });
  for (const file of fs.readdirSync(path.join(FIXTURES, name))) {
    if (file === 'manifest.generated.ts') continue;
    const text = fs.readFileSync(path.join(FIXTURES, name, file), 'utf8');
    fs.writeFileSync(path.join(dest, file), text.replaceAll("'../../../../engine/index.ts'", "'../../engine/index.ts'"));
  }
  return dest;
}

export function editFile(file: string, from: string, to: string): void {
  const text = fs.readFileSync(file, 'utf8');
  if (!text.includes(from)) throw new Error(`test setup: '${from}' not found in ${file}`);
  fs.writeFileSync(file, text.replace(from, to));
}

export function removeTempRoot(root: string | undefined): void {
  if (root) fs.rmSync(root, { recursive: true, force: true });
}
