/**
 * Build-step problems are data first (code, file, line, node), formatted for people second,
 * like zod issues and engine/errors.ts. Nothing in codegen throws for a user mistake: every
 * mistake becomes a `Diagnostic`, so one build reports all of them at once.
 */

export type DiagnosticCode =
  /** dataflow.ts is missing or does not default-export `defineDataflow({ name, modules })`. */
  | 'DATAFLOW_INVALID'
  /** A module listed in a dataflow does not exist. */
  | 'MODULE_NOT_FOUND'
  /** A node module does not parse; nothing else is reported for it (the tree is partial). */
  | 'SYNTAX_ERROR'
  /** `buildAll({ only })` named a dataflow that has no folder. */
  | 'UNKNOWN_DATAFLOW'
  /** A node parameter is a destructuring pattern or a rest parameter. */
  | 'PARAM_NOT_IDENTIFIER'
  /** A JSDoc tag that is neither a modifier nor a standard JSDoc tag. */
  | 'UNKNOWN_TAG'
  /** A modifier tag whose text does not follow its syntax. */
  | 'MALFORMED_TAG'
  /** `@check` / `@gate` names a schema that is not exported where it should be. */
  | 'SCHEMA_NOT_FOUND'
  /** `@extract_fields` on a non-object result, or naming a field the result does not have. */
  | 'EXTRACT_FIELDS'
  /** `@gate` on a function that does not return `GateOutcome<A>`. */
  | 'GATE_RETURN'
  /** `@parameterize` binds a parameter the function does not have. */
  | 'PARAMETERIZE'
  /** A node name is not a valid identifier. */
  | 'INVALID_NAME'
  /** Two nodes produce the same name and are not all conditional variants. */
  | 'DUPLICATE_NODE'
  /** A producer's value is not assignable to a consumer's parameter. */
  | 'TYPE_MISMATCH'
  /** Consumers of one input declare types that no single value satisfies. */
  | 'INPUT_TYPE_CONFLICT'
  /** The dependency graph has a cycle. */
  | 'CYCLE';

export interface Diagnostic {
  readonly code: DiagnosticCode;
  /** A sentence or two: what is wrong, where, and what to do about it. */
  readonly message: string;
  /** Path relative to the project root (forward slashes). */
  readonly file: string;
  /** 1-based line. */
  readonly line: number;
  /** The node concerned, when there is one. */
  readonly node?: string;
}

/**
 * Formats a diagnostic the way compilers do, so editors and terminals can jump to it.
 *
 * @example
 * ```ts
 * formatDiagnostic({ code: 'CYCLE', message: 'dependency cycle: a -> b -> a', file: 'nodes/x.ts', line: 3 });
 * // 'nodes/x.ts:3: dependency cycle: a -> b -> a'
 * ```
 */
export function formatDiagnostic(d: Diagnostic): string {
  return `${d.file}:${d.line}: ${d.message}`;
}

/** Where something is, for messages that point at several places. */
export interface Location {
  readonly file: string;
  readonly line: number;
}

export function formatLocation(loc: Location): string {
  return `${loc.file}:${loc.line}`;
}

/** Collects diagnostics during one build; passed down instead of throwing. */
export class DiagnosticSink {
  readonly items: Diagnostic[] = [];

  report(code: DiagnosticCode, at: Location, message: string, node?: string): void {
    this.items.push(node === undefined ? { code, message, file: at.file, line: at.line } : { code, message, file: at.file, line: at.line, node });
  }

  get hasErrors(): boolean {
    return this.items.length > 0;
  }

  /** File order, then line, so output is stable whatever order the checks ran in. */
  sorted(): Diagnostic[] {
    return [...this.items].sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : a.line - b.line));
  }
}
