/**
 * Unit detection: from value affixes (`12.5 kg`, `$3`, `45%`) and from column names (`weight_kg`,
 * `temp_f`, `Cost Total $`). Pure functions over counts the SQL side already gathered.
 *
 * @example
 * ```ts
 * unitFromName('weight_kg'); // { unit: 'kg', quantity: 'mass', source: 'name', confidence: 0.8 }
 * unitFromName('temp_f');    // { unit: '°F', quantity: 'temperature', ... }
 * ```
 */
import type { UnitDetection, UnitQuantity } from './types.ts';

export interface UnitDefinition {
  /** Canonical symbol (`kg`, `°C`, `USD`, `%`). */
  readonly unit: string;
  readonly quantity: UnitQuantity;
  /** Tokens seen as value prefixes/suffixes, case-sensitive (`kg`, `$`, `°C`). */
  readonly valueTokens: readonly string[];
  /** Lower-case tokens of column names that name the unit. */
  readonly nameTokens: readonly string[];
  /** Single-letter or ambiguous name tokens count only next to one of these words (`temp_f`). */
  readonly nameContext?: readonly string[];
  /** Tokens this unit is written with when it comes before the number (currencies). */
  readonly prefix?: boolean;
}

const TEMP = ['temp', 'temperature', 'tmp', 'degrees', 'deg'];

