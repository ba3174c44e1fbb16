/**
 * From survey counts to ranked candidates: which readings are worth verifying (specs), and how
 * verified parse counts become confidences. Pure functions, no I/O.
 *
 * Confidence = parse success rate x specificity weight x ambiguity/identifier factors. Weights
 * order the types when several read a column equally well: BOOLEAN (when the vocabulary says so)
 * and INTEGER before BIGINT before DOUBLE before DECIMAL (DECIMAL first for money), DATE before
 * TIMESTAMP, anything that parses before VARCHAR.
 */
import { nameTokens, unitForToken, unitFromName } from '../profiling/units.ts';
import { NUMBER_SEPARATORS } from './formats.ts';
import { BOOLEAN_TOKENS, TEMPORAL_PROBES, type ColumnSurvey } from './survey.ts';
import type { StagedColumn } from '../staging/types.ts';
import type { CandidateType, DecimalSeparator, FailedExample, NegativeStyle, NumberFormat, TypeCandidate, ValueFormat } from './types.ts';

export interface CandidateSpec {
  readonly type: CandidateType;
  readonly duckdbType: string;
  readonly format: ValueFormat;
  /** Specificity weight times ambiguity factors. */
  readonly weight: number;
  readonly notes: readonly string[];
  /**
   * Set when the survey could not tell the decimal separator (every surveyed value reads both
   * ways): the factor in `weight` for it, lifted when the whole column's counts settle it.
   */
  readonly separatorTie?: { readonly factor: number };
}

/** Most specific first: breaks confidence ties. */
export const SPECIFICITY: readonly CandidateType[] = ['BOOLEAN', 'INTEGER', 'BIGINT', 'DECIMAL', 'DOUBLE', 'DATE', 'TIMESTAMPTZ', 'TIMESTAMP', 'TIME', 'INTERVAL', 'JSON', 'VARCHAR'];

const BOOLEAN_NAME = /^(is|has|can|should|was|did|does|allow|allows|enable|enabled|active|flag)(_|$)|(_|^)(flag|bool|yn|ind|active|enabled|deleted|disabled|visible|valid|verified)$/i;
const CODE_NAME = new Set(['zip', 'zipcode', 'postal', 'postcode', 'plz', 'cep', 'phone', 'tel', 'telephone', 'fax', 'mobile', 'ssn', 'isbn', 'ean', 'upc', 'sku', 'iban', 'code', 'fips']);

/** Name words of money amounts (a few languages): their decimals read as exact DECIMAL first. */
const MONEY_WORDS = new Set(['amount', 'price', 'cost', 'costs', 'revenue', 'fee', 'fees', 'salary', 'budget', 'balance', 'payment', 'betrag', 'preis', 'kosten', 'montant', 'prix', 'importe', 'precio', 'importo', 'prezzo']);

/** Whether a column's name says it holds money: a currency (`amount_eur`, `Betrag (€)`) or a money word. */
export function moneyName(name: string): string | undefined {
  const unit = unitFromName(name);
  if (unit?.quantity === 'currency') return `currency ${unit.unit} in the column name`;
  const word = nameTokens(name).find((t) => MONEY_WORDS.has(t));
  return word ? `money word '${word}' in the column name` : undefined;
}

const PARTNER: Readonly<Record<string, string>> = { true: 'false', false: 'true', t: 'f', f: 't', yes: 'no', no: 'yes', y: 'n', n: 'y', '1': '0', '0': '1', on: 'off', off: 'on' };

export interface IdentifierVerdict {
  readonly reason: string;
  /**
   * `text`: read as VARCHAR; `key`: a numeric key, kept numeric with a note; `number`: a few stray
   * zero-padded values in a column of quantities, kept numeric with a note.
   */
  readonly treatAs: 'text' | 'key' | 'number';
}

