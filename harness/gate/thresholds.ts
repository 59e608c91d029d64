// Per-metric tolerances for `certcost check`. Every figure certcost reports
// is deterministic (exact instruction counts, linker sizes, painted stack),
// so the default is `exact`; a tolerance is for deliberately loose gates,
// e.g. across compiler updates. Only an increase past the tolerance fails;
// a decrease is reported as an improvement that wants a baseline update.
import { z } from 'zod';
import { UserError } from '../errors.js';

/** Allowed increase in percent; `off` = not gated. */
export type Tolerance = number | 'off';

const spec = z.union([z.literal('exact'), z.literal('off'), z.number().min(0), z.string().regex(/^[±+]?\d+(\.\d+)?\s*%$/, "expected 'exact', 'off', a percentage like '2%' or a number (percent)")]);
export type ToleranceSpec = z.infer<typeof spec>;

export const GATED = ['instructions', 'cycles', 'ms', 'flashBytes', 'ramBytes', 'stackBytes', 'heapBytes', 'bytes'] as const;
export type GatedKey = (typeof GATED)[number];

/** The scenario's `thresholds:` section. `bytes` covers byte-like fields of later record kinds; `fields` names any other by path. */
export const ThresholdsSchema = z.strictObject({
  ...(Object.fromEntries(GATED.map((k) => [k, spec.optional()])) as { [K in GatedKey]: z.ZodOptional<typeof spec> }),
  fields: z.record(z.string(), spec).optional(),
});
export type ThresholdsInput = z.infer<typeof ThresholdsSchema>;

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

/** `--threshold instructions=2%,stackBytes=exact` on top of the scenario's section. */
export function parseThresholdArg(arg: string, base: ThresholdsInput = {}): ThresholdsInput {
  const out: ThresholdsInput = { ...base, fields: { ...base.fields } };
  for (const part of arg.split(',').map((s) => s.trim()).filter(Boolean)) {
    const [k, v] = part.split('=', 2);
    const parsed = spec.safeParse(v !== undefined && /^\d+(\.\d+)?$/.test(v) ? Number(v) : v);
    if (!k || !parsed.success) throw new UserError(`--threshold: '${part}': expected METRIC=exact|off|N%`);
    if ((GATED as readonly string[]).includes(k)) out[k as GatedKey] = parsed.data;
    else out.fields![k] = parsed.data;
  }
  return out;
}

export const fmtTolerance = (t: Tolerance) => (t === 'off' ? 'off' : t === 0 ? 'exact' : `+${t}%`);
