import { describe, expect, it } from 'vitest';
import { conditionsHold, conditionText, formatDuration, shortType, TAG_PALETTE, tagColors } from '../../viz/index.ts';

describe('labels and colours', () => {
  it('shortens types: drops import qualifiers, collapses nested objects, then cuts', () => {
    expect(shortType('import("/abs/path/types").Row[]')).toBe('Row[]');
    expect(shortType('Map<\n  string,\n  number\n>')).toBe('Map< string, number >');
    expect(shortType('{ a: { b: string; c: number; d: boolean }; e: string; f: { g: number } }', 40)).toBe('{ a: {…}; e: string; f: {…} }');
    const long = shortType('x'.repeat(100));
    expect(long).toHaveLength(42);
    expect(long.endsWith('…')).toBe(true);
  });

  it('formats durations for people', () => {
    expect([0.42, 12.4, 999, 1234, 61_000, 125_400].map(formatDuration)).toEqual(['0.4 ms', '12 ms', '999 ms', '1.2 s', '1 min 1 s', '2 min 5 s']);
    expect(formatDuration(Number.NaN)).toBe('');
  });

  it('evaluates @when / @whenNot conditions', () => {
    const when = [{ key: 'engine', value: 'fast', negate: false }, { key: 'region', value: 'eu', negate: true }];
    expect(conditionText(when)).toBe('engine=fast & region!=eu');
    expect(conditionsHold(when, { engine: 'fast' })).toBe(true);
    expect(conditionsHold(when, { engine: 'fast', region: 'eu' })).toBe(false);
    expect(conditionsHold(when, {})).toBe(false);
    expect(conditionsHold([{ key: 'toString', value: 'x', negate: false }], {})).toBe(false);
  });

  it('gives tag values distinct colours, stable across graphs that share them', () => {
    const values = ['staging', 'profiling', 'typing', 'modelling', 'reporting', 'quality', 'context', 'llm'];
    const colors = tagColors(values);
    expect(new Set(colors.values()).size).toBe(values.length);
    for (const c of colors.values()) expect(TAG_PALETTE).toContain(c);
    expect(tagColors([...values].reverse())).toEqual(colors);
    const many = tagColors(Array.from({ length: 30 }, (_, i) => `v${i}`));
    expect(new Set(many.values()).size).toBeGreaterThanOrEqual(25);
    for (const c of many.values()) expect(c).toMatch(/^#[0-9a-f]{6}$/);
  });
});