/**
 * Below this share of the integer values, leading zeros are strays (`05` among 299 quantities),
 * not a code column: zip codes have far more (every 0xxxx zip). Codes whose zeros are rarer still
 * are caught by their name and fixed width.
 */
const STRAY_LEADING_ZEROS = 0.01;

/**
 * Decides whether an integer-looking column is a code/identifier rather than a quantity. Leading
 * zeros decide it whenever integers are the column's reading (at least `minRate` of its values),
 * so one stray value (`unknown` among zip codes) does not make the zeros disappear, unless they are
 * strays themselves (under 1% of the integers); the name and width rules still need every value to
 * be an integer.
 */
export function identifierVerdict(name: string, s: ColumnSurvey, minRate: number): IdentifierVerdict | undefined {
  const n = s.nonNull;
  const integers = s.integerCounts[0];
  if (n === 0 || integers === 0) return undefined;
  // Every `0[0-9]+` value is a plain integer, so the share is among the integer-looking values.
  let stray: IdentifierVerdict | undefined;
  if (s.leadingZeros > 0 && integers / n >= minRate) {
    const which = integers === n ? `${s.leadingZeros} value(s)` : `${s.leadingZeros} of the ${integers} integer values (${pct(s.leadingZeros / integers)})`;
    if (s.leadingZeros / integers >= STRAY_LEADING_ZEROS) {
      return { treatAs: 'text', reason: `${which} have leading zeros (codes such as zip codes); reading them as numbers would drop the zeros` };
    }
    stray = { treatAs: 'number', reason: `${s.leadingZeros} of the ${integers} integer values (${pct(s.leadingZeros / integers)}) have a leading zero, too few for a code column: read as numbers, they lose it` };
  }
  if (integers !== n) return stray;
  const tokens = nameTokens(name);
  const last = tokens[tokens.length - 1] ?? '';
  const fixedWidth = s.minLength !== null && s.minLength === s.maxLength;
  if (tokens.some((t) => CODE_NAME.has(t)) && fixedWidth && (s.maxLength ?? 0) >= 3) return { treatAs: 'text', reason: `name '${name}' denotes a code and all values have the same width (${s.maxLength})` };
  const idName = last === 'id' || last === 'key' || /[a-z]Id$/.test(name) || last === 'number' || last === 'no' || last === 'nr';
  if (idName && fixedWidth && (s.maxLength ?? 0) >= 5 && s.distinct / n >= 0.9) {
    return { treatAs: 'text', reason: `identifier: name '${name}', fixed width ${s.maxLength}, ${Math.round((s.distinct / n) * 100)}% distinct` };
  }
  if (idName) return { treatAs: 'key', reason: `name '${name}' marks a key; values are variable-width integers without leading zeros, so they stay numeric` };
  return stray;
}

/** The unit/currency/percent reading of the dominant affix, when it is frequent enough to shape the number format. */
export function affixReading(s: ColumnSurvey): { currency?: string; percent?: boolean; unit?: string; token?: string; rate: number } {
  let token: string | undefined;
  let count = 0;
  for (const [t, c] of Object.entries(s.affixes)) if (c > count) [token, count] = [t, c];
  const rate = s.nonNull > 0 ? count / s.nonNull : 0;
  const def = token === undefined ? undefined : unitForToken(token);
  if (!def || token === undefined) return { rate: 0 };
  if (def.quantity === 'currency' && rate >= 0.3) return { currency: def.unit, token, rate };
  if (token === '%' && rate >= 0.5) return { percent: true, token, rate };
  if (def.quantity !== 'currency' && token !== '%' && rate >= 0.5) return { unit: token, token, rate };
  return { token, rate };
}

/** How the column writes negatives besides a leading minus, when it does: the style seen more often. */
export function negativeStyle(s: ColumnSurvey): NegativeStyle | undefined {
  const { parentheses, trailing } = s.negatives;
  if (parentheses === 0 && trailing === 0) return undefined;
  return parentheses >= trailing ? 'parentheses' : 'trailing';
}

