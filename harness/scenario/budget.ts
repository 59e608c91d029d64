// The scenario's `budget:` section (and `certcost report --budget`): the
// limits an MCU must meet, with units a user would write (128KiB, 1s, 30M).
// The sizing that judges results against it is harness/report/sizing.ts.
import { z } from 'zod';
import { UserError } from '../core/errors.js';

export const BUDGET_KEYS = ['flashBytes', 'ramBytes', 'stackBytes', 'heapBytes', 'instructions', 'ms', 'bytesOnAir'] as const;
export type BudgetKey = (typeof BUDGET_KEYS)[number];
export type Budget = Partial<Record<BudgetKey, number>>;

type Kind = 'bytes' | 'count' | 'time';
export const BUDGET_KIND: Record<BudgetKey, Kind> = {
  flashBytes: 'bytes', ramBytes: 'bytes', stackBytes: 'bytes', heapBytes: 'bytes', bytesOnAir: 'bytes', instructions: 'count', ms: 'time',
};
// KB/MB are decimal, KiB/MiB binary, as the SI and IEC prefixes say.
const UNITS: Record<Kind, Record<string, number>> = {
  bytes: { '': 1, b: 1, kb: 1e3, kib: 1024, mb: 1e6, mib: 1024 * 1024 },
  count: { '': 1, k: 1e3, m: 1e6, g: 1e9 },
  time: { '': 1, ms: 1, s: 1000, us: 1e-3, 'µs': 1e-3 },
};

/** "128KiB" -> 131072, "1s" -> 1000 (ms), "30M" -> 30e6; undefined when malformed. */
export function parseQuantity(key: BudgetKey, v: number | string): number | undefined {
  if (typeof v === 'number') return Number.isFinite(v) && v >= 0 ? v : undefined;
  const m = /^\s*([0-9]+(?:\.[0-9]+)?)\s*([A-Za-zµ]*)\s*$/.exec(v);
  if (!m) return undefined;
  const f = UNITS[BUDGET_KIND[key]][m[2]!.toLowerCase()];
  return f === undefined ? undefined : Number(m[1]) * f;
}

const UNIT_HINT: Record<Kind, string> = { bytes: 'bytes, or e.g. 128KiB / 2KB', count: 'a count, or e.g. 30M', time: 'milliseconds, or e.g. 1s / 250ms' };
const quantity = (key: BudgetKey) =>
  z.union([z.number(), z.string()])
    .refine((v) => parseQuantity(key, v) !== undefined, { message: `expected ${UNIT_HINT[BUDGET_KIND[key]]}` })
    .transform((v) => parseQuantity(key, v)!);

/** The scenario's `budget:` section; every limit optional. */
export const BudgetSchema = z.strictObject(Object.fromEntries(BUDGET_KEYS.map((k) => [k, quantity(k).optional()])) as {
  [K in BudgetKey]: z.ZodOptional<ReturnType<typeof quantity>>;
});

const ALIASES: Record<string, BudgetKey> = {
  flash: 'flashBytes', ram: 'ramBytes', stack: 'stackBytes', heap: 'heapBytes', instructions: 'instructions', insns: 'instructions',
  ms: 'ms', time: 'ms', air: 'bytesOnAir', onair: 'bytesOnAir',
};

/** `--budget flash=128KiB,ram=32KiB,ms=1s,air=2KB` */
export function parseBudgetArg(arg: string): Budget {
  const out: Budget = {};
  for (const part of arg.split(',').map((s) => s.trim()).filter(Boolean)) {
    const [k, v] = part.split('=', 2);
    const key = (BUDGET_KEYS as readonly string[]).includes(k!) ? (k as BudgetKey) : ALIASES[k!.toLowerCase()];
    if (!key || v === undefined) throw new UserError(`--budget: '${part}': expected NAME=VALUE with NAME one of ${Object.keys(ALIASES).join(', ')}`);
    const q = parseQuantity(key, v);
    if (q === undefined) throw new UserError(`--budget: '${part}': expected ${UNIT_HINT[BUDGET_KIND[key]]}`);
    out[key] = q;
  }
  return out;
}
