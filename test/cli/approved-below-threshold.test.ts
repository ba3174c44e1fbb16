/**
 * A person who approves a column below the confidence threshold has seen its failing values: the
 * decision stands on later runs while the data reads at least as well as then, and the column is
 * asked again only when the fit got worse.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { cli, json, type CliEnv } from './helpers.ts';

const dir = mkdtempSync(path.join(tmpdir(), 'dataraum-approved-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function sqlite(file: string, sql: string): void {
  const db = new Database(file);
  try {
    db.exec(sql);
  } finally {
    db.close();
  }
}

async function pausedItems(env: CliEnv, file: string): Promise<{ checkpointId: string; items: { itemId: string; context: any }[] }> {
  const run = await cli(env, ['run', file, '--json', '--no-progress']);
  expect(run.code, run.stderr).toBe(3);
  const checkpointId = json(run).checkpoint.checkpointId as string;
  const list = await cli(env, ['review', 'list', '--checkpoint', checkpointId, '--json']);
  return { checkpointId, items: json(list) };
}

describe('a person\'s approval below the threshold', () => {
  it('stands on the next run while the data fits as well, and comes back, saying so, when the fit got worse', async () => {
    const file = path.join(dir, 'shop.sqlite');
    const env = { home: path.join(dir, 'home') };
    sqlite(file, `CREATE TABLE typed (i TEXT); INSERT INTO typed VALUES ('1'), ('2'), ('3'), ('4'), ('5'), ('x');
      CREATE TABLE other (a INTEGER); INSERT INTO other VALUES (1);`);

    const first = await pausedItems(env, file);
    expect(first.items.map((i) => i.itemId)).toEqual(['typed.i']);
    expect(first.items[0].context.candidates[0]).toMatchObject({ duckdbType: 'INTEGER', parseSuccessRate: 0.833333 });
    const approved = await cli(env, ['review', 'approve', (first.items[0] as any).reviewId, '--by', 'ana']);
    expect(approved.code, approved.stderr).toBe(0);
    const resumed = await cli(env, ['resume', first.checkpointId, '--from-reviews', '--no-progress']);
    expect(resumed.code, resumed.stderr).toBe(0);

    // Another table changed; this one reads as it did when ana approved it: not asked again.
    sqlite(file, `INSERT INTO other VALUES (2);`);
    const again = await cli(env, ['run', file, '--json', '--no-progress']);
    expect(again.code, again.stderr).toBe(0);
    const db = new Database(path.join(env.home, 'metadata.sqlite'), { readonly: true });
    const decision = db.prepare(`SELECT d.decided_type, d.decision_source, d.decided_by, d.decision_detail FROM type_decisions d
      JOIN columns c USING (column_id) JOIN tables t USING (table_id) WHERE t.table_name = 'typed' AND t.layer = 'raw' AND c.column_name = 'i'`).get() as Record<string, string>;
    db.close();
    expect(decision).toMatchObject({ decided_type: 'INTEGER', decision_source: 'manual', decided_by: 'ana' });
    expect(JSON.parse(decision.decision_detail).acceptedFit).toEqual({ parseSuccessRate: 0.833333, parsedCount: 5, failedCount: 1 });

    // More rows read as well (10 of 12): still ana's decision.
    sqlite(file, `INSERT INTO typed VALUES ('6'), ('7'), ('8'), ('9'), ('10'), ('y');`);
    expect((await cli(env, ['run', file, '--no-progress'])).code).toBe(0);

    // Now 10 of 13 (76.9%): worse than when ana decided, so the column is asked again.
    sqlite(file, `INSERT INTO typed VALUES ('z');`);
    const worse = await pausedItems(env, file);
    expect(worse.items.map((i) => i.itemId)).toEqual(['typed.i']);
    expect(worse.items[0].context.earlierDecision.note).toContain(
      'reads 76.923% of 13 non-null values now, below the threshold of 95% and the 83.333% of 6 it read when decided');
  }, 180_000);
});