/** The separator layout that reads the most values (earlier layouts on ties), and the layouts with another decimal separator that read exactly as many. */
export function numberLayout(s: ColumnSurvey): { best: number; ambiguousWith: { alt: (typeof NUMBER_SEPARATORS)[number]; j: number }[] } {
  let best = 0;
  s.numberCounts.forEach((c, j) => { if (c > s.numberCounts[best]) best = j; });
  const sep = NUMBER_SEPARATORS[best];
  const ambiguousWith = s.withSeparator > 0
    ? NUMBER_SEPARATORS.map((alt, j) => ({ alt, j })).filter(({ alt, j }) => j !== best && s.numberCounts[j] === s.numberCounts[best] && alt.decimal !== sep.decimal)
    : [];
  return { best, ambiguousWith };
}

/**
 * The decimal separator a table's numeric columns use where they are unambiguous, when they all
 * agree: it settles columns that read equally well both ways (`45.125` in a table that also has `0.375`).
 */
export function tableDecimalHint(surveys: readonly ColumnSurvey[], minRate: number): DecimalSeparator | undefined {
  const seen = new Set<DecimalSeparator>();
  for (const s of surveys) {
    if (s.nonNull === 0 || s.withSeparator === 0) continue;
    const { best, ambiguousWith } = numberLayout(s);
    if (s.numberCounts[best] / s.nonNull >= minRate && ambiguousWith.length === 0) seen.add(NUMBER_SEPARATORS[best].decimal);
  }
  return seen.size === 1 ? [...seen][0] : undefined;
}

/**
 * Readings worth verifying over the whole column (VARCHAR is implicit). `staged` is the staged
 * column: a SQLite column whose every value was a REAL is read as DOUBLE exactly.
 */
