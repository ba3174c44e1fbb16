/**
 * Errors are data first (what failed, where, why), formatted for people second.
 * Every error the engine throws is a `DataraumError` with a stable `code`.
 */

export type ErrorCode =
  | 'UNKNOWN_NODE'
  | 'MISSING_INPUT'
  | 'INVALID_EXECUTION'
  | 'NODE_FAILED'
  | 'CHECK_FAILED'
  | 'EXECUTION_FAILED'
  | 'GRAPH_INVALID'
  | 'PARSE_FAILED'
  | 'CHECKPOINT'
  | 'CACHE';

export class DataraumError extends Error {
  readonly code: ErrorCode;
  constructor(code: ErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
    this.name = new.target.name;
  }
}

export interface ExecutionProblem {
  readonly kind: 'unknown_node' | 'missing_input';
  readonly name: string;
  /** For a missing input: the nodes that need it. */
  readonly neededBy?: readonly string[];
  /** For an unknown node: close names that do exist. */
  readonly suggestions?: readonly string[];
}

/** Everything wrong with a requested execution, reported at once before anything runs. */
export class InvalidExecutionError extends DataraumError {
  readonly problems: readonly ExecutionProblem[];
  constructor(problems: readonly ExecutionProblem[]) {
    super('INVALID_EXECUTION', formatProblems(problems));
    this.problems = problems;
  }
}

function formatProblems(problems: readonly ExecutionProblem[]): string {
  const lines = problems.map((p) => {
    if (p.kind === 'unknown_node') {
      const hint = p.suggestions?.length ? ` (did you mean ${p.suggestions.map((s) => `'${s}'`).join(', ')}?)` : '';
      return `  - '${p.name}' is not a node of this dataflow${hint}`;
    }
    return `  - input '${p.name}' is missing (needed by ${p.neededBy?.map((n) => `'${n}'`).join(', ')}); pass it in 'inputs' or 'overrides'`;
  });
  return `Cannot execute: ${problems.length} problem${problems.length === 1 ? '' : 's'}\n${lines.join('\n')}`;
}

/** A node's function threw (or its promise rejected). The original error is `cause`. */
export class NodeExecutionError extends DataraumError {
  readonly node: string;
  readonly inputs: readonly string[];
  constructor(node: string, inputs: readonly string[], cause: unknown) {
    const reason = cause instanceof Error ? cause.message : String(cause);
    super(
      'NODE_FAILED',
      `Node '${node}' failed${inputs.length ? ` (inputs: ${inputs.join(', ')})` : ''}: ${reason}`,
      { cause },
    );
    this.node = node;
    this.inputs = inputs;
  }
}

export interface CheckIssue {
  readonly path: readonly (string | number)[];
  readonly message: string;
}

/** A `@check ... fail` schema rejected a node's output. */
export class CheckFailedError extends DataraumError {
  readonly node: string;
  readonly schema: string;
  readonly issues: readonly CheckIssue[];
  constructor(node: string, schema: string, issues: readonly CheckIssue[]) {
    super(
      'CHECK_FAILED',
      `Output of '${node}' failed check ${schema}: ${issues
        .slice(0, 5)
        .map((i) => `${i.path.length ? i.path.join('.') : '(root)'}: ${i.message}`)
        .join('; ')}`,
    );
    this.node = node;
    this.schema = schema;
    this.issues = issues;
  }
}

/** Levenshtein distance, for "did you mean" hints. */
export function editDistance(a: string, b: string): number {
  if (a === b) return 0;
  let prev = new Array<number>(b.length + 1);
  let cur = new Array<number>(b.length + 1);
  for (let j = 0; j <= b.length; j++) prev[j] = j;
  for (let i = 1; i <= a.length; i++) {
    cur[0] = i;
    for (let j = 1; j <= b.length; j++) {
      cur[j] = Math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    [prev, cur] = [cur, prev];
  }
  return prev[b.length];
}

export function suggest(name: string, candidates: Iterable<string>, max = 3): string[] {
  const limit = Math.max(2, Math.floor(name.length / 3));
  const scored: [string, number][] = [];
  for (const c of candidates) {
    const d = editDistance(name.toLowerCase(), c.toLowerCase());
    if (d <= limit) scored.push([c, d]);
  }
  return scored.sort((x, y) => x[1] - y[1]).slice(0, max).map((s) => s[0]);
}