/** The catalogue: extend it here, nothing else needs to change. */
export const UNITS: readonly UnitDefinition[] = [
  { unit: 'kg', quantity: 'mass', valueTokens: ['kg', 'kgs', 'Kg', 'KG'], nameTokens: ['kg', 'kgs', 'kilograms', 'kilogram', 'kilo', 'kilos'] },
  { unit: 'g', quantity: 'mass', valueTokens: ['g', 'gr', 'grams'], nameTokens: ['grams', 'gram', 'g', 'gr'], nameContext: ['weight', 'mass', 'wt', 'sugar', 'fat', 'protein'] },
  { unit: 'mg', quantity: 'mass', valueTokens: ['mg'], nameTokens: ['mg', 'milligrams'] },
  { unit: 'lb', quantity: 'mass', valueTokens: ['lb', 'lbs'], nameTokens: ['lb', 'lbs', 'pounds'] },
  { unit: 'oz', quantity: 'mass', valueTokens: ['oz'], nameTokens: ['oz', 'ounces'] },
  { unit: 'km', quantity: 'length', valueTokens: ['km', 'KM'], nameTokens: ['km', 'kilometers', 'kilometres'] },
  { unit: 'm', quantity: 'length', valueTokens: ['m'], nameTokens: ['m', 'meters', 'metres', 'meter', 'metre'], nameContext: ['height', 'length', 'width', 'depth', 'distance', 'dist', 'elevation', 'altitude', 'alt', 'elev'] },
  { unit: 'cm', quantity: 'length', valueTokens: ['cm'], nameTokens: ['cm', 'centimeters', 'centimetres'] },
  { unit: 'mm', quantity: 'length', valueTokens: ['mm'], nameTokens: ['mm', 'millimeters', 'millimetres'] },
  { unit: 'mi', quantity: 'length', valueTokens: ['mi', 'miles'], nameTokens: ['mi', 'miles'] },
  { unit: 'ft', quantity: 'length', valueTokens: ['ft', "'"], nameTokens: ['ft', 'feet'] },
  { unit: 'in', quantity: 'length', valueTokens: ['in', '"'], nameTokens: ['inches', 'inch'] },
  { unit: 'km/h', quantity: 'speed', valueTokens: ['km/h', 'kmh', 'kph', 'km/hr'], nameTokens: ['kmh', 'kph'] },
  { unit: 'mph', quantity: 'speed', valueTokens: ['mph'], nameTokens: ['mph'] },
  { unit: 'm/s', quantity: 'speed', valueTokens: ['m/s'], nameTokens: ['mps'] },
  { unit: 'kn', quantity: 'speed', valueTokens: ['kn', 'kt', 'kts', 'knots'], nameTokens: ['knots', 'kts'] },
  { unit: '°C', quantity: 'temperature', valueTokens: ['°C', '°c', 'ºC', 'C'], nameTokens: ['celsius', 'degc', 'c'], nameContext: TEMP },
  { unit: '°F', quantity: 'temperature', valueTokens: ['°F', '°f', 'ºF', 'F'], nameTokens: ['fahrenheit', 'degf', 'f'], nameContext: TEMP },
  { unit: 'K', quantity: 'temperature', valueTokens: ['K'], nameTokens: ['kelvin'] },
  { unit: '%', quantity: 'ratio', valueTokens: ['%'], nameTokens: ['%', 'pct', 'percent', 'percentage', 'perc'] },
  { unit: 'USD', quantity: 'currency', valueTokens: ['$', 'US$', 'USD'], nameTokens: ['$', 'usd', 'dollars', 'dollar'], prefix: true },
  { unit: 'EUR', quantity: 'currency', valueTokens: ['€', 'EUR'], nameTokens: ['€', 'eur', 'euro', 'euros'], prefix: true },
  { unit: 'GBP', quantity: 'currency', valueTokens: ['£', 'GBP'], nameTokens: ['£', 'gbp'], prefix: true },
  { unit: 'JPY', quantity: 'currency', valueTokens: ['¥', 'JPY'], nameTokens: ['¥', 'jpy', 'yen'], prefix: true },
  { unit: 'CHF', quantity: 'currency', valueTokens: ['CHF'], nameTokens: ['chf'], prefix: true },
  { unit: 'ms', quantity: 'time', valueTokens: ['ms'], nameTokens: ['ms', 'millis', 'milliseconds'] },
  { unit: 's', quantity: 'time', valueTokens: ['s', 'sec', 'secs'], nameTokens: ['seconds', 'secs', 'sec', 's'], nameContext: ['duration', 'time', 'elapsed', 'latency'] },
  { unit: 'min', quantity: 'time', valueTokens: ['min', 'mins'], nameTokens: ['minutes', 'mins'] },
  { unit: 'h', quantity: 'time', valueTokens: ['h', 'hr', 'hrs', 'hours'], nameTokens: ['hours', 'hrs', 'hr'] },
  { unit: 'l', quantity: 'volume', valueTokens: ['l', 'L', 'liters', 'litres'], nameTokens: ['liters', 'litres', 'liter', 'litre'] },
  { unit: 'ml', quantity: 'volume', valueTokens: ['ml', 'mL'], nameTokens: ['ml', 'milliliters', 'millilitres'] },
  // Prefixed units are units of their own: `5 kW` is stored as kW, never as W (a factor of 1000).
  { unit: 'Wh', quantity: 'energy', valueTokens: ['Wh'], nameTokens: ['wh'] },
  { unit: 'kWh', quantity: 'energy', valueTokens: ['kWh', 'kwh', 'KWh', 'KWH'], nameTokens: ['kwh'] },
  { unit: 'MWh', quantity: 'energy', valueTokens: ['MWh', 'MWH'], nameTokens: ['mwh'] },
  { unit: 'W', quantity: 'power', valueTokens: ['W'], nameTokens: ['watts', 'watt'] },
  { unit: 'kW', quantity: 'power', valueTokens: ['kW', 'KW', 'kw'], nameTokens: ['kw', 'kilowatts', 'kilowatt'] },
  { unit: 'MW', quantity: 'power', valueTokens: ['MW'], nameTokens: ['mw', 'megawatts', 'megawatt'] },
  { unit: 'hPa', quantity: 'pressure', valueTokens: ['hPa', 'mbar', 'mb'], nameTokens: ['hpa', 'mbar', 'millibars'] },
  { unit: 'B', quantity: 'data', valueTokens: ['B'], nameTokens: ['bytes'] },
  { unit: 'KB', quantity: 'data', valueTokens: ['KB', 'kB'], nameTokens: ['kb', 'kilobytes'] },
  { unit: 'MB', quantity: 'data', valueTokens: ['MB'], nameTokens: ['mb', 'megabytes'] },
  { unit: 'GB', quantity: 'data', valueTokens: ['GB'], nameTokens: ['gb', 'gigabytes'] },
  { unit: 'TB', quantity: 'data', valueTokens: ['TB'], nameTokens: ['tb', 'terabytes'] },
];