export function candidateSpecs(name: string, s: ColumnSurvey, minRate: number, decimalHint?: DecimalSeparator, staged?: Pick<StagedColumn, 'storageClasses'>): CandidateSpec[] {
  const n = s.nonNull;
  if (n === 0) return [];
  const specs: CandidateSpec[] = [];
  const affix = affixReading(s);

  // Numbers: the separator layout that reads the most values, earlier layouts on ties.
  const { best, ambiguousWith } = numberLayout(s);
  if (s.numberCounts[best] / n >= minRate) {
    const sep = NUMBER_SEPARATORS[best];
    const settled = ambiguousWith.length > 0 && decimalHint === sep.decimal;
    const factor = ambiguousWith.length > 0 && !settled ? 0.9 : 1;
    const ambNote = ambiguousWith.length === 0 ? []
      : settled ? [`separators ambiguous in this column alone; the table's other numbers use decimal '${sep.decimal}'`]
      : [`ambiguous separators: every value also reads with decimal '${ambiguousWith[0].alt.decimal}'`];
    const negative = negativeStyle(s);
    const fmt = (d: typeof sep): NumberFormat => ({
      kind: 'number', decimal: d.decimal, thousands: d.thousands,
      ...(affix.currency ? { currency: affix.currency } : {}), ...(affix.percent ? { percent: true } : {}), ...(affix.unit ? { unit: affix.unit } : {}),
      ...(negative ? { negative } : {}),
    });
    const f = fmt(sep);
    const affixNotes = [
      ...(negative === 'parentheses' ? [`negatives in parentheses: (1,234.50) reads as -1234.50 (${s.negatives.parentheses} value(s))`] : []),
      ...(negative === 'trailing' ? [`trailing minus: 1234.50- reads as -1234.50 (${s.negatives.trailing} value(s))`] : []),
      ...(affix.currency ? [`currency ${affix.currency} ('${affix.token}' on ${pct(affix.rate)} of values)`] : []),
      ...(affix.percent ? ['percent values are stored as fractions: 45% -> 0.45'] : []),
      ...(affix.unit ? [`unit '${affix.unit}' stripped from values`] : []),
    ];
    const intShare = s.integerCounts[best] / n;
    const tie = factor < 1 ? { separatorTie: { factor } } : {};
    const scale = sep.decimal === '.' ? s.maxScaleDot : s.maxScaleComma;
    const precision = s.maxDigits + scale;
    const integers = !affix.percent && intShare >= minRate;
    if (integers) {
      specs.push({ type: 'INTEGER', duckdbType: 'INTEGER', format: f, weight: 1 * factor, notes: [...affixNotes, ...ambNote], ...tie });
      specs.push({ type: 'BIGINT', duckdbType: 'BIGINT', format: f, weight: 0.995 * factor, notes: [...affixNotes, ...ambNote], ...tie });
      // Past BIGINT (19 digits) integers are still exact as DECIMAL(p,0), up to 38 digits.
      if (s.maxDigits > 18 && s.maxDigits <= 38) {
        specs.push({ type: 'DECIMAL', duckdbType: `DECIMAL(${s.maxDigits},0)`, format: f, weight: 0.985 * factor, notes: [...affixNotes, ...ambNote, `integers of up to ${s.maxDigits} digits, held exactly`], ...tie });
      }
    }
    // A double keeps 15 to 17 significant digits, so longer integers and decimals would silently
    // change: an exact reading goes first (for integers past 38 digits, which none holds, a person
    // decides). Decimals of 16-17 digits are what a double prints itself unless their scale is short (money).
    const exactDecimal = !affix.percent && scale >= 1 && scale <= 18 && precision <= 38;
    // Every value was an 8-byte float in SQLite, staged as the shortest text that reads back as
    // it: a DOUBLE is the source's own value, whatever its digits, and a DECIMAL would round it.
    const doubles = staged?.storageClasses?.length === 1 && staged.storageClasses[0] === 'real';
    const lossy = doubles ? false : integers ? s.maxDigits > 15 : exactDecimal && (s.maxDigits > 17 || (s.maxDigits > 15 && scale <= 6));
    const lossNote = lossy ? [`values of up to ${s.maxDigits} digits: DOUBLE keeps about 15 significant digits, so some would change`] : [];
    const doubleNote = doubles ? ['every value is a SQLite REAL (an 8-byte float): DOUBLE holds each exactly'] : [];
    // Money is exact: with a currency on the values or in the name, DECIMAL goes before DOUBLE.
    const money = affix.currency || doubles ? undefined : exactDecimal && scale <= 4 ? moneyName(name) : undefined;
    const exactFirst = Boolean(affix.currency) || money !== undefined;
    specs.push({ type: 'DOUBLE', duckdbType: 'DOUBLE', format: f, weight: (exactFirst ? 0.98 : 0.99) * factor * (lossy ? 0.9 : 1), notes: [...affixNotes, ...ambNote, ...lossNote, ...doubleNote], ...tie });
    if (exactDecimal) {
      const why = money ? [`${money}: exact DECIMAL preferred`] : [];
      specs.push({ type: 'DECIMAL', duckdbType: `DECIMAL(${Math.max(precision, scale + 1)},${scale})`, format: f, weight: (exactFirst ? 1 : 0.98) * factor, notes: [...affixNotes, ...ambNote, `scale ${scale} from the longest fraction`, ...why], ...tie });
    }
    for (const { alt } of ambiguousWith.slice(0, 1)) {
      specs.push({ type: 'DOUBLE', duckdbType: 'DOUBLE', format: fmt(alt), weight: 0.99 * 0.88, notes: [`alternative reading with decimal '${alt.decimal}'`], separatorTie: { factor: 0.88 } });
    }
  }

  // Dates and times: every format that reads enough values, the best three per type.
  // A %Y format reads four-digit years only (see formats.ts), so it never competes with its %y twin.
  const kept = TEMPORAL_PROBES.map((probe, j) => ({ probe, count: s.temporalCounts[j] })).filter((t) => t.count / n >= minRate);
  for (const type of ['DATE', 'TIMESTAMP', 'TIMESTAMPTZ', 'TIME'] as const) {
    const best = kept.filter((t) => t.probe.type === type).sort((a, b) => b.count - a.count).slice(0, 3);
    // A day/month reading comes with its swapped twin whenever the twin reads enough: rankCandidates
    // then settles the order from the whole-column counts (a large table's survey counts come from
    // a sample, which can miss the one day above 12).
    const twinOf = (t: (typeof kept)[number]): (typeof kept)[number] | undefined => {
      const strp = strptimeOf(t.probe.format);
      return strp && isDayMonth(strp) ? kept.find((o) => strptimeOf(o.probe.format) === swapDayMonth(strp)) : undefined;
    };
    const ofType = [...best, ...best.flatMap((t) => twinOf(t) ?? []).filter((t) => !best.includes(t))];
    for (const t of ofType) {
      const f = t.probe.format;
      const strp = strptimeOf(f);
      const notes: string[] = [];
      // No twin reads enough values: the data decided the order already.
      if (strp && isDayMonth(strp) && twinOf(t) === undefined) notes.push(`${strp.indexOf('%d') < strp.indexOf('%m') ? 'day-first' : 'month-first'} order decided by the data`);
      specs.push({ type, duckdbType: type, format: f, weight: type === 'TIMESTAMP' ? 0.995 : 1, notes });
    }
  }

  // Booleans: enough values are boolean words (the others fail verification, as for numbers and
  // dates). With other values about, both truth values must occur: M/F is not f/alse. A 1/0
  // vocabulary only when every value is 1 or 0, else it is a number column.
  const seen = Object.keys(s.booleanTokens).filter((t) => t in BOOLEAN_TOKENS);
  const numericOnly = seen.every((t) => t === '1' || t === '0');
  const bothTruths = seen.some((t) => BOOLEAN_TOKENS[t]) && seen.some((t) => !BOOLEAN_TOKENS[t]);
  const enough = s.booleanCount === n || (!numericOnly && bothTruths && s.booleanCount / n >= minRate);
  if (seen.length > 0 && enough) {
    const all = new Set(seen.flatMap((t) => [t, PARTNER[t]]));
    const trueValues = [...all].filter((t) => BOOLEAN_TOKENS[t] === true).sort();
    const falseValues = [...all].filter((t) => BOOLEAN_TOKENS[t] === false).sort();
    const named = BOOLEAN_NAME.test(name);
    const weight = numericOnly && !named ? 0.9 : 1;
    const notes = numericOnly
      ? [named ? `1/0 values and a boolean name ('${name}')` : '1/0 values read as INTEGER first; BOOLEAN only when the name says so']
      : [`boolean vocabulary: ${seen.join(', ')}`];
    specs.push({ type: 'BOOLEAN', duckdbType: 'BOOLEAN', format: { kind: 'boolean', trueValues, falseValues }, weight, notes });
  }

  if (s.jsonCount / n >= minRate) specs.push({ type: 'JSON', duckdbType: 'JSON', format: { kind: 'json' }, weight: 0.98, notes: [] });
  // A clock value (`09:30`) reads as a time of day and as a duration: the duration is worth
  // verifying only where it reads more than every time reading (`30:15:00`).
  const timeReads = Math.max(0, ...TEMPORAL_PROBES.flatMap((probe, j) => (probe.type === 'TIME' ? [s.temporalCounts[j]] : [])));
  if (s.intervalCount / n >= minRate && s.intervalCount > timeReads) specs.push({ type: 'INTERVAL', duckdbType: 'INTERVAL', format: { kind: 'interval' }, weight: 0.97, notes: [] });
  return specs;
}

