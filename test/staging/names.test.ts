import { describe, expect, it } from 'vitest';
import { NameAllocator, sanitizeName, uniqueNames } from '../../nodes/staging/names.ts';

describe('sanitizeName', () => {
  it.each([
    ['Ünïcödé Name', 'unicode_name'],
    ['US Gross', 'us_gross'],
    ['OrderID', 'order_id'],
    ['IMDB Rating', 'imdb_rating'],
    ['Größe (cm)', 'grosse_cm'],
    ['  spaced   out  ', 'spaced_out'],
    ['a"b', 'a_b'],
    ["it's", 'it_s'],
    ['x;DROP TABLE y', 'x_drop_table_y'],
    ['select', 'select_'],
    ['FROM', 'from_'],
    ['order', 'order_'],
    ['1st', 'c_1st'],
    ['2024', 'c_2024'],
    ['Имя', 'имя'],
    ['价格', '价格'],
    ['price €', 'price_eur'],
    ['%', 'pct'],
  ])('%j -> %j', (raw, expected) => {
    expect(sanitizeName(raw)).toBe(expected);
  });

  it('returns empty for names with nothing usable, so callers choose a fallback', () => {
    expect(sanitizeName('')).toBe('');
    expect(sanitizeName(';')).toBe('');
    expect(sanitizeName('   ')).toBe('');
  });

  it('keeps names short enough for PostgreSQL identifiers', () => {
    expect(sanitizeName('x'.repeat(200)).length).toBeLessThanOrEqual(63);
  });
});

describe('uniqueNames', () => {
  it('numbers empty names by position and suffixes duplicates, keeping originals', () => {
    const names = uniqueNames(['id', '', 'ID', 'id_2', 'select', ';', 'id']);
    expect(names.map((n) => n.name)).toEqual(['id', 'column_2', 'id_3', 'id_2', 'select_', 'column_6', 'id_4']);
    expect(names.map((n) => n.originalName)).toEqual(['id', '', 'ID', 'id_2', 'select', ';', 'id']);
  });

  it('never produces an empty or colliding name, whatever the input', () => {
    const hostile = ['', '', ' ', '"', '""', ';', 'a', 'A', 'a_2', 'a', 'a_3', '1', 'c_1', 'select', 'select_', 'Select', '\u0000', 'é', 'e'];
    const names = uniqueNames(hostile).map((n) => n.name);
    expect(names.every((n) => n.length > 0)).toBe(true);
    expect(new Set(names).size).toBe(names.length);
    expect(names.every((n) => /^[\p{Ll}\p{Lo}_][\p{Ll}\p{Lo}\p{N}_]*$/u.test(n))).toBe(true);
  });
});

describe('NameAllocator', () => {
  it('hands out unique table names as they come', () => {
    const names = new NameAllocator();
    expect([names.claim('Orders'), names.claim('orders'), names.claim(''), names.claim('2024 sales')]).toEqual([
      'orders',
      'orders_2',
      'table_3',
      't_2024_sales',
    ]);
  });
});
