/**
 * Errors of the metadata store: a stable `code` to branch on, and a message that says what failed
 * and what to do about it.
 */

export type StoreErrorCode =
  | 'INVALID_URL'
  | 'OPEN_FAILED'
  | 'MIGRATION_FAILED'
  | 'INVALID_VALUE'
  | 'NOT_FOUND'
  | 'INVALID_STATE'
  | 'CONFLICT';

export class StoreError extends Error {
  readonly code: StoreErrorCode;
  constructor(code: StoreErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
    this.name = 'StoreError';
  }
}