export interface VerifiedCount {
  readonly parsed: number;
  readonly failedExamples: readonly FailedExample[];
}

/**
 * Turns verified counts into ranked candidates, VARCHAR included. `identifier` lowers numeric
 * readings of codes; a 1/0 column with a boolean name lowers INTEGER.
 */
export function rankCandidates(name: string, s: ColumnSurvey, specs: readonly CandidateSpec[], verified: readonly VerifiedCount[], identifier?: IdentifierVerdict): TypeCandidate[] {
  const n = s.nonNull;
  const out: { c: TypeCandidate; parsed: number }[] = specs.map((spec, j) => {
    const parsed = verified[j].parsed;
    const rate = n > 0 ? parsed / n : 0;
    let conf = rate * spec.weight;
    const notes = [...spec.notes];
    const numeric = ['INTEGER', 'BIGINT', 'DOUBLE', 'DECIMAL'].includes(spec.type);
    if (identifier && numeric) {
      if (identifier.treatAs === 'text') {
        conf *= 0.5;
        notes.push(`identifier: ${identifier.reason}`);
      } else if (identifier.treatAs === 'key') {
        notes.push(`identifier-like: ${identifier.reason}`);
      } else {
        notes.push(identifier.reason);
      }
    }
    const order = dayMonthOrder(specs, verified, j, n);
    if (order) {
      conf *= order.factor;
      notes.push(order.note);
    }
    const separator = separatorOrder(specs, verified, j);
    if (separator) {
      conf *= separator.factor;
      const settled = notes.filter((x) => !x.startsWith('ambiguous separators') && !x.startsWith('alternative reading'));
      notes.splice(0, notes.length, ...settled, separator.note);
    }
    if (spec.type === 'INTEGER' && BOOLEAN_NAME.test(name) && s.booleanCount === n && Object.keys(s.booleanTokens).every((t) => t === '1' || t === '0')) {
      conf *= 0.97;
      notes.push('boolean name on 1/0 values: BOOLEAN preferred');
    }
    return { c: { type: spec.type, duckdbType: spec.duckdbType, format: spec.format, confidence: conf, parseSuccessRate: rate, parsedCount: parsed, failedCount: n - parsed, failedExamples: verified[j].failedExamples, notes }, parsed };
  });

  // A wider type that reads strictly more values beats the narrower one (INTEGER < BIGINT < DOUBLE, DATE < TIMESTAMP).
  const wider: Record<string, CandidateType[]> = { INTEGER: ['BIGINT', 'DOUBLE', 'DECIMAL'], BIGINT: ['DOUBLE', 'DECIMAL'], DATE: ['TIMESTAMP'] };
  for (const o of out) {
    const widerOnes = out.filter((w) => (wider[o.c.type] ?? []).includes(w.c.type) && w.parsed > o.parsed);
    if (widerOnes.length > 0) {
      const top = widerOnes.reduce((a, b) => (a.c.confidence >= b.c.confidence ? a : b));
      o.c = { ...o.c, confidence: Math.min(o.c.confidence, top.c.confidence * 0.99), notes: [...o.c.notes, `${top.c.type} reads ${top.parsed - o.parsed} more value(s)`] };
    }
  }

  const maxRate = out.reduce((m, o) => Math.max(m, o.c.parseSuccessRate), 0);
  let varcharConf = n === 0 ? 1 : Math.max(0, 1 - maxRate);
  const varcharNotes: string[] = [];
  if (n === 0) varcharNotes.push('no non-null values: kept as text');
  if (identifier?.treatAs === 'text') {
    varcharConf = Math.max(varcharConf, s.leadingZeros > 0 ? 0.99 : 0.97);
    varcharNotes.push(`identifier: ${identifier.reason}`);
  }
  const candidates = [
    ...out.map((o) => o.c),
    { type: 'VARCHAR' as const, duckdbType: 'VARCHAR', format: { kind: 'text' as const }, confidence: varcharConf, parseSuccessRate: 1, parsedCount: n, failedCount: 0, failedExamples: [], notes: varcharNotes },
  ].map((c) => ({ ...c, confidence: round6(c.confidence), parseSuccessRate: round6(c.parseSuccessRate) }));
  return candidates.sort((a, b) => b.confidence - a.confidence || SPECIFICITY.indexOf(a.type) - SPECIFICITY.indexOf(b.type));
}

