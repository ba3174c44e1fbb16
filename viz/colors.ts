/** Colours shared by every renderer, so DOT, Mermaid and HTML pictures of one run look alike. */
import type { NodeKind, NodeOutcome } from '../engine/index.ts';

/** Fill per run outcome. */
export const OUTCOME_COLORS: Readonly<Record<NodeOutcome, string>> = Object.freeze({
  done: '#b7e4c7',
  cached: '#bde0fe',
  failed: '#ff8fa3',
  skipped: '#dee2e6',
  awaiting_review: '#ffd166',
});

/** Border per run outcome (a darker shade of the fill, so outcomes stay apart in greyscale too). */
export const OUTCOME_BORDERS: Readonly<Record<NodeOutcome, string>> = Object.freeze({
  done: '#2d6a4f',
  cached: '#1d4e89',
  failed: '#c9184a',
  skipped: '#6c757d',
  awaiting_review: '#b07d00',
});

export const OUTCOME_LABELS: Readonly<Record<NodeOutcome, string>> = Object.freeze({
  done: 'done',
  cached: 'cached',
  failed: 'failed',
  skipped: 'skipped',
  awaiting_review: 'awaiting review',
});

export const OUTCOMES: readonly NodeOutcome[] = Object.freeze(['done', 'cached', 'failed', 'skipped', 'awaiting_review']);

/** Fill of a node that was not part of the overlaid run. */
export const NOT_RUN_COLOR = '#ffffff';

/** Fill per kind when neither a tag nor a run colours the node. */
export const KIND_COLORS: Readonly<Record<NodeKind, string>> = Object.freeze({
  function: '#ffffff',
  input: '#f8f9fa',
  gate: '#fff3bf',
  extract: '#f1f3f5',
});

export const EXCLUDED_FILL = '#f1f3f5';
export const EXCLUDED_INK = '#adb5bd';
export const REQUESTED_BORDER = '#1a1a2e';
export const OVERRIDE_BORDER = '#7b2cbf';

/** Twelve light, mutually distinct fills (ColorBrewer Set3 with its grey and second yellow swapped out), readable under black text. */
export const TAG_PALETTE: readonly string[] = Object.freeze([
  '#8dd3c7', '#ffffb3', '#bebada', '#f4a6a0', '#80b1d3', '#fdb462',
  '#b3de69', '#fccde5', '#bc80bd', '#ccebc5', '#d9b99b', '#b3e5fc',
]);

/**
 * Stable colours for tag values: each value starts at the palette slot its hash picks (so a
 * value keeps its colour across graphs and runs), and moves to the next free slot only when a
 * different value of the same graph already holds it, so up to 12 values never share a colour.
 * Beyond 12 values, the extra ones get a hashed pastel hue.
 *
 * @example
 * ```ts
 * const colors = tagColors(['staging', 'profiling']);
 * colors.get('staging'); // e.g. '#80b1d3', the same in every graph without a clash
 * ```
 */
export function tagColors(values: Iterable<string>): Map<string, string> {
  const sorted = [...new Set(values)].sort();
  const taken = new Set<number>();
  const colors = new Map<string, string>();
  for (const value of sorted) {
    const h = fnv1a(value);
    let slot = -1;
    for (let i = 0; i < TAG_PALETTE.length; i++) {
      const candidate = (h + i) % TAG_PALETTE.length;
      if (!taken.has(candidate)) {
        slot = candidate;
        break;
      }
    }
    if (slot >= 0) {
      taken.add(slot);
      colors.set(value, TAG_PALETTE[slot]);
    } else {
      colors.set(value, hslToHex(h % 360, 0.55, 0.8));
    }
  }
  return colors;
}

function fnv1a(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

function hslToHex(h: number, s: number, l: number): string {
  const a = s * Math.min(l, 1 - l);
  const f = (n: number): string => {
    const k = (n + h / 30) % 12;
    const c = l - a * Math.max(-1, Math.min(k - 3, 9 - k, 1));
    return Math.round(c * 255).toString(16).padStart(2, '0');
  };
  return `#${f(0)}${f(8)}${f(4)}`;
}
