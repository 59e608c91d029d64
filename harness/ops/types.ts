// What the harness knows about an operation: how to make its inputs from a
// seed (so runs repeat) and how to judge the device's answer against an
// independent TypeScript reference. Op ids and byte layouts: docs/ops.md.
import type { OpResult } from '../run/link.js';

export interface Vector {
  id: string;
  inputs: Uint8Array[];
  /** Counts toward the op's instruction figure (e.g. a valid signature). */
  representative: boolean;
  note?: string;
  /** Opaque reference data for check(). */
  ref?: unknown;
}

export interface Verdict {
  agree: boolean;
  detail?: string;
}

export interface OpSpec {
  id: string;
  summary: string;
  vectors(seed: string, count: number): Vector[];
  check(v: Vector, r: OpResult): Verdict;
}

export const CC_OK = 0;
export const CC_VERDICT_REJECT = 1;
export const CC_ERR_NOMEM = -1002;
export const CC_ERR_UNSUPPORTED = -1003;
export const STATUS_NAMES: Record<number, string> = { 0: 'ok', 1: 'reject', [-1000]: 'bad inputs', [-1001]: 'output too large', [-1002]: 'out of memory', [-1003]: 'unsupported' };
export const statusName = (s: number) => STATUS_NAMES[s] ?? `library error ${s} (-0x${(-s).toString(16)})`;
