/** Recognizing constraint violations from either driver (better-sqlite3 codes, PostgreSQL SQLSTATEs). */

function code(error: unknown): string | undefined {
  return typeof error === 'object' && error !== null && 'code' in error ? String((error as { code: unknown }).code) : undefined;
}

export function isUniqueViolation(error: unknown): boolean {
  const c = code(error);
  return c === '23505' || c === 'SQLITE_CONSTRAINT_UNIQUE' || c === 'SQLITE_CONSTRAINT_PRIMARYKEY';
}

export function isForeignKeyViolation(error: unknown): boolean {
  const c = code(error);
  return c === '23503' || c === 'SQLITE_CONSTRAINT_FOREIGNKEY';
}
