// The scenario's `thresholds:` section (and `certcost check --threshold`):
// how much each metric may grow before the CI gate (harness/gate) fails.
import { z } from 'zod';
import { UserError } from '../core/errors.js';

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