/**
 * The day/month order of a date/time reading whose swapped twin is also a candidate, from the
 * verified whole-column counts: a single value with a day above 12 anywhere decides it.
 */
function dayMonthOrder(specs: readonly CandidateSpec[], verified: readonly VerifiedCount[], j: number, n: number): { factor: number; note: string } | undefined {
  const strp = strptimeOf(specs[j].format);
  if (!strp || !isDayMonth(strp)) return undefined;
  const swapped = swapDayMonth(strp);
  const k = specs.findIndex((o) => o.type === specs[j].type && strptimeOf(o.format) === swapped);
  if (k < 0) return undefined;
  const own = verified[j].parsed;
  const twin = verified[k].parsed;
  const monthFirst = strp.indexOf('%m') < strp.indexOf('%d');
  if (own < twin) return { factor: 1, note: `${swapped} reads ${twin - own} more value(s)` };
  if (own > twin) return { factor: 1, note: `${monthFirst ? 'month-first' : 'day-first'} order decided by the data: reads ${own - twin} more value(s) than ${swapped}` };
  // Equal counts with failures may hide days above 12 on both sides: say only what was measured.
  const why = own === n ? 'no first or second field above 12' : `both orders read the same ${own} of ${n} values`;
  return { factor: monthFirst ? 0.9 : 0.88, note: `ambiguous day/month order: ${why}; ${monthFirst ? 'month-first preferred' : 'day-first is the alternative'}` };
}