const BY_VALUE_TOKEN = new Map<string, UnitDefinition>();
for (const u of UNITS) for (const t of u.valueTokens) if (!BY_VALUE_TOKEN.has(t)) BY_VALUE_TOKEN.set(t, u);

/** Every value token, longest first, so a regex alternation prefers `km/h` over `km` over `m`. */
export const UNIT_VALUE_TOKENS: readonly string[] = [...BY_VALUE_TOKEN.keys()].sort((a, b) => b.length - a.length);

/** Tokens written before the number (`$12`, `EUR 12`). */
export const PREFIX_VALUE_TOKENS: readonly string[] = UNITS.filter((u) => u.prefix).flatMap((u) => u.valueTokens).sort((a, b) => b.length - a.length);

/** The unit a value token stands for (`kg` -> kg, `$` -> USD). */
export function unitForToken(token: string): UnitDefinition | undefined {
  return BY_VALUE_TOKEN.get(token);
}

/** Escapes a literal for an RE2 regular expression. */
export function escapeRegex(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
}

/**
 * Splits a column name into lower-case tokens: `weightKg` / `weight_kg` / `Cost Total $` -> words,
 * keeping `$ € £ ¥ %`. A part written exactly as a unit (`Power (kW)`, `energy_kWh`, `p_hPa`) stays
 * whole: a camel-case split would leave `k` + `W`, a watt where the name says kilowatt.
 */
export function nameTokens(name: string): string[] {
  return name
    .replace(/([$€£¥%])/g, ' $1 ')
    .split(/[^\p{L}\p{N}$€£¥%]+/u)
    .flatMap((part) => (BY_VALUE_TOKEN.has(part) ? [part] : part.replace(/([\p{Ll}\p{N}])(\p{Lu})/gu, '$1 $2').split(' ')))
    .filter(Boolean)
    .map((t) => t.toLowerCase());
}

/** The unit a column name announces, if any. Later tokens win (`temp_max_f` -> °F). */
export function unitFromName(name: string): UnitDetection | undefined {
  const tokens = nameTokens(name);
  for (let i = tokens.length - 1; i >= 0; i--) {
    const tok = tokens[i];
    for (const u of UNITS) {
      if (!u.nameTokens.includes(tok)) continue;
      const weak = u.nameContext !== undefined && tok.length <= 2;
      if (weak) {
        const context = u.nameContext ?? [];
        // A lone letter means a unit only as the last token and next to a word of its quantity.
        if (i !== tokens.length - 1 || tokens.length < 2 || !tokens.some((t) => context.includes(t))) continue;
      }
      return { unit: u.unit, quantity: u.quantity, source: 'name', confidence: weak ? 0.7 : tok.length <= 2 ? 0.75 : 0.85, evidence: `column name token '${tok}'` };
    }
  }
  return undefined;
}

/**
 * Combines value evidence (the most frequent affix token and its share of non-null values) with
 * the name. Agreement raises confidence; values outrank a disagreeing name.
 */
export function detectUnit(columnName: string, topToken: string | undefined, tokenRate: number): UnitDetection | undefined {
  const fromName = unitFromName(columnName);
  const def = topToken === undefined ? undefined : unitForToken(topToken);
  const fromValues: UnitDetection | undefined =
    def && tokenRate >= 0.5
      ? { unit: def.unit, quantity: def.quantity, source: 'values', confidence: round(Math.min(0.95, tokenRate * 0.95)), evidence: `${pct(tokenRate)} of values carry '${topToken}'` }
      : undefined;
  if (fromValues && fromName) {
    if (fromValues.unit === fromName.unit) {
      return { ...fromValues, source: 'both', confidence: round(Math.min(0.99, fromValues.confidence + 0.1)), evidence: `${fromValues.evidence}; ${fromName.evidence}` };
    }
    return fromValues;
  }
  return fromValues ?? fromName;
}

function round(x: number): number {
  return Math.round(x * 1000) / 1000;
}

function pct(x: number): string {
  return `${Math.round(x * 1000) / 10}%`;
}
