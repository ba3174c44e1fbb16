/**
 * What a repository function needs: the query builder. A `Store` is one; so is
 * `{ db: trx }` inside `store.transaction(...)`, which lets callers compose repository calls
 * into one transaction.
 */
import type { Kysely, Transaction } from 'kysely';
import type { Database } from '../schema/database.ts';

export interface StoreContext {
  readonly db: Kysely<Database>;
}

/** Runs `fn` in a transaction, or directly when `db` already is one. */
export function inTransaction<T>(db: Kysely<Database>, fn: (trx: Kysely<Database>) => Promise<T>): Promise<T> {
  return db.isTransaction ? fn(db) : db.transaction().execute((trx: Transaction<Database>) => fn(trx));
}

/** Now, as the store writes timestamps. */
export function now(): string {
  return new Date().toISOString();
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Whether `id` can be an id of this store. Ids are uuids: PostgreSQL rejects anything else with a
 * syntax error, so lookups check first and treat a malformed id as unknown on both dialects.
 */
export function isUuid(id: unknown): id is string {
  return typeof id === 'string' && UUID.test(id);
}
