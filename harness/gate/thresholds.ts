// Per-metric tolerances for `certcost check`. Every figure certcost reports
// is deterministic (exact instruction counts, linker sizes, painted stack),
// so the default is `exact`; a tolerance is for deliberately loose gates,
// e.g. across compiler updates. Only an increase past the tolerance fails;
// a decrease is reported as an improvement that wants a baseline update.

import { GATED, type GatedKey, type ThresholdsInput, type Tolerance, type ToleranceSpec } from '../scenario/thresholds.js';

export function tolerance(s: ToleranceSpec | undefined): Tolerance {
  if (s === undefined || s === 'exact') return 0;
  if (s === 'off') return 'off';
  if (typeof s === 'number') return s;
  return Number(s.replace(/[±+%\s]/g, ''));
}

export interface Thresholds {
  of(metric: string): Tolerance;
  /** Extra (non-core) fields gated at all: named in `fields`, or byte-like. */
  gatesExtra(path: string): boolean;
}

// Byte and packet counts of later record kinds (handshake flights, on-air frames).
const BYTE_LIKE = /bytes|datagrams|frames|records|messages|retransmissions/i;

export function thresholds(input: ThresholdsInput = {}): Thresholds {
  return {
    of(metric) {
      const f = input.fields?.[metric];
      if (f !== undefined) return tolerance(f);
      if ((GATED as readonly string[]).includes(metric)) return tolerance(input[metric as GatedKey]);
      return tolerance(input.bytes);
    },
    gatesExtra(path) {
      return input.fields?.[path] !== undefined || BYTE_LIKE.test(path);
    },
  };
}

export const fmtTolerance = (t: Tolerance) => (t === 'off' ? 'off' : t === 0 ? 'exact' : `+${t}%`);
