// The report as data: sections of text, tables and chart references. Every
// output (results.md, report.md, report.html, report.json, the table `run`
// prints) is rendered from one of these, so they all say the same thing.
import type { ChartSpec } from './charts.js';

export type Tone = 'good' | 'bad' | 'warn' | 'muted';
export type Cell = string | number | null | { text: string; tone?: Tone };
export interface Table {
  caption?: string;
  /** Detail a reader opens on demand (HTML: a closed <details>). */
  collapsed?: boolean;
  columns: { label: string; numeric?: boolean }[];
  rows: Cell[][];
}
export interface Section {
  id: string;
  title: string;
  /** 2: a section; 3: a part of the section before it. */
  level?: 2 | 3;
  text: string[];
  tables: Table[];
  charts: string[]; // ChartSpec ids, in order
}
export interface Document {
  title: string;
  meta: string[];
  sections: Section[];
  charts: ChartSpec[];
  /** What it was generated from, for the footer. */
  source: { file: string; sha256: string };
}

export const STATUS_TONE: Record<string, Tone> = { ok: 'good', 'does-not-fit': 'warn', finding: 'warn', mismatch: 'bad', error: 'bad', unsupported: 'muted' };

/** How a cell reads in text outputs (Markdown, HTML); CSV keeps raw values. */
export function cellText(c: Cell): string {
  if (c === null || c === undefined) return '—';
  if (typeof c === 'number') return Number.isInteger(c) ? c.toLocaleString('en-US') : c.toLocaleString('en-US', { maximumFractionDigits: 3 });
  if (typeof c === 'string') return c;
  return c.text;
}

export const cellTone = (c: Cell): Tone | undefined => (c !== null && typeof c === 'object' ? c.tone : undefined);

export const section = (id: string, title: string, part: Partial<Section> = {}): Section => ({ id, title, text: [], tables: [], charts: [], ...part });