/**
 * The decimal separator of a number reading the survey could not settle (its sample read every
 * value both ways), from the whole column's verified counts: the reading whose best DOUBLE reads
 * strictly more values wins, and its tie factor is lifted.
 */
function separatorOrder(specs: readonly CandidateSpec[], verified: readonly VerifiedCount[], j: number): { factor: number; note: string } | undefined {
  const tie = specs[j].separatorTie;
  const format = specs[j].format;
  if (!tie || format.kind !== 'number') return undefined;
  const bestOf = (decimal: string) => Math.max(-1, ...specs.flatMap((o, k) => (o.separatorTie && o.type === 'DOUBLE' && o.format.kind === 'number' && o.format.decimal === decimal ? [verified[k].parsed] : [])));
  const own = bestOf(format.decimal);
  const other = specs.find((o) => o.separatorTie && o.format.kind === 'number' && o.format.decimal !== format.decimal);
  if (!other || other.format.kind !== 'number') return undefined;
  const theirs = bestOf(other.format.decimal);
  if (own <= theirs || theirs < 0) return undefined;
  return { factor: 1 / tie.factor, note: `decimal '${format.decimal}' decided by the data: reads ${own - theirs} more value(s) than decimal '${other.format.decimal}'` };
}

function strptimeOf(f: ValueFormat): string | null {
  return 'strptime' in f ? f.strptime : null;
}
/** Day and month in an order that could be either; a year-first format (ISO `%Y-%m-%d`) is always year-month-day. */
function isDayMonth(strp: string): boolean {
  return strp.includes('%d') && strp.includes('%m') && !/^%[Yy]/.test(strp);
}
function swapDayMonth(strp: string): string {
  return strp.replace('%d', '\u0000').replace('%m', '%d').replace('\u0000', '%m');
}
/** Rates and confidences are reported to six decimals. */
export function round6(x: number): number {
  return Math.round(x * 1e6) / 1e6;
}
function pct(x: number): string {
  return `${Math.round(x * 1000) / 10}%`;
}
