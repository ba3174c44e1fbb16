/**
 * Code versions follow the code a node runs: editing a helper it calls (transitively, across
 * files, through namespace imports or as a callback) changes its version; editing anything else
 * does not. Each case copies the fixture to a temp root, edits it and rebuilds.
 */
import path from 'node:path';
import type { Project } from 'ts-morph';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildDataflow, createCodegenProject } from '../../codegen/index.ts';
import { copyFixture, editFile, makeTempRoot, removeTempRoot } from './temp-project.ts';

// One root and one Project for the file (a Project costs seconds); edits are cumulative, and each
// test compares against the versions it saw first.
let root: string;
let dir: string;
let project: Project;
beforeAll(() => {
  root = makeTempRoot();
  dir = copyFixture(root, 'versioned');
  project = createCodegenProject(root);
});
afterAll(() => removeTempRoot(root));

async function versions(dir: string): Promise<Record<string, string>> {
  project.addSourceFilesAtPaths(path.join(dir, '*.ts'));
  for (const sf of project.getSourceFiles()) sf.refreshFromFileSystemSync();
  const r = await buildDataflow(dir, { check: true, project });
  expect(r.diagnostics).toEqual([]);
  return Object.fromEntries(r.manifest!.nodes.map((n) => [n.name, n.codeVersion]));
}

function changedNodes(before: Record<string, string>, after: Record<string, string>): string[] {
  return Object.keys(before).filter((k) => before[k] !== after[k]);
}

describe('code versions', () => {
  it('change for every node that reaches an edited helper, transitively, and only for those', async () => {
    const before = await versions(dir);
    editFile(path.join(dir, 'lib.ts'), 'return x * 2;', 'return x * 3;'); // _inner, called via _outer
    expect(changedNodes(before, await versions(dir))).toEqual(['usesHelper']);
  });

  it('follow helpers passed as callbacks and called through a namespace import', async () => {
    const before = await versions(dir);
    editFile(path.join(dir, 'lib.ts'), 'return x * 10;', 'return x * 11;'); // _scale, passed to map
    const mid = await versions(dir);
    expect(changedNodes(before, mid)).toEqual(['usesCallback']);
    editFile(path.join(dir, 'lib.ts'), 'return x + 100;', 'return x + 101;'); // _offset, lib._offset(1)
    expect(changedNodes(mid, await versions(dir))).toEqual(['usesCallback']);
  });

  it('follow a local arrow helper', async () => {
    const before = await versions(dir);
    editFile(path.join(dir, 'nodes.ts'), 'x - 1;', 'x - 2;');
    expect(changedNodes(before, await versions(dir))).toEqual(['usesLocal']);
  });

  it('do not change when an unrelated function or a doc comment changes; do change with modifiers', async () => {
    const before = await versions(dir);
    editFile(path.join(dir, 'nodes.ts'), "return 'v1';", "return 'v2';");
    const afterUnrelated = await versions(dir);
    expect(changedNodes(before, afterUnrelated)).toEqual(['unrelated']);
    editFile(path.join(dir, 'nodes.ts'), '/** Calls nothing project-local. */', '/** Calls nothing project-local, reworded. */');
    const afterDoc = await versions(dir);
    expect(changedNodes(afterUnrelated, afterDoc)).toEqual([]);
    editFile(path.join(dir, 'nodes.ts'), '/** Calls nothing project-local, reworded. */', '/** Calls nothing. @cache recompute */');
    expect(changedNodes(afterDoc, await versions(dir))).toEqual(['independent']);
  });

  it('are stable across builds and locations (no paths in the hash)', async () => {
    const roots = [makeTempRoot(), makeTempRoot()];
    try {
      const [a, b] = [await versions(copyFixture(roots[0], 'versioned')), await versions(copyFixture(roots[1], 'versioned'))];
      expect(b).toEqual(a);
      expect(Object.keys(a)).toHaveLength(7);
    } finally {
      roots.forEach(removeTempRoot);
    }
  });
});
