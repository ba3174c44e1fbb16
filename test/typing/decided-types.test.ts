/**
 * The types a reviewer may decide: every one the unknown-type message lists is accepted without a
 * format (its default format produces it) and with that format; anything else is unknown, with or
 * without a format, except with the native format (the raw column's own type).
 */
import { describe, expect, it } from 'vitest';
import { formatFits } from '../../nodes/typing/formats.ts';
import { decisionProblem, defaultAnswerFormat } from '../../nodes/typing/review-answers.ts';

const NUMBER = { kind: 'number', decimal: '.', thousands: '' } as const;

describe('decided types', () => {
  const message = decisionProblem('DATUM') ?? '';
  const listed = message.replace(/^unknown type 'DATUM': use one of /, '').split(', ');

  it('an unknown type is called unknown, listing the allowed names, with or without a format', () => {
    expect(message).toMatch(/^unknown type 'DATUM': use one of TINYINT, SMALLINT, INTEGER, BIGINT, .*, VARCHAR$/);
    expect(decisionProblem('DATUM', NUMBER)).toBe(message);
    expect(decisionProblem('DATE(3)')).toMatch(/^unknown type 'DATE\(3\)'/);
    expect(decisionProblem('INTEGER[]')).toMatch(/^unknown type 'INTEGER\[\]'/);
    expect(decisionProblem('UUID', { kind: 'native' })).toBeUndefined();
  });

  it('every listed type has a default format that produces it, so it needs no format', () => {
    expect(listed.length).toBeGreaterThan(15);
    for (const name of listed) {
      const type = name === 'DECIMAL(p,s)' ? 'DECIMAL(12,2)' : name;
      const format = defaultAnswerFormat(type);
      expect({ type, format, fits: format && formatFits(type, format) }).toEqual({ type, format: expect.any(Object), fits: true });
      expect(decisionProblem(type)).toBeUndefined();
      expect(decisionProblem(type.toLowerCase(), format)).toBeUndefined();
    }
    for (const t of ['TINYINT', 'SMALLINT', 'HUGEINT', 'UBIGINT', 'REAL']) expect(defaultAnswerFormat(t)).toEqual(NUMBER);
    expect(defaultAnswerFormat('TIMESTAMP WITH TIME ZONE')).toEqual({ kind: 'timestamptz', strptime: null });
  });

  it('a format that cannot produce the type says which kind can', () => {
    expect(decisionProblem('SMALLINT', { kind: 'date', strptime: '%d/%m/%Y' })).toBe(
      "format 'date' cannot produce SMALLINT; give a 'number' format (or none, for the default), or a type that format 'date' produces",
    );
    expect(decisionProblem('INTEGER', { ...NUMBER, percent: true })).toMatch(/^format 'number' cannot produce INTEGER with percent: .*decide DOUBLE or DECIMAL\(p,s\)$/);
  });
});
