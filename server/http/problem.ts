/**
 * Errors as RFC 9457 problem details (`application/problem+json`): every failure the API returns
 * has a `type`, `title`, `status`, `detail` (what failed and what to do) and `instance` (the
 * request path). Validation failures add the zod `issues`. Stack traces never reach the body.
 */
import { z } from 'zod';

export const PROBLEM_CONTENT_TYPE = 'application/problem+json';

/** The body of every error response. */
export const ProblemSchema = z.looseObject({
  type: z.string().describe('a URI naming the kind of problem, e.g. urn:dataraum:problem:not-found'),
  title: z.string(),
  status: z.number().int(),
  detail: z.string(),
  instance: z.string(),
  issues: z.array(z.looseObject({ path: z.array(z.union([z.string(), z.number()])), message: z.string() })).optional(),
}).describe('RFC 9457 problem details');
export type Problem = z.output<typeof ProblemSchema>;

const TITLES: Record<number, [slug: string, title: string]> = {
  400: ['validation', 'Invalid request'],
  401: ['unauthorized', 'Authentication required'],
  403: ['forbidden', 'Forbidden'],
  404: ['not-found', 'Not found'],
  409: ['conflict', 'Conflict with the current state'],
  415: ['unsupported-media-type', 'Unsupported media type'],
  500: ['internal', 'Internal server error'],
};

/**
 * An error a route throws to answer with a problem document of `status`.
 *
 * @example
 * ```ts
 * throw new HttpProblem(404, `no source 'shop'; known sources: airports`);
 * ```
 */
export class HttpProblem extends Error {
  readonly status: number;
  readonly issues: Problem['issues'];
  constructor(status: number, detail: string, opts: { issues?: Problem['issues']; cause?: unknown } = {}) {
    super(detail, opts.cause === undefined ? undefined : { cause: opts.cause });
    this.name = 'HttpProblem';
    this.status = status;
    this.issues = opts.issues;
  }
}

/** The problem document for `status` at `instance`. */
export function problem(status: number, detail: string, instance: string, issues?: Problem['issues']): Problem {
  const [slug, title] = TITLES[status] ?? ['error', 'Error'];
  return { type: `urn:dataraum:problem:${slug}`, title, status, detail, instance, ...(issues ? { issues } : {}) };
}

/** Response schemas for the error statuses a route can answer with (for the OpenAPI document). */
export function problemResponses(...statuses: number[]): Record<number, typeof ProblemSchema> {
  return Object.fromEntries(statuses.map((s) => [s, ProblemSchema]));
}
