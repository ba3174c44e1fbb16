/**
 * `@gate <checkpoint_type> [AnswerSchema]`: the node is a review gate. Its function returns
 * `GateOutcome<A>` (engine/gate.ts) and the node's value is `A`. An answer schema, when given,
 * is recorded as a fail-level check on the gate's value, which is what resumed answers become.
 */
import { resolve } from './check.ts';
import { malformed, type ModifierParser } from './types.ts';

export const parseGate: ModifierParser = (tag, mods, ctx) => {
  const m = /^([A-Za-z_][\w.-]*)(?: ([A-Za-z_$][\w$]*))?$/.exec(tag.text);
  if (!m) return malformed(ctx, tag, 'expected `@gate <checkpoint_type> [AnswerSchema]`, e.g. `@gate type_review TypeAnswers`');
  if (mods.gate) return malformed(ctx, tag, '@gate is given twice; a node is one gate');
  mods.gate = { type: m[1], tag };
  if (m[2]) {
    const schema = resolve(m[2], tag.line, ctx);
    if (schema) mods.checks.push({ schema: schema.exportName, module: schema.module, level: 'fail' });
  }
};
