// How a table cell reads in text outputs (Markdown, HTML); CSV keeps raw values.
import type { Cell, Tone } from './model.js';

export function cellText(c: Cell): string {
  if (c === null || c === undefined) return '—';
  if (typeof c === 'number') return Number.isInteger(c) ? c.toLocaleString('en-US') : c.toLocaleString('en-US', { maximumFractionDigits: 3 });
  if (typeof c === 'string') return c;
  return c.text;
}

export const cellTone = (c: Cell): Tone | undefined => (c !== null && typeof c === 'object' ? c.tone : undefined);
