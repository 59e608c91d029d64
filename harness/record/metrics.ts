// What a record measures, for reports, sizing and the gate. The core metrics
// are named here; every other field a later record kind adds (bytes per
// flight, on-air cost, ...) is discovered from the records by shape, so the
// reports grow with the results instead of needing an edit per field.
import type { RawRecord } from './schema.js';
import { libraryLabel } from './key.js';

export const CORE_METRICS = ['instructions', 'cycles', 'ms', 'flashBytes', 'ramBytes', 'stackBytes', 'heapBytes'] as const;
export type CoreMetric = (typeof CORE_METRICS)[number];

export const METRIC_LABEL: Record<string, string> = {
  instructions: 'instructions',
  cycles: 'cycles',
  ms: 'ms',
  flashBytes: 'flash B',
  ramBytes: 'RAM B',
  stackBytes: 'stack B',
  heapBytes: 'heap B',
  bytesOnAir: 'bytes on air',
};

/** Fields with a fixed place in the reports, never treated as extras. */
const KNOWN = new Set([
  'board', 'core', 'qemuMachine', 'library', 'op', 'status', 'reason', 'instructions', 'instructionsMin', 'instructionsMax',
  'flashBytes', 'ramBytes', 'stackBytes', 'heapBytes', 'vectors', 'perVector', 'fault', 'image', 'wycheproof',
  'hostNs', 'hostLib', 'wallMs', 'cycles', 'ms', 'msBand', 'msErrorPct', 'cycleError', 'cycleProfile', 'cpuEnergyUj', 'handshake', 'onAir', 'libraryVersion', 'fit', 'findings',
  // Shown by sections of their own (certificates, validity matrix, cycle model).
  'certRows', 'validity', 'topFunctions', 'shares', 'modeled', 'pki', 'bufferSearch',
]);

export function num(r: RawRecord, key: string): number | null {
  const v = (r as Record<string, unknown>)[key];
  return typeof v === 'number' && Number.isFinite(v) ? v : null;
}

/** The MCU profile a record's cycles/ms were modelled for, if any. */
export function profileName(r: RawRecord): string | undefined {
  const p = (r as Record<string, unknown>).cycleProfile;
  if (typeof p === 'string') return p;
  if (p && typeof p === 'object') {
    const o = p as Record<string, unknown>;
    for (const k of ['name', 'id', 'profile']) if (typeof o[k] === 'string') return o[k] as string;
  }
  return undefined;
}

export type Extra =
  | { kind: 'scalar'; key: string }
  | { kind: 'parts'; key: string; parts: string[] } // an object (or array) of numbers: stacked
  | { kind: 'rows'; key: string; columns: string[] }; // an array of flat objects: a table per record

export interface ExtraScan {
  extras: Extra[];
  skipped: { key: string; why: string }[];
}

const isNum = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);
const isPrim = (v: unknown) => v === null || ['string', 'number', 'boolean'].includes(typeof v);
const isPlain = (v: unknown): v is Record<string, unknown> => !!v && typeof v === 'object' && !Array.isArray(v);

function shapeOf(v: unknown): { kind: Extra['kind'] | 'none' | 'other'; keys?: string[] } {
  if (v === null || v === undefined) return { kind: 'none' };
  if (isNum(v)) return { kind: 'scalar' };
  if (Array.isArray(v)) {
    if (v.length && v.every(isNum)) return { kind: 'parts', keys: v.map((_, i) => String(i + 1)) };
    if (v.length && v.every((x) => isPlain(x) && Object.values(x).every(isPrim)))
      return { kind: 'rows', keys: v.flatMap((x) => Object.keys(x as object)) };
    if (!v.length) return { kind: 'none' };
    return { kind: 'other' };
  }
  if (isPlain(v)) {
    const vals = Object.values(v);
    if (vals.length && vals.every(isNum)) return { kind: 'parts', keys: Object.keys(v) };
  }
  return { kind: 'other' };
}

/** Discovers the extra fields of a set of records; one shape per field or it is skipped. */
export function scanExtras(records: RawRecord[]): ExtraScan {
  const found = new Map<string, { kind: string; keys: string[] }>();
  const skipped = new Map<string, string>();
  for (const r of records) {
    for (const [key, v] of Object.entries(r)) {
      if (KNOWN.has(key) || skipped.has(key)) continue;
      const s = shapeOf(v);
      if (s.kind === 'none') continue;
      if (s.kind === 'other') {
        skipped.set(key, 'not a number, an object of numbers, or a list of flat rows');
        found.delete(key);
        continue;
      }
      const prev = found.get(key);
      if (prev && prev.kind !== s.kind) {
        skipped.set(key, `mixed shapes (${prev.kind} and ${s.kind})`);
        found.delete(key);
        continue;
      }
      const keys = prev?.keys ?? [];
      for (const k of s.keys ?? []) if (!keys.includes(k)) keys.push(k);
      found.set(key, { kind: s.kind, keys });
    }
  }
  const extras: Extra[] = [...found].map(([key, f]) =>
    f.kind === 'scalar' ? { kind: 'scalar', key } : f.kind === 'parts' ? { kind: 'parts', key, parts: f.keys } : { kind: 'rows', key, columns: f.keys });
  return { extras, skipped: [...skipped].map(([key, why]) => ({ key, why })) };
}

/** Value of one part of a `parts` extra (object key or 1-based array index). */
export function partValue(r: RawRecord, key: string, part: string): number | null {
  const v = (r as Record<string, unknown>)[key];
  if (Array.isArray(v)) return isNum(v[Number(part) - 1]) ? (v[Number(part) - 1] as number) : null;
  if (isPlain(v)) return isNum(v[part]) ? (v[part] as number) : null;
  return null;
}

/** Every number of a record's scalar and `parts` extras, flattened to `key` / `key.part`. */
export function flatExtras(r: RawRecord, scan: ExtraScan): Map<string, number | null> {
  const out = new Map<string, number | null>();
  for (const e of scan.extras) {
    if (e.kind === 'scalar') out.set(e.key, num(r, e.key));
    else if (e.kind === 'parts') {
      out.set(`${e.key}.total`, sumParts(r, e));
      for (const p of e.parts) out.set(`${e.key}.${p}`, partValue(r, e.key, p));
    }
  }
  return out;
}

export function sumParts(r: RawRecord, e: Extra & { kind: 'parts' }): number | null {
  const vals = e.parts.map((p) => partValue(r, e.key, p)).filter((x): x is number => x !== null);
  return vals.length ? vals.reduce((a, b) => a + b, 0) : null;
}

/** Records in first-seen order of a key: boards and libraries keep the scenario's order. */
export function uniq<T>(xs: T[]): T[] {
  return [...new Set(xs)];
}

/** Libraries in the order they were measured; plan-level `unsupported` records come first in a run, so they rank last. */
export function libraries(records: RawRecord[]): string[] {
  return uniq([...records.filter((r) => r.status !== 'unsupported'), ...records].map((r) => libraryLabel(r)));
}
